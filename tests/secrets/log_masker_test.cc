#include "secrets/log_masker.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "secrets/encoding.h"

namespace opz::secrets {
namespace {

constexpr const char* kCanary = "CANARY-s3cr3t-9f2c";

size_t count(std::string_view text, std::string_view needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + 1))
    ++n;
  return n;
}

TEST(LogMaskerTest, MasksEveryOccurrenceAndKeepsTheRestByteForByte) {
  MaskPatterns p({kCanary});
  EXPECT_EQ(p.mask(std::string("token=") + kCanary + " and again " + kCanary + "!"),
            "token=*** and again ***!");
  EXPECT_EQ(p.mask("nothing secret here"), "nothing secret here");
  EXPECT_EQ(p.mask(""), "");
}

TEST(LogMaskerTest, ValuesShorterThanEightBytesAreNotMasked) {
  MaskPatterns p({"short", "1234567"});
  EXPECT_TRUE(p.empty());
  EXPECT_EQ(p.mask("short 1234567"), "short 1234567");
  MaskPatterns eight({"12345678"});
  EXPECT_EQ(eight.mask("x12345678y"), "x***y");
}

TEST(LogMaskerTest, EachLineOfAMultiLineValueIsMasked) {
  const std::string pem = "-----BEGIN KEY-----\r\nMIIEvQIBADANBgkqhkiG\nshort\n-----END KEY-----\n";
  MaskPatterns p({pem});
  EXPECT_EQ(p.mask("-----BEGIN KEY-----"), "***");
  EXPECT_EQ(p.mask("  MIIEvQIBADANBgkqhkiG  "), "  ***  ");
  EXPECT_EQ(p.mask("-----END KEY-----"), "***");
  EXPECT_EQ(p.mask("short"), "short") << "a line under eight bytes stays";
  // The whole value JSON-escaped (its newlines as \n) is one pattern.
  EXPECT_EQ(count(p.mask(json_escape(pem, false)), "MIIEvQ"), 0u);
}

TEST(LogMaskerTest, Base64FormsAreMaskedWhereverTheValueSitsInTheEncodedText) {
  MaskPatterns p({kCanary});
  EXPECT_EQ(p.mask(to_base64(kCanary)), "***");
  EXPECT_EQ(p.mask(to_base64(kCanary, Base64Alphabet::kUrlSafe, false)), "***");
  const std::string value = kCanary;
  for (const std::string prefix : {"", "u", "us", "use", "user:", "Authorization"}) {
    for (const std::string suffix : {"", "x", "xy", "\n"}) {
      const std::string encoded = to_base64(prefix + value + suffix);
      const std::string masked = p.mask(encoded);
      EXPECT_NE(masked.find("***"), std::string::npos) << prefix << "|" << suffix;
      // At most the two characters at each edge of the value's part survive.
      EXPECT_LE(masked.size() + value.size() * 4 / 3 - 3 - 4, encoded.size() + 3)
          << prefix << "|" << suffix << " " << encoded << " -> " << masked;
    }
  }
}

TEST(LogMaskerTest, UrlEncodedAndJsonEscapedFormsAreMasked) {
  const std::string value = "p@ss w0rd/\"quoted\"\\é";
  MaskPatterns p({value});
  for (const std::string& form :
       {percent_encode(value, true, false), percent_encode(value, false, false),
        percent_encode(value, true, true), json_escape(value, false), json_escape(value, true)}) {
    EXPECT_EQ(p.mask("a=" + form + "&b"), "a=***&b") << form;
  }
  EXPECT_EQ(p.mask("{\"password\": \"" + json_escape(value, false) + "\"}"),
            "{\"password\": \"***\"}");
}

TEST(LogMaskerTest, TheLongestPatternWinsWhereSeveralStart) {
  MaskPatterns p({"abcdefgh", "abcdefghijkl"});
  EXPECT_EQ(p.mask("abcdefghijkl"), "***");
  EXPECT_EQ(p.mask("abcdefghij"), "***ij");
}

