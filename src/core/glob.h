// Glob: matches ref names (branches, tags) and other slash-separated names
// against patterns, with the semantics of GitHub's branch and tag filters.
//
// Syntax:
//   *       any run of characters except '/' (stays inside one path segment):
//           "release/*" matches "release/1.4" but not "release/1.4/hotfix"
//   **      any run of characters including '/': "feature/**" matches
//           "feature/a/b"; "a/**/b" needs at least one segment in between
//   ?       exactly one character other than '/'
//   [abc]   one character of the set; ranges "[a-z0-9]"; "[!abc]" or "[^abc]"
//           negates; a ']' right after '[' (or after '[!') is literal; a
//           class never matches '/'
//   \c      the character c literally (for "\*", "\?", "\[", "\\")
// Everything else matches itself, case-sensitively. The whole text must match.
//
// Matching runs in O(len(pattern) * len(text)) time with no recursion, so any
// user-supplied pattern is safe. A Glob is immutable and safe to share
// between threads.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace opz {

class Glob {
 public:
  // Fails with kValidation for an unterminated '[' class, an empty class
  // ("[]"), a reversed range ("[z-a]") or a trailing '\'.
  static Result<Glob> compile(std::string_view pattern);

  bool matches(std::string_view text) const;
  const std::string& pattern() const { return pattern_; }
  // True when the pattern has no wildcard at all (matches exactly one text).
  bool is_literal() const;

 private:
  enum class TokenKind { kLiteral, kAnyChar, kClass, kStar, kDoubleStar };
  struct Token {
    TokenKind kind = TokenKind::kLiteral;
    char literal = 0;
    bool negated = false;                       // kClass only
    std::vector<std::pair<char, char>> ranges;  // kClass only, inclusive
    bool accepts(char c) const;                 // for single-character kinds
  };
  Glob() = default;
  std::string pattern_;
  std::vector<Token> tokens_;
};

// Compiles and matches in one go; an invalid pattern matches nothing.
bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace opz
