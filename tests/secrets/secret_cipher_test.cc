#include "secrets/secret_cipher.h"

#include <gtest/gtest.h>

#include <string>

namespace opz::secrets {
namespace {

const SecretAddress kProd{"0f000000-0000-4000-8000-000000000001", "p1", "Production", "DB_PASSWORD"};

TEST(SecretCipherTest, SealsUnderTheNewestKeyAndOpensForTheSameAddress) {
  KeyRing ring = KeyRing::generate();
  ASSERT_TRUE(ring.add_key().ok());
  auto sealed = seal_secret(ring, kProd, "correct horse battery staple");
  ASSERT_TRUE(sealed.ok()) << sealed.error().to_string();
  EXPECT_EQ(sealed->key_id, "k2");
  EXPECT_EQ(sealed->ciphertext.find("correct"), std::string::npos);
  auto again = seal_secret(ring, kProd, "correct horse battery staple");
  EXPECT_NE(again->nonce, sealed->nonce) << "a fresh nonce per seal";
  EXPECT_NE(again->ciphertext, sealed->ciphertext);
  auto plain = open_secret(ring, kProd, *sealed);
  ASSERT_TRUE(plain.ok()) << plain.error().to_string();
  EXPECT_EQ(*plain, "correct horse battery staple");
}

TEST(SecretCipherTest, ACiphertextMovedToAnotherRowDoesNotOpen) {
  KeyRing ring = KeyRing::generate();
  auto sealed = seal_secret(ring, kProd, "production-password");
  ASSERT_TRUE(sealed.ok());
  SecretAddress other_id = kProd;
  other_id.id = "0f000000-0000-4000-8000-000000000002";
  SecretAddress other_env = kProd;
  other_env.environment_id = "Development";
  SecretAddress project_scope = kProd;
  project_scope.environment_id = "";
  SecretAddress other_name = kProd;
  other_name.name = "DB_PASSWORD2";
  SecretAddress other_project = kProd;
  other_project.project_id = "p2";
  for (const SecretAddress& a : {other_id, other_env, project_scope, other_name, other_project}) {
    auto opened = open_secret(ring, a, *sealed);
    ASSERT_FALSE(opened.ok()) << a.name << " " << a.environment_id;
    EXPECT_EQ(opened.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(opened.error().message.find("production-password"), std::string::npos);
  }
}

TEST(SecretCipherTest, AlteredTextOrAnotherRingFailsAndAMissingKeyIdIsUnavailable) {
  KeyRing ring = KeyRing::generate();
  auto sealed = seal_secret(ring, kProd, "value-1234");
  ASSERT_TRUE(sealed.ok());
  SealedSecret altered = *sealed;
  altered.ciphertext[3] = altered.ciphertext[3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(open_secret(ring, kProd, altered).error().code, ErrorCode::kUnauthenticated);
  KeyRing stranger = KeyRing::generate();  // also "k1", other bytes
  EXPECT_EQ(open_secret(stranger, kProd, *sealed).error().code, ErrorCode::kUnauthenticated);
  SealedSecret unknown = *sealed;
  unknown.key_id = "k9";
  EXPECT_EQ(open_secret(ring, kProd, unknown).error().code, ErrorCode::kUnavailable);
}

TEST(SecretCipherTest, OlderKeysStillOpenAfterAKeyIsAdded) {
  KeyRing ring = KeyRing::generate();
  auto sealed = seal_secret(ring, kProd, "sealed-before-rotation");
  ASSERT_TRUE(ring.add_key().ok());
  auto plain = open_secret(ring, kProd, *sealed);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, "sealed-before-rotation");
  EXPECT_EQ(scope_of(kProd), "environment");
  EXPECT_EQ(scope_of({"x", "p1", "", "N"}), "project");
  EXPECT_EQ(scope_of({"x", "", "", "N"}), "global");
}

}  // namespace
}  // namespace opz::secrets
