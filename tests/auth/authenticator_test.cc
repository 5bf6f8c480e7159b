#include "auth/authenticator.h"

#include <gtest/gtest.h>

#include "auth/password.h"
#include "store/migrated_db_test.h"
#include "store/user_store.h"

namespace opz::auth {
namespace {

class AuthenticatorTest : public store::MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    if (HasFatalFailure()) return;
    users_ = std::make_unique<store::UserStore>(*db_, clock_);
    authn_ = std::make_unique<Authenticator>(*users_, clock_, std::chrono::hours(8));
    ASSERT_TRUE(users_
                    ->create("ada@example.com", "Ada", hash_password("correct horse").value(),
                             "operator")
                    .ok());
    auto login = authn_->login("ada@example.com", "correct horse");
    ASSERT_TRUE(login.ok());
    token_ = login->token;
    expires_in_ = login->expires_in;
  }

  // Credentials views: callers keep the strings alive.
  static Credentials safe(std::string_view cookie, std::optional<std::string_view> query = {}) {
    return Credentials{{}, cookie, query, true, {}};
  }
  std::string cookie() const { return "theme=dark; opzenix_session=" + token_; }

  std::unique_ptr<store::UserStore> users_;
  std::unique_ptr<Authenticator> authn_;
  std::string token_;
  std::chrono::seconds expires_in_{0};
};

TEST(SessionCookie, FindsTheSessionAmongOtherCookies) {
  EXPECT_EQ(session_cookie("opzenix_session=abc"), "abc");
  EXPECT_EQ(session_cookie("theme=dark; opzenix_session=abc; lang=en"), "abc");
  EXPECT_EQ(session_cookie("theme=dark;opzenix_session=\"abc\""), "abc");
  EXPECT_EQ(session_cookie("xopzenix_session=abc; opzenix_sessionx=def"), "");
  EXPECT_EQ(session_cookie(""), "");
  EXPECT_EQ(session_cookie("opzenix_session"), "");
}

TEST_F(AuthenticatorTest, LoginTellsTheSessionLifetime) {
  EXPECT_EQ(expires_in_, std::chrono::hours(8));
}

TEST_F(AuthenticatorTest, SafeRequestsMayUseTheCookieOrTheQueryParameter) {
  const std::string jar = cookie();
  auto by_cookie = authn_->authenticate(safe(jar));
  ASSERT_TRUE(by_cookie.ok()) << by_cookie.error().message;
  EXPECT_EQ(by_cookie->email, "ada@example.com");
  auto by_query = authn_->authenticate(safe("", token_));
  ASSERT_TRUE(by_query.ok()) << by_query.error().message;
  EXPECT_EQ(by_query->role, Role::kOperator);
}

TEST_F(AuthenticatorTest, TheHeaderComesFirstThenTheCookieThenTheQuery) {
  // A wrong header is not rescued by a good cookie.
  const std::string jar = cookie();
  Credentials c = safe(jar, token_);
  c.authorization = "Bearer wrong";
  EXPECT_FALSE(authn_->authenticate(c).ok());
  // A wrong cookie is not rescued by a good query parameter.
  EXPECT_FALSE(authn_->authenticate(safe("opzenix_session=wrong", token_)).ok());
  EXPECT_TRUE(authn_->authenticate(safe("theme=dark", token_)).ok());
}

TEST_F(AuthenticatorTest, StateChangingRequestsAcceptOnlyTheHeader) {
  const std::string jar = cookie();
  Credentials c{{}, jar, token_, /*safe_method=*/false, {}};
  auto refused = authn_->authenticate(c);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
  const std::string header = "Bearer " + token_;
  c.authorization = header;
  EXPECT_TRUE(authn_->authenticate(c).ok());
}

TEST_F(AuthenticatorTest, TheApikeyHeaderWorksOnEveryMethodUnlessAuthorizationIsGiven) {
  // Supabase clients and the seeds' curl examples send the token as `apikey`.
  Credentials c{{}, {}, {}, /*safe_method=*/false, {}};
  c.apikey = token_;
  auto by_apikey = authn_->authenticate(c);
  ASSERT_TRUE(by_apikey.ok()) << by_apikey.error().message;
  EXPECT_EQ(by_apikey->email, "ada@example.com");
  // The Authorization header wins: a wrong one is not rescued by the apikey.
  c.authorization = "Bearer wrong";
  EXPECT_FALSE(authn_->authenticate(c).ok());
  c.authorization = {};
  c.apikey = "wrong";
  auto refused = authn_->authenticate(c);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AuthenticatorTest, ErrorsNeverQuoteAPresentedToken) {
  const std::string bogus = "opz_s_" + std::string(40, 'q');
  const std::string bogus_jar = "opzenix_session=" + bogus;
  const std::string too_long(300, 'q');
  for (const Credentials& c : {safe("", bogus), safe(bogus_jar), safe("", too_long)}) {
    auto r = authn_->authenticate(c);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(r.error().message.find("qqqq"), std::string::npos) << r.error().message;
  }
  EXPECT_FALSE(authn_->authenticate(safe("")).ok());
}

TEST_F(AuthenticatorTest, ALoggedOutSessionCookieNoLongerWorks) {
  ASSERT_TRUE(authn_->logout("Bearer " + token_).ok());
  const std::string jar = cookie();
  EXPECT_FALSE(authn_->authenticate(safe(jar)).ok());
}

}  // namespace
}  // namespace opz::auth
