// Differential tests of skim_json_keeping against nlohmann's full parse: on
// every input, the skimmer either declines or answers exactly the full parse
// filtered by the same rule, and it never accepts what nlohmann refuses. The
// inputs: hand-written hostile texts, the webhook fuzz corpus, every
// @octokit/webhooks-examples payload (OPZ_OCTOKIT_EXAMPLES, else the copy
// tests/integration/octokit/setup.sh installs) and seeded mutations of them.
#include "core/json_skim.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace opz {
namespace {

namespace fs = std::filesystem;

// __FILE__ is relative to the build directory (where the test binary is).
const fs::path kSourceDir =
    (fs::path(__FILE__).is_absolute()
         ? fs::path(__FILE__)
         : fs::canonical("/proc/self/exe").parent_path() / __FILE__)
        .lexically_normal()
        .parent_path()
        .parent_path()
        .parent_path();

std::string dotted(const JsonPath& path) {
  std::string out;
  for (std::string_view part : path) {
    if (!out.empty()) out += '.';
    out += part;
  }
  return out;
}

// Like the webhook reader's rule: a few members and their parents.
bool keep_some(const JsonPath& path) {
  static const std::set<std::string> kept = {
      "ref", "after", "commits", "commits.[].id", "repository", "repository.id",
      "repository.full_name", "repository.owner", "repository.owner.login", "sender",
      "sender.login", "head_commit", "head_commit.message", "zen", "number", "a", "a.[].b"};
  return kept.contains(dotted(path));
}
bool keep_all(const JsonPath&) { return true; }
bool keep_none(const JsonPath&) { return false; }

// The reference: nlohmann's whole DOM, filtered by the same rule afterwards.
Json filtered(const Json& j, JsonPath& path, bool (*keep)(const JsonPath&)) {
  if (j.is_object()) {
    Json out = Json::object();
    for (const auto& [key, value] : j.items()) {
      path.push_back(key);
      if (keep(path)) out[key] = filtered(value, path, keep);
      path.pop_back();
    }
    return out;
  }
  if (j.is_array()) {
    Json out = Json::array();
    path.push_back("[]");
    for (const Json& element : j) out.push_back(filtered(element, path, keep));
    path.pop_back();
    return out;
  }
  return j;
}

// Returns whether the skimmer accepted `text`; fails the test on any
// disagreement with nlohmann.
bool agrees(const std::string& text, bool (*keep)(const JsonPath&), const std::string& what) {
  std::optional<Json> skimmed = skim_json_keeping(text, keep);
  Result<Json> full = parse_json(text);
  if (!full.ok()) {
    EXPECT_FALSE(skimmed.has_value()) << what << ": accepted what nlohmann refuses ("
                                      << full.error().message << ")";
    return false;
  }
  if (!skimmed) return false;
  JsonPath path;
  Json expected = filtered(*full, path, keep);
  EXPECT_EQ(*skimmed, expected) << what;
  // Same types too (unsigned vs signed integers, floats): dump tells them apart.
  EXPECT_EQ(dump_json(*skimmed), dump_json(expected)) << what;
  return *skimmed == expected;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Every example payload of @octokit/webhooks-examples, compact.
std::vector<std::string> octokit_payloads() {
  const char* env = std::getenv("OPZ_OCTOKIT_EXAMPLES");
  const fs::path index_path =
      env && *env ? fs::path(env)
                  : kSourceDir / "tests/integration/octokit/node_modules/@octokit/"
                                 "webhooks-examples/api.github.com/index.json";
  std::vector<std::string> out;
  if (!fs::exists(index_path)) return out;
  auto index = parse_json(read_file(index_path));
  if (!index.ok() || !index->is_array()) return out;
  for (const Json& entry : *index)
    for (const Json& example : entry.value("examples", Json::array())) out.push_back(example.dump());
  return out;
}

TEST(JsonSkim, HostileTextIsNeverAccepted) {
  const std::vector<std::string> refused = {
      "", " ", "{", "}", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":}", "{a:1}", "[1,]", "[1 2]",
      "{\"a\":1}x", "{\"a\":1}{}", "01", "-", "1.", ".5", "1e", "1e+", "+1", "0x1", "1e999",
      "-1e999", "[1e400]", "tru", "nul", "True", "\"\\x\"", "\"\\u12\"", "\"\\uZZZZ\"",
      "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\ud800x\"",
      std::string("\"a\0b\"", 5), "\"tab\there\"", "\"\x1f\"", "\"\xff\"", "\"\xc0\xaf\"",
      "\"\xc1\xbf\"", "\"\xe0\x80\xaf\"", "\"\xed\xa0\x80\"", "\"\xf0\x80\x80\xaf\"",
      "\"\xf4\x90\x80\x80\"", "\"\xf5\x80\x80\x80\"", "\"\xc3\"", "\"\xe2\x82\"", "\"unterminated",
      "{\"skipped\":[1,2,{\"x\":\"\xff\"}]}", "{\"skipped\":{\"x\":1e999}}",
      "{\"skipped\":[[[[[]]]]}", "{\"skipped\":\"\\ud800\"}", "\xef\xbb"};
  for (const std::string& text : refused) {
    for (auto keep : {keep_all, keep_none, keep_some}) {
      EXPECT_FALSE(skim_json_keeping(text, keep).has_value()) << text;
      EXPECT_FALSE(parse_json(text).ok()) << "the table is wrong: nlohmann accepts " << text;
    }
  }
}

TEST(JsonSkim, WellFormedTextMatchesTheFullParse) {
  const std::vector<std::string> accepted = {
      "{}", "[]", "0", "-0", "\"\"", "null", " {\"a\" : [ ] } ", "{\"a\":[{\"b\":1,\"c\":2},3]}",
      "{\"repository\":{\"id\":18446744073709551615,\"full_name\":\"o/r\"}}",
      "{\"repository\":{\"id\":18446744073709551616}}", "{\"number\":-9223372036854775808}",
      "{\"number\":1.5e300,\"zen\":-2.5E-3}", "{\"zen\":\"\\u00e9\\ud83d\\ude00\\n\\/\"}",
      "{\"ref\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}", "{\"re\\u0066\":\"esc key\"}",
      "{\"ref\":1,\"ref\":2}", "{\"ref\":\"a\\u0000b\"}", "{\"skipped\":[[[[[[]]]]]],\"a\":[]}",
      "{\"a\":[[[1]]],\"z\":{\"y\":{\"x\":[true,false,null]}}}", "\t\r\n{\"ref\":\"x\"}\n"};
  for (const std::string& text : accepted) {
    for (auto keep : {keep_all, keep_none, keep_some}) {
      EXPECT_TRUE(agrees(text, keep, text)) << "declined: " << text;
    }
  }
}

TEST(JsonSkim, DeclinesWhatItCannotVouchForAndParseJsonKeepingStillAnswers) {
  // A byte-order mark, nesting past the limit inside a kept value, a number
  // that underflows (nlohmann takes it as 0), text after a NUL byte (nlohmann
  // stops reading there).
  const std::string bom = "\xef\xbb\xbf{\"ref\":\"x\"}";
  const std::string deep = std::string(kMaxSkimDepth + 10, '[') + std::string(kMaxSkimDepth + 10, ']');
  const std::string underflow = "{\"zen\":1e-999}";
  const std::string after_nul("{\"a\":1}\0garbage", 15);
  for (const std::string& text : {bom, deep, underflow, after_nul}) {
    EXPECT_FALSE(skim_json_keeping(text, keep_all).has_value());
    auto kept = parse_json_keeping(text, keep_all);
    ASSERT_TRUE(kept.ok()) << kept.error().message;
    EXPECT_EQ(*kept, *parse_json(text));
  }
  // Deep nesting in a skipped member is stepped over, not recursed into.
  const std::string skipped =
      "{\"skipped\":" + std::string(100000, '[') + std::string(100000, ']') + ",\"ref\":\"r\"}";
  auto skimmed = skim_json_keeping(skipped, keep_some);
  ASSERT_TRUE(skimmed.has_value());
  EXPECT_EQ(*skimmed, Json({{"ref", "r"}}));
}

TEST(JsonSkim, ParseJsonKeepingKeepsNlohmannsErrorMessages) {
  auto j = parse_json_keeping("{\"a\": 1,}", keep_all);
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.error().message, parse_json("{\"a\": 1,}").error().message);
}

TEST(JsonSkim, FuzzCorpusAgrees) {
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(kSourceDir / "fuzz/corpus/webhook_payload_fuzz")) {
    const std::string input = read_file(entry.path());
    const size_t newline = input.find('\n');
    const std::string body = newline == std::string::npos ? "" : input.substr(newline + 1);
    for (auto keep : {keep_all, keep_none, keep_some}) agrees(body, keep, entry.path().string());
    ++files;
  }
  EXPECT_GE(files, 10u);
}

