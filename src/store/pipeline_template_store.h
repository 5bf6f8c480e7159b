// PipelineTemplateStore: the template library of the visual pipeline builder
// (the seeds' pipeline_templates, with flow_type from migration 014, which
// also seeds five starter templates). A template is React Flow `nodes` and
// `edges` JSON that pipeline/flow_template.h compiles; validating the graph is
// the caller's job (the API validates before saving), this store keeps it as
// given. Popularity counts how often people started from a template.
// Every mutation is one transaction. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct PipelineTemplateRecord {
  std::string id;
  std::string name;
  std::string description;
  std::string category;
  std::string flow_type = "cicd";  // cicd | mlops | llmops | infrastructure | security
  Json tags = Json::array();       // strings
  int64_t popularity = 0;
  Json nodes = Json::array();
  Json edges = Json::array();
  std::string created_at;
  std::string updated_at;
};

// Every set field narrows the list.
struct PipelineTemplateFilter {
  std::string category = {};   // exact
  std::string flow_type = {};  // exact
  std::string tag = {};        // one of the template's tags, exact
  std::string text = {};       // case-insensitive substring of name or description
};

class PipelineTemplateStore {
 public:
  PipelineTemplateStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Most popular first, then by name; at most `limit` (1..500).
  Result<std::vector<PipelineTemplateRecord>> list(const PipelineTemplateFilter& filter,
                                                   int limit = 500);
  // kNotFound when unknown.
  Result<PipelineTemplateRecord> find(const std::string& id);
  // Inserts `t` (id generated when empty, popularity 0, created_at/updated_at
  // now). kValidation naming the field for an empty name or category, an
  // unknown flow_type, tags that are not an array of strings, nodes/edges
  // that are not arrays; kConflict for an existing id.
  Result<PipelineTemplateRecord> create(PipelineTemplateRecord t);
  // popularity + 1 (updated_at unchanged: nobody edited it); answers the
  // template after. kNotFound when unknown.
  Result<PipelineTemplateRecord> record_use(const std::string& id);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
