// Fuzz target for the webhook intake: everything an unauthenticated sender
// controls (event name, body, signature header) goes through the same calls
// the webhook route makes. Input format: "<event name>\n<raw body>".
//
// Must never crash, hang or trip a sanitizer; also checks a few invariants
// (a signature made by sign() always verifies; deleting pushes never trigger;
// pull requests never run in a deploying mode) and aborts if one breaks.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/glob.h"
#include "github/repository_locator.h"
#include "github/signature.h"
#include "github/trigger_decision.h"
#include "github/webhook_event.h"
#include "governance/branch_mapper.h"

namespace {

constexpr std::string_view kSecret = "fuzz-secret";

void check(bool invariant) {
  if (!invariant) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace opz;
  using namespace opz::github;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string_view event_name = input.substr(0, newline);
  std::string_view body =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  // Signatures: our own always verifies; arbitrary header values never crash.
  check(verify_signature(kSecret, body, sign(kSecret, body)).ok());
  (void)verify_signature(kSecret, body, event_name);
  (void)verify_signature("", body, event_name);

  (void)extract_repository_full_name(body, kMaxWebhookBodyBytes);

  auto event = parse_webhook_event(event_name, body);
  if (!event) return 0;
  TriggerDecision decision = should_trigger(*event);
  check(!decision.reason.empty());
  if (const PushEvent* push = event->push(); push && push->deleted) check(!decision.trigger);
  if (event->pull_request() && decision.trigger) check(decision.mode == TriggerMode::kCiOnly);

  // Branch mapping and image tags for whatever ref the event names.
  static const governance::BranchMapper kDefaults(governance::default_rules());
  static const governance::BranchMapper kGitops(governance::gitops_rules());
  for (const auto* mapper : {&kDefaults, &kGitops}) {
    governance::MappingDecision mapping = mapper->resolve(decision.ref);
    check(!mapping.explanation.empty());
    (void)mapping.render_image_tag(decision.sha);
  }
  if (const PushEvent* push = event->push()) {
    (void)glob_match(event_name, push->short_ref);
    (void)governance::render_image_tag(push->short_ref, governance::parse_git_ref(push->ref),
                                       push->after);
  }
  return 0;
}
