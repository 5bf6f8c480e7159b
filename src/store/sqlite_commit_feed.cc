#include "store/sqlite_commit_feed.h"

#include <cstring>
#include <mutex>
#include <vector>

namespace opz::store {

namespace {

// The channel PostgreSQL's event trigger NOTIFYs, and the table it writes
// (migrations/postgres/001_initial.sql: opz_emit_event).
constexpr const char* kChannel = "opz_events";
constexpr const char* kTable = "realtime_events";

}  // namespace

struct SqliteCommitFeed::Listeners {
  std::mutex mu;  // guards all; held while they are called
  std::vector<std::unique_ptr<std::function<void()>>> all;
};

class SqliteCommitFeed::Handle final : public Database::Listening {
 public:
  Handle(std::shared_ptr<Listeners> listeners, const std::function<void()>* one)
      : listeners_(std::move(listeners)), one_(one) {}
  ~Handle() override {
    std::lock_guard lock(listeners_->mu);
    std::erase_if(listeners_->all, [&](const auto& l) { return l.get() == one_; });
  }

 private:
  std::shared_ptr<Listeners> listeners_;
  const std::function<void()>* one_;
};

SqliteCommitFeed::SqliteCommitFeed(sqlite3* writer)
    : writer_(writer), listeners_(std::make_shared<Listeners>()) {
  sqlite3_update_hook(writer_, &SqliteCommitFeed::on_update, this);
}

SqliteCommitFeed::~SqliteCommitFeed() { sqlite3_update_hook(writer_, nullptr, nullptr); }

std::unique_ptr<Database::Listening> SqliteCommitFeed::listen(const std::string& channel,
                                                              std::function<void()> on_notify) {
  if (channel != kChannel || !on_notify) return nullptr;
  auto one = std::make_unique<std::function<void()>>(std::move(on_notify));
  const std::function<void()>* raw = one.get();
  std::lock_guard lock(listeners_->mu);
  listeners_->all.push_back(std::move(one));
  return std::make_unique<Handle>(listeners_, raw);
}

void SqliteCommitFeed::begin() { wrote_events_ = false; }

void SqliteCommitFeed::committed() {
  if (!wrote_events_) return;
  wrote_events_ = false;
  std::lock_guard lock(listeners_->mu);
  for (const auto& l : listeners_->all) (*l)();
}

// Called by SQLite for every row the writer inserts, updates or deletes in a
// rowid table, triggers' rows included, before the transaction commits.
void SqliteCommitFeed::on_update(void* self, int, const char* schema, const char* table,
                                 sqlite3_int64) {
  if (std::strcmp(table, kTable) == 0 && std::strcmp(schema, "main") == 0)
    static_cast<SqliteCommitFeed*>(self)->wrote_events_ = true;
}

}  // namespace opz::store
