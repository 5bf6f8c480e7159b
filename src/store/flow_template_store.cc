#include "store/flow_template_store.h"

#include <array>

#include "core/ids.h"
#include "core/time_format.h"
#include "store/optional_values.h"

namespace opz::store {

namespace {

constexpr std::string_view kFlowTemplateColumns =
    "id, COALESCE(project_id, '') AS project_id, name, COALESCE(description, '') AS description, "
    "type, nodes, edges, COALESCE(created_by, '') AS created_by, created_at, updated_at";

FlowTemplateRecord flow_template_from_row(const Row& r) {
  FlowTemplateRecord t;
  t.id = r["id"].as_text();
  t.project_id = r["project_id"].as_text();
  t.name = r["name"].as_text();
  t.description = r["description"].as_text();
  t.type = r["type"].as_text();
  auto nodes = parse_json(r["nodes"].as_text());
  t.nodes = nodes ? std::move(nodes).value() : Json::array();
  auto edges = parse_json(r["edges"].as_text());
  t.edges = edges ? std::move(edges).value() : Json::array();
  t.created_by = r["created_by"].as_text();
  t.created_at = r["created_at"].as_text();
  t.updated_at = r["updated_at"].as_text();
  return t;
}

Result<FlowTemplateRecord> load_flow_template(SqlSession& s, const std::string& id) {
  OPZ_TRY(Rows rows, s.query("SELECT " + std::string(kFlowTemplateColumns) +
                                 " FROM flow_templates WHERE id = $1",
                             {id}));
  if (rows.empty()) return Error::not_found("no flow template with id " + id);
  return flow_template_from_row(rows[0]);
}

Status check_fields(SqlSession& s, const FlowTemplateFields& f) {
  if (f.name && f.name->empty()) return Error::validation("name must not be empty", "name");
  if (f.type && !is_flow_template_type(*f.type))
    return Error::validation("type must be one of cicd, mlops, llmops, infrastructure, security",
                             "type");
  if (f.nodes && !f.nodes->is_array()) return Error::validation("nodes must be an array", "nodes");
  if (f.edges && !f.edges->is_array()) return Error::validation("edges must be an array", "edges");
  if (f.project_id && !f.project_id->empty()) {
    OPZ_TRY(Rows p, s.query("SELECT id FROM projects WHERE id = $1", {*f.project_id}));
    if (p.empty()) return Error::validation("no project with id " + *f.project_id, "project_id");
  }
  return ok_status();
}

}  // namespace

bool is_flow_template_type(std::string_view type) {
  constexpr std::array<std::string_view, 5> kTypes = {"cicd", "mlops", "llmops", "infrastructure",
                                                      "security"};
  for (auto t : kTypes)
    if (t == type) return true;
  return false;
}

Result<FlowTemplateRecord> FlowTemplateStore::create(const FlowTemplateFields& f,
                                                     const std::string& created_by) {
  if (!f.name) return Error::validation("name is required", "name");
  const std::string now = format_time(clock_.now());
  const std::string id = new_uuid();
  return db_.write([&](SqlSession& s) -> Result<FlowTemplateRecord> {
    OPZ_TRY_STATUS(check_fields(s, f));
    OPZ_TRY_STATUS(s.exec(
        "INSERT INTO flow_templates (id, project_id, name, description, type, nodes, edges, "
        "created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        {id, text_or_null(f.project_id.value_or("")), *f.name,
         text_or_null(f.description.value_or("")), f.type.value_or("cicd"),
         dump_json(f.nodes.value_or(Json::array())), dump_json(f.edges.value_or(Json::array())),
         text_or_null(created_by), now}));
    return load_flow_template(s, id);
  });
}

Result<FlowTemplateRecord> FlowTemplateStore::find(const std::string& id) {
  return db_.read([&](SqlSession& s) { return load_flow_template(s, id); });
}

Result<Page<FlowTemplateRecord>> FlowTemplateStore::list(const FlowTemplateFilter& filter,
                                                         const PageRequest& page) {
  return db_.read([&](SqlSession& s) -> Result<Page<FlowTemplateRecord>> {
    std::string sql =
        "SELECT " + std::string(kFlowTemplateColumns) + " FROM flow_templates WHERE 1 = 1";
    Params params;
    if (!filter.project_id.empty()) {
      params.push_back(filter.project_id);
      sql += " AND project_id = $" + std::to_string(params.size());
    }
    if (!filter.type.empty()) {
      params.push_back(filter.type);
      sql += " AND type = $" + std::to_string(params.size());
    }
    OPZ_TRY_STATUS(append_page_clause(page, sql, params));
    OPZ_TRY(Rows rows, s.query(sql, params));
    return page_from_rows<FlowTemplateRecord>(rows, page.limit, flow_template_from_row);
  });
}

Result<FlowTemplateRecord> FlowTemplateStore::update(const std::string& id,
                                                     const FlowTemplateFields& f) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<FlowTemplateRecord> {
    OPZ_TRY(FlowTemplateRecord t, load_flow_template(s, id));
    OPZ_TRY_STATUS(check_fields(s, f));
    if (f.project_id) t.project_id = *f.project_id;
    if (f.name) t.name = *f.name;
    if (f.description) t.description = *f.description;
    if (f.type) t.type = *f.type;
    if (f.nodes) t.nodes = *f.nodes;
    if (f.edges) t.edges = *f.edges;
    OPZ_TRY_STATUS(
        s.exec("UPDATE flow_templates SET project_id = $2, name = $3, description = $4, type = $5, "
               "nodes = $6, edges = $7, updated_at = $8 WHERE id = $1",
               {id, text_or_null(t.project_id), t.name, text_or_null(t.description), t.type,
                dump_json(t.nodes), dump_json(t.edges), now}));
    return load_flow_template(s, id);
  });
}

Status FlowTemplateStore::remove(const std::string& id) {
  return db_.write([&](SqlSession& s) -> Status {
    OPZ_TRY(int64_t n, s.exec("DELETE FROM flow_templates WHERE id = $1", {id}));
    if (n == 0) return Error::not_found("no flow template with id " + id);
    return ok_status();
  });
}

}  // namespace opz::store
