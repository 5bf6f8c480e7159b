#include "github/signature.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>

namespace opz::github {
namespace {

// GitHub's documented known-answer vector.
constexpr std::string_view kSecret = "It's a Secret to Everybody";
constexpr std::string_view kBody = "Hello, World!";
constexpr std::string_view kExpected =
    "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

void expect_rejected(const Status& s, std::string_view message_part) {
  ASSERT_FALSE(s.ok()) << "expected rejection containing: " << message_part;
  EXPECT_EQ(s.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(s.error().message.find(message_part), std::string::npos) << s.error().message;
}

TEST(Sign, MatchesGithubKnownAnswer) { EXPECT_EQ(sign(kSecret, kBody), kExpected); }

TEST(Sign, EmptyBodyAndEmptySecretAreStillDeterministic) {
  // Reference values computed independently with Python's hmac module.
  EXPECT_EQ(sign("key", ""),
            "sha256=5d5d139563c95b5967b9bd9a8c9b233a9dedb45072794cd232dc1b74832607d0");
  EXPECT_EQ(sign("", ""),
            "sha256=b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(VerifySignature, AcceptsTheKnownAnswer) {
  EXPECT_TRUE(verify_signature(kSecret, kBody, kExpected).ok());
}

TEST(VerifySignature, AcceptsUppercaseHexAndSurroundingWhitespace) {
  std::string upper(kExpected);
  std::transform(upper.begin() + 7, upper.end(), upper.begin() + 7,
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  EXPECT_TRUE(verify_signature(kSecret, kBody, upper).ok());
  EXPECT_TRUE(verify_signature(kSecret, kBody, " " + std::string(kExpected) + "\t").ok());
}

TEST(VerifySignature, UsesTheRawBytes) {
  // Same JSON value, different bytes: must not verify.
  std::string raw = "{\"a\": 1}";
  std::string sig = sign("s3cret", raw);
  EXPECT_TRUE(verify_signature("s3cret", raw, sig).ok());
  expect_rejected(verify_signature("s3cret", "{\"a\":1}", sig), "does not match");
  // Embedded NUL bytes are part of the body.
  std::string with_nul("a\0b", 3);
  EXPECT_TRUE(verify_signature("k", with_nul, sign("k", with_nul)).ok());
  expect_rejected(verify_signature("k", "a", sign("k", with_nul)), "does not match");
}

TEST(VerifySignature, RejectsMissingHeader) {
  expect_rejected(verify_signature(kSecret, kBody, ""), "missing X-Hub-Signature-256 header");
  expect_rejected(verify_signature(kSecret, kBody, "   "), "missing X-Hub-Signature-256 header");
}

TEST(VerifySignature, RejectsSha1Signatures) {
  expect_rejected(verify_signature(kSecret, kBody, "sha1=0123456789abcdef0123456789abcdef01234567"),
                  "SHA-1 signatures");
}

TEST(VerifySignature, RejectsWrongPrefix) {
  expect_rejected(verify_signature(kSecret, kBody, kExpected.substr(7)),
                  "must start with 'sha256='");
  expect_rejected(verify_signature(kSecret, kBody, "md5=abc"), "must start with 'sha256='");
}

TEST(VerifySignature, RejectsWrongLength) {
  std::string shorter(kExpected.substr(0, kExpected.size() - 1));
  expect_rejected(verify_signature(kSecret, kBody, shorter), "must be 64 hex digits, got 63");
  expect_rejected(verify_signature(kSecret, kBody, std::string(kExpected) + "0"), "got 65");
  expect_rejected(verify_signature(kSecret, kBody, "sha256="), "got 0");
}

TEST(VerifySignature, RejectsNonHexDigits) {
  std::string bad(kExpected);
  bad[7 + 10] = 'g';
  expect_rejected(verify_signature(kSecret, kBody, bad), "non-hex character at position 11");
}

TEST(VerifySignature, RejectsWrongDigestAndWrongSecret) {
  std::string flipped(kExpected);
  flipped.back() = flipped.back() == '7' ? '8' : '7';
  expect_rejected(verify_signature(kSecret, kBody, flipped), "does not match the payload");
  expect_rejected(verify_signature("another secret", kBody, kExpected), "does not match");
  expect_rejected(verify_signature(kSecret, "Hello, World?", kExpected), "does not match");
}

TEST(VerifySignature, RefusesWhenNoSecretIsConfigured) {
  expect_rejected(verify_signature("", kBody, sign("", kBody)), "secret is not configured");
}

TEST(VerifySignature, MessagesNeverLeakTheExpectedDigest) {
  auto s = verify_signature(kSecret, kBody, "sha256=" + std::string(64, '0'));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message.find(kExpected.substr(7)), std::string::npos);
  EXPECT_EQ(s.error().message.find(kSecret), std::string::npos);
}

}  // namespace
}  // namespace opz::github
