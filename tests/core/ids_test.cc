#include "core/ids.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>

namespace opz {
namespace {

TEST(Ids, UuidsAreVersion7AndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = new_uuid();
    ASSERT_TRUE(is_uuid(id)) << id;
    EXPECT_EQ(id[14], '7');
    EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Ids, UuidsStartWithTheirMillisecondAndSortByIt) {
  const auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const std::string first = new_uuid();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const std::string second = new_uuid();
  EXPECT_LT(first, second);  // text order is time order
  const std::string hex = first.substr(0, 8) + first.substr(9, 4);
  const auto ms = static_cast<int64_t>(std::stoull(hex, nullptr, 16));
  EXPECT_GE(ms, before);
  EXPECT_LE(ms, before + 1000);
}

TEST(Ids, RejectsNonUuids) {
  EXPECT_FALSE(is_uuid(""));
  EXPECT_FALSE(is_uuid("1' OR '1'='1"));
  EXPECT_FALSE(is_uuid("00000000-0000-4000-8000-00000000000g"));
  EXPECT_FALSE(is_uuid("00000000000040008000000000000000abcd"));
  EXPECT_TRUE(is_uuid("00000000-0000-4000-8000-000000000000"));
}

TEST(Ids, RandomHexHasTheRequestedLength) {
  EXPECT_EQ(random_hex(32).size(), 64u);
  EXPECT_NE(random_hex(16), random_hex(16));
}

}  // namespace
}  // namespace opz
