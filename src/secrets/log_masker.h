// Log masking: hiding secret values in a step's output before anything
// stores or sends it (stored logs, the log API, the event stream).
//
// MaskPatterns turns the secret values injected into a node into the strings
// to hide (mask_forms): for every value of at least kMinMaskedLength bytes
//   - each line of the value (split on '\n', a trailing '\r' dropped), so a
//     multi-line value printed line by line is hidden line by line;
//   - its base64, standard and URL-safe, padded, and the part of it that
//     stays the same wherever the value sits in a longer encoded text (the
//     three byte alignments, unstable edge characters dropped);
//   - its percent-encoding (%2F and %2f, space as %20 and '+');
//   - its JSON-escaped text (as written, and with \uXXXX for non-ASCII).
// Forms shorter than kMinMaskedLength are not masked (too likely to hide
// ordinary text; a value that short is a weak secret anyway), nor forms
// holding a newline (output is masked line by line; see the line forms).
//
// Every occurrence is replaced by kMask, leftmost first, longest pattern
// first at a position; the text between occurrences is kept byte for byte.
//
// StreamMasker masks one output stream delivered in arbitrary chunks and
// gives the same text as masking the whole stream at once: it holds back at
// most max_length() - 1 bytes that could still begin a secret, except that
// everything up to the last newline is released at once (no pattern spans a
// newline). finish() releases the rest at end of stream. One per stream
// (stdout and stderr interleave independently).
//
// MaskPatterns is immutable once built (share it between threads);
// StreamMasker is not thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace opz::secrets {

inline constexpr size_t kMinMaskedLength = 8;
inline constexpr std::string_view kMask = "***";

// The forms of one value that are masked (deduplicated, unordered).
std::vector<std::string> mask_forms(std::string_view value);

class MaskPatterns {
 public:
  explicit MaskPatterns(const std::vector<std::string>& values);

  bool empty() const { return patterns_.empty(); }
  size_t size() const { return patterns_.size(); }
  size_t max_length() const { return max_length_; }
  // The length of the longest pattern that lies at text[pos...] entirely
  // inside `text`; 0 when none does.
  size_t match_at(std::string_view text, size_t pos) const;
  // `text` with every occurrence masked.
  std::string mask(std::string_view text) const;
  // Appends text[0, limit) masked to `out`; a pattern starting before
  // `limit` is masked whole even when it ends after it. Answers how many
  // bytes of `text` that consumed (>= limit).
  size_t mask_prefix(std::string_view text, size_t limit, std::string& out) const;

 private:
  std::vector<std::string> patterns_;                     // longest first
  std::array<std::vector<uint32_t>, 256> by_first_byte_;  // indices into patterns_
  size_t max_length_ = 0;
};

class StreamMasker {
 public:
  explicit StreamMasker(std::shared_ptr<const MaskPatterns> patterns)
      : patterns_(std::move(patterns)) {}

  // The masked text that can be released after `chunk`.
  std::string feed(std::string_view chunk);
  // End of stream: the rest, masked.
  std::string finish();
  size_t held_bytes() const { return held_.size(); }

 private:
  std::string release(size_t limit);

  std::shared_ptr<const MaskPatterns> patterns_;
  std::string held_;
};

}  // namespace opz::secrets
