#include "secrets/log_masker.h"

#include <algorithm>
#include <cstdint>
#include <set>

#include "secrets/encoding.h"

namespace opz::secrets {

namespace {

void add_form(std::set<std::string>& out, std::string form) {
  if (form.size() < kMinMaskedLength) return;
  if (form.find('\n') != std::string::npos) return;
  out.insert(std::move(form));
}

// Base64 of `value` as it appears inside the encoding of a longer text: the
// value preceded by `shift` (0..2) other bytes. Characters that also depend
// on the bytes before or after are dropped: the first ceil(8*shift/6) and
// everything after the last character made only of the value's bits.
void add_base64_forms(std::set<std::string>& out, std::string_view value) {
  for (Base64Alphabet alphabet : {Base64Alphabet::kStandard, Base64Alphabet::kUrlSafe}) {
    add_form(out, to_base64(value, alphabet, true));
    for (size_t shift = 0; shift < 3; ++shift) {
      const std::string data = std::string(shift, '\0') + std::string(value);
      const std::string encoded = to_base64(data, alphabet, false);
      const size_t first = (8 * shift + 5) / 6;
      const size_t end = std::min(encoded.size(), 8 * data.size() / 6);
      if (end > first) add_form(out, encoded.substr(first, end - first));
    }
  }
}

void add_text_forms(std::set<std::string>& out, std::string_view text) {
  add_form(out, std::string(text));
  add_form(out, percent_encode(text, true, false));
  add_form(out, percent_encode(text, false, false));
  add_form(out, percent_encode(text, true, true));
  add_form(out, percent_encode(text, false, true));
  add_form(out, json_escape(text, false));
  add_form(out, json_escape(text, true));
}

}  // namespace

std::vector<std::string> mask_forms(std::string_view value) {
  std::set<std::string> out;
  if (value.size() < kMinMaskedLength) return {};
  size_t start = 0;
  while (start <= value.size()) {
    size_t nl = value.find('\n', start);
    if (nl == std::string_view::npos) nl = value.size();
    std::string_view line = value.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    add_text_forms(out, line);
    start = nl + 1;
  }
  add_text_forms(out, value);  // the encoded forms of a multi-line value hold no newline
  add_base64_forms(out, value);
  return {out.begin(), out.end()};
}

MaskPatterns::MaskPatterns(const std::vector<std::string>& values) {
  std::set<std::string> all;
  for (const std::string& v : values)
    for (std::string& form : mask_forms(v)) all.insert(std::move(form));
  patterns_.assign(all.begin(), all.end());
  std::stable_sort(patterns_.begin(), patterns_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (size_t i = 0; i < patterns_.size(); ++i) {
    by_first_byte_[static_cast<unsigned char>(patterns_[i][0])].push_back(
        static_cast<uint32_t>(i));
    max_length_ = std::max(max_length_, patterns_[i].size());
  }
}

size_t MaskPatterns::match_at(std::string_view text, size_t pos) const {
  if (pos >= text.size()) return 0;
  const std::string_view rest = text.substr(pos);
  for (uint32_t i : by_first_byte_[static_cast<unsigned char>(rest[0])]) {
    const std::string& p = patterns_[i];
    if (p.size() <= rest.size() && rest.compare(0, p.size(), p) == 0) return p.size();
  }
  return 0;
}

std::string MaskPatterns::mask(std::string_view text) const {
  if (patterns_.empty()) return std::string(text);
  std::string out;
  mask_prefix(text, text.size(), out);
  return out;
}

size_t MaskPatterns::mask_prefix(std::string_view text, size_t limit, std::string& out) const {
  out.reserve(out.size() + limit);
  size_t i = 0;
  while (i < limit) {
    const size_t m = match_at(text, i);
    if (m > 0) {
      out += kMask;
      i += m;
    } else {
      out.push_back(text[i++]);
    }
  }
  return i;
}

std::string StreamMasker::feed(std::string_view chunk) {
  held_.append(chunk);
  const size_t keep = patterns_->max_length() > 0 ? patterns_->max_length() - 1 : 0;
  size_t limit = held_.size() > keep ? held_.size() - keep : 0;
  // No pattern holds a newline, so none starting before the last one can
  // still grow: everything up to it is decided.
  const size_t nl = held_.rfind('\n');
  if (nl != std::string::npos) limit = std::max(limit, nl + 1);
  return release(limit);
}

std::string StreamMasker::finish() { return release(held_.size()); }

std::string StreamMasker::release(size_t limit) {
  std::string out;
  held_.erase(0, patterns_->mask_prefix(held_, limit, out));
  return out;
}

}  // namespace opz::secrets
