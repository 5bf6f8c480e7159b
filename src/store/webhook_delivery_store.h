// WebhookDeliveryStore: the durable log of GitHub webhook deliveries
// (webhook_deliveries), written BEFORE a delivery is acted on.
//
// Contract:
//   - insert() is one transaction guarded by the UNIQUE delivery_guid: of any
//     number of concurrent inserts of one GUID exactly one stores a row; the
//     others answer duplicate=true with the stored row's id. Nothing else is
//     written for a duplicate.
//   - A stored delivery is 'pending' until record_outcome() moves it, once,
//     to processed | ignored | failed (kConflict when it is no longer
//     pending, so two processors can never both act on it). record_outcome_in()
//     does the same inside a caller's transaction (with the audit row).
//     record_outcomes() moves many in ONE transaction (the delivery worker's
//     batch): each gets its own answer, and one that is no longer pending
//     (kConflict) or gone (kNotFound) leaves the others to commit.
//   - list() never loads bodies unless asked; pending() answers what a
//     restart must still process, oldest first.
// Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "store/database.h"
#include "store/page.h"

namespace opz::store {

struct DeliveryRecord {
  std::string id;
  std::string delivery_guid;
  std::string project_id;  // empty: unknown / project deleted
  std::string event;
  std::string action;
  bool signature_valid = false;
  Json headers = Json::object();
  std::string body;  // raw bytes as received; empty when not loaded
  int64_t body_bytes = 0;
  std::string received_at;
  std::string processed_at;
  // pending | processed | ignored | rejected | failed. An insert stores it as
  // given: a delivery decided on arrival (rejected, ignored) is never pending.
  std::string outcome = "pending";
  std::string outcome_reason;
  std::string execution_id;
  std::string replay_of;
  std::string trigger_key;
};

struct InsertedDelivery {
  std::string id;  // the new row, or the stored one for a duplicate
  bool duplicate = false;
  std::string received_at;  // the new row's (empty for a duplicate)
};

struct DeliveryOutcome {
  std::string outcome;  // processed | ignored | failed
  std::string reason;
  std::string execution_id;  // optional
  std::string trigger_key;   // optional
};

struct DeliveryFilter {
  std::string project_id = {};
  std::string event = {};
  std::string outcome = {};
};

class WebhookDeliveryStore {
 public:
  WebhookDeliveryStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Stores `d` (id assigned when empty; received_at = now when empty).
  Result<InsertedDelivery> insert(const DeliveryRecord& d);
  // insert() without waiting (Database::write_async): `done` gets the same
  // answer once the row is durable, on the database's thread.
  void insert_async(DeliveryRecord d, std::function<void(Result<InsertedDelivery>)> done);
  Result<DeliveryRecord> find(const std::string& id, bool with_body = true);
  // The stored ones of `ids`, in one read transaction; ids not stored are
  // left out (order not kept).
  Result<std::vector<DeliveryRecord>> find_many(const std::vector<std::string>& ids,
                                                bool with_body = true);
  // Newest first by (received_at, id). kValidation for an unknown outcome.
  Result<Page<DeliveryRecord>> list(const DeliveryFilter& filter, const PageRequest& page,
                                    bool with_body = false);
  // Pending deliveries, oldest first (at most `limit`).
  Result<std::vector<std::string>> pending(int limit = 1000);

  Status record_outcome(const std::string& id, const DeliveryOutcome& outcome);
  Status record_outcome_in(SqlSession& tx, const std::string& id, const DeliveryOutcome& outcome);
  // One answer per item, in order. The error is the transaction's only when
  // the database failed (nothing of it is stored then).
  Result<std::vector<Status>> record_outcomes(
      const std::vector<std::pair<std::string, DeliveryOutcome>>& outcomes);

  // The processed delivery (other than `except_id`) that already started an
  // execution under `trigger_key`; nullopt when none.
  Result<std::optional<DeliveryRecord>> find_by_trigger_key(const std::string& trigger_key,
                                                            const std::string& except_id);

 private:
  static Result<InsertedDelivery> insert_in(SqlSession& s, const DeliveryRecord& d,
                                            const std::string& id, const std::string& received);

  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
