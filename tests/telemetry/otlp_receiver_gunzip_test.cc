#include "telemetry/otlp_receiver_gunzip.h"

#include <gtest/gtest.h>

namespace opz::telemetry {
namespace {

// Made by the real gzip tool: `printf 'hello otlp\n' | gzip -9` (with the
// file name in the header, FNAME) and 5,000 'a's with `gzip -9 -n`.
const unsigned char kHello[] = {0x1f, 0x8b, 0x08, 0x08, 0x84, 0x3a, 0x14, 0x6b, 0x02, 0x03, 0x68,
                                0x34, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x2e, 0x74, 0x78, 0x74, 0x00,
                                0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0xc8, 0x2f, 0xc9, 0x29, 0xe0,
                                0x02, 0x00, 0x20, 0x82, 0x07, 0x80, 0x0b, 0x00, 0x00, 0x00};
const unsigned char kFiveThousandAs[] = {
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xed, 0xc1, 0x31, 0x01,
    0x00, 0x00, 0x00, 0xc2, 0xa0, 0xac, 0xeb, 0x5f, 0xc2, 0x14, 0x7e, 0x40, 0x01, 0x00,
    0x00, 0x00, 0x00, 0x6f, 0x03, 0x76, 0x59, 0xf4, 0x4c, 0x88, 0x13, 0x00, 0x00};

std::string bytes(const unsigned char* p, size_t n) {
  return std::string(reinterpret_cast<const char*>(p), n);
}

TEST(OtlpReceiverGunzipTest, InflatesWhatGzipMade) {
  auto out = gunzip(bytes(kHello, sizeof kHello), 1024);
  ASSERT_TRUE(out) << out.error().to_string();
  EXPECT_EQ(*out, "hello otlp\n");
  auto many = gunzip(bytes(kFiveThousandAs, sizeof kFiveThousandAs), 5000);
  ASSERT_TRUE(many) << many.error().to_string();
  EXPECT_EQ(*many, std::string(5000, 'a'));
}

TEST(OtlpReceiverGunzipTest, ConcatenatedMembersAreJoined) {
  const std::string one = bytes(kHello, sizeof kHello);
  auto out = gunzip(one + one, 1024);
  ASSERT_TRUE(out) << out.error().to_string();
  EXPECT_EQ(*out, "hello otlp\nhello otlp\n");
}

TEST(OtlpReceiverGunzipTest, OutputOverTheLimitIsTooLarge) {
  // 41 compressed bytes that inflate to 5,000: one byte over the limit fails.
  auto out = gunzip(bytes(kFiveThousandAs, sizeof kFiveThousandAs), 4999);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::kTooLarge);
  EXPECT_NE(out.error().message.find("4999"), std::string::npos) << out.error().message;
}

TEST(OtlpReceiverGunzipTest, DamagedStreamsAreMalformed) {
  const std::string good = bytes(kHello, sizeof kHello);
  auto malformed = [](const std::string& in) {
    auto out = gunzip(in, 1024);
    return !out && out.error().code == ErrorCode::kMalformed;
  };
  EXPECT_TRUE(malformed(""));
  EXPECT_TRUE(malformed("{\"resourceSpans\": []}"));        // not gzip at all
  EXPECT_TRUE(malformed(good.substr(0, good.size() - 4)));  // trailer cut
  EXPECT_TRUE(malformed(good.substr(0, 26)));               // deflate data cut
  std::string bad_crc = good;
  bad_crc[good.size() - 8] ^= 1;
  EXPECT_TRUE(malformed(bad_crc));
  std::string bad_method = good;
  bad_method[2] = 7;
  EXPECT_TRUE(malformed(bad_method));
  EXPECT_TRUE(malformed(good + "trailing"));
  auto crc = gunzip(bad_crc, 1024);
  ASSERT_FALSE(crc);
  EXPECT_NE(crc.error().message.find("CRC-32"), std::string::npos) << crc.error().message;
}

}  // namespace
}  // namespace opz::telemetry
