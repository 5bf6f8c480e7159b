// FlowTemplateStore: saved pipeline graphs (the seeds' flow_templates: React
// Flow `nodes` and `edges` JSON), which pipeline/flow_template.h compiles into
// a Pipeline when an execution starts from one.
//
// The store keeps nodes/edges as given (JSON arrays); validating the graph is
// the caller's job (the API compiles it before saving). Every mutation is one
// transaction. Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "store/database.h"
#include "store/page.h"

namespace opz::store {

struct FlowTemplateRecord {
  std::string id;
  std::string project_id;  // empty: global
  std::string name;
  std::string description;
  std::string type;  // cicd | mlops | llmops | infrastructure | security
  Json nodes = Json::array();
  Json edges = Json::array();
  std::string created_by;
  std::string created_at;
  std::string updated_at;
};

// Create: name required, the rest defaulted. Update: unset fields unchanged.
struct FlowTemplateFields {
  std::optional<std::string> project_id = {};
  std::optional<std::string> name = {};
  std::optional<std::string> description = {};
  std::optional<std::string> type = {};
  std::optional<Json> nodes = {};
  std::optional<Json> edges = {};
};

struct FlowTemplateFilter {
  std::string project_id = {};  // empty: all
  std::string type = {};        // empty: all
};

class FlowTemplateStore {
 public:
  FlowTemplateStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // kValidation for a missing name, an unknown type, nodes/edges not arrays,
  // or an unknown project.
  Result<FlowTemplateRecord> create(const FlowTemplateFields& fields,
                                    const std::string& created_by);
  Result<FlowTemplateRecord> find(const std::string& id);
  // Newest first, cursor-paginated.
  Result<Page<FlowTemplateRecord>> list(const FlowTemplateFilter& filter, const PageRequest& page);
  Result<FlowTemplateRecord> update(const std::string& id, const FlowTemplateFields& fields);
  // Executions that used the template keep their pipeline snapshot
  // (flow_template_id becomes NULL).
  Status remove(const std::string& id);

 private:
  Database& db_;
  const Clock& clock_;
};

// True for the five template types of the schema.
bool is_flow_template_type(std::string_view type);

}  // namespace opz::store
