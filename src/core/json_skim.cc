#include "core/json_skim.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <array>
#include <charconv>
#include <cstdint>
#include <deque>
#include <string>
#include <system_error>
#include <vector>

namespace opz {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Bytes a string holds as they are: printable ASCII other than '"' and '\\'.
constexpr std::array<bool, 256> kPlainByte = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
  return plain;
}();

}  // namespace

// Most of a payload is URLs and names: sixteen bytes a step where SSE2 is.
const char* skip_plain(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  while (end - p >= 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // Signed: below 0x20 are the control characters and every byte >= 0x80.
    const __m128i special =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
                     _mm_cmplt_epi8(bytes, space));
    if (const int mask = _mm_movemask_epi8(special); mask != 0) return p + __builtin_ctz(mask);
    p += 16;
  }
#endif
  while (p != end && kPlainByte[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

namespace {

// Every method answers false when the text is not accepted; the pass then
// stops (nothing is recovered: the caller falls back to nlohmann).
class Skimmer {
 public:
  Skimmer(std::string_view text, const std::function<bool(const JsonPath&)>& keep)
      : p_(text.data()), end_(text.data() + text.size()), keep_(keep) {}

  std::optional<Json> run() {
    Json out;
    if (!whole_text([&] { return kept_value(out, 0); })) return std::nullopt;
    return out;
  }

  // The top-level members of an object (skim_json_members).
  std::optional<std::vector<JsonMemberText>> members() {
    std::vector<JsonMemberText> out;
    if (!whole_text([&] { return object_members(out); })) return std::nullopt;
    return out;
  }

 private:
  // `value` over the whole text: whitespace around it, nothing after it.
  template <typename F>
  bool whole_text(F&& value) {
    // A byte-order mark nlohmann skips (or refuses when incomplete): its call.
    if (p_ != end_ && static_cast<unsigned char>(*p_) == 0xEF) return false;
    skip_space();
    if (!value()) return false;
    skip_space();
    return p_ == end_;
  }

  // p_ at '{': each member as slices of the text, its value checked.
  bool object_members(std::vector<JsonMemberText>& out) {
    if (!at('{')) return false;
    ++p_;
    return each_in('}', [&] {
      std::string_view name;
      if (!key(name, false)) return false;
      JsonMemberText m;
      m.key = std::string_view(name.data() - 1, name.size() + 2);  // with its quotes
      const char* value = p_;
      if (!skip_value()) return false;
      m.value = std::string_view(value, static_cast<size_t>(p_ - value));
      out.push_back(m);
      return true;
    });
  }

  // p_ just past a '{' or '[': calls `element` (one member or element, read
  // from p_) for each, with the commas between them and the whitespace
  // around, up to `close`, and steps past it. An empty one calls nothing.
  template <typename F>
  bool each_in(char close, F&& element) {
    skip_space();
    if (at(close)) {
      ++p_;
      return true;
    }
    while (true) {
      if (!element()) return false;
      skip_space();
      if (at(',')) {
        ++p_;
        skip_space();
        continue;
      }
      if (!at(close)) return false;
      ++p_;
      return true;
    }
  }

  void skip_space() {
    while (p_ != end_ && is_space(*p_)) ++p_;
  }
  bool at(char c) const { return p_ != end_ && *p_ == c; }
  // Whether the byte `i` past p_ exists and lies in [lo, hi].
  bool byte_in(size_t i, unsigned char lo, unsigned char hi) const {
    if (static_cast<size_t>(end_ - p_) <= i) return false;
    const auto b = static_cast<unsigned char>(p_[i]);
    return b >= lo && b <= hi;
  }

  // p_ at the opening quote; on success past the closing one, `raw` the text
  // between them and `escaped` whether it holds a backslash.
  bool string(std::string_view& raw, bool& escaped) {
    ++p_;
    escaped = false;
    const char* start = p_;
    while (p_ != end_) {
      p_ = skip_plain(p_, end_);
      if (p_ == end_) break;
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        raw = std::string_view(start, static_cast<size_t>(p_ - start));
        ++p_;
        return true;
      }
      if (c == '\\') {
        escaped = true;
        ++p_;
        if (!escape()) return false;
      } else if (c < 0x20) {
        return false;  // control characters must be escaped
      } else if (!utf8_sequence()) {  // c >= 0x80: skip_plain stops at nothing else
        return false;
      }
    }
    return false;  // unterminated
  }

  int hex4() {
    if (end_ - p_ < 4) return -1;
    int value = 0;
    for (int i = 0; i < 4; ++i) {
      const int d = hex_digit(p_[i]);
      if (d < 0) return -1;
      value = value * 16 + d;
    }
    p_ += 4;
    return value;
  }

  // p_ just after a backslash. A \u escape of a high surrogate must be
  // followed by one of a low surrogate; a lone low surrogate is refused.
  bool escape() {
    if (p_ == end_) return false;
    switch (*p_++) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        return true;
      case 'u':
        break;
      default:
        return false;
    }
    const int code = hex4();
    if (code < 0 || (code >= 0xDC00 && code <= 0xDFFF)) return false;
    if (code < 0xD800 || code > 0xDBFF) return true;
    if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
    p_ += 2;
    const int low = hex4();
    return low >= 0xDC00 && low <= 0xDFFF;
  }

  // p_ at a byte >= 0x80: one well-formed UTF-8 sequence (RFC 3629 table 4).
  bool utf8_sequence() {
    const auto c = static_cast<unsigned char>(*p_);
    size_t length = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c == 0xE0) {
      length = byte_in(1, 0xA0, 0xBF) ? 3 : 0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      length = byte_in(1, 0x80, 0xBF) ? 3 : 0;
    } else if (c == 0xED) {
      length = byte_in(1, 0x80, 0x9F) ? 3 : 0;
    } else if (c == 0xF0) {
      length = byte_in(1, 0x90, 0xBF) ? 4 : 0;
    } else if (c >= 0xF1 && c <= 0xF3) {
      length = byte_in(1, 0x80, 0xBF) ? 4 : 0;
    } else if (c == 0xF4) {
      length = byte_in(1, 0x80, 0x8F) ? 4 : 0;
    }
    if (length == 0) return false;
    for (size_t i = 1; i < length; ++i)
      if (!byte_in(i, 0x80, 0xBF)) return false;
    p_ += length;
    return true;
  }

  // p_ at '-' or a digit: RFC 8259's number grammar. nlohmann refuses a
  // number whose double overflows; that needs an exponent or some 309
  // digits, and only then is the value computed (an underflow declines too).
  bool number(std::string_view& raw) {
    const char* start = p_;
    if (at('-')) ++p_;
    if (at('0')) {
      ++p_;
    } else if (p_ != end_ && *p_ >= '1' && *p_ <= '9') {
      while (p_ != end_ && is_digit(*p_)) ++p_;
    } else {
      return false;
    }
    if (at('.')) {
      ++p_;
      if (p_ == end_ || !is_digit(*p_)) return false;
      while (p_ != end_ && is_digit(*p_)) ++p_;
    }
    bool exponent = false;
    if (at('e') || at('E')) {
      exponent = true;
      ++p_;
      if (at('+') || at('-')) ++p_;
      if (p_ == end_ || !is_digit(*p_)) return false;
      while (p_ != end_ && is_digit(*p_)) ++p_;
    }
    raw = std::string_view(start, static_cast<size_t>(p_ - start));
    if (exponent || raw.size() > 300) {
      double value = 0;
      auto [last, error] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
      if (error != std::errc() || last != raw.data() + raw.size()) return false;
    }
    return true;
  }

  bool literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() ||
        std::string_view(p_, word.size()) != word)
      return false;
    p_ += word.size();
    return true;
  }

  // A scalar's value as nlohmann builds it (escapes decoded, numbers typed).
  static bool decode(std::string_view token, Json& out) {
    try {
      out = Json::parse(token);
      return true;
    } catch (const Json::exception&) {
      return false;
    }
  }

  static bool number_value(std::string_view raw, Json& out) {
    // The common case, an id: non-negative, integral, 19 digits at most.
    if (raw.size() <= 19 && raw.find_first_not_of("0123456789") == std::string_view::npos) {
      uint64_t value = 0;
      std::from_chars(raw.data(), raw.data() + raw.size(), value);
      out = value;
      return true;
    }
    return decode(raw, out);
  }

  // p_ at a key's opening quote; on success past the ':' and the space after.
  // An escaped name is decoded only when `decoded` (skipped objects' keys
  // are checked, never kept).
  bool key(std::string_view& name, bool decoded = true) {
    if (!at('"')) return false;
    bool escaped = false;
    if (!string(name, escaped)) return false;
    if (escaped && decoded) {
      Json text;
      if (!decode(std::string_view(name.data() - 1, name.size() + 2), text)) return false;
      decoded_keys_.push_back(text.get<std::string>());
      name = decoded_keys_.back();
    }
    skip_space();
    if (!at(':')) return false;
    ++p_;
    skip_space();
    return true;
  }

  // Steps over one value (p_ at its first byte) checking it, copying nothing.
  // Iterative: a hostile body nests without limit.
  bool skip_value() {
    skip_stack_.clear();
    std::string_view ignored;
    while (true) {
      if (p_ == end_) return false;
      const char c = *p_;
      if (c == '{' || c == '[') {
        ++p_;
        skip_space();
        if (at(c == '{' ? '}' : ']')) {
          ++p_;
        } else {
          skip_stack_.push_back(c);
          if (c == '{' && !key(ignored, false)) return false;
          continue;
        }
      } else if (c == '"') {
        bool escaped = false;
        if (!string(ignored, escaped)) return false;
      } else if (c == 't' || c == 'f' || c == 'n') {
        if (!literal(c == 't' ? "true" : c == 'f' ? "false" : "null")) return false;
      } else if (c == '-' || is_digit(c)) {
        if (!number(ignored)) return false;
      } else {
        return false;
      }
      // After a value: close what ends here, or go on to the next member.
      while (true) {
        if (skip_stack_.empty()) return true;
        skip_space();
        if (at(',')) {
          ++p_;
          skip_space();
          if (skip_stack_.back() == '{' && !key(ignored, false)) return false;
          break;
        }
        if (!at(skip_stack_.back() == '{' ? '}' : ']')) return false;
        ++p_;
        skip_stack_.pop_back();
      }
    }
  }

  bool kept_value(Json& out, size_t depth) {
    if (depth > kMaxSkimDepth || p_ == end_) return false;
    const char c = *p_;
    if (c == '{') return kept_object(out, depth);
    if (c == '[') return kept_array(out, depth);
    if (c == '"') {
      std::string_view raw;
      bool escaped = false;
      const char* start = p_;
      if (!string(raw, escaped)) return false;
      if (escaped) return decode(std::string_view(start, static_cast<size_t>(p_ - start)), out);
      out = std::string(raw);
      return true;
    }
    if (c == 't' || c == 'f') {
      out = c == 't';
      return literal(c == 't' ? "true" : "false");
    }
    if (c == 'n') {
      out = nullptr;
      return literal("null");
    }
    if (c == '-' || is_digit(c)) {
      std::string_view raw;
      return number(raw) && number_value(raw, out);
    }
    return false;
  }

  bool kept_object(Json& out, size_t depth) {
    ++p_;
    out = Json::object();
    return each_in('}', [&] {
      std::string_view name;
      if (!key(name)) return false;
      path_.push_back(name);
      // A repeated key: the last one wins, as in nlohmann.
      const bool ok = keep_(path_) ? kept_value(out[std::string(name)], depth + 1) : skip_value();
      path_.pop_back();
      return ok;
    });
  }

  // Elements are always kept (an array keeps its length); their members are
  // asked about under "[]".
  bool kept_array(Json& out, size_t depth) {
    ++p_;
    out = Json::array();
    path_.push_back("[]");
    const bool ok = each_in(']', [&] {
      Json element;
      if (!kept_value(element, depth + 1)) return false;
      out.push_back(std::move(element));
      return true;
    });
    path_.pop_back();
    return ok;
  }

  const char* p_;
  const char* end_;
  const std::function<bool(const JsonPath&)>& keep_;
  JsonPath path_;
  std::deque<std::string> decoded_keys_;  // escaped keys, decoded; path_ points into them
  std::vector<char> skip_stack_;           // the containers skip_value is inside
};

}  // namespace

std::optional<Json> skim_json_keeping(std::string_view text,
                                      const std::function<bool(const JsonPath& path)>& keep) {
  return Skimmer(text, keep).run();
}

std::optional<std::vector<JsonMemberText>> skim_json_members(std::string_view text) {
  static const std::function<bool(const JsonPath&)> keep_none = [](const JsonPath&) {
    return false;
  };
  return Skimmer(text, keep_none).members();
}

}  // namespace opz
