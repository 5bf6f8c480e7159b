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
  if (bytes.empty()) return write(SharedBytes{});
  return write(std::make_shared<const std::string>(bytes));
}

bool PushStream::write(SharedBytes piece) {
  if (!piece || piece->empty()) {
    std::lock_guard lock(mu_);
    return !finished_ && !cancelled_;
  }
  return write(std::span<const SharedBytes>(&piece, 1)) == 1;
}

size_t PushStream::queue_locked(std::span<const SharedBytes> pieces) {
  size_t n = 0;
  for (const SharedBytes& piece : pieces) {
    const size_t size = piece ? piece->size() : 0;
    if (buffered_ + size > max_buffered_) break;
    if (size > 0) {
      queue_.push_back(piece);
      buffered_ += size;
    }
    ++n;
  }
  return n;
}

size_t PushStream::write(std::span<const SharedBytes> pieces) {
  std::function<void()> wake;
  size_t queued = 0;
  {
    std::lock_guard lock(mu_);
    if (finished_ || cancelled_) return 0;
    const bool was_empty = queue_.empty();
    queued = queue_locked(pieces);
    if (was_empty && !queue_.empty()) wake = wake_;
  }
  if (wake) wake();
  return queued;
}

void PushStream::finish(std::string_view last) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mu_);
    if (finished_ || cancelled_) return;
    if (!last.empty()) {
      queue_.push_back(std::make_shared<const std::string>(last));
      buffered_ += last.size();
    }
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
  return buffered_;
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

bool PushStream::take(std::vector<SharedBytes>& out) {
  std::lock_guard lock(mu_);
  if (cancelled_) return false;
  if (out.empty()) {
    out.swap(queue_);
  } else {
    out.insert(out.end(), std::make_move_iterator(queue_.begin()),
               std::make_move_iterator(queue_.end()));
    queue_.clear();
  }
  buffered_ = 0;
  return !finished_;
}

bool PushStream::take(std::string& out) {
  std::vector<SharedBytes> pieces;
  const bool more = take(pieces);
  for (const SharedBytes& piece : pieces) out.append(*piece);
  return more;
}

void PushStream::cancel() {
  std::vector<std::function<void()>> callbacks;
  std::function<void()> wake;
  {
    std::lock_guard lock(mu_);
    if (cancelled_) return;
    cancelled_ = true;
    queue_.clear();
    buffered_ = 0;
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
