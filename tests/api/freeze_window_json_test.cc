// freeze_window_json's next_start / next_end: the occurrence in force, else
// the next one (UTC), null when an absolute window has ended.
#include "api/freeze_window_json.h"

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace opz::api {
namespace {

TEST(FreezeWindowJson, NamesTheNextOccurrence) {
  store::FreezeWindowRecord w;
  w.id = "w1";
  w.project_id = "p1";
  w.environment = "Production";
  w.kind = "weekly";
  w.weekdays = {"fri"};
  w.start_time = "18:00";
  w.end_time = "20:00";
  w.timezone = "Europe/Berlin";
  w.reason = "weekend";
  Json j = freeze_window_json(w, *parse_time("2026-03-28T12:00:00Z"));
  EXPECT_EQ(j["active"], false);
  EXPECT_EQ(j["next_start"], "2026-04-03T16:00:00.000Z");
  EXPECT_EQ(j["next_end"], "2026-04-03T18:00:00.000Z");

  store::FreezeWindowRecord past;
  past.id = "w2";
  past.kind = "absolute";
  past.start_local = "2026-01-01T00:00:00";
  past.end_local = "2026-01-02T00:00:00";
  past.reason = "new year";
  Json p = freeze_window_json(past, *parse_time("2026-03-28T12:00:00Z"));
  EXPECT_TRUE(p["next_start"].is_null());
  EXPECT_TRUE(p["next_end"].is_null());
}

}  // namespace
}  // namespace opz::api
