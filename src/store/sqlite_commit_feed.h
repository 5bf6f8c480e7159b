// SqliteCommitFeed: what stands in, on SQLite, for PostgreSQL's LISTEN on a
// channel its triggers NOTIFY (Database::listen).
//
// On PostgreSQL a trigger NOTIFYs `opz_events` in every transaction that
// writes realtime_events, and the listener hears it once the transaction has
// committed. SQLite has no NOTIFY, but one process owns the file and its ONE
// writer connection commits every change: the writer's update hook notes a
// transaction that wrote realtime_events (the event log's rows, written by
// triggers: store/event_log_store.h), and once its COMMIT has succeeded the
// database calls committed(), which calls every listener of "opz_events".
// Another channel answers nullptr from listen(), as Database::listen does
// where there is no feed.
//
// Listeners are called on the committing thread, after the commit is visible
// to every reader, while the writer is still held: they must be quick and
// must not write (EventHub::notify only wakes its thread; a read would see
// the commit).
// A transaction rolled back calls nobody; a batch whose bodies partly rolled
// back to their savepoints may call once for nothing (a spurious wake-up,
// never a missed one).
//
// Thread-safety: begin() and committed() on the writer's thread (under the
// database's writer lock); listen() and destroying its handle from any
// thread. Destroying a handle waits for a call of it that is running (so a
// listener must not destroy its own handle); a handle may outlive the feed
// (and the database).
#pragma once

#include <sqlite3.h>

#include <functional>
#include <memory>
#include <string>

#include "store/database.h"

namespace opz::store {

class SqliteCommitFeed {
 public:
  // Installs the update hook on `writer` (which must outlive the feed).
  explicit SqliteCommitFeed(sqlite3* writer);
  // Removes the hook.
  ~SqliteCommitFeed();
  SqliteCommitFeed(const SqliteCommitFeed&) = delete;
  SqliteCommitFeed& operator=(const SqliteCommitFeed&) = delete;

  // See Database::listen. nullptr for any channel but "opz_events".
  std::unique_ptr<Database::Listening> listen(const std::string& channel,
                                              std::function<void()> on_notify);

  // A write transaction begins: forgets what an earlier one wrote.
  void begin();
  // Its COMMIT succeeded: calls the listeners if it wrote the event log.
  void committed();

 private:
  struct Listeners;  // shared with the handles
  class Handle;
  static void on_update(void* self, int op, const char* schema, const char* table,
                        sqlite3_int64 rowid);

  sqlite3* writer_;
  bool wrote_events_ = false;  // writer thread: this transaction wrote realtime_events
  std::shared_ptr<Listeners> listeners_;
};

}  // namespace opz::store
