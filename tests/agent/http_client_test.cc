// The agent's HTTP client (agent/http_client.h) and HttpTransport against a
// real server on loopback (keep_alive_server.h): the request it sends,
// keep-alive reuse, the retry when the server closed a reused connection,
// deadlines, and the errors it gives.
#include "agent/http_client.h"

#include <gtest/gtest.h>

#include <thread>

#include "agent/agent_transport.h"
#include "agent/keep_alive_server.h"

namespace opz::agent {
namespace {

using std::chrono::milliseconds;
using testing::KeepAliveServer;
using testing::SeenRequest;

HttpClient client_for(const std::string& url) {
  auto parsed = ServerUrl::parse(url);
  EXPECT_TRUE(parsed.ok());
  return HttpClient(*parsed);
}

std::string echo(const SeenRequest& r) { return KeepAliveServer::json_response(200, r.body); }

TEST(HttpClient, SendsAPostWithJsonLengthTokenAndHost) {
  KeepAliveServer server(echo);
  HttpClient client = client_for(server.url() + "/base/");
  auto answer = client.post("/api/v1/agents/poll", R"({"wait_ms":5})", "tok-123", milliseconds(5000));
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, R"({"wait_ms":5})");
  ASSERT_EQ(server.requests().size(), 1u);
  const SeenRequest seen = server.requests()[0];
  EXPECT_EQ(seen.head.substr(0, seen.head.find("\r\n")), "POST /base/api/v1/agents/poll HTTP/1.1");
  const std::string port = std::to_string(server.port());
  EXPECT_NE(seen.head.find("\r\nHost: 127.0.0.1:" + port + "\r\n"), std::string::npos) << seen.head;
  EXPECT_NE(seen.head.find("\r\nContent-Type: application/json\r\n"), std::string::npos);
  EXPECT_NE(seen.head.find("\r\nContent-Length: 13\r\n"), std::string::npos);
  EXPECT_NE(seen.head.find("\r\nAuthorization: Bearer tok-123\r\n"), std::string::npos);
  EXPECT_NE(seen.head.find("\r\nConnection: keep-alive\r\n"), std::string::npos);
}

TEST(HttpClient, SendsNoAuthorizationWithoutAToken) {
  KeepAliveServer server(echo);
  HttpClient client = client_for(server.url());
  ASSERT_TRUE(client.post("/api/v1/agents/register", "{}", "", milliseconds(5000)).ok());
  EXPECT_EQ(server.requests().at(0).head.find("Authorization"), std::string::npos);
}

TEST(HttpClient, ReusesOneConnectionForSeveralRequests) {
  KeepAliveServer server(echo);
  HttpClient client = client_for(server.url());
  for (int i = 0; i < 5; ++i) {
    const std::string body = "{\"n\":" + std::to_string(i) + "}";
    auto answer = client.post("/x", body, "t", milliseconds(5000));
    ASSERT_TRUE(answer.ok()) << answer.error().message;
    EXPECT_EQ(answer->body, body);
  }
  EXPECT_EQ(client.connections_opened(), 1u);
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(server.requests().size(), 5u);
}

TEST(HttpClient, ReadsAChunkedAnswerAndKeepsTheConnection) {
  KeepAliveServer server([](const SeenRequest&) {
    return std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "4\r\n{\"a\"\r\n3;ext=1\r\n:1}\r\n0\r\n\r\n");
  });
  HttpClient client = client_for(server.url());
  for (int i = 0; i < 2; ++i) {
    auto answer = client.post("/x", "{}", "", milliseconds(5000));
    ASSERT_TRUE(answer.ok()) << answer.error().message;
    EXPECT_EQ(answer->body, R"({"a":1})");
  }
  EXPECT_EQ(server.connections(), 1);
}

TEST(HttpClient, OpensANewConnectionWhenTheAnswerSaidClose) {
  KeepAliveServer server([](const SeenRequest&) {
    return std::string("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}");
  });
  HttpClient client = client_for(server.url());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.post("/x", "{}", "", milliseconds(5000)).ok());
  EXPECT_EQ(client.connections_opened(), 3u);
  EXPECT_EQ(server.connections(), 3);
}

TEST(HttpClient, ResendsOnANewConnectionWhenTheServerClosedAReusedOne) {
  // Each connection answers its first request and closes on the next without
  // an answer: every request after the first meets a closed reused connection.
  KeepAliveServer server(echo, KeepAliveServer::Mode::kOnlyFirstPerConn);
  HttpClient client = client_for(server.url());
  for (int i = 0; i < 3; ++i) {
    const std::string body = "{\"n\":" + std::to_string(i) + "}";
    auto answer = client.post("/x", body, "", milliseconds(5000));
    ASSERT_TRUE(answer.ok()) << i << ": " << answer.error().message;
    EXPECT_EQ(answer->body, body);
  }
  EXPECT_EQ(server.connections(), 3);
  EXPECT_EQ(client.connections_opened(), 3u);
  EXPECT_EQ(server.requests().size(), 5u);  // 3 answered, 2 dropped and sent again
}

