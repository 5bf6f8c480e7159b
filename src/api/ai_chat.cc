#include "api/ai_chat.h"

namespace opz::api {

namespace {

constexpr size_t kMaxAnswerBytes = 256 * 1024;
constexpr size_t kQuotedBodyBytes = 200;

std::string chat_url(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/chat/completions";
}

}  // namespace

github::HttpRequest plan_chat_request(const AiSettings& settings, std::string_view instruction,
                                      const Json& context) {
  github::HttpRequest r;
  r.method = "POST";
  r.url = chat_url(settings.endpoint);
  r.headers.push_back({"Content-Type", "application/json"});
  r.headers.push_back({"User-Agent", "opzenix-ai"});
  if (!settings.api_key.empty()) r.headers.push_back({"Authorization", "Bearer " + settings.api_key});
  const Json body = {
      {"model", settings.model},
      {"temperature", 0.2},
      {"messages", Json::array({{{"role", "system"}, {"content", std::string(instruction)}},
                                {{"role", "user"}, {"content", context.dump(2)}}})}};
  r.body = body.dump();
  return r;
}

Result<AiAnswer> read_chat_answer(const AiSettings& settings,
                                  const github::HttpResponse& response) {
  if (response.status < 200 || response.status >= 300)
    return Error::unavailable("AI endpoint answered HTTP " + std::to_string(response.status) +
                              ": " + response.body.substr(0, kQuotedBodyBytes));
  const Json body = Json::parse(response.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return Error::unavailable("AI endpoint answered HTTP " + std::to_string(response.status) +
                              " with a body that is not a JSON object");
  const Json* content = nullptr;
  if (auto choices = body.find("choices"); choices != body.end() && choices->is_array() &&
                                           !choices->empty() && (*choices)[0].is_object()) {
    const Json& first = (*choices)[0];
    if (auto message = first.find("message"); message != first.end() && message->is_object())
      if (auto c = message->find("content"); c != message->end() && c->is_string()) content = &*c;
  }
  if (!content)
    return Error::unavailable("AI endpoint answered HTTP " + std::to_string(response.status) +
                              " without choices[0].message.content");
  AiAnswer answer{content->get<std::string>(), settings.model};
  if (auto m = body.find("model"); m != body.end() && m->is_string() && !m->get<std::string>().empty())
    answer.model = m->get<std::string>();
  return answer;
}

AiSettings ai_settings(const ApiContext& ctx) {
  return {ctx.ai_endpoint, ctx.ai_model, ctx.ai_api_key,
          std::chrono::duration_cast<std::chrono::milliseconds>(ctx.ai_timeout)};
}

Result<AiAnswer> ask_ai(const AiSettings& settings, const net::OutboundGuard* guard,
                        std::string_view instruction, const Json& context) {
  github::HttpTransportOptions options;
  options.connect_timeout = std::min(settings.timeout, std::chrono::milliseconds(5000));
  options.total_timeout = settings.timeout;
  options.max_response_bytes = kMaxAnswerBytes;
  options.guard = guard;
  options.guarded_field = "ai-endpoint";
  auto response = github::HttpTransport(options).send(plan_chat_request(settings, instruction, context));
  if (!response)
    return Error::unavailable("AI endpoint " + chat_url(settings.endpoint) +
                              " gave no answer: " + response.error().message);
  return read_chat_answer(settings, *response);
}

}  // namespace opz::api
