#include "realtime/sse_frame.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/json.h"

namespace opz::realtime {
namespace {

store::EventLogRecord node_update() {
  store::EventLogRecord r;
  r.id = 42;
  r.topic = "nodes";
  r.table_name = "execution_nodes";
  r.type = "UPDATE";
  r.execution_id = "e1";
  r.project_id = std::nullopt;
  r.record_json = R"({"node_id":"build","status":"success"})";
  r.old_json = R"({"status":"running"})";
  r.created_at = "2026-12-05T10:00:00.000Z";
  return r;
}

TEST(SseFrameTest, AnEventIsIdEventAndOneDataLine) {
  EXPECT_EQ(event_frame(node_update()),
            "id: 42\nevent: nodes\ndata: {\"id\":42,\"topic\":\"nodes\",\"table\":"
            "\"execution_nodes\",\"type\":\"UPDATE\",\"execution_id\":\"e1\",\"project_id\":null,"
            "\"record\":{\"node_id\":\"build\",\"status\":\"success\"},"
            "\"old\":{\"status\":\"running\"},\"at\":\"2026-12-05T10:00:00.000Z\"}\n\n");
}

TEST(SseFrameTest, TheDataIsJsonWithTheRecordEmbedded) {
  auto doc = parse_json(event_data(node_update()));
  ASSERT_TRUE(doc.ok()) << doc.error().to_string();
  EXPECT_EQ((*doc)["record"]["status"], "success");
  EXPECT_EQ((*doc)["old"]["status"], "running");
  EXPECT_TRUE((*doc)["project_id"].is_null());
}

TEST(SseFrameTest, LineBreaksNeverSplitTheDataLine) {
  store::EventLogRecord r = node_update();
  r.record_json = "{\"a\":\n1}";
  r.execution_id = "evil\nevent: x";
  const std::string frame = event_frame(r);
  // Exactly the three field lines and the blank line.
  EXPECT_EQ(std::count(frame.begin(), frame.end(), '\n'), 4) << frame;
  auto doc = parse_json(event_data(r));
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ((*doc)["execution_id"], "evil\nevent: x");
}

TEST(SseFrameTest, StringsAreTheJsonLibrarysLiteralsWhateverTheyHold) {
  // Plain strings take a short path; every other must come out exactly as the
  // JSON library writes it (escapes, UTF-8 kept, invalid UTF-8 replaced).
  for (const std::string& s :
       {std::string(""), std::string("01a24da0-3533-7240-96a2-249fe4897aea"),
        std::string("2026-12-05T10:00:00.000Z"), std::string("say \"hi\""), std::string("a\\b"),
        std::string("line\nbreak\ttab\x01"), std::string("caf\xc3\xa9 \xe2\x9c\x93"),
        std::string("bad \xff utf-8"), std::string("del \x7f"), std::string(1, '\0')}) {
    std::string out = "x";
    append_json_string(out, s);
    EXPECT_EQ(out, "x" + dump_json(Json(s))) << s;
  }
}

TEST(SseFrameTest, AResetNamesItsReasonAndTheIdToResumeAfter) {
  EXPECT_EQ(reset_frame(ResetReason::kTooFarBehind, 7),
            "id: 7\nevent: reset\ndata: {\"reason\":\"too_far_behind\",\"last_id\":7}\n\n");
  EXPECT_EQ(to_string(ResetReason::kSlowClient), "slow_client");
  EXPECT_EQ(to_string(ResetReason::kFutureId), "future_id");
}

TEST(SseFrameTest, EventIdsAreNonNegativeDecimals) {
  EXPECT_EQ(parse_event_id("0"), 0);
  EXPECT_EQ(parse_event_id(" 12345 "), 12345);
  EXPECT_FALSE(parse_event_id("").has_value());
  EXPECT_FALSE(parse_event_id("-1").has_value());
  EXPECT_FALSE(parse_event_id("12a").has_value());
  EXPECT_FALSE(parse_event_id("99999999999999999999").has_value());
}

TEST(SseFrameTest, ThePreambleAndHeartbeatAreTheContract) {
  EXPECT_EQ(kStreamPreamble, "retry: 2000\n\n");
  EXPECT_EQ(kHeartbeatFrame, ": heartbeat\n\n");
}

}  // namespace
}  // namespace opz::realtime
