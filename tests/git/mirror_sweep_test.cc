#include "git/mirror_sweep.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>
#include <utime.h>

#include <filesystem>

#include "support/temp_dir.h"

namespace opz::git {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;

class MirrorSweepTest : public ::testing::Test {
 protected:
  // A mirror directory last used `age` before now_.
  std::string mirror(const std::string& name, hours age) {
    const fs::path p = dir_.path() / "mirrors" / name;
    fs::create_directories(p / "objects");
    struct utimbuf t;
    t.actime = t.modtime = std::chrono::system_clock::to_time_t(now_ - age);
    EXPECT_EQ(::utime(p.c_str(), &t), 0);
    return p.string();
  }

  opz::testing::TempDir dir_;
  TimePoint now_ = std::chrono::system_clock::now();
};

TEST_F(MirrorSweepTest, RemovesMirrorsUnusedForLongerThanTheLimitOnly) {
  const std::string old_one = mirror("aaaa.git", hours(24 * 20));
  const std::string recent = mirror("bbbb.git", hours(24 * 2));
  const std::string not_a_mirror = mirror("cccc.tmp", hours(24 * 20));

  const auto removed = remove_unused_mirrors(dir_.str(), now_, hours(24 * 14));

  EXPECT_EQ(removed, std::vector<std::string>{old_one});
  EXPECT_FALSE(fs::exists(old_one));
  EXPECT_TRUE(fs::exists(recent));
  EXPECT_TRUE(fs::exists(not_a_mirror));
}

TEST_F(MirrorSweepTest, KeepsAMirrorWhoseLockIsHeld) {
  const std::string busy = mirror("dddd.git", hours(24 * 20));
  const int fd = ::open((busy + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_SH), 0);  // a checkout from it, in another process or here

  EXPECT_TRUE(remove_unused_mirrors(dir_.str(), now_, hours(24 * 14)).empty());
  EXPECT_TRUE(fs::exists(busy));

  ::close(fd);
  EXPECT_EQ(remove_unused_mirrors(dir_.str(), now_, hours(24 * 14)).size(), 1u);
  EXPECT_FALSE(fs::exists(busy));
}

TEST_F(MirrorSweepTest, NoMirrorsDirectoryIsNothingToDo) {
  EXPECT_TRUE(remove_unused_mirrors(dir_.str() + "/absent", now_, hours(1)).empty());
}

}  // namespace
}  // namespace opz::git
