// Result<T>: a value or an Error. Status is Result<void>.
//
// Usage:
//   Result<Project> p = store.find_project(id);
//   if (!p) return p.error();
//   OPZ_TRY(auto plan, Plan::create(def));      // propagate on error
//   OPZ_TRY_STATUS(tx.exec(...));                // for Status / discarded values
#pragma once

#include <cassert>
#include <optional>
#include <utility>
#include <variant>

#include "core/error.h"

namespace opz {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(v_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(v_)); }

  T value_or(T fallback) const& { return ok() ? value() : std::move(fallback); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : err_(std::move(error)) {}  // NOLINT

  bool ok() const { return !err_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { assert(!ok()); return *err_; }
  Error&& error() && { assert(!ok()); return std::move(*err_); }

 private:
  std::optional<Error> err_;
};

using Status = Result<void>;

inline Status ok_status() { return {}; }

}  // namespace opz

#define OPZ_CONCAT_INNER(a, b) a##b
#define OPZ_CONCAT(a, b) OPZ_CONCAT_INNER(a, b)

// Evaluates `expr` (a Result<T>); on error returns the error from the
// enclosing function, otherwise declares `decl` from the value.
#define OPZ_TRY(decl, expr)                                     \
  auto OPZ_CONCAT(opz_try_, __LINE__) = (expr);                 \
  if (!OPZ_CONCAT(opz_try_, __LINE__))                          \
    return std::move(OPZ_CONCAT(opz_try_, __LINE__)).error();   \
  decl = std::move(OPZ_CONCAT(opz_try_, __LINE__)).value()

// Evaluates `expr` (any Result); on error returns it from the enclosing function.
#define OPZ_TRY_STATUS(expr)                                         \
  do {                                                               \
    auto opz_try_status_ = (expr);                                   \
    if (!opz_try_status_) return std::move(opz_try_status_).error(); \
  } while (0)
