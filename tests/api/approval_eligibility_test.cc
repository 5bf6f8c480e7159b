// api::vote_eligibility: whether the caller may approve, and the sentence
// that says why not, for each rule check_voter applies.
#include "api/approval_eligibility.h"

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace opz::api {
namespace {

class VoteEligibilityTest : public ::testing::Test {
 protected:
  VoteEligibilityTest() {
    request_.id = "r1";
    request_.execution_id = "e1";
    request_.environment = "Production";
    request_.required_approvals = 2;
    request_.requested_by = "starter";
    request_.pusher_user_id = "pusher";
    request_.commit_sha = "abc123";
    request_.created_at = "2026-01-01T00:00:00.000Z";
    request_.expires_at = "2026-02-01T00:00:00.000Z";
  }

  VoteEligibility check(const std::string& user, auth::Role role) {
    return vote_eligibility(request_, user, role, now_, [](const std::string& id) {
      return id == "alice" ? std::string("alice@example.com") : id;
    });
  }
  void add_vote(const std::string& user, bool approve) {
    store::ApprovalVoteRecord v;
    v.user_id = user;
    v.approve = approve;
    v.comment = approve ? "" : "no";
    v.created_at = "2026-01-01T01:00:00.000Z";
    request_.votes.push_back(v);
  }

  store::ApprovalRecord request_;
  TimePoint now_ = *parse_time("2026-01-02T00:00:00.000Z");
};

TEST_F(VoteEligibilityTest, AnOperatorWhoIsNotInvolvedMayApprove) {
  auto e = check("op", auth::Role::kOperator);
  EXPECT_TRUE(e.can_vote);
  EXPECT_FALSE(e.reason.has_value());
}

TEST_F(VoteEligibilityTest, AViewerMayNot) {
  auto e = check("viewer", auth::Role::kViewer);
  EXPECT_FALSE(e.can_vote);
  EXPECT_EQ(e.reason, "Only operators and admins can approve");
}

TEST_F(VoteEligibilityTest, TheStarterAndThePusherMayNotApproveTheirOwnDeploy) {
  EXPECT_EQ(check("starter", auth::Role::kAdmin).reason,
            "You started this execution: self-approval is not allowed in Production");
  EXPECT_EQ(check("pusher", auth::Role::kOperator).reason,
            "You pushed this commit: self-approval is not allowed in Production");
  request_.prevent_self_approval = false;
  EXPECT_TRUE(check("starter", auth::Role::kAdmin).can_vote);
}

TEST_F(VoteEligibilityTest, SomeoneOutsideTheNamedReviewersMayNotAndSeesWhoMay) {
  request_.reviewers = Json::array({Json{{"kind", "user"}, {"id", "alice"}},
                                    Json{{"kind", "role"}, {"id", "admin"}}});
  EXPECT_EQ(check("op", auth::Role::kOperator).reason,
            "You are not a named reviewer of Production (reviewers: alice@example.com, role "
            "admin)");
  EXPECT_TRUE(check("alice", auth::Role::kOperator).can_vote);
  EXPECT_TRUE(check("boss", auth::Role::kAdmin).can_vote);
}

TEST_F(VoteEligibilityTest, OneVotePerPerson) {
  add_vote("op", true);
  add_vote("other", false);
  EXPECT_EQ(check("op", auth::Role::kOperator).reason, "You already approved");
  EXPECT_EQ(check("other", auth::Role::kOperator).reason, "You already rejected");
}

TEST_F(VoteEligibilityTest, ADecidedOrExpiredRequestTakesNoVotes) {
  request_.status = "approved";
  EXPECT_EQ(check("op", auth::Role::kOperator).reason,
            "This request is no longer pending (approved)");
  request_.status = "pending";
  now_ = *parse_time("2026-03-01T00:00:00.000Z");
  EXPECT_EQ(check("op", auth::Role::kOperator).reason, "This request has expired");
}

}  // namespace
}  // namespace opz::api
