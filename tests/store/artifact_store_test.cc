// ArtifactStore: a registered push links to the execution of its project that
// built the digest, else to the newest one whose commit is its revision (full
// or a 7+ digit prefix), else to none; another project's executions never
// count; a repeated push is answered as a duplicate and stored once; the
// project's list holds registered and execution-produced artifacts.
#include "store/artifact_store.h"

#include <gtest/gtest.h>

#include "migrated_db_test.h"

namespace opz::store {
namespace {

const std::string kSha = "4f0b6c4c3a7b7a2b3e7b0e0d0f0a0b0c0d0e0f10";
const std::string kDigest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

class ArtifactStoreTest : public MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    a_ = create_project("a");
    b_ = create_project("b");
  }
  void execution(const std::string& id, const std::string& project, const std::string& sha,
                 const std::string& created_at) {
    ASSERT_TRUE(db_->write([&](SqlSession& s) -> Status {
                     OPZ_TRY_STATUS(s.exec("INSERT INTO executions (id, name, project_id, "
                                           "commit_hash, created_at, updated_at) "
                                           "VALUES ($1, 'x', $2, $3, $4, $4)",
                                           {id, project, sha, created_at}));
                     return {};
                   }).ok());
  }
  void built(const std::string& execution_id, const std::string& digest) {
    ASSERT_TRUE(db_->write([&](SqlSession& s) -> Status {
                     OPZ_TRY_STATUS(s.exec("INSERT INTO artifacts (id, name, execution_id, "
                                           "image_digest, type, created_at) VALUES "
                                           "($1, 'app', $2, $3, 'docker', '2026-01-01T00:00:00Z')",
                                           {"built-" + execution_id, execution_id, digest}));
                     return {};
                   }).ok());
  }
  Result<ArtifactRegistration> push(const std::string& project, const std::string& digest,
                                    const std::string& tag, const std::string& revision) {
    ArtifactStore store(*db_, clock_);
    return db_->write([&](SqlSession& tx) {
      return store.register_push(tx, {project, "acme/app", digest, tag, "https://ghcr.io",
                                      int64_t{42}, revision, Json{{"source", "test"}}});
    });
  }

  std::string a_, b_;
};

TEST_F(ArtifactStoreTest, LinksToTheBuildOfTheDigestFirst) {
  execution("e-build", a_, "", "2026-01-01T00:00:00Z");
  execution("e-commit", a_, kSha, "2026-01-02T00:00:00Z");
  built("e-build", kDigest);
  auto r = push(a_, kDigest, "v1", kSha);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->artifact.execution_id, "e-build");
  EXPECT_FALSE(r->duplicate);
  EXPECT_EQ(r->artifact.metadata["project_id"], a_);
  EXPECT_EQ(r->artifact.metadata["revision"], kSha);
  EXPECT_EQ(r->artifact.metadata["source"], "test");
  EXPECT_EQ(r->artifact.size_bytes, 42);
}

TEST_F(ArtifactStoreTest, ThenToTheNewestExecutionOfTheRevisionOfItsOwnProject) {
  execution("e-old", a_, kSha, "2026-01-01T00:00:00Z");
  execution("e-new", a_, kSha, "2026-01-03T00:00:00Z");
  execution("e-other", b_, kSha, "2026-01-05T00:00:00Z");
  built("e-other", kDigest);  // another project's build of the digest does not count
  EXPECT_EQ(push(a_, kDigest, "v1", kSha)->artifact.execution_id, "e-new");
  EXPECT_EQ(push(a_, kDigest, "short", kSha.substr(0, 7))->artifact.execution_id, "e-new");
  // The same image retagged is linked like its first push (same digest).
  EXPECT_EQ(push(a_, kDigest, "retagged", "")->artifact.execution_id, "e-new");
  const std::string other = "sha256:" + std::string(64, 'c');
  EXPECT_EQ(push(a_, other, "none", "")->artifact.execution_id, "");
  EXPECT_EQ(push(a_, other, "unknown", "abcdef1")->artifact.execution_id, "");
}

TEST_F(ArtifactStoreTest, ARepeatedPushIsADuplicateAndTheListHoldsBothKinds) {
  auto first = push(a_, kDigest, "v1", "");
  ASSERT_TRUE(first.ok());
  auto again = push(a_, kDigest, "v1", "");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->artifact.id, first->artifact.id);
  EXPECT_FALSE(push(a_, kDigest, "v2", "")->duplicate) << "another tag is another push";
  EXPECT_FALSE(push(b_, kDigest, "v1", "")->duplicate) << "another project";

  execution("e1", a_, "", "2026-01-01T00:00:00Z");
  built("e1", "sha256:" + std::string(64, 'e'));
  auto list = ArtifactStore(*db_, clock_).list_for_project(a_, 100);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 3u);
  auto limited = ArtifactStore(*db_, clock_).list_for_project(a_, 1);
  EXPECT_EQ(limited->size(), 1u);
  EXPECT_EQ(ArtifactStore(*db_, clock_).list_for_project(b_, 100)->size(), 1u);
}

}  // namespace
}  // namespace opz::store
