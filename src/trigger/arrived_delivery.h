// ArrivedDelivery: what the webhook receiver hands the delivery worker for a
// delivery it has just stored as pending — the row as stored (without its
// body and headers, which deciding never reads) and the event parsed from the
// body. With it the worker neither reads the row back nor parses the body
// again: the body is parsed once, on arrival, and not kept alive after it.
//
// The row is a snapshot taken at insert time: the worker treats it as
// "pending when stored", and confirms that against the database only where
// acting twice would matter (starting an execution), or when recording its
// outcome finds it decided meanwhile (see DeliveryProcessor).
#pragma once

#include "github/webhook_event.h"
#include "store/webhook_delivery_store.h"
#include "trigger/delivery_targets.h"

namespace opz::trigger {

struct ArrivedDelivery {
  store::DeliveryRecord record;  // id, guid, project, event, action, received_at; no body
  github::WebhookEvent event;
  // The projects it is for (trigger/delivery_targets.h); empty project_ids:
  // the record's project alone.
  DeliveryTargets targets;
};

}  // namespace opz::trigger
