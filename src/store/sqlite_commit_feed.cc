#include "store/sqlite_commit_feed.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <mutex>
#include <vector>

namespace opz::store {

namespace {

// The channels PostgreSQL's triggers NOTIFY, and the table whose changes
// do it (migrations/postgres/001_initial.sql: realtime_events' trigger).
struct WatchedTable {
  const char* channel;
  const char* table;
};
constexpr WatchedTable kChannels[] = {{"opz_events", "realtime_events"}};
static_assert(std::size(kChannels) <= 32, "changed_ holds one bit per channel");

}  // namespace

struct SqliteCommitFeed::Listeners {
  struct One {
    size_t channel;  // index into kChannels
    std::function<void()> on_notify;
  };
  std::mutex mu;  // guards all; held while they are called
  std::vector<std::unique_ptr<One>> all;
};

class SqliteCommitFeed::Handle final : public Database::Listening {
 public:
  Handle(std::shared_ptr<Listeners> listeners, const Listeners::One* one)
      : listeners_(std::move(listeners)), one_(one) {}
  ~Handle() override {
    std::lock_guard lock(listeners_->mu);
    std::erase_if(listeners_->all, [&](const auto& l) { return l.get() == one_; });
  }

 private:
  std::shared_ptr<Listeners> listeners_;
  const Listeners::One* one_;
};

SqliteCommitFeed::SqliteCommitFeed(sqlite3* writer)
    : writer_(writer), listeners_(std::make_shared<Listeners>()) {
  sqlite3_update_hook(writer_, &SqliteCommitFeed::on_update, this);
}

SqliteCommitFeed::~SqliteCommitFeed() { sqlite3_update_hook(writer_, nullptr, nullptr); }

std::unique_ptr<Database::Listening> SqliteCommitFeed::listen(const std::string& channel,
                                                              std::function<void()> on_notify) {
  const auto* it = std::find_if(std::begin(kChannels), std::end(kChannels),
                                [&](const WatchedTable& w) { return channel == w.channel; });
  if (it == std::end(kChannels) || !on_notify) return nullptr;
  auto one = std::make_unique<Listeners::One>(
      Listeners::One{static_cast<size_t>(it - std::begin(kChannels)), std::move(on_notify)});
  const Listeners::One* raw = one.get();
  std::lock_guard lock(listeners_->mu);
  listeners_->all.push_back(std::move(one));
  return std::make_unique<Handle>(listeners_, raw);
}

void SqliteCommitFeed::begin() { changed_ = 0; }

void SqliteCommitFeed::committed() {
  const uint32_t changed = changed_;
  changed_ = 0;
  if (changed == 0) return;
  std::lock_guard lock(listeners_->mu);
  for (const auto& l : listeners_->all)
    if (changed & (1u << l->channel)) l->on_notify();
}

// Called by SQLite for every row the writer inserts, updates or deletes in a
// rowid table, triggers' rows included, before the transaction commits.
void SqliteCommitFeed::on_update(void* self, int, const char* schema, const char* table,
                                 sqlite3_int64) {
  if (std::strcmp(schema, "main") != 0) return;
  auto* feed = static_cast<SqliteCommitFeed*>(self);
  for (size_t i = 0; i < std::size(kChannels); ++i)
    if (std::strcmp(table, kChannels[i].table) == 0) feed->changed_ |= 1u << i;
}

}  // namespace opz::store
