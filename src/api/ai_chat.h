// The optional AI phrasing of insights and configs (issue 13; seed 004
// "AI Integration"): one call to an OpenAI-compatible chat completions
// endpoint, POST {endpoint}/chat/completions, with the deterministic facts
// as context. Opzenix never needs it: without an endpoint the callers answer
// the facts alone.
//
// The call goes through the outbound guard (github::HttpTransport with
// ApiContext::outbound; refusals name "ai-endpoint"), is bounded in time
// (AiSettings::timeout, total) and size (256 KiB answers), follows no
// redirect, and never logs or returns the API key. plan_chat_request and
// read_chat_answer are pure; ask_ai does the I/O.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/json.h"
#include "core/result.h"
#include "api/api_context.h"
#include "github/http_transport.h"
#include "net/outbound_guard.h"

namespace opz::api {

struct AiSettings {
  std::string endpoint;  // base URL, e.g. https://api.openai.com/v1; "" = not configured
  std::string model;
  std::string api_key;   // sent as Authorization: Bearer; "" = none
  std::chrono::milliseconds timeout{30000};

  bool configured() const { return !endpoint.empty(); }
};

// The server's AI settings (config ai-endpoint, ai-model, ai-api-key, ai-timeout).
AiSettings ai_settings(const ApiContext& ctx);

struct AiAnswer {
  std::string text;   // choices[0].message.content
  std::string model;  // the answer's "model", else the configured one
};

// The request: the system prompt `instruction`, the user message `context`
// as pretty JSON; temperature 0.2.
github::HttpRequest plan_chat_request(const AiSettings& settings, std::string_view instruction,
                                      const Json& context);

// The answer's text; an error (kUnavailable) saying what was wrong: a non-2xx
// status ("AI endpoint answered HTTP 500: <start of its body>"), a body that
// is not JSON, or no choices[0].message.content string.
Result<AiAnswer> read_chat_answer(const AiSettings& settings, const github::HttpResponse& response);

// Sends and reads. Every error means the endpoint gave no usable answer
// (unreachable, refused by the guard, timed out, bad answer): callers answer
// 502 with its message.
Result<AiAnswer> ask_ai(const AiSettings& settings, const net::OutboundGuard* guard,
                        std::string_view instruction, const Json& context);

}  // namespace opz::api
