// LiveBatch: what one tail read hands each live client — the right frames,
// in order, shared rather than copied, coalesced for clients that take all.
#include "realtime/live_batch.h"

#include <gtest/gtest.h>

#include <string>

namespace opz::realtime {
namespace {

StreamEventPtr event(int64_t id, Topic topic, std::string frame) {
  auto e = std::make_shared<StreamEvent>();
  e->id = id;
  e->topic = topic;
  e->execution_id = "e1";
  e->project_id = "p1";
  e->frame = std::move(frame);
  return e;
}

StreamFilter filter(std::optional<TopicSet> topics = std::nullopt) {
  auto f = StreamFilter::make(topics, {}, Viewer{"alice", auth::Role::kAdmin});
  EXPECT_TRUE(f.ok());
  return std::move(f).value();
}

std::string joined(const LiveBatch::Selection& s) {
  std::string out;
  for (const auto& p : s.pieces) out += *p;
  return out;
}

std::vector<StreamEventPtr> three() {
  return {event(1, Topic::kNodes, "n1|"), event(2, Topic::kLogs, "l2|"),
          event(4, Topic::kNodes, "n4|")};
}

TEST(LiveBatchTest, AClientTakingEveryEventGetsThemCoalescedAndSharedWithOthers) {
  LiveBatch batch(three(), /*piece_bytes=*/6);
  const auto& a = batch.select(filter(), 0);
  EXPECT_EQ(joined(a), "n1|l2|n4|");
  ASSERT_EQ(a.pieces.size(), 2u);  // "n1|l2|" reached 6 bytes, then "n4|"
  EXPECT_EQ(a.last_id, (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(a.frames, (std::vector<uint32_t>{2, 1}));
  const http::SharedBytes first = a.pieces[0];
  const auto& b = batch.select(filter(), 0);
  EXPECT_EQ(b.pieces[0].get(), first.get());  // the same bytes, built once
}

TEST(LiveBatchTest, AFilteredClientGetsItsFramesByReferenceToTheEvents) {
  auto events = three();
  const std::string* n4 = &events[2]->frame;
  TopicSet nodes;
  nodes.add(Topic::kNodes);
  LiveBatch batch(std::move(events), 64 * 1024);
  const auto& s = batch.select(filter(nodes), 0);
  EXPECT_EQ(joined(s), "n1|n4|");
  EXPECT_EQ(s.last_id, (std::vector<int64_t>{1, 4}));
  EXPECT_EQ(s.frames, (std::vector<uint32_t>{1, 1}));
  EXPECT_EQ(s.pieces[1].get(), n4);  // not a copy
}

TEST(LiveBatchTest, OnlyIdsAboveTheClientsCursorAreSelected) {
  LiveBatch batch(three(), 64 * 1024);
  EXPECT_EQ(joined(batch.select(filter(), 1)), "l2|n4|");
  EXPECT_EQ(joined(batch.select(filter(), 2)), "n4|");
  EXPECT_TRUE(batch.select(filter(), 4).pieces.empty());
  EXPECT_EQ(joined(batch.select(filter(), 0)), "n1|l2|n4|");
}

TEST(LiveBatchTest, AFrameAsBigAsAPieceIsSharedWholeBetweenCoalescedPieces) {
  std::vector<StreamEventPtr> events{event(1, Topic::kNodes, "a|"),
                                     event(2, Topic::kNodes, "big-frame|"),
                                     event(3, Topic::kNodes, "b|")};
  const std::string* big = &events[1]->frame;
  LiveBatch batch(std::move(events), 8);
  const auto& s = batch.select(filter(), 0);
  EXPECT_EQ(joined(s), "a|big-frame|b|");
  ASSERT_EQ(s.pieces.size(), 3u);
  EXPECT_EQ(s.pieces[1].get(), big);
  EXPECT_EQ(s.last_id, (std::vector<int64_t>{1, 2, 3}));
}

// Events 1-4 of nodes with 2-4 as one run ("R2-4|"), then 5 of logs.
LiveBatch with_run(size_t piece_bytes = 64 * 1024) {
  std::vector<StreamEventPtr> events{event(1, Topic::kNodes, "n1|"), event(2, Topic::kNodes, "n2|"),
                                     event(3, Topic::kNodes, "n3|"), event(4, Topic::kNodes, "n4|"),
                                     event(5, Topic::kLogs, "l5|")};
  std::vector<LiveBatch::Run> runs{{event(4, Topic::kNodes, "R2-4|"), 1, 4}};
  return LiveBatch(std::move(events), piece_bytes, std::move(runs));
}

TEST(LiveBatchTest, AClientTakingBatchesGetsARunAsItsOneFrameCountingItsEvents) {
  LiveBatch batch = with_run(/*piece_bytes=*/6);
  const auto& b = batch.select(filter(), 0, Framing::kBatchRuns);
  EXPECT_EQ(joined(b), "n1|R2-4|l5|");
  EXPECT_EQ(b.last_id, (std::vector<int64_t>{4, 5}));  // "n1|R2-4|" reached 6 bytes
  EXPECT_EQ(b.frames, (std::vector<uint32_t>{4, 1}));
  const http::SharedBytes first = b.pieces[0];
  EXPECT_EQ(batch.select(filter(), 0, Framing::kBatchRuns).pieces[0].get(), first.get());
  // A client taking one frame per event, from the same batch.
  EXPECT_EQ(joined(batch.select(filter(), 0)), "n1|n2|n3|n4|l5|");
}

TEST(LiveBatchTest, ACursorInsideARunGetsTheMembersAboveItOneFrameEach) {
  LiveBatch batch = with_run();
  const auto& s = batch.select(filter(), 2, Framing::kBatchRuns);
  EXPECT_EQ(joined(s), "n3|n4|l5|");
  EXPECT_EQ(s.last_id, (std::vector<int64_t>{3, 4, 5}));
  EXPECT_EQ(joined(batch.select(filter(), 4, Framing::kBatchRuns)), "l5|");
  EXPECT_EQ(joined(batch.select(filter(), 1, Framing::kBatchRuns)), "R2-4|l5|");
}

TEST(LiveBatchTest, AFilteredClientTakingBatchesGetsTheRunsItsFilterPasses) {
  TopicSet nodes;
  nodes.add(Topic::kNodes);
  TopicSet logs;
  logs.add(Topic::kLogs);
  LiveBatch batch = with_run();
  const auto& s = batch.select(filter(nodes), 0, Framing::kBatchRuns);
  EXPECT_EQ(joined(s), "n1|R2-4|");
  EXPECT_EQ(s.frames, (std::vector<uint32_t>{1, 3}));
  EXPECT_EQ(joined(batch.select(filter(logs), 0, Framing::kBatchRuns)), "l5|");
}

TEST(LiveBatchTest, AnEmptyBatchSelectsNothing) {
  LiveBatch batch({}, 64 * 1024);
  EXPECT_TRUE(batch.select(filter(), 0).pieces.empty());
}

}  // namespace
}  // namespace opz::realtime
