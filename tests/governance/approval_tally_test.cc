#include "governance/approval_tally.h"

#include <gtest/gtest.h>

namespace opz::governance {
namespace {

using namespace std::chrono;
using auth::Role;

constexpr std::string_view kSha = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
constexpr std::string_view kOtherSha = "ffffffffffffffffffffffffffffffffffffffff";

struct Fixture : ::testing::Test {
  ManualClock clock;
  EnvironmentProtection prod = default_environments()[3];
  ApprovalRequest request;

  Fixture() {
    ExecutionRequest r;
    r.project_id = "p1";
    r.environment = "Production";
    r.commit_sha = std::string(kSha);
    r.requested_by = "starter";
    r.pusher_user_id = "pusher";
    request = make_approval_request(r, prod, "e1", clock.now());
  }

  ApprovalVote vote(std::string user, bool approve = true, std::string comment = "") {
    return {std::move(user), approve, std::move(comment), std::string(kSha), clock.now(), {}};
  }
  VoteCheck check(const std::vector<ApprovalVote>& votes, Voter voter, const ApprovalVote& v) {
    return check_voter(request, votes, voter, v, prod, clock.now());
  }
};

TEST_F(Fixture, RequestTakesRulesFromProtection) {
  EXPECT_EQ(request.required_approvals, 2);
  EXPECT_TRUE(request.prevent_self_approval);
  EXPECT_EQ(request.environment, "Production");
  EXPECT_EQ(request.expires_at - request.created_at, hours{24 * 30});
  EXPECT_EQ(request.commit_sha, kSha);
}

TEST_F(Fixture, TwoDistinctApprovalsApprove) {
  std::vector<ApprovalVote> votes;
  EXPECT_TRUE(check(votes, {"a", Role::kOperator}, vote("a")).allowed());
  votes.push_back(vote("a"));
  Tally t = tally(request, votes, clock.now());
  EXPECT_EQ(t.status, ApprovalStatus::kPending);
  EXPECT_EQ(t.approvals, 1);
  auto again = check(votes, {"a", Role::kOperator}, vote("a"));
  EXPECT_EQ(again.refusal, VoteRefusal::kAlreadyVoted);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  votes.push_back(vote("a"));  // a duplicate that slipped through never counts twice
  EXPECT_EQ(tally(request, votes, clock.now()).status, ApprovalStatus::kPending);
  clock.advance(minutes{3});
  EXPECT_TRUE(check(votes, {"b", Role::kAdmin}, vote("b")).allowed());
  votes.push_back(vote("b"));
  t = tally(request, votes, clock.now());
  EXPECT_EQ(t.status, ApprovalStatus::kApproved);
  EXPECT_EQ(t.approvals, 2);
  EXPECT_EQ(t.approvers, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t.decided_at, clock.now());
}

TEST_F(Fixture, ViewersAndNonReviewersAreNotEligible) {
  auto viewer = check({}, {"v", Role::kViewer}, vote("v"));
  EXPECT_EQ(viewer.refusal, VoteRefusal::kNotEligible);
  EXPECT_EQ(viewer.error().code, ErrorCode::kForbidden);
  prod.reviewers = {{ReviewerKind::kUser, "alice"}, {ReviewerKind::kRole, "admin"}};
  EXPECT_EQ(check({}, {"bob", Role::kOperator}, vote("bob")).refusal, VoteRefusal::kNotEligible);
  EXPECT_TRUE(check({}, {"alice", Role::kOperator}, vote("alice")).allowed());
  EXPECT_TRUE(check({}, {"carol", Role::kAdmin}, vote("carol")).allowed());
}

TEST_F(Fixture, NeitherStarterNorPusherMayApprove) {
  auto starter = check({}, {"starter", Role::kAdmin}, vote("starter"));
  EXPECT_EQ(starter.refusal, VoteRefusal::kSelfApproval);
  EXPECT_EQ(starter.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(check({}, {"pusher", Role::kAdmin}, vote("pusher")).refusal,
            VoteRefusal::kSelfApproval);
  // They may reject, and self-approvals recorded anyway never count.
  EXPECT_TRUE(check({}, {"pusher", Role::kAdmin}, vote("pusher", false, "not yet")).allowed());
  EXPECT_EQ(tally(request, {vote("starter"), vote("pusher"), vote("a")}, clock.now()).approvals, 1);
  request.prevent_self_approval = false;
  EXPECT_TRUE(check({}, {"starter", Role::kAdmin}, vote("starter")).allowed());
}

TEST_F(Fixture, AnyRejectionRejectsAndNeedsAComment) {
  auto bare = check({}, {"a", Role::kOperator}, vote("a", false, "  "));
  EXPECT_EQ(bare.refusal, VoteRefusal::kCommentRequired);
  EXPECT_EQ(bare.error().code, ErrorCode::kValidation);
  EXPECT_EQ(bare.error().field, "comment");
  Tally t = tally(request, {vote("a"), vote("b", false, "breaks checkout")}, clock.now());
  EXPECT_EQ(t.status, ApprovalStatus::kRejected);
  EXPECT_EQ(t.rejected_by, "b");
  EXPECT_EQ(t.rejection_comment, "breaks checkout");
}

TEST_F(Fixture, ARejectionNamesTheVoterByTheLabelPeopleKnow) {
  ApprovalVote no = vote("b", false, "breaks checkout");
  no.user_label = "bea@example.com";
  EXPECT_EQ(tally(request, {no}, clock.now()).rejected_by, "bea@example.com");
}

TEST_F(Fixture, VotesAreBoundToTheCommit) {
  ApprovalVote other = vote("a");
  other.commit_sha = std::string(kOtherSha);
  auto c = check({}, {"a", Role::kOperator}, other);
  EXPECT_EQ(c.refusal, VoteRefusal::kWrongCommit);
  EXPECT_EQ(c.error().code, ErrorCode::kConflict);
  ApprovalVote other_b = other;
  other_b.user_id = "b";
  EXPECT_EQ(tally(request, {other, other_b}, clock.now()).status, ApprovalStatus::kPending);
}

TEST_F(Fixture, ExpiryAndDecidedRequests) {
  clock.advance(hours{24 * 30});
  EXPECT_EQ(check({}, {"a", Role::kOperator}, vote("a")).refusal, VoteRefusal::kNotPending);
  Tally t = tally(request, {vote("a"), vote("b")}, clock.now());  // votes too late
  EXPECT_EQ(t.status, ApprovalStatus::kExpired);
  EXPECT_EQ(t.decided_at, request.expires_at);
  request.status = ApprovalStatus::kApproved;
  request.expires_at = clock.now() + hours{1};
  auto decided = check({}, {"a", Role::kOperator}, vote("a"));
  EXPECT_EQ(decided.refusal, VoteRefusal::kNotPending);
  EXPECT_EQ(decided.error().code, ErrorCode::kConflict);
  request.status = ApprovalStatus::kSuperseded;
  EXPECT_EQ(tally(request, {}, clock.now()).status, ApprovalStatus::kSuperseded);
  EXPECT_EQ(to_string(VoteRefusal::kSelfApproval), "self_approval");
  EXPECT_EQ(*parse_approval_status("expired"), ApprovalStatus::kExpired);
}

}  // namespace
}  // namespace opz::governance
