#include "store/pipeline_template_store.h"

#include <algorithm>

#include "core/ids.h"
#include "core/time_format.h"
#include "store/flow_template_store.h"
#include "store/optional_values.h"

namespace opz::store {

namespace {

constexpr std::string_view kPipelineTemplateColumns =
    "id, name, COALESCE(description, '') AS description, category, flow_type, tags, popularity, "
    "nodes, edges, created_at, updated_at";

Json json_array_or_empty(const std::string& text) {
  auto j = parse_json(text);
  return j && j->is_array() ? std::move(j).value() : Json::array();
}

PipelineTemplateRecord pipeline_template_from_row(const Row& r) {
  PipelineTemplateRecord t;
  t.id = r["id"].as_text();
  t.name = r["name"].as_text();
  t.description = r["description"].as_text();
  t.category = r["category"].as_text();
  t.flow_type = r["flow_type"].as_text();
  t.tags = json_array_or_empty(r["tags"].as_text());
  t.popularity = r["popularity"].as_int();
  t.nodes = json_array_or_empty(r["nodes"].as_text());
  t.edges = json_array_or_empty(r["edges"].as_text());
  t.created_at = r["created_at"].as_text();
  t.updated_at = r["updated_at"].as_text();
  return t;
}

Result<PipelineTemplateRecord> load_pipeline_template(SqlSession& s, const std::string& id) {
  OPZ_TRY(Rows rows, s.query("SELECT " + std::string(kPipelineTemplateColumns) +
                                 " FROM pipeline_templates WHERE id = $1",
                             {id}));
  if (rows.empty()) return Error::not_found("no pipeline template with id " + id);
  return pipeline_template_from_row(rows[0]);
}

Status check(const PipelineTemplateRecord& t) {
  if (t.name.empty()) return Error::validation("name must not be empty", "name");
  if (t.category.empty()) return Error::validation("category must not be empty", "category");
  if (!is_flow_template_type(t.flow_type))
    return Error::validation(
        "flow_type must be one of cicd, mlops, llmops, infrastructure, security", "flow_type");
  if (!t.tags.is_array() ||
      !std::all_of(t.tags.begin(), t.tags.end(), [](const Json& v) { return v.is_string(); }))
    return Error::validation("tags must be an array of strings", "tags");
  if (!t.nodes.is_array()) return Error::validation("nodes must be an array", "nodes");
  if (!t.edges.is_array()) return Error::validation("edges must be an array", "edges");
  return ok_status();
}

}  // namespace

Result<std::vector<PipelineTemplateRecord>> PipelineTemplateStore::list(
    const PipelineTemplateFilter& filter, int limit) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<PipelineTemplateRecord>> {
    std::string sql =
        "SELECT " + std::string(kPipelineTemplateColumns) + " FROM pipeline_templates WHERE 1 = 1";
    Params params;
    auto next = [&] { return "$" + std::to_string(params.size()); };
    if (!filter.category.empty()) {
      params.push_back(filter.category);
      sql += " AND category = " + next();
    }
    if (!filter.flow_type.empty()) {
      params.push_back(filter.flow_type);
      sql += " AND flow_type = " + next();
    }
    // The dialects name JSON array elements and substring search differently.
    const bool postgres = s.dialect() == "postgres";
    if (!filter.tag.empty()) {
      params.push_back(filter.tag);
      sql += std::string(" AND EXISTS (SELECT 1 FROM ") +
             (postgres ? "json_array_elements_text(pipeline_templates.tags) AS tag(value)"
                       : "json_each(pipeline_templates.tags)") +
             " WHERE value = " + next() + ")";
    }
    if (!filter.text.empty()) {
      params.push_back(filter.text);
      const std::string position = postgres ? "strpos(" : "instr(";
      sql += " AND (" + position + "lower(name), lower(" + next() + ")) > 0 OR " + position +
             "lower(COALESCE(description, '')), lower(" + next() + ")) > 0)";
    }
    params.push_back(static_cast<int64_t>(std::clamp(limit, 1, 500)));
    sql += " ORDER BY popularity DESC, name, id LIMIT " + next();
    OPZ_TRY(Rows rows, s.query(sql, params));
    std::vector<PipelineTemplateRecord> out;
    for (const Row& r : rows) out.push_back(pipeline_template_from_row(r));
    return out;
  });
}

Result<PipelineTemplateRecord> PipelineTemplateStore::find(const std::string& id) {
  return db_.read([&](SqlSession& s) { return load_pipeline_template(s, id); });
}

Result<PipelineTemplateRecord> PipelineTemplateStore::create(PipelineTemplateRecord t) {
  OPZ_TRY_STATUS(check(t));
  if (t.id.empty()) t.id = new_uuid();
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<PipelineTemplateRecord> {
    OPZ_TRY(Rows existing, s.query("SELECT id FROM pipeline_templates WHERE id = $1", {t.id}));
    if (!existing.empty())
      return Error::conflict("a pipeline template with id " + t.id + " exists");
    OPZ_TRY_STATUS(
        s.exec("INSERT INTO pipeline_templates (id, name, description, category, flow_type, tags, "
               "popularity, nodes, edges, created_at, updated_at) "
               "VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9, $9)",
               {t.id, t.name, text_or_null(t.description), t.category, t.flow_type,
                dump_json(t.tags), dump_json(t.nodes), dump_json(t.edges), now}));
    return load_pipeline_template(s, t.id);
  });
}

Result<PipelineTemplateRecord> PipelineTemplateStore::record_use(const std::string& id) {
  return db_.write([&](SqlSession& s) -> Result<PipelineTemplateRecord> {
    OPZ_TRY(
        int64_t n,
        s.exec("UPDATE pipeline_templates SET popularity = popularity + 1 WHERE id = $1", {id}));
    if (n == 0) return Error::not_found("no pipeline template with id " + id);
    return load_pipeline_template(s, id);
  });
}

}  // namespace opz::store
