// A request the PostgREST grammar refuses, in PostgREST's own terms: the HTTP
// status, the error code scripts match on ("PGRST100" for a parse error,
// "PGRST103" for an unsatisfiable range, "PGRST107" for an unavailable media
// type), a message, and optional details and hint. The API layer turns it into
// PostgREST's JSON error shape (api/postgrest_error.h).
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace opz::rest {

struct QueryError {
  int status = 400;
  std::string code = "PGRST100";
  std::string message;
  std::string details;
  std::string hint;

  // 400 PGRST100: "failed to parse <what> (<text>)"; `text` is cut at 200
  // bytes (it is the caller's own input, echoed so they can find it).
  static QueryError parse(std::string_view what, std::string_view text, std::string details,
                          std::string hint = {}) {
    std::string message = "failed to parse " + std::string(what) + " (";
    message += text.substr(0, 200);
    message += text.size() > 200 ? "...)" : ")";
    return {400, "PGRST100", std::move(message), std::move(details), std::move(hint)};
  }
};

// A value or a QueryError (core's Result carries an opz::Error, which has no
// room for PostgREST's code, details and hint).
template <typename T>
class [[nodiscard]] Grammar {
 public:
  Grammar(T value) : v_(std::in_place_index<0>, std::move(value)) {}        // NOLINT
  Grammar(QueryError error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  const QueryError& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, QueryError> v_;
};

}  // namespace opz::rest