TEST(JsonSkim, EveryOctokitExampleIsAcceptedAndMatches) {
  const std::vector<std::string> payloads = octokit_payloads();
  if (payloads.empty()) GTEST_SKIP() << "octokit examples not installed (setup.sh)";
  for (size_t i = 0; i < payloads.size(); ++i) {
    for (auto keep : {keep_all, keep_none, keep_some}) {
      EXPECT_TRUE(agrees(payloads[i], keep, "example " + std::to_string(i)))
          << "declined example " << i;
    }
  }
}

// Seeded byte mutations of real payloads: the bytes that matter to a JSON
// scanner, put where they break or bend the syntax.
TEST(JsonSkim, MutatedOctokitExamplesAgree) {
  std::vector<std::string> payloads = octokit_payloads();
  if (payloads.empty()) GTEST_SKIP() << "octokit examples not installed (setup.sh)";
  const std::string interesting = "\"\\{}[],:0123456789-+.eEtfnu \x01\x7f\x80\xbf\xc0\xc3\xe0\xed\xef\xf0\xf4\xff";
  std::mt19937 random(16);
  size_t accepted = 0;
  size_t refused = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string text = payloads[random() % payloads.size()];
    if (text.size() > 4000) text.resize(4000 + random() % 2);  // keep the run short
    const int edits = 1 + static_cast<int>(random() % 3);
    for (int e = 0; e < edits; ++e) {
      const size_t at = random() % text.size();
      const char byte = interesting[random() % interesting.size()];
      switch (random() % 3) {
        case 0: text[at] = byte; break;
        case 1: text.insert(text.begin() + static_cast<long>(at), byte); break;
        default: text.erase(at, 1 + random() % 4); break;
      }
      if (text.empty()) text = "{";
    }
    auto keep = round % 3 == 0 ? keep_all : round % 3 == 1 ? keep_some : keep_none;
    (agrees(text, keep, "mutation round " + std::to_string(round)) ? accepted : refused)++;
  }
  EXPECT_GT(accepted, 100u);  // the mutations also exercise the accepting side
  EXPECT_GT(refused, 100u);
}

}  // namespace
}  // namespace opz

