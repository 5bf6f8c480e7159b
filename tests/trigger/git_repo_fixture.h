// A real git repository for tests: a bare "remote" and a working clone in a
// TempDir, committed to and pushed with the real git binary (argv, no shell).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/server_process.h"
#include "support/temp_dir.h"

namespace opz::trigger::testing {

class GitRepo {
 public:
  GitRepo() {
    bare_ = dir_.str() + "/remote.git";
    work_ = dir_.str() + "/work";
    git({"init", "--quiet", "--bare", "--initial-branch=main", bare_});
    git({"clone", "--quiet", bare_, work_});
    git({"-C", work_, "checkout", "--quiet", "-B", "main"});
  }
  const std::string& url() const { return bare_; }
  const std::string& work() const { return work_; }

  // Writes `file`, commits on `branch` (created from the current HEAD when
  // new) and pushes it; answers the new commit's sha.
  std::string commit_and_push(const std::string& branch, const std::string& file,
                              const std::string& content) {
    git({"-C", work_, "checkout", "--quiet", "-B", branch});
    dir_.write("work/" + file, content);
    git({"-C", work_, "add", "--", file});
    git({"-C", work_, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit",
         "--quiet", "-m", "change " + file});
    git({"-C", work_, "push", "--quiet", "--force", "origin", branch});
    return head();
  }
  std::string tag_and_push(const std::string& tag, bool annotated = false) {
    if (annotated) {
      git({"-C", work_, "-c", "user.name=Test", "-c", "user.email=test@example.com", "tag", "-a",
           "-m", "release " + tag, tag});
    } else {
      git({"-C", work_, "tag", tag});
    }
    git({"-C", work_, "push", "--quiet", "origin", tag});
    return head();
  }
  void delete_remote_branch(const std::string& branch) {
    git({"-C", work_, "push", "--quiet", "origin", "--delete", branch});
  }
  std::string head() {
    auto r = git({"-C", work_, "rev-parse", "HEAD"});
    std::string sha = r.out;
    while (!sha.empty() && (sha.back() == '\n' || sha.back() == '\r')) sha.pop_back();
    return sha;
  }

 private:
  opz::testing::CommandResult git(std::vector<std::string> args) {
    args.insert(args.begin(), "git");
    auto r = opz::testing::run_command(args, {}, {{"GIT_CONFIG_NOSYSTEM", "1"}}, 60);
    EXPECT_EQ(r.exit_code, 0) << args[1] << " " << args[2] << ": " << r.err;
    return r;
  }

  opz::testing::TempDir dir_;
  std::string bare_;
  std::string work_;
};

}  // namespace opz::trigger::testing
