// The agent's HTTP response parser (agent/http_response_parser.h): a table of
// valid answers, each also fed split at every byte and one byte at a time,
// and a table of malformed ones, each naming what was wrong.
#include "agent/http_response_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace opz::agent {
namespace {

struct Valid {
  const char* name;
  std::string bytes;
  bool needs_close;  // the body ends with the connection
  int status;
  std::string body;
  bool keep_alive;
};

const std::vector<Valid>& valid_cases() {
  static const std::vector<Valid> cases = {
      {"content_length",
       "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
       "{\"ok\":true}",
       false, 200, "{\"ok\":true}", true},
      {"chunked_with_extensions_and_trailers",
       "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
       "5;name=value;x\r\nhello\r\nA \r\n, world..!\r\n0;last\r\nX-Checksum: 1\r\nX-Two: 2\r\n\r\n",
       false, 201, "hello, world..!", true},
      {"no_body_on_204", "HTTP/1.1 204 No Content\r\nServer: opzenix\r\n\r\n", false, 204, "",
       true},
      {"no_body_on_304_even_with_length", "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n",
       false, 304, "", true},
      {"interim_100_skipped",
       "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", false, 200,
       "{}", true},
      {"connection_close", "HTTP/1.1 409 Conflict\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx",
       false, 409, "x", false},
      {"http10_keep_alive",
       "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\ny", false, 200, "y",
       true},
      {"until_close", "HTTP/1.0 200 OK\r\nServer: old\r\n\r\nthe rest", true, 200, "the rest",
       false},
      {"same_content_length_twice",
       "HTTP/1.1 200 OK\r\nContent-Length: 3\r\ncontent-length: 3, 3\r\n\r\nabc", false, 200, "abc",
       true},
      {"bare_lf_lines", "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", false, 200, "ok", true},
      {"empty_reason_and_zero_length", "HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n", false, 404,
       "", true},
  };
  return cases;
}

// Feeds `parts` in order, then finish() when the body needs the close.
Status feed_all(HttpResponseParser& parser, const std::vector<std::string>& parts, bool close) {
  for (const std::string& part : parts) OPZ_TRY_STATUS(parser.feed(part));
  if (close) OPZ_TRY_STATUS(parser.finish());
  return ok_status();
}

void expect_parsed(const Valid& c, const std::vector<std::string>& parts, const std::string& how) {
  HttpResponseParser parser;
  Status s = feed_all(parser, parts, c.needs_close);
  ASSERT_TRUE(s.ok()) << c.name << " " << how << ": " << s.error().message;
  ASSERT_TRUE(parser.done()) << c.name << " " << how;
  EXPECT_EQ(parser.response().status, c.status) << c.name << " " << how;
  EXPECT_EQ(parser.response().body, c.body) << c.name << " " << how;
  EXPECT_EQ(parser.response().keep_alive, c.keep_alive) << c.name << " " << how;
}

TEST(HttpResponseParser, ParsesEachValidAnswerWhole) {
  for (const Valid& c : valid_cases()) expect_parsed(c, {c.bytes}, "whole");
}

TEST(HttpResponseParser, ParsesEachValidAnswerSplitAtEveryByte) {
  for (const Valid& c : valid_cases())
    for (size_t at = 0; at <= c.bytes.size(); ++at)
      expect_parsed(c, {c.bytes.substr(0, at), c.bytes.substr(at)},
                    "split at " + std::to_string(at));
}

TEST(HttpResponseParser, ParsesEachValidAnswerOneByteAtATime) {
  for (const Valid& c : valid_cases()) {
    std::vector<std::string> bytes;
    for (char ch : c.bytes) bytes.emplace_back(1, ch);
    expect_parsed(c, bytes, "byte by byte");
  }
}

TEST(HttpResponseParser, KeepsHeadersLowerCasedInOrder) {
  HttpResponseParser parser;
  ASSERT_TRUE(parser.feed("HTTP/1.1 200 OK\r\nX-Request-Id:  abc \r\nContent-Length: 0\r\n\r\n").ok());
  ASSERT_TRUE(parser.done());
  ASSERT_EQ(parser.response().headers.size(), 2u);
  EXPECT_EQ(parser.response().headers[0].first, "x-request-id");
  EXPECT_EQ(parser.response().header("x-request-id").value_or(""), "abc");
  EXPECT_FALSE(parser.response().header("server").has_value());
}

struct Invalid {
  const char* name;
  std::string bytes;
  bool close;             // then the peer closes
  std::string message;    // a part of the error's message
};

TEST(HttpResponseParser, RefusesEachMalformedAnswerNamingWhatWasWrong) {
  const std::string big_header = "X-Big: " + std::string(70 * 1024, 'a') + "\r\n";
  const std::vector<Invalid> cases = {
      {"http2_status_line", "HTTP/2 200\r\n\r\n", false, "bad status line"},
      {"not_http", "SSH-2.0-OpenSSH_9.2\r\n", false, "bad status line"},
      {"letters_in_status", "HTTP/1.1 2x0 OK\r\n\r\n", false, "bad status code"},
      {"status_out_of_range", "HTTP/1.1 999 What\r\n\r\n", false, "bad status code"},
      {"bad_chunk_size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false,
       "bad chunk size"},
      {"empty_chunk_size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", false,
       "bad chunk size"},
      {"no_crlf_after_chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX",
       false, "no line break after a chunk"},
      {"oversized_headers", "HTTP/1.1 200 OK\r\n" + big_header + "\r\n", false,
       "headers exceed 65536 bytes"},
      {"negative_content_length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", false,
       "bad Content-Length"},
      {"conflicting_content_lengths",
       "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", false,
       "conflicting Content-Length"},
      {"body_over_limit", "HTTP/1.1 200 OK\r\nContent-Length: 67108865\r\n\r\n", false,
       "body exceeds 67108864 bytes"},
      {"unsupported_coding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", false,
       "unsupported Transfer-Encoding"},
      {"folded_header", "HTTP/1.1 200 OK\r\nX-A: 1\r\n  continued\r\n\r\n", false, "folded"},
      {"header_without_colon", "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", false, "without a name"},
      {"space_in_header_name", "HTTP/1.1 200 OK\r\nBad Name: 1\r\n\r\n", false, "bad header name"},
      {"bytes_after_response", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxy", false,
       "bytes after the end"},
      {"truncated_body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", true,
       "closed before the end"},
      {"closed_before_answer", "", true, "closed before any answer"},
  };
  for (const Invalid& c : cases) {
    HttpResponseParser parser;
    Status s = parser.feed(c.bytes);
    if (s && c.close) s = parser.finish();
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_EQ(s.error().code, ErrorCode::kValidation) << c.name;
    EXPECT_EQ(s.error().field, "http response") << c.name;
    EXPECT_NE(s.error().message.find(c.message), std::string::npos)
        << c.name << ": " << s.error().message;
    EXPECT_FALSE(parser.feed("more").ok()) << c.name << ": takes no bytes after an error";
  }
}

TEST(HttpResponseParser, LimitsAChunkedBodyToo) {
  HttpResponseLimits limits;
  limits.max_body_bytes = 8;
  HttpResponseParser parser(limits);
  Status s = parser.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n5\r\n");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("body exceeds 8 bytes"), std::string::npos);
}

TEST(HttpResponseParser, ManyChunksDoNotCountAgainstTheHeaderLimit) {
  HttpResponseLimits limits;
  limits.max_header_bytes = 64;
  HttpResponseParser parser(limits);
  ASSERT_TRUE(parser.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").ok());
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(parser.feed("1\r\nx\r\n").ok()) << i;
  ASSERT_TRUE(parser.feed("0\r\n\r\n").ok());
  ASSERT_TRUE(parser.done());
  EXPECT_EQ(parser.response().body, std::string(100, 'x'));
}

}  // namespace
}  // namespace opz::agent
