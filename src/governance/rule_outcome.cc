#include "governance/rule_outcome.h"

#include "governance/enum_names.h"

namespace opz::governance {

namespace {

constexpr detail::NameTable<RuleResult, 5> kResults{{
    {RuleResult::kPass, "pass"},
    {RuleResult::kBlock, "block"},
    {RuleResult::kWait, "wait"},
    {RuleResult::kNeedsApproval, "needs_approval"},
    {RuleResult::kSkipped, "skipped"},
}};

}  // namespace

std::string_view to_string(RuleResult result) { return detail::name_of(kResults, result); }

}  // namespace opz::governance
