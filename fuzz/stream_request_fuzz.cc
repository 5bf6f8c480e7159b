// Fuzz target for what a browser's event-stream request carries that we
// parse ourselves: the `topics=` list (realtime::parse_topic_list) and the
// Cookie header (auth::session_cookie, which finds the session token).
// Any bytes must give a topic set or a kMalformed error on field "topics"
// naming the input's problem, and the cookie value must be a slice of the
// header (never read out of bounds) without the pair separators. A parsed
// topic set must re-parse from its own names to the same set.
// Without libFuzzer it replays fuzz/corpus/stream_request_fuzz/ as a test.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "auth/authenticator.h"
#include "realtime/topic.h"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto topics = opz::realtime::parse_topic_list(text);
  if (!topics) {
    check(topics.error().code == opz::ErrorCode::kMalformed);
    check(topics.error().field == "topics");
  } else {
    check(!topics->empty());
    std::string names;
    for (auto t : opz::realtime::kAllTopics) {
      if (!topics->has(t)) continue;
      if (!names.empty()) names += ',';
      names += opz::realtime::to_string(t);
    }
    auto again = opz::realtime::parse_topic_list(names);
    check(again.ok() && *again == *topics);
  }

  const std::string_view cookie = opz::auth::session_cookie(text);
  if (!cookie.empty()) {
    check(cookie.data() >= text.data() && cookie.data() + cookie.size() <= text.data() + size);
    check(cookie.find(';') == std::string_view::npos);
  }
  return 0;
}
