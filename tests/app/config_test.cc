#include "app/config.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace opz::app {
namespace {

TEST(Config, DefaultsMatchTheTable) {
  auto c = resolve_config({}, {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen, "127.0.0.1:8080");
  EXPECT_EQ(c->data_dir, "./var");
  EXPECT_EQ(c->max_body, 10u << 20);
  EXPECT_EQ(c->stuck_after, std::chrono::minutes(30));
}

TEST(Config, FlagBeatsEnvBeatsFile) {
  testing::TempDir d;
  auto file = d.write("opzenix.yml", "listen: 127.0.0.1:7000\nmax-body: 1MiB\nlog-format: json\n");
  auto c = resolve_config({{"config", file}, {"listen", "127.0.0.1:9000"}},
                          {{"OPZENIX_LISTEN", "127.0.0.1:8000"}, {"OPZENIX_MAX_BODY", "2MiB"}});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->listen, "127.0.0.1:9000");
  EXPECT_EQ(c->max_body, 2u << 20);
  EXPECT_EQ(c->log_format, "json");
}

TEST(Config, RejectsBadValuesNamingTheOption) {
  auto c = resolve_config({{"listen", "nowhere"}}, {});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "listen");
  auto d = resolve_config({}, {{"OPZENIX_LOG_FORMAT", "xml"}});
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("text or json"), std::string::npos);
}

TEST(Config, TheOtlpBodyLimitIsASizeOption) {
  auto c = resolve_config({}, {{"OTLP_MAX_BODY", "16MiB"}});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->otlp_max_body, 16u << 20);
  EXPECT_EQ(resolve_config({}, {})->otlp_max_body, 8u << 20);
  auto small = resolve_config({{"otlp-max-body", "10"}}, {});
  ASSERT_FALSE(small.ok());
  EXPECT_EQ(small.error().field, "otlp-max-body");
}

TEST(Config, TheRestRowCapIsAnOption) {
  EXPECT_EQ(resolve_config({}, {})->db_max_rows, 1000);
  auto c = resolve_config({}, {{"OPZENIX_DB_MAX_ROWS", "10"}});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->db_max_rows, 10);
  EXPECT_EQ(resolve_config({{"db-max-rows", "250"}}, {{"OPZENIX_DB_MAX_ROWS", "10"}})->db_max_rows,
            250);
  for (const char* bad : {"0", "-5", "many"}) {
    auto d = resolve_config({{"db-max-rows", bad}}, {});
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.error().field, "db-max-rows") << bad;
  }
}

TEST(Config, TriggerTimeoutsAndIntervalsAreOptions) {
  auto c = resolve_config({{"git-timeout", "45s"}},
                          {{"OPZENIX_GITHUB_TIMEOUT", "5s"}, {"OPZENIX_WORKFLOW_POLL_INTERVAL", "1m"}});
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->git_timeout, std::chrono::seconds(45));
  EXPECT_EQ(c->github_timeout, std::chrono::seconds(5));
  EXPECT_EQ(c->workflow_poll_interval, std::chrono::seconds(60));
  auto d = resolve_config({}, {});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->git_timeout, std::chrono::seconds(30));
  EXPECT_EQ(d->github_timeout, std::chrono::seconds(15));
  EXPECT_EQ(d->workflow_poll_interval, std::chrono::seconds(30));
  auto bad = resolve_config({{"workflow-poll-interval", "10ms"}}, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "workflow-poll-interval");
}

TEST(Config, TheSqliteCheckpointThresholdIsAnOption) {
  EXPECT_EQ(resolve_config({}, {})->sqlite_checkpoint_pages, 250);
  auto off = resolve_config({}, {{"OPZENIX_SQLITE_CHECKPOINT_PAGES", "0"}});
  ASSERT_TRUE(off.ok()) << off.error().to_string();
  EXPECT_EQ(off->sqlite_checkpoint_pages, 0);
  EXPECT_EQ(resolve_config({{"sqlite-checkpoint-pages", "4000"}}, {})->sqlite_checkpoint_pages,
            4000);
  for (const char* bad : {"-1", "lots", "2000000"}) {
    auto d = resolve_config({{"sqlite-checkpoint-pages", bad}}, {});
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.error().field, "sqlite-checkpoint-pages") << bad;
  }
}

TEST(Config, TheSqliteReaderCacheIsAnOption) {
  EXPECT_EQ(resolve_config({}, {})->sqlite_reader_cache_mb, 16);
  auto off = resolve_config({}, {{"OPZENIX_SQLITE_READER_CACHE_MB", "0"}});
  ASSERT_TRUE(off.ok()) << off.error().to_string();
  EXPECT_EQ(off->sqlite_reader_cache_mb, 0);
  EXPECT_EQ(resolve_config({{"sqlite-reader-cache-mb", "64"}}, {})->sqlite_reader_cache_mb, 64);
  for (const char* bad : {"-1", "big", "5000"}) {
    auto d = resolve_config({{"sqlite-reader-cache-mb", bad}}, {});
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.error().field, "sqlite-reader-cache-mb") << bad;
  }
}

TEST(Config, UnknownFileKeyNamesTheLine) {
  testing::TempDir d;
  auto file = d.write("c.yml", "listen: 127.0.0.1:1\nlisten_port: 3\n");
  auto c = resolve_config({{"config", file}}, {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find(":2: unknown option 'listen_port'"), std::string::npos)
      << c.error().message;
}

TEST(Config, JsonViewListsEveryOption) {
  auto c = resolve_config({}, {});
  auto j = config_to_json(*c);
  for (const auto& o : config_options()) EXPECT_TRUE(j.contains(o.name)) << o.name;
}

TEST(Config, WebDirComesFromTheFlagOrEnvironment) {
  auto c = resolve_config({}, {{"OPZENIX_WEB_DIR", "/srv/opzenix/web"}});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->web_dir, "/srv/opzenix/web");
  EXPECT_EQ(find_web_dir(c->web_dir, "/usr/bin/opzenix"), "/srv/opzenix/web");
}

TEST(Config, WebDirDefaultsToTheBuildNextToTheExecutable) {
  testing::TempDir d;
  const std::string exe = (d.path() / "bin" / "opzenix").string();
  // Nothing built yet: neither candidate next to the executable is taken.
  EXPECT_EQ(find_web_dir("", exe).find(d.str()), std::string::npos);
  d.write("bin/web/index.html", "<html></html>");
  EXPECT_EQ(find_web_dir("", exe), (d.path() / "bin" / "web").string());
  // <exe dir>/../web/dist comes first.
  d.write("web/dist/index.html", "<html></html>");
  EXPECT_EQ(find_web_dir("", exe), (d.path() / "web" / "dist").string());
}

}  // namespace
}  // namespace opz::app
