#include "engine/workspace.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "support/temp_dir.h"

namespace opz::engine {
namespace {

TEST(WorkspaceTest, SourceJsonRoundTripAndValidation) {
  WorkspaceSource git{WorkspaceSource::Kind::kGit, "", "https://example.com/r.git"};
  auto back = WorkspaceSource::from_json(git.to_json());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->kind, WorkspaceSource::Kind::kGit);
  EXPECT_EQ(back->git_url, "https://example.com/r.git");
  WorkspaceSource dir{WorkspaceSource::Kind::kDirectory, "/src", ""};
  EXPECT_EQ(WorkspaceSource::from_json(dir.to_json())->path, "/src");
  EXPECT_EQ(WorkspaceSource::from_json(Json())->kind, WorkspaceSource::Kind::kNone);
  EXPECT_FALSE(WorkspaceSource::from_json(Json{{"kind", "ftp"}}).ok());
  EXPECT_FALSE(WorkspaceSource::from_json(Json{{"kind", "git"}}).ok());
  EXPECT_FALSE(WorkspaceSource::from_json(Json{{"kind", "directory"}}).ok());
  EXPECT_FALSE(WorkspaceSource::from_json(Json::array()).ok());
}

TEST(WorkspaceTest, Paths) {
  EXPECT_EQ(workspace_dir("/var/opz", "e1"), "/var/opz/workspaces/e1");
  EXPECT_EQ(outputs_dir("/var/opz", "e1"), "/var/opz/outputs/e1");
}

TEST(WorkspaceTest, ShellQuoteSurvivesTheShell) {
  const std::string nasty = "it's $(rm -rf /) `x` \"y\" \\ ; done";
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  testing::TempDir dir;
  std::string out = dir.str() + "/out";
  std::string cmd = "printf '%s' " + shell_quote(nasty) + " > " + shell_quote(out);
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(out);
  std::string got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(got, nasty);
}

TEST(WorkspaceTest, CheckoutCommandClonesAtTheCommitAndPrintsIt) {
  testing::TempDir dir;
  const std::string repo = dir.str() + "/repo";
  std::string setup = "git init -q " + repo + " && cd " + repo +
                      " && git -c user.email=t@t -c user.name=t commit -q --allow-empty -m one"
                      " && git -c user.email=t@t -c user.name=t commit -q --allow-empty -m two"
                      " > /dev/null";
  ASSERT_EQ(std::system(setup.c_str()), 0);
  auto sha_of = [&](const std::string& rev) {
    std::string file = dir.str() + "/sha";
    std::string cmd = "git -C " + repo + " rev-parse " + rev + " > " + file;
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    std::ifstream in(file);
    std::string sha;
    in >> sha;
    return sha;
  };
  const std::string first = sha_of("HEAD~1");
  const std::string ws = dir.str() + "/ws";
  std::string cmd = checkout_command(repo, first, "", ws) + " > " + dir.str() + "/printed";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream printed(dir.str() + "/printed");
  std::string head;
  printed >> head;
  EXPECT_EQ(head, first);
  std::string check = "test \"$(git -C " + ws + " rev-parse HEAD)\" = " + first;
  EXPECT_EQ(std::system(check.c_str()), 0);
  // A commit that does not exist fails the command.
  std::string bad = "(" + checkout_command(repo, std::string(40, 'f'), "", dir.str() + "/ws2") +
                    ") > /dev/null 2>&1";
  EXPECT_NE(std::system(bad.c_str()), 0);
}

TEST(WorkspaceTest, MirrorKeepsDeployedCommitsWhenTheRemoteIsGone) {
  testing::TempDir dir;
  const std::string repo = dir.str() + "/repo";
  std::string setup = "git init -q " + repo + " && git -C " + repo +
                      " -c user.email=t@t -c user.name=t commit -q --allow-empty -m one && git -C " +
                      repo + " -c user.email=t@t -c user.name=t commit -q --allow-empty -m two";
  ASSERT_EQ(std::system(setup.c_str()), 0);
  const std::string sha_file = dir.str() + "/sha";
  ASSERT_EQ(std::system(("git -C " + repo + " rev-parse HEAD~1 > " + sha_file).c_str()), 0);
  std::ifstream in(sha_file);
  std::string first;
  in >> first;
  const std::string mirror = mirror_dir(dir.str() + "/data", repo);
  EXPECT_EQ(mirror, mirror_dir(dir.str() + "/data", repo)) << "stable per url";
  EXPECT_NE(mirror, mirror_dir(dir.str() + "/data", repo + "x"));

  std::string cmd = checkout_command(repo, "", "", dir.str() + "/ws1", mirror) + " > /dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  ASSERT_TRUE(std::filesystem::is_directory(mirror));

  // The remote disappears: an earlier commit still checks out from the mirror.
  std::filesystem::rename(repo, dir.str() + "/gone");
  cmd = "(" + checkout_command(repo, first, "", dir.str() + "/ws2", mirror) + ") > " +
        dir.str() + "/printed 2> " + dir.str() + "/stderr";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream printed(dir.str() + "/printed");
  std::string head;
  printed >> head;
  EXPECT_EQ(head, first);
  // The mirror has that commit: nothing was fetched, so nothing failed.
  std::ifstream err(dir.str() + "/stderr");
  std::string quiet((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
  EXPECT_EQ(quiet, "");
  // A branch's head must be fetched: that fails, and the mirror serves it.
  cmd = "(" + checkout_command(repo, "", "", dir.str() + "/ws4", mirror) + ") > /dev/null 2> " +
        dir.str() + "/stderr4";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream err4(dir.str() + "/stderr4");
  std::string warning((std::istreambuf_iterator<char>(err4)), std::istreambuf_iterator<char>());
  EXPECT_NE(warning.find("checking out from the local mirror"), std::string::npos) << warning;
  // A commit the mirror never had cannot come from anywhere.
  cmd = "(" + checkout_command(repo, std::string(40, 'e'), "", dir.str() + "/ws3", mirror) +
        ") > /dev/null 2>&1";
  EXPECT_NE(std::system(cmd.c_str()), 0);
}

TEST(WorkspaceTest, ListsExpiredDirectoriesExceptActiveOnes) {
  testing::TempDir dir;
  namespace fs = std::filesystem;
  for (const char* name : {"old", "active-old", "fresh"}) fs::create_directories(dir.path() / name);
  TimePoint now = std::chrono::system_clock::now();
  auto age = [&](const char* name, std::chrono::hours h) {
    struct utimbuf t;
    t.actime = t.modtime = std::chrono::system_clock::to_time_t(now - h);
    ASSERT_EQ(utime((dir.path() / name).c_str(), &t), 0);
  };
  age("old", std::chrono::hours(48));
  age("active-old", std::chrono::hours(48));
  auto expired = list_expired_dirs(dir.str(), now, std::chrono::hours(24), {"active-old"});
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0], (dir.path() / "old").string());
  EXPECT_TRUE(list_expired_dirs(dir.str() + "/missing", now, std::chrono::hours(1), {}).empty());
  EXPECT_EQ(remove_command("/a b"), "rm -rf -- '/a b'");
}

}  // namespace
}  // namespace opz::engine
