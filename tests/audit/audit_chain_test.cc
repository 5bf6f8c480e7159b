#include "audit/audit_chain.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace opz::audit {
namespace {

using store::AuditLogRecord;

// Rows chained the way AuditStore::append_in chains them.
std::vector<AuditLogRecord> make_chain(int n) {
  std::vector<AuditLogRecord> rows;
  std::string prev(store::kGenesisHash);
  for (int i = 1; i <= n; ++i) {
    AuditLogRecord r;
    r.seq = i;
    r.id = "id-" + std::to_string(i);
    r.action = "project.updated";
    r.resource_type = "project";
    r.resource_id = "p1";
    r.user_id = i % 2 ? "u1" : "";
    r.details = R"({"n":)" + std::to_string(i) + "}";
    r.created_at = "2024-01-15T10:30:0" + std::to_string(i % 10) + ".000Z";
    r.prev_hash = prev;
    r.hash = store::audit_row_hash(prev, r);
    prev = r.hash;
    rows.push_back(r);
  }
  return rows;
}

void sort_by_seq(std::vector<AuditLogRecord>& rows) {
  std::stable_sort(rows.begin(), rows.end(),
                   [](const AuditLogRecord& a, const AuditLogRecord& b) { return a.seq < b.seq; });
}

TEST(VerifyChain, AnIntactChainReportsItsLengthAndHead) {
  auto rows = make_chain(6);
  ChainReport r = verify_chain(rows);
  EXPECT_TRUE(r.intact());
  EXPECT_EQ(r.entries, 6u);
  EXPECT_EQ(r.head, rows.back().hash);
  EXPECT_EQ(r.summary(), "audit chain intact: 6 entries, head " + rows.back().hash);
  ChainReport empty = verify_chain({});
  EXPECT_TRUE(empty.intact());
  EXPECT_EQ(empty.head, store::kGenesisHash);
}

TEST(VerifyChain, AnEditedRowIsTheFirstBadRow) {
  for (const char* field : {"details", "user_id", "action", "created_at", "user_agent"}) {
    auto rows = make_chain(6);
    AuditLogRecord& r = rows[2];
    if (std::string(field) == "details") r.details = R"({"n":999})";
    if (std::string(field) == "user_id") r.user_id = "someone-else";
    if (std::string(field) == "action") r.action = "project.read";
    if (std::string(field) == "created_at") r.created_at = "2020-01-01T00:00:00.000Z";
    if (std::string(field) == "user_agent") r.user_agent = "forged";
    ChainReport report = verify_chain(rows);
    ASSERT_FALSE(report.intact()) << field;
    EXPECT_EQ(report.first_break->seq, 3) << field;
    EXPECT_EQ(report.first_break->id, "id-3") << field;
    EXPECT_EQ(report.first_break->fault, ChainFault::kEdited) << field;
    EXPECT_EQ(report.entries, 2u);
    EXPECT_EQ(report.head, rows[1].hash);
  }
}

TEST(VerifyChain, DetailsAreComparedAsJsonNotAsText) {
  auto rows = make_chain(3);
  rows[1].details = "{ \"n\" : 2 }";  // same document, other spelling
  EXPECT_TRUE(verify_chain(rows).intact());
}

TEST(VerifyChain, ADeletedRowIsNamedByTheRowAfterTheGap) {
  auto rows = make_chain(6);
  rows.erase(rows.begin() + 2);  // seq 3
  ChainReport report = verify_chain(rows);
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_break->seq, 4);
  EXPECT_EQ(report.first_break->id, "id-4");
  EXPECT_EQ(report.first_break->fault, ChainFault::kDeleted);
  EXPECT_NE(report.summary().find("seq 3 is missing"), std::string::npos) << report.summary();

  auto first = make_chain(3);
  first.erase(first.begin());
  EXPECT_EQ(verify_chain(first).first_break->seq, 2) << "the chain starts at seq 1";
  EXPECT_EQ(verify_chain(first).first_break->fault, ChainFault::kDeleted);
}

TEST(VerifyChain, ADeletionHiddenByRenumberingIsStillFound) {
  auto rows = make_chain(6);
  rows.erase(rows.begin() + 2);
  for (size_t i = 2; i < rows.size(); ++i) rows[i].seq -= 1;  // no gap left
  ChainReport report = verify_chain(rows);
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_break->seq, 3);
  EXPECT_EQ(report.first_break->id, "id-4");
}

TEST(VerifyChain, AReplacedRowIsFoundAtTheRowChainedAfterIt) {
  // seq 3 replaced by a forged row with a correct hash of its own: the row
  // after it was chained to the original.
  auto rows = make_chain(6);
  rows[2].id = "forged";
  rows[2].hash = store::audit_row_hash(rows[2].prev_hash, rows[2]);
  ChainReport report = verify_chain(rows);
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_break->seq, 4);
  EXPECT_EQ(report.first_break->id, "id-4");
  EXPECT_EQ(report.first_break->fault, ChainFault::kDeleted);
}

