#include "api/ai_chat.h"

#include <gtest/gtest.h>

#include "api/report_window.h"

namespace opz::api {
namespace {

AiSettings settings() { return {"https://ai.example.com/v1/", "m-1", "sk-secret", {}}; }

TEST(AiChatTest, RequestCarriesModelInstructionAndContextToChatCompletions) {
  const Json context = {{"slowest_nodes", Json::array({{{"node_id", "build"}}})}};
  github::HttpRequest r = plan_chat_request(settings(), "explain", context);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://ai.example.com/v1/chat/completions");
  bool bearer = false;
  for (const auto& [name, value] : r.headers) bearer |= name == "Authorization" && value == "Bearer sk-secret";
  EXPECT_TRUE(bearer);
  const Json body = Json::parse(r.body);
  EXPECT_EQ(body["model"], "m-1");
  EXPECT_EQ(body["messages"][0]["role"], "system");
  EXPECT_EQ(body["messages"][0]["content"], "explain");
  EXPECT_EQ(body["messages"][1]["role"], "user");
  EXPECT_EQ(Json::parse(body["messages"][1]["content"].get<std::string>()), context);

  AiSettings keyless = settings();
  keyless.api_key.clear();
  for (const auto& [name, value] : plan_chat_request(keyless, "x", {}).headers)
    EXPECT_NE(name, "Authorization");
}

TEST(AiChatTest, ReadsTheFirstChoicesTextAndTheAnswersModel) {
  github::HttpResponse r;
  r.status = 200;
  r.body = R"({"model":"m-2","choices":[{"message":{"content":"hello"}}]})";
  auto a = read_chat_answer(settings(), r);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->text, "hello");
  EXPECT_EQ(a->model, "m-2");
  r.body = R"({"choices":[{"message":{"content":"no model"}}]})";
  EXPECT_EQ(read_chat_answer(settings(), r)->model, "m-1");
}

TEST(AiChatTest, BadAnswersAreErrorsNamingWhatWasWrong) {
  github::HttpResponse r;
  r.status = 429;
  r.body = "slow down";
  auto a = read_chat_answer(settings(), r);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().message, "AI endpoint answered HTTP 429: slow down");
  r.status = 200;
  r.body = "<html>";
  EXPECT_NE(read_chat_answer(settings(), r).error().message.find("not a JSON object"),
            std::string::npos);
  for (const char* body : {R"({"choices":[]})", R"({"choices":[{"message":{"content":7}}]})",
                           R"({"choices":[{}]})", R"({})"}) {
    r.body = body;
    auto bad = read_chat_answer(settings(), r);
    ASSERT_FALSE(bad.ok()) << body;
    EXPECT_NE(bad.error().message.find("without choices[0].message.content"), std::string::npos);
  }
}

TEST(ReportWindowTest, AcceptsTheThreeWindowsAndNamesTheFieldOtherwise) {
  EXPECT_EQ(*report_window_days("7d"), 7);
  EXPECT_EQ(*report_window_days("30d"), 30);
  EXPECT_EQ(*report_window_days("90d"), 90);
  auto bad = report_window_days("14d");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kValidation);
  EXPECT_EQ(bad.error().field, "window");
}

}  // namespace
}  // namespace opz::api
