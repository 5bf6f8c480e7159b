#include "http/error_body.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace opz::http {
namespace {

TEST(StatusFor, MapsEveryCode) {
  EXPECT_EQ(status_for(ErrorCode::kMalformed), 400);
  EXPECT_EQ(status_for(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(status_for(ErrorCode::kForbidden), 403);
  EXPECT_EQ(status_for(ErrorCode::kNotFound), 404);
  EXPECT_EQ(status_for(ErrorCode::kMethodNotAllowed), 405);
  EXPECT_EQ(status_for(ErrorCode::kConflict), 409);
  EXPECT_EQ(status_for(ErrorCode::kTooLarge), 413);
  EXPECT_EQ(status_for(ErrorCode::kUnsupportedMedia), 415);
  EXPECT_EQ(status_for(ErrorCode::kValidation), 422);
  EXPECT_EQ(status_for(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(status_for(ErrorCode::kInternal), 500);
}

TEST(ErrorJson, HasCodeMessageAndField) {
  auto j = parse_json(error_json(Error::validation("must be >= 1", "retry.max_attempts")));
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(*j, Json::parse(R"({"error":{"code":"validation_failed","message":"must be >= 1",
                                        "field":"retry.max_attempts"}})"));
}

TEST(ErrorJson, OmitsEmptyField) {
  auto j = parse_json(error_json(Error::not_found("no such execution")));
  ASSERT_TRUE(j.ok());
  EXPECT_FALSE((*j)["error"].contains("field"));
  EXPECT_EQ((*j)["error"]["code"], "not_found");
  EXPECT_EQ((*j)["error"]["message"], "no such execution");
  EXPECT_EQ(j->size(), 1u);
}

TEST(ErrorJson, EscapesQuotesAndSurvivesInvalidUtf8) {
  const std::string body = error_json(Error::malformed("bad \"x\" \xFF here"));
  auto j = parse_json(body);
  ASSERT_TRUE(j.ok()) << body;
  EXPECT_EQ((*j)["error"]["message"], "bad \"x\" \xEF\xBF\xBD here");
}

TEST(ErrorResponse, StatusFromCodeAndJsonContentType) {
  Response r = error_response(Error::conflict("already running"));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.headers.get("content-type"), "application/json");
  EXPECT_EQ(parse_json(r.body).value()["error"]["code"], "conflict");
}

TEST(ErrorResponse, ExplicitStatusWins) {
  Response r = error_response(431, Error::too_large("head too large"));
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(parse_json(r.body).value()["error"]["code"], "payload_too_large");
}

}  // namespace
}  // namespace opz::http