TEST(HttpClient, DoesNotResendWhenANewConnectionClosesUnanswered) {
  KeepAliveServer server([](const SeenRequest&) { return std::string(); });  // closes at once
  HttpClient client = client_for(server.url());
  auto answer = client.post("/x", "{}", "", milliseconds(5000));
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.error().message.find("closed before any answer"), std::string::npos)
      << answer.error().message;
  EXPECT_EQ(server.connections(), 1);
}

TEST(HttpClient, GivesUpAtTheDeadlineWhenTheServerNeverAnswers) {
  KeepAliveServer server(echo, KeepAliveServer::Mode::kNeverAnswer);
  HttpClient client = client_for(server.url());
  auto answer = client.post("/api/v1/agents/poll", "{}", "", milliseconds(300));
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(answer.error().message.find("timed out waiting for the answer"), std::string::npos)
      << answer.error().message;
  EXPECT_EQ(answer.error().message.rfind("POST " + server.url() + "/api/v1/agents/poll: ", 0), 0u)
      << answer.error().message;
  EXPECT_EQ(server.requests().size(), 1u);  // sent once, not again on the same deadline
}

TEST(HttpClient, ReportsARefusedConnection) {
  int port = 0;
  {
    KeepAliveServer gone(echo);
    port = gone.port();
  }
  HttpClient client = client_for("http://127.0.0.1:" + std::to_string(port));
  auto answer = client.post("/x", "{}", "", milliseconds(5000));
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(answer.error().message.find("cannot connect"), std::string::npos)
      << answer.error().message;
}

TEST(HttpClient, ReportsAMalformedAnswer) {
  KeepAliveServer server([](const SeenRequest&) { return std::string("HTTP/9 banana\r\n\r\n"); });
  HttpClient client = client_for(server.url());
  auto answer = client.post("/x", "{}", "", milliseconds(5000));
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.error().message.find("bad status line"), std::string::npos)
      << answer.error().message;
}

TEST(HttpClient, ResolvesLocalhostByName) {
  KeepAliveServer server(echo);
  HttpClient client = client_for("http://localhost:" + std::to_string(server.port()));
  auto answer = client.post("/x", "{\"by\":\"name\"}", "", milliseconds(5000));
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer->body, "{\"by\":\"name\"}");
  EXPECT_NE(server.requests().at(0).head.find("Host: localhost:"), std::string::npos);
}

TEST(HttpClient, SeveralThreadsAtOnceEachGetTheirOwnAnswer) {
  KeepAliveServer server(echo);
  HttpClient client = client_for(server.url());
  std::vector<std::thread> threads;
  std::atomic<int> right{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const std::string body = "{\"t\":" + std::to_string(t) + ",\"i\":" + std::to_string(i) + "}";
        auto answer = client.post("/x", body, "", milliseconds(5000));
        if (answer.ok() && answer->body == body) ++right;
      }
    });
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(right, 40);
  EXPECT_LE(client.connections_opened(), 4u);  // one per caller at once, at most
  EXPECT_EQ(server.requests().size(), 40u);
}

TEST(HttpTransport, PostsJsonAndParsesTheJsonAnswer) {
  KeepAliveServer server([](const SeenRequest& r) {
    return KeepAliveServer::json_response(201, std::string("{\"got\":") + r.body + "}");
  });
  HttpTransport transport(server.url(), "agent-token");
  auto answer = transport.post("/api/v1/agents/heartbeat", Json{{"job", 7}}, milliseconds(5000));
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer->status, 201);
  EXPECT_EQ(answer->body, (Json{{"got", {{"job", 7}}}}));
  EXPECT_NE(server.requests().at(0).head.find("Authorization: Bearer agent-token"),
            std::string::npos);
}

TEST(HttpTransport, ANonJsonAnswerHasANullBody) {
  KeepAliveServer server([](const SeenRequest&) {
    return std::string("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 9\r\n\r\nnot json!");
  });
  HttpTransport transport(server.url(), "");
  auto answer = transport.post("/x", Json::object(), milliseconds(5000));
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer->status, 502);
  EXPECT_TRUE(answer->body.is_null());
}

TEST(HttpTransport, ABadServerUrlIsAnErrorOfEachPost) {
  HttpTransport transport("localhost:8080", "");
  auto answer = transport.post("/x", Json::object(), milliseconds(5000));
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::kValidation);
  EXPECT_NE(answer.error().message.find("http:// or https://"), std::string::npos);
}

}  // namespace
}  // namespace opz::agent
