// The batch frame: a run of events as one frame that a client expands back
// into exactly the events the single frames carry.
#include "realtime/batch_frame.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "core/json.h"
#include "realtime/sse_frame.h"

namespace opz::realtime {
namespace {

store::EventLogRecord node_insert(int64_t id, const std::string& node) {
  store::EventLogRecord r;
  r.id = id;
  r.topic = "nodes";
  r.table_name = "execution_nodes";
  r.type = "INSERT";
  r.execution_id = "e1";
  r.project_id = "p1";
  r.record_json = R"({"id":"row-)" + node + R"(","execution_id":"e1","node_id":")" + node +
                  R"(","status":"pending","attempt":0,"error":null,"position":)" +
                  std::to_string(id) + "}";
  r.created_at = "2026-12-05T10:00:00.000Z";
  return r;
}

std::vector<const store::EventLogRecord*> pointers(const std::vector<store::EventLogRecord>& rs) {
  std::vector<const store::EventLogRecord*> out;
  for (const auto& r : rs) out.push_back(&r);
  return out;
}

// What a client does with a batch frame (docs/realtime.md "Batches"): the
// events, each as the data document a single frame carries.
std::vector<Json> expand(const std::string& frame) {
  const size_t data = frame.find("\ndata: ");
  EXPECT_NE(data, std::string::npos) << frame;
  auto doc = parse_json(frame.substr(data + 7, frame.size() - data - 9));
  EXPECT_TRUE(doc.ok()) << frame;
  if (!doc.ok()) return {};
  auto events = batch_events(*doc);
  EXPECT_TRUE(events.ok()) << frame;
  return events.ok() ? *events : std::vector<Json>{};
}

// The single frames' data documents.
std::vector<Json> singles(const std::vector<store::EventLogRecord>& rs) {
  std::vector<Json> out;
  for (const auto& r : rs) out.push_back(parse_json(event_data(r)).value());
  return out;
}

TEST(BatchFrameTest, ARunExpandsToExactlyTheEventsOfTheSingleFrames) {
  std::vector<store::EventLogRecord> rs = {node_insert(7, "a"), node_insert(8, "b"),
                                           node_insert(9, "c")};
  auto frame = batch_frame(pointers(rs));
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->rfind("id: 9\nevent: batch\ndata: {\"from\":7,\"to\":9,\"at\":\"", 0), 0u)
      << *frame;
  EXPECT_EQ(expand(*frame), singles(rs));
}

TEST(BatchFrameTest, WhatEveryRecordSharesIsWrittenOnce) {
  std::vector<store::EventLogRecord> rs;
  for (int i = 0; i < 100; ++i) rs.push_back(node_insert(100 + i, "n" + std::to_string(i)));
  auto frame = batch_frame(pointers(rs));
  ASSERT_TRUE(frame.has_value());
  auto doc = parse_json(frame->substr(frame->find("data: ") + 6)).value();
  EXPECT_EQ(
      doc["common"],
      (Json{{"execution_id", "e1"}, {"status", "pending"}, {"attempt", 0}, {"error", nullptr}}));
  EXPECT_EQ(doc["columns"], (Json{"id", "node_id", "position"}));
  EXPECT_EQ(doc["rows"][3], (Json{"row-n3", "n3", 103}));
  EXPECT_EQ(doc["at"], "2026-12-05T10:00:00.000Z");
  EXPECT_TRUE(doc["old"].is_null());
  // The single frames' bytes, against the batch's.
  size_t single_bytes = 0;
  for (const auto& r : rs) single_bytes += event_frame(r).size();
  EXPECT_LT(frame->size() * 3, single_bytes);
}

TEST(BatchFrameTest, DifferingTimesAndOldValuesAreListedPerEvent) {
  std::vector<store::EventLogRecord> rs = {node_insert(1, "a"), node_insert(2, "b")};
  for (auto& r : rs) r.type = "UPDATE";
  rs[0].old_json = R"({"status":"pending"})";
  rs[1].old_json = R"({"status":"running"})";
  rs[1].created_at = "2026-12-05T10:00:00.007Z";
  auto frame = batch_frame(pointers(rs));
  ASSERT_TRUE(frame.has_value());
  auto doc = parse_json(frame->substr(frame->find("data: ") + 6)).value();
  EXPECT_EQ(doc["at"], (Json{"2026-12-05T10:00:00.000Z", "2026-12-05T10:00:00.007Z"}));
  EXPECT_EQ(doc["old"][1], (Json{{"status", "running"}}));
  EXPECT_EQ(expand(*frame), singles(rs));
}