TEST(VerifyChain, TwoRowsWithSwappedSeqAreReordered) {
  auto rows = make_chain(6);
  std::swap(rows[2].seq, rows[3].seq);
  sort_by_seq(rows);  // as the database reads them: ORDER BY seq
  ChainReport report = verify_chain(rows);
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_break->seq, 3);
  EXPECT_EQ(report.first_break->id, "id-4");
  EXPECT_EQ(report.first_break->fault, ChainFault::kReordered);

  auto moved = make_chain(6);  // an export file whose lines were moved
  std::swap(moved[2], moved[3]);
  ChainReport file = verify_chain(moved);
  ASSERT_FALSE(file.intact());
  EXPECT_EQ(file.first_break->id, "id-4");
  EXPECT_EQ(file.first_break->fault, ChainFault::kReordered) << file.summary();
}

TEST(VerifyChain, AnInsertedRowIsFound) {
  // A forged row slipped in at seq 3 (the later rows renumbered): even with
  // a correctly computed hash of its own, the row after it names the insert.
  auto rows = make_chain(5);
  AuditLogRecord forged = rows[2];
  forged.id = "forged";
  forged.details = R"({"n":"forged"})";
  forged.prev_hash = rows[1].hash;
  forged.hash = store::audit_row_hash(forged.prev_hash, forged);
  rows.insert(rows.begin() + 2, forged);
  for (size_t i = 3; i < rows.size(); ++i) rows[i].seq += 1;
  ChainReport report = verify_chain(rows);
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_break->seq, 4);
  EXPECT_EQ(report.first_break->id, "id-3");
  EXPECT_EQ(report.first_break->fault, ChainFault::kInserted);

  auto naive = make_chain(5);  // appended at the end without a valid hash
  AuditLogRecord extra = naive.back();
  extra.seq = 6;
  extra.id = "extra";
  extra.prev_hash = naive.back().hash;
  naive.push_back(extra);
  ChainReport tail = verify_chain(naive);
  ASSERT_FALSE(tail.intact());
  EXPECT_EQ(tail.first_break->id, "extra");
  EXPECT_EQ(tail.first_break->fault, ChainFault::kEdited);
}

TEST(VerifyChain, ARowWithoutHashIsUnchained) {
  auto rows = make_chain(4);
  rows[1].hash.clear();
  ChainReport report = verify_chain(rows);
  ASSERT_FALSE(report.intact());
  EXPECT_EQ(report.first_break->seq, 2);
  EXPECT_EQ(report.first_break->fault, ChainFault::kUnchained);
}

TEST(VerifyChain, ARangeVerifiesFromItsFirstRowsPrevHash) {
  auto rows = make_chain(8);
  std::vector<AuditLogRecord> range(rows.begin() + 3, rows.begin() + 6);  // seq 4..6
  ChainStart start = start_of(range);
  EXPECT_EQ(start.seq, 4);
  EXPECT_EQ(start.prev_hash, rows[2].hash);
  EXPECT_TRUE(verify_chain(range, start).intact());
  EXPECT_EQ(verify_chain(range, start).entries, 3u);
  range[1].details = R"({"n":0})";
  EXPECT_EQ(verify_chain(range, start).first_break->seq, 5);

  std::vector<AuditLogRecord> from_one(rows.begin(), rows.begin() + 2);
  from_one[0].prev_hash = rows[5].hash;  // seq 1 must start at genesis
  EXPECT_EQ(start_of(from_one).prev_hash, store::kGenesisHash);
  EXPECT_FALSE(verify_chain(from_one, start_of(from_one)).intact());
}

TEST(ExportLine, RoundTripsEveryFieldAndVerifies) {
  auto rows = make_chain(4);
  rows[1].ip_address = "127.0.0.1:4000";
  rows[1].user_agent = "curl/8.0";
  rows[1].prev_hash = rows[0].hash;
  rows[1].hash = store::audit_row_hash(rows[1].prev_hash, rows[1]);
  rows[2].prev_hash = rows[1].hash;
  rows[2].hash = store::audit_row_hash(rows[2].prev_hash, rows[2]);
  rows[3].prev_hash = rows[2].hash;
  rows[3].hash = store::audit_row_hash(rows[3].prev_hash, rows[3]);
  std::vector<AuditLogRecord> back;
  for (const auto& r : rows) {
    Json line = export_line(r);
    EXPECT_EQ(line["hash"], r.hash);
    auto parsed = parse_export_line(Json::parse(dump_json(line)));
    ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
    EXPECT_EQ(parsed->user_agent, r.user_agent);
    EXPECT_EQ(parsed->ip_address, r.ip_address);
    EXPECT_EQ(parsed->user_id, r.user_id);
    back.push_back(*parsed);
  }
  EXPECT_TRUE(verify_chain(back).intact());
  EXPECT_EQ(verify_chain(back).head, rows.back().hash);

  Json broken = export_line(rows[0]);
  broken.erase("seq");
  auto bad = parse_export_line(broken);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "seq");
  EXPECT_FALSE(parse_export_line(Json::array()).ok());
}

}  // namespace
}  // namespace opz::audit
