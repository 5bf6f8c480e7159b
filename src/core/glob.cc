#include "core/glob.h"

#include <algorithm>

namespace opz {

bool Glob::Token::accepts(char c) const {
  switch (kind) {
    case TokenKind::kLiteral:
      return c == literal;
    case TokenKind::kAnyChar:
      return c != '/';
    case TokenKind::kClass: {
      if (c == '/') return false;
      bool in = std::any_of(ranges.begin(), ranges.end(),
                            [c](const auto& r) { return c >= r.first && c <= r.second; });
      return in != negated;
    }
    case TokenKind::kStar:
    case TokenKind::kDoubleStar:
      return false;  // handled by the matcher
  }
  return false;
}

namespace {

Error bad_pattern(std::string_view pattern, const std::string& what) {
  return Error::validation("invalid glob pattern '" + std::string(pattern) + "': " + what,
                           "pattern");
}

}  // namespace

Result<Glob> Glob::compile(std::string_view pattern) {
  Glob glob;
  glob.pattern_ = std::string(pattern);
  size_t i = 0;
  const size_t n = pattern.size();
  while (i < n) {
    char c = pattern[i];
    Token t;
    if (c == '\\') {
      if (i + 1 >= n) return bad_pattern(pattern, "trailing '\\' escapes nothing");
      t.literal = pattern[i + 1];
      i += 2;
    } else if (c == '*') {
      size_t stars = 0;
      while (i < n && pattern[i] == '*') ++stars, ++i;
      t.kind = stars >= 2 ? TokenKind::kDoubleStar : TokenKind::kStar;
    } else if (c == '?') {
      t.kind = TokenKind::kAnyChar;
      ++i;
    } else if (c == '[') {
      const size_t open = i;
      t.kind = TokenKind::kClass;
      ++i;
      if (i < n && (pattern[i] == '!' || pattern[i] == '^')) {
        t.negated = true;
        ++i;
      }
      bool first = true;
      bool closed = false;
      while (i < n) {
        char lo = pattern[i];
        if (lo == ']' && !first) {
          closed = true;
          ++i;
          break;
        }
        first = false;
        if (lo == '\\') {
          if (i + 1 >= n) break;
          lo = pattern[++i];
        }
        ++i;
        char hi = lo;
        if (i + 1 < n && pattern[i] == '-' && pattern[i + 1] != ']') {
          hi = pattern[i + 1];
          i += 2;
          if (hi == '\\') {
            if (i >= n) break;
            hi = pattern[i++];
          }
          if (hi < lo) {
            return bad_pattern(pattern, std::string("reversed range '") + lo + "-" + hi + "'");
          }
        }
        t.ranges.emplace_back(lo, hi);
      }
      if (!closed) {
        return bad_pattern(pattern, "unterminated '[' at position " + std::to_string(open));
      }
    } else {
      t.literal = c;
      ++i;
    }
    glob.tokens_.push_back(std::move(t));
  }
  return glob;
}

bool Glob::is_literal() const {
  return std::all_of(tokens_.begin(), tokens_.end(),
                     [](const Token& t) { return t.kind == TokenKind::kLiteral; });
}

// NFA simulation: `active[i]` means "the first i tokens have consumed the text
// so far". Star tokens may consume nothing (epsilon to i+1) or loop on a
// character; every other token consumes exactly one character.
bool Glob::matches(std::string_view text) const {
  const size_t n = tokens_.size();
  std::vector<char> active(n + 1, 0);
  std::vector<char> next(n + 1, 0);
  auto close = [&](std::vector<char>& states) {
    for (size_t i = 0; i < n; ++i) {
      if (states[i] &&
          (tokens_[i].kind == TokenKind::kStar || tokens_[i].kind == TokenKind::kDoubleStar)) {
        states[i + 1] = 1;
      }
    }
  };
  active[0] = 1;
  close(active);
  for (char c : text) {
    std::fill(next.begin(), next.end(), 0);
    bool any = false;
    for (size_t i = 0; i < n; ++i) {
      if (!active[i]) continue;
      const Token& t = tokens_[i];
      if (t.kind == TokenKind::kDoubleStar || (t.kind == TokenKind::kStar && c != '/')) {
        next[i] = 1;
        any = true;
      } else if (t.accepts(c)) {
        next[i + 1] = 1;
        any = true;
      }
    }
    if (!any) return false;
    close(next);
    active.swap(next);
  }
  return active[n] != 0;
}

bool glob_match(std::string_view pattern, std::string_view text) {
  auto glob = Glob::compile(pattern);
  return glob.ok() && glob->matches(text);
}

}  // namespace opz
