#include "secrets/master_keys.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "secrets/key_file.h"
#include "support/temp_dir.h"

namespace opz::secrets {
namespace {

TEST(MasterKeysTest, WithoutAKeyFileSecretsAreUnavailableAndTheErrorSaysHowToCreateOne) {
  testing::TempDir dir;
  MasterKeys keys({dir.str() + "/master.key", std::nullopt});
  auto ring = keys.ring();
  ASSERT_FALSE(ring.ok());
  EXPECT_EQ(ring.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(ring.error().message.find("opzenix secrets init"), std::string::npos);
  struct stat st {};
  EXPECT_NE(::stat((dir.str() + "/master.key").c_str(), &st), 0) << "never created implicitly";
}

TEST(MasterKeysTest, InitCreatesA0600RingOnceAndTheSourcePicksUpRotations) {
  testing::TempDir dir;
  const std::string file = dir.str() + "/master.key";
  ASSERT_TRUE(init_key_ring_file(file).ok());
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto second = init_key_ring_file(file);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);

  MasterKeys keys({file, std::nullopt});
  auto first = keys.ring();
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_EQ((*first)->newest().id, "k1");

  auto ring = read_key_ring_file(file);
  ASSERT_TRUE(ring.ok());
  ASSERT_TRUE(ring->add_key().ok());
  ASSERT_TRUE(write_key_ring_file(file, *ring).ok());
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto after = keys.ring();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ((*after)->newest().id, "k2") << "a rotation is seen without a restart";
  EXPECT_EQ((*after)->find("k1")->bytes, (*first)->find("k1")->bytes);
}

TEST(MasterKeysTest, RefusesARingOthersMayRead) {
  testing::TempDir dir;
  const std::string file = dir.str() + "/master.key";
  ASSERT_TRUE(init_key_ring_file(file).ok());
  ASSERT_EQ(::chmod(file.c_str(), 0640), 0);
  MasterKeys keys({file, std::nullopt});
  auto ring = keys.ring();
  ASSERT_FALSE(ring.ok());
  EXPECT_EQ(ring.error().code, ErrorCode::kForbidden);
  EXPECT_NE(ring.error().message.find("chmod 600"), std::string::npos);
}

TEST(MasterKeysTest, TheEnvironmentVariableHoldsTheRingItself) {
  KeyRing generated = KeyRing::generate();
  MasterKeys keys({"/nonexistent/master.key", generated.serialize()});
  auto ring = keys.ring();
  ASSERT_TRUE(ring.ok()) << ring.error().to_string();
  EXPECT_EQ((*ring)->newest().bytes, generated.newest().bytes);
  MasterKeys broken({"/nonexistent/master.key", std::string("not a ring")});
  auto bad = broken.ring();
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("OPZENIX_MASTER_KEY"), std::string::npos);
}

}  // namespace
}  // namespace opz::secrets
