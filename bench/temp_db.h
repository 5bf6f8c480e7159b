// What the store benchmarks share: a migrated SQLite database in a fresh
// temporary directory, removed with it. `db` stays null when it cannot be
// opened or migrated (the benchmark then skips with an error).
#pragma once

#include <spdlog/spdlog.h>

#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "core/ids.h"
#include "store/database.h"

namespace opz::bench {

struct TempDb {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("opz-bench-" + random_hex(6));
  std::unique_ptr<store::Database> db;

  TempDb() {
    spdlog::set_level(spdlog::level::warn);  // not the migrations' lines
    std::filesystem::create_directories(dir);
    auto opened = store::Database::open_sqlite({.path = path()});
    if (opened.ok() && (*opened)->migrate().ok()) db = std::move(opened).value();
  }
  ~TempDb() {
    db.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  TempDb(const TempDb&) = delete;
  TempDb& operator=(const TempDb&) = delete;

  std::string path() const { return (dir / "bench.db").string(); }
};

}  // namespace opz::bench
