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

bool PushStream::write(std::string_view bytes) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mu_);
    if (finished_ || cancelled_) return false;
    if (buffer_.size() + bytes.size() > max_buffered_) return false;
    const bool was_empty = buffer_.empty();
    buffer_.append(bytes);
    if (was_empty) wake = wake_;
  }
  if (wake) wake();
  return true;
}

void PushStream::finish(std::string_view last) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mu_);
    if (finished_ || cancelled_) return;
    buffer_.append(last);
    finished_ = true;
    wake = wake_;
  }
  if (wake) wake();
}

bool PushStream::closed() const {
  std::lock_guard lock(mu_);
  return finished_ || cancelled_;
}

size_t PushStream::buffered() const {
  std::lock_guard lock(mu_);
  return buffer_.size();
}

void PushStream::on_cancel(std::function<void()> f) {
  {
    std::lock_guard lock(mu_);
    if (!cancelled_) {
      on_cancel_.push_back(std::move(f));
      return;
    }
  }
  f();
}

void PushStream::set_waker(std::function<void()> wake) {
  std::lock_guard lock(mu_);
  wake_ = std::move(wake);
}

bool PushStream::take(std::string& out) {
  std::lock_guard lock(mu_);
  if (cancelled_) return false;
  out.append(buffer_);
  buffer_.clear();
  return !finished_;
}

void PushStream::cancel() {
  std::vector<std::function<void()>> callbacks;
  std::function<void()> wake;
  {
    std::lock_guard lock(mu_);
    if (cancelled_) return;
    cancelled_ = true;
    buffer_.clear();
    callbacks.swap(on_cancel_);
    wake = std::move(wake_);
  }
  for (auto& f : callbacks) f();
  if (wake) wake();
}

bool PushStream::cancelled() const {
  std::lock_guard lock(mu_);
  return cancelled_;
}

}  // namespace opz::http
