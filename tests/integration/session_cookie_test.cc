// Browser credentials against the real `opzenix serve`: login sets the
// HttpOnly session cookie, safe requests accept it or an access_token query
// parameter (EventSource cannot set headers), state-changing requests never
// do, logout clears the cookie, and a token in a URL is never logged or
// echoed.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "support/http_client.h"
#include "support/server_process.h"

namespace opz::testing {
namespace {

constexpr const char* kEmail = "browser@example.com";

class SessionCookieTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.create_user_and_login(kEmail, "operator");
    login_ = client().post("/api/v1/auth/login",
                           nlohmann::json{{"email", kEmail}, {"password", "correct horse battery"}});
    ASSERT_EQ(login_.status, 200) << login_.body;
    token_ = login_.json().value("token", "");
    ASSERT_FALSE(token_.empty());
  }

  HttpClient client() const { return HttpClient(server_.base_url()); }
  HttpResult with_cookie(const std::string& method, const std::string& path,
                         const std::string& body = {}) const {
    return client().request(method, path, body,
                            {"Cookie: theme=dark; opzenix_session=" + token_});
  }

  ServerProcess server_;
  HttpResult login_;
  std::string token_;
};

TEST_F(SessionCookieTest, LoginSetsAnHttpOnlyStrictSessionCookie) {
  EXPECT_EQ(login_.header("set-cookie"), "opzenix_session=" + token_ +
                                             "; Path=/; HttpOnly; SameSite=Strict; Max-Age=86400");
}

TEST_F(SessionCookieTest, SafeRequestsAcceptTheCookieOrTheQueryParameter) {
  const HttpResult by_cookie = with_cookie("GET", "/api/v1/auth/me");
  EXPECT_EQ(by_cookie.status, 200) << by_cookie.body;
  EXPECT_EQ(by_cookie.json()["email"], kEmail);
  const HttpResult by_query = client().get("/api/v1/auth/me?access_token=" + token_);
  EXPECT_EQ(by_query.status, 200) << by_query.body;
  EXPECT_EQ(by_query.json()["email"], kEmail);
}

TEST_F(SessionCookieTest, StateChangingRequestsIgnoreCookieAndQuery) {
  const nlohmann::json body{{"name", "ci"}};
  EXPECT_EQ(with_cookie("POST", "/api/v1/tokens", body.dump()).status, 401);
  EXPECT_EQ(client().post("/api/v1/tokens?access_token=" + token_, body).status, 401);
  EXPECT_EQ(client().request("DELETE", "/api/v1/tokens/x?access_token=" + token_, "").status, 401);
  // The bearer header still works.
  HttpClient bearer = client();
  bearer.set_token(token_);
  EXPECT_EQ(bearer.post("/api/v1/tokens", body).status, 201);
}

TEST_F(SessionCookieTest, ATokenInTheUrlIsNeverLoggedOrEchoed) {
  const std::string bogus = "opz_s_" + std::string(40, 'z');
  const HttpResult refused = client().get("/api/v1/auth/me?access_token=" + bogus);
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.body.find(bogus), std::string::npos) << refused.body;
  EXPECT_EQ(client().get("/api/v1/auth/me?access_token=" + token_).status, 200);
  // The access log line is written after the answer: wait for it (bounded).
  std::string log;
  for (int i = 0; i < 500 && log.find("GET /api/v1/auth/me 200") == std::string::npos; ++i) {
    log = server_.log();
    if (log.find("GET /api/v1/auth/me 200") == std::string::npos) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_NE(log.find("GET /api/v1/auth/me 200"), std::string::npos) << log;
  EXPECT_EQ(log.find(token_), std::string::npos);
  EXPECT_EQ(log.find(bogus), std::string::npos);
  EXPECT_EQ(log.find("access_token"), std::string::npos);
}

TEST_F(SessionCookieTest, LogoutClearsTheCookieAndEndsTheSession) {
  HttpClient bearer = client();
  bearer.set_token(token_);
  const HttpResult out = bearer.post("/api/v1/auth/logout", std::string());
  EXPECT_EQ(out.status, 204) << out.body;
  EXPECT_EQ(out.header("set-cookie"),
            "opzenix_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  // The authenticator caches a token for up to 2 s: the session is gone after that.
  long status = 0;
  for (int i = 0; i < 400 && status != 401; ++i) {
    status = with_cookie("GET", "/api/v1/auth/me").status;
    if (status != 401) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(status, 401);
}

}  // namespace
}  // namespace opz::testing
