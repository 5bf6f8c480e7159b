#include "secrets/key_ring.h"

#include <gtest/gtest.h>

#include <string>

namespace opz::secrets {
namespace {

constexpr const char* kKeyA = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";  // bytes 0..31

TEST(KeyRingTest, ParsesKeysOldestFirstAndTheLastOneIsNewest) {
  auto ring = KeyRing::parse(std::string("# comment\n\nopzenix-key k1 ") + kKeyA +
                             "\nopzenix-key k2 " + kKeyA + "\r\n");
  ASSERT_TRUE(ring.ok()) << ring.error().to_string();
  ASSERT_EQ(ring->keys().size(), 2u);
  EXPECT_EQ(ring->newest().id, "k2");
  ASSERT_NE(ring->find("k1"), nullptr);
  EXPECT_EQ(ring->find("k1")->bytes[31], 31);
  EXPECT_EQ(ring->find("k3"), nullptr);
}

TEST(KeyRingTest, RefusesMalformedRingsNamingTheLineWithoutQuotingKeys) {
  const std::string bad_cases[] = {
      "",                                                  // no key
      "# only a comment\n",                                // no key
      std::string("opzenix-key K1 ") + kKeyA,              // upper-case id
      std::string("opzenix-key k1 ") + kKeyA + " extra",   // extra field
      std::string("key k1 ") + kKeyA,                      // wrong tag
      "opzenix-key k1 AAEC",                               // 3 bytes
      "opzenix-key k1 not*base64",                         // not base64
      std::string("opzenix-key k1 ") + kKeyA + "\nopzenix-key k1 " + kKeyA,  // duplicate id
  };
  for (const std::string& text : bad_cases) {
    auto ring = KeyRing::parse(text);
    ASSERT_FALSE(ring.ok()) << text;
    EXPECT_EQ(ring.error().code, ErrorCode::kValidation) << text;
    EXPECT_EQ(ring.error().message.find("AAECAwQF"), std::string::npos) << ring.error().message;
  }
  auto dup = KeyRing::parse(std::string("opzenix-key k1 ") + kKeyA + "\nopzenix-key k1 " + kKeyA);
  EXPECT_NE(dup.error().message.find("line 2"), std::string::npos) << dup.error().message;
}

TEST(KeyRingTest, SerializeRoundTripsAndAddKeyMakesANewNewestKey) {
  KeyRing ring = KeyRing::generate();
  EXPECT_EQ(ring.newest().id, "k1");
  auto id = ring.add_key();
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, "k2");
  EXPECT_EQ(ring.newest().id, "k2");
  EXPECT_NE(ring.find("k1")->bytes, ring.find("k2")->bytes);
  auto back = KeyRing::parse(ring.serialize());
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  ASSERT_EQ(back->keys().size(), 2u);
  EXPECT_EQ(back->find("k1")->bytes, ring.find("k1")->bytes);
  EXPECT_EQ(back->newest().id, "k2");
}

TEST(KeyRingTest, AddKeySkipsIdsInUse) {
  auto ring = KeyRing::parse(std::string("opzenix-key k7 ") + kKeyA + "\nopzenix-key old " + kKeyA);
  ASSERT_TRUE(ring.ok());
  EXPECT_EQ(*ring->add_key(), "k8");
}

}  // namespace
}  // namespace opz::secrets
