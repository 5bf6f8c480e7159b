#include "core/ids.h"

#include <gtest/gtest.h>

#include <set>

namespace opz {
namespace {

TEST(Ids, UuidsAreVersion4AndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = new_uuid();
    ASSERT_TRUE(is_uuid(id)) << id;
    EXPECT_EQ(id[14], '4');
    EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
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