TEST(BatchFrameTest, RecordsThatDoNotShareTheirMembersAreNotBatched) {
  std::vector<store::EventLogRecord> rs = {node_insert(1, "a"), node_insert(2, "b")};
  rs[1].record_json = R"({"id":"row-b"})";
  EXPECT_FALSE(batch_frame(pointers(rs)).has_value());
  rs[1].record_json = "null";
  EXPECT_FALSE(batch_frame(pointers(rs)).has_value());
  EXPECT_FALSE(batch_frame(pointers({node_insert(1, "a")})).has_value());
}

TEST(BatchFrameTest, ValuesAreCopiedAsTheRecordsWroteThem) {
  std::vector<store::EventLogRecord> rs = {node_insert(1, "a"), node_insert(2, "b")};
  rs[0].record_json = R"({"id":"x","ratio":1.50,"outputs":{"k":[1,"]"]},"meta":{"n":1}})";
  rs[1].record_json = R"({"id":"y","ratio":1.50,"outputs":{"k":[1,"]"]},"meta":{"n":[2]}})";
  auto frame = batch_frame(pointers(rs));
  ASSERT_TRUE(frame.has_value());
  EXPECT_NE(frame->find(R"("common":{"ratio":1.50,"outputs":{"k":[1,"]"]}})"), std::string::npos)
      << *frame;
  EXPECT_NE(frame->find(R"("columns":["id","meta"],"rows":[["x",{"n":1}],["y",{"n":[2]}]])"),
            std::string::npos)
      << *frame;
  EXPECT_EQ(expand(*frame), singles(rs));
}

TEST(BatchFrameTest, RecordsWithTheirMembersInAnotherOrderAreNotBatched) {
  // One trigger writes one order; anything else goes out one frame each.
  std::vector<store::EventLogRecord> rs = {node_insert(1, "a"), node_insert(2, "b")};
  rs[0].record_json = R"({"id":"x","status":"pending"})";
  rs[1].record_json = R"({"status":"pending","id":"y"})";
  EXPECT_FALSE(batch_frame(pointers(rs)).has_value());
  rs[1].record_json = R"({"id":"y","status":"pending"} trailing)";
  EXPECT_FALSE(batch_frame(pointers(rs)).has_value());
}

TEST(BatchFrameTest, ExpandingSomethingElseIsAnErrorNotACrash) {
  for (const char* data : {"{}", "[]", R"({"from":1,"to":2,"at":"t","topic":"nodes"})",
                           R"({"from":1,"to":2,"at":[],"topic":"n","table":"t","type":"INSERT",
                               "execution_id":null,"project_id":null,"old":null,
                               "common":{},"columns":["id"],"rows":[[1],[2]]})"}) {
    auto events = batch_events(parse_json(data).value());
    ASSERT_FALSE(events.ok()) << data;
    EXPECT_EQ(events.error().code, ErrorCode::kMalformed);
  }
}

TEST(BatchFrameTest, LineBreaksNeverSplitTheDataLine) {
  std::vector<store::EventLogRecord> rs = {node_insert(1, "a"), node_insert(2, "b")};
  rs[0].record_json = "{\"id\":\"x\",\n\"node_id\":\"line\\nbreak\"}";
  rs[1].record_json = "{\"id\":\"y\",\"node_id\":\"z\"}";
  rs[0].old_json = "{\"status\":\n\"a\"}";
  rs[0].execution_id = rs[1].execution_id = "evil\nevent: x";
  auto frame = batch_frame(pointers(rs));
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(std::count(frame->begin(), frame->end(), '\n'), 4) << *frame;
  EXPECT_EQ(expand(*frame)[0]["record"]["node_id"], "line\nbreak");
}

TEST(BatchFrameTest, RunsAreConsecutiveIdsOfOneTopicTableTypeAndScope) {
  std::vector<store::EventLogRecord> rs;
  for (int64_t id = 1; id <= 10; ++id) rs.push_back(node_insert(id, "n"));
  rs[3].type = "UPDATE";  // 4 breaks the run 1-3
  rs[6].id = 20;          // a gap: 20 does not follow 6
  rs[7].id = 21;
  rs[8].id = 22;
  rs[9].id = 23;
  rs[9].execution_id = "e2";  // another execution
  const auto ptrs = pointers(rs);
  using Runs = std::vector<std::pair<size_t, size_t>>;
  EXPECT_EQ(find_runs(ptrs, 2), (Runs{{0, 3}, {4, 6}, {6, 9}}));
  EXPECT_EQ(find_runs(ptrs, 3), (Runs{{0, 3}, {6, 9}}));
  EXPECT_EQ(find_runs(ptrs, 0), (Runs{{0, 3}, {4, 6}, {6, 9}}));  // a run has two at least
  rs[1].user_id = "u";
  EXPECT_EQ(find_runs(pointers(rs), 2), (Runs{{4, 6}, {6, 9}}));
}

}  // namespace
}  // namespace opz::realtime