TEST(StreamMaskerTest, AValueSplitAcrossTwoWritesAtAnyByteOffsetIsMasked) {
  auto p = std::make_shared<MaskPatterns>(std::vector<std::string>{kCanary});
  const std::string text = std::string("prefix ") + kCanary + " middle " + kCanary + " end\n";
  const std::string expected = p->mask(text);
  ASSERT_EQ(count(expected, kCanary), 0u);
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    StreamMasker m(p);
    std::string out = m.feed(text.substr(0, cut));
    EXPECT_LE(m.held_bytes(), p->max_length() - 1) << cut;
    out += m.feed(text.substr(cut));
    out += m.finish();
    EXPECT_EQ(out, expected) << "cut at " << cut;
  }
}

TEST(StreamMaskerTest, ReleasesEverythingUpToANewlineAtOnce) {
  auto p = std::make_shared<MaskPatterns>(std::vector<std::string>{kCanary});
  StreamMasker m(p);
  EXPECT_EQ(m.feed("line one\nline"), "line one\n");
  EXPECT_EQ(m.held_bytes(), 4u);
  EXPECT_EQ(m.feed(" two\n"), "line two\n");
  EXPECT_EQ(m.held_bytes(), 0u);
  EXPECT_EQ(m.feed(std::string(kCanary) + "\n"), "***\n");
  EXPECT_EQ(m.feed("CANARY-s3"), "");
  EXPECT_EQ(m.finish(), "CANARY-s3") << "an unfinished prefix is released at end of stream";
}

TEST(StreamMaskerTest, InterleavedStreamsEachKeepTheirOwnPartialValue) {
  auto p = std::make_shared<MaskPatterns>(std::vector<std::string>{kCanary});
  StreamMasker out(p), err(p);
  std::string o, e;
  o += out.feed("CANARY-");
  e += err.feed("CANARY-s3c");
  o += out.feed("s3cr3t-9f2c\n");
  e += err.feed("r3t-9f2c tail\n");
  EXPECT_EQ(o, "***\n");
  EXPECT_EQ(e, "*** tail\n");
}

TEST(StreamMaskerTest, RandomChunkingGivesTheSameTextAsMaskingTheWhole) {
  const std::vector<std::string> values = {kCanary, "another-secret-value", "multi\nline-secret-x",
                                           "aaaaaaaaab"};
  auto p = std::make_shared<MaskPatterns>(values);
  std::mt19937 rng(12345);
  const std::string alphabet = "abAB-\n xyz";
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const int parts = static_cast<int>(rng() % 8);
    for (int i = 0; i < parts; ++i) {
      for (unsigned k = rng() % 12; k > 0; --k) text.push_back(alphabet[rng() % alphabet.size()]);
      const std::string& v = values[rng() % values.size()];
      switch (rng() % 4) {
        case 0: text += v; break;
        case 1: text += to_base64(v); break;
        case 2: text += percent_encode(v, true, false); break;
        default: text += json_escape(v, false); break;
      }
    }
    StreamMasker m(p);
    std::string streamed;
    size_t at = 0;
    while (at < text.size()) {
      const size_t n = std::min<size_t>(text.size() - at, 1 + rng() % 9);
      streamed += m.feed(text.substr(at, n));
      EXPECT_LE(m.held_bytes(), p->max_length() - 1);
      at += n;
    }
    streamed += m.finish();
    const std::string whole = p->mask(text);
    ASSERT_EQ(streamed, whole) << text;
    EXPECT_EQ(count(whole, kCanary), 0u) << text;
    EXPECT_EQ(count(whole, "another-secret-value"), 0u) << text;
    EXPECT_EQ(count(whole, "line-secret-x"), 0u) << text;
  }
}

TEST(StreamMaskerTest, NoPatternsReleasesEverythingAtOnce) {
  StreamMasker m(std::make_shared<MaskPatterns>(std::vector<std::string>{}));
  EXPECT_EQ(m.feed("abc"), "abc");
  EXPECT_EQ(m.held_bytes(), 0u);
}

}  // namespace
}  // namespace opz::secrets
