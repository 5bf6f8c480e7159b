#include "http/message.h"

#include <strings.h>

#include "http/error_body.h"

namespace opz::http {

namespace {
bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}
}  // namespace

void Headers::set(std::string name, std::string value) {
  for (auto& [k, v] : items_) {
    if (iequals(k, name)) {
      v = std::move(value);
      return;
    }
  }
  items_.emplace_back(std::move(name), std::move(value));
}

std::string_view Headers::get(std::string_view name) const {
  for (const auto& [k, v] : items_)
    if (iequals(k, name)) return v;
  return {};
}

bool Headers::has(std::string_view name) const {
  for (const auto& [k, v] : items_)
    if (iequals(k, name)) return true;
  return false;
}

PendingAnswer::~PendingAnswer() {
  // Nobody answered (a handler bug): the connection still gets one.
  if (!answered_ && then_) {
    then_(error_response(Error::internal("the handler dropped its answer")));
  }
}

void PendingAnswer::answer(Response response) {
  std::function<void(Response)> then;
  {
    std::lock_guard lock(mu_);
    if (answered_) return;  // exactly once: later answers are ignored
    answered_ = true;
    if (!then_) {
      response_ = std::move(response);
      return;
    }
    then = std::move(then_);
  }
  then(std::move(response));
}

void PendingAnswer::on_answer(std::function<void(Response)> then) {
  std::optional<Response> ready;
  {
    std::lock_guard lock(mu_);
    if (!response_) {
      then_ = std::move(then);
      return;
    }
    ready = std::move(response_);
    response_.reset();
  }
  then(std::move(*ready));
}

}  // namespace opz::http
