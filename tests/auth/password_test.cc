#include "auth/password.h"

#include <gtest/gtest.h>

#include "auth/authenticator.h"
#include "auth/token.h"

namespace opz::auth {
namespace {

TEST(Password, HashesWithArgon2idAndVerifies) {
  auto h = hash_password("correct horse battery");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u) << *h;
  EXPECT_TRUE(verify_password(*h, "correct horse battery"));
  EXPECT_FALSE(verify_password(*h, "correct horse batterz"));
  EXPECT_FALSE(verify_password("", "x"));
  EXPECT_FALSE(verify_password("not-a-hash", "x"));
}

TEST(Password, EnforcesLength) {
  auto h = hash_password("short");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error().field, "password");
}

TEST(Token, PrefixesHashesAndBearerParsing) {
  std::string s = generate_token(TokenKind::kSession);
  std::string t = generate_token(TokenKind::kApiToken);
  EXPECT_EQ(s.rfind("opzs_", 0), 0u);
  EXPECT_EQ(t.rfind("opzt_", 0), 0u);
  EXPECT_EQ(t.size(), 5u + 64u);
  EXPECT_EQ(hash_token("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(token_prefix(t).size(), 12u);
  EXPECT_EQ(bearer_token("Bearer abc"), "abc");
  EXPECT_EQ(bearer_token("bearer   abc  "), "abc");
  EXPECT_EQ(bearer_token("Basic abc"), "");
  EXPECT_EQ(bearer_token(""), "");
}

}  // namespace
}  // namespace opz::auth
