#include "governance/execution_request.h"

#include "governance/enum_names.h"

namespace opz::governance {

namespace {

constexpr detail::NameTable<RefKind, 3> kRefKinds{{
    {RefKind::kBranch, "branch"},
    {RefKind::kTag, "tag"},
    {RefKind::kNone, "none"},
}};

constexpr detail::NameTable<TriggerKind, 6> kTriggerKinds{{
    {TriggerKind::kWebhook, "webhook"},
    {TriggerKind::kPoll, "poll"},
    {TriggerKind::kApi, "api"},
    {TriggerKind::kRerun, "rerun"},
    {TriggerKind::kPromotion, "promotion"},
    {TriggerKind::kRollback, "rollback"},
}};

}  // namespace

bool is_system_trigger(TriggerKind kind) {
  return kind == TriggerKind::kWebhook || kind == TriggerKind::kPoll;
}

std::string_view to_string(RefKind kind) { return detail::name_of(kRefKinds, kind); }
std::string_view to_string(TriggerKind kind) { return detail::name_of(kTriggerKinds, kind); }

Result<RefKind> parse_ref_kind(std::string_view text, std::string_view field) {
  return detail::parse_named(kRefKinds, text, field);
}

Result<TriggerKind> parse_trigger_kind(std::string_view text, std::string_view field) {
  return detail::parse_named(kTriggerKinds, text, field);
}

}  // namespace opz::governance