namespace opz {
namespace {

// Strings are scanned sixteen bytes at a time where SSE2 is: every byte that
// ends a run of plain text (quote, backslash, a control character, the start
// of a UTF-8 sequence, well-formed or not) at every place around those
// blocks' edges, in kept and in skipped members.
TEST(JsonSkim, EveryStopByteAtEveryPlaceInAString) {
  const std::vector<std::string> stops = {"\\\"",
                                          "\\\\",
                                          "\\n",
                                          "\\u00e9",
                                          "\\ud83d\\ude00",
                                          "\xc3\xa9",
                                          "\xe2\x82\xac",
                                          "\xf0\x9f\x98\x80",
                                          "\x7f",
                                          std::string(1, '\0'),
                                          "\x1f",
                                          "\t",
                                          "\xff",
                                          "\xc3",
                                          "\xe2\x82",
                                          "\xed\xa0\x80",
                                          "\"",
                                          "\\"};
  int accepted = 0;
  for (const std::string& stop : stops) {
    for (size_t before = 0; before <= 34; ++before) {
      for (size_t after : {0, 1, 15, 16, 17}) {
        const std::string value = std::string(before, 'a') + stop + std::string(after, 'b');
        for (const char* key : {"ref", "skipped"}) {
          const std::string text = std::string("{\"") + key + "\":\"" + value + "\"}";
          accepted +=
              agrees(text, keep_some,
                     "stop '" + stop + "' after " + std::to_string(before) + " bytes in " + key);
        }
      }
    }
  }
  // 9 of the 18 stops are valid in a JSON string, at every place in both
  // members; a lone backslash too when a 'b' follows it (the escape "\b").
  EXPECT_EQ(accepted, 9 * 35 * 5 * 2 + 35 * 4 * 2);
}

// skim_json_members: the top-level members of an object as slices.
using MemberTexts = std::vector<std::pair<std::string, std::string>>;

MemberTexts member_texts(std::string_view json) {
  MemberTexts out;
  auto members = skim_json_members(json);
  EXPECT_TRUE(members.has_value()) << json;
  if (members)
    for (const auto& [k, v] : *members) out.emplace_back(k, v);
  return out;
}

TEST(JsonSkimMembers, EachTopLevelMemberIsASliceOfTheTextAsWritten) {
  EXPECT_EQ(member_texts(R"({"id":"row-1","attempt":0,"error":null,"ok":true,"ratio":-1.50e3})"),
            (MemberTexts{{R"("id")", R"("row-1")"},
                         {R"("attempt")", "0"},
                         {R"("error")", "null"},
                         {R"("ok")", "true"},
                         {R"("ratio")", "-1.50e3"}}));
  EXPECT_EQ(member_texts("{}"), MemberTexts{});
  EXPECT_EQ(member_texts(R"({"outputs":{"a":[1,{"b":"}]"}],"c":{}},"n":"say \"hi\" \\"})"),
            (MemberTexts{{R"("outputs")", R"({"a":[1,{"b":"}]"}],"c":{}})"},
                         {R"("n")", R"("say \"hi\" \\")"}}));
  EXPECT_EQ(member_texts(R"({"a\"b":1,"re\u0066":2})"),
            (MemberTexts{{R"("a\"b")", "1"}, {R"("re\u0066")", "2"}}));
  EXPECT_EQ(member_texts(" {\n \"a\" :\t1 ,\r\n\"b\": [ 1, 2 ] } \n"),
            (MemberTexts{{R"("a")", "1"}, {R"("b")", "[ 1, 2 ]"}}));
}

TEST(JsonSkimMembers, RefusesWhatTheFullParseRefusesAndAnythingButAnObject) {
  for (const std::string text : {"",
                                 "{",
                                 "{\"a\":1,}",
                                 "{\"a\" 1}",
                                 "{\"a\":}",
                                 "{a:1}",
                                 "{\"a\":1}x",
                                 "{\"a\":1}{}",
                                 "{\"a\":01}",
                                 "{\"a\":1e999}",
                                 "{\"a\":tru}",
                                 "{\"a\":[1}",
                                 "{\"a\":{]}",
                                 "{\"a\":\"\xff\"}",
                                 "{\"a\":\"tab\there\"}",
                                 "{\"a\":\"\\ud800\"}",
                                 "{\"a\":[abc]}",
                                 "{\"a\"::1}",
                                 "[]",
                                 "[{\"a\":1}]",
                                 "1",
                                 "\"a\"",
                                 "null",
                                 "\xef\xbb\xbf{}"}) {
    EXPECT_FALSE(skim_json_members(text).has_value()) << text;
  }
}

// Each member's value reads as the full parse's value for its key (the last
// one where a key repeats), on the hand-written texts and every example.
TEST(JsonSkimMembers, ValuesAgreeWithTheFullParse) {
  std::vector<std::string> texts = {
      "{\"repository\":{\"id\":18446744073709551615,\"full_name\":\"o/r\"}}",
      "{\"number\":1.5e300,\"zen\":-2.5E-3}",
      "{\"zen\":\"\\u00e9\\ud83d\\ude00\\n\\/\"}",
      "{\"ref\":1,\"ref\":2}",
      "{\"ref\":\"a\\u0000b\"}",
      "{\"a\":[[[1]]],\"z\":{\"y\":[true]}}"};
  for (std::string& p : octokit_payloads()) texts.push_back(std::move(p));
  for (const std::string& text : texts) {
    auto doc = parse_json(text);
    ASSERT_TRUE(doc.ok() && doc->is_object()) << text;
    auto members = skim_json_members(text);
    ASSERT_TRUE(members.has_value()) << text;
    Json rebuilt = Json::object();
    for (const auto& m : *members) {
      auto key = parse_json(m.key);
      auto value = parse_json(m.value);
      ASSERT_TRUE(key.ok() && value.ok()) << m.key << ": " << m.value;
      rebuilt[key->get<std::string>()] = *value;  // a repeated key: the last wins
    }
    EXPECT_EQ(rebuilt, *doc) << text;
  }
}

}  // namespace
}  // namespace opz
