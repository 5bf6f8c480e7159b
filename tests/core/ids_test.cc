#include "core/ids.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace opz {
namespace {

TEST(Ids, UuidsAreVersion7AndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = new_uuid();
    ASSERT_TRUE(is_uuid(id)) << id;
    EXPECT_EQ(id[14], '7');
    EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Ids, UuidsStartWithTheirMillisecondAndSortByIt) {
  const auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const std::string first = new_uuid();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const std::string second = new_uuid();
  EXPECT_LT(first, second);  // text order is time order
  const std::string hex = first.substr(0, 8) + first.substr(9, 4);
  const auto ms = static_cast<int64_t>(std::stoull(hex, nullptr, 16));
  EXPECT_GE(ms, before);
  EXPECT_LE(ms, before + 1000);
}

// Ids draw their random bits from a per-thread stream: threads must not
// share one, and a forked child must not replay its parent's.
TEST(Ids, ThreadsAndForkedChildrenDrawDifferentRandomBits) {
  auto random_part = [](const std::string& id) { return id.substr(15); };  // after the ms and version
  std::vector<std::string> ids(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < ids.size(); ++i) threads.emplace_back([&ids, i] { ids[i] = new_uuid(); });
  for (auto& t : threads) t.join();
  std::set<std::string> parts;
  for (const std::string& id : ids) parts.insert(random_part(id));
  EXPECT_EQ(parts.size(), ids.size());

  (void)new_uuid();  // this thread's stream is keyed before the fork
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string id = new_uuid();
    ssize_t wrote = write(pipe_fds[1], id.data(), id.size());
    _exit(wrote == static_cast<ssize_t>(id.size()) ? 0 : 1);
  }
  const std::string parent_id = new_uuid();
  char buf[36];
  ASSERT_EQ(read(pipe_fds[0], buf, sizeof buf), 36);
  int status = 0;
  waitpid(child, &status, 0);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  const std::string child_id(buf, 36);
  EXPECT_TRUE(is_uuid(child_id)) << child_id;
  EXPECT_NE(random_part(child_id), random_part(parent_id));
}

TEST(Ids, RejectsNonUuids) {
  EXPECT_FALSE(is_uuid(""));
  EXPECT_FALSE(is_uuid("1' OR '1'='1"));
  EXPECT_FALSE(is_uuid("00000000-0000-4000-8000-00000000000g"));
  EXPECT_FALSE(is_uuid("00000000000040008000000000000000abcd"));
  EXPECT_TRUE(is_uuid("00000000-0000-4000-8000-000000000000"));
}

TEST(Ids, RandomHexHasTheRequestedLength) {
  EXPECT_EQ(random_hex(32).size(), 64u);
  EXPECT_NE(random_hex(16), random_hex(16));
}

}  // namespace
}  // namespace opz
