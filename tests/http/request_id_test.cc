#include "http/request_id.h"

#include <gtest/gtest.h>

#include "core/ids.h"

namespace opz::http {
namespace {

TEST(RequestId, SaneIdsAreKept) {
  EXPECT_EQ(accept_request_id("abc-123_X.y"), "abc-123_X.y");
  const std::string longest(128, 'a');
  EXPECT_EQ(accept_request_id(longest), longest);
}

TEST(RequestId, InsaneIdsAreReplacedByUuid) {
  for (std::string bad :
       {std::string(), std::string(129, 'a'), std::string("a b"), std::string("a\r\nX-Evil: 1"),
        std::string("id/1"), std::string("\xC3\xA9")}) {
    EXPECT_FALSE(is_sane_request_id(bad)) << bad;
    const std::string got = accept_request_id(bad);
    EXPECT_TRUE(is_uuid(got)) << got;
  }
}

TEST(RequestId, GeneratedIdsDiffer) { EXPECT_NE(accept_request_id(""), accept_request_id("")); }

}  // namespace
}  // namespace opz::http
