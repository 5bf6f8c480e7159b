#include "store/user_store.h"

#include <gtest/gtest.h>

#include <chrono>

#include "migrated_db_test.h"

namespace opz::store {
namespace {

class UserStoreTest : public MigratedDbTest {
 protected:
  // Built on use: db_ exists only after SetUp.
  UserStore store() { return {*db_, clock_}; }
};

TEST_F(UserStoreTest, CreatesWithRoleAndFindsByEmailIgnoringCase) {
  auto ann = store().create("Ann@Example.com", "Ann", "hash-a", "operator");
  ASSERT_TRUE(ann.ok()) << ann.error().to_string();

  auto found = store().find_by_email("ann@example.com");
  ASSERT_TRUE(found.ok()) << found.error().to_string();
  EXPECT_EQ(found->id, ann->id);
  EXPECT_EQ(found->role, "operator");
  EXPECT_EQ(found->password_hash, "hash-a");
  EXPECT_TRUE(store().create("ANN@example.com", "", "", "viewer").error().is_conflict());

  ASSERT_TRUE(store().set_role(ann->id, "admin").ok());
  EXPECT_EQ(store().find(ann->id)->role, "admin");
  EXPECT_EQ(*store().count(), 1);
  EXPECT_TRUE(store().find("nobody").error().is_not_found());
}

TEST_F(UserStoreTest, SessionsAndApiTokensResolveUntilExpiredOrRevoked) {
  auto bob = store().create("bob@example.com", "Bob", "", "viewer");
  ASSERT_TRUE(bob.ok()) << bob.error().to_string();
  ASSERT_TRUE(
      store().create_session(bob->id, "session-hash", clock_.now() + std::chrono::hours(1)).ok());
  auto token = store().create_api_token(bob->id, "ci", "token-hash", "opz_ab", std::nullopt);
  ASSERT_TRUE(token.ok()) << token.error().to_string();

  auto by_session = store().find_token_owner("session-hash");
  ASSERT_TRUE(by_session.ok()) << by_session.error().to_string();
  EXPECT_EQ(by_session->user.id, bob->id);
  EXPECT_EQ(by_session->kind, "session");
  auto by_token = store().find_token_owner("token-hash");
  ASSERT_TRUE(by_token.ok()) << by_token.error().to_string();
  EXPECT_EQ(by_token->kind, "api_token");
  EXPECT_EQ(by_token->token_id, token->id);

  clock_.advance(std::chrono::hours(2));
  EXPECT_EQ(store().find_token_owner("session-hash").error().code, ErrorCode::kUnauthenticated);
  ASSERT_TRUE(store().revoke_api_token(bob->id, token->id).ok());
  EXPECT_EQ(store().find_token_owner("token-hash").error().code, ErrorCode::kUnauthenticated);
  EXPECT_TRUE(store().revoke_api_token(bob->id, token->id).error().is_not_found());

  auto tokens = store().list_api_tokens(bob->id);
  ASSERT_TRUE(tokens.ok()) << tokens.error().to_string();
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_TRUE(tokens->front().revoked_at.has_value());
  EXPECT_FALSE(tokens->front().expires_at.has_value());
}

}  // namespace
}  // namespace opz::store
