#include "store/dashboard_layout_store.h"

#include "core/ids.h"
#include "core/time_format.h"

namespace opz::store {

namespace {

constexpr const char* kDashboardLayoutColumns =
    "SELECT id, user_id, name, layout, is_default, created_at, updated_at "
    "FROM dashboard_layouts ";

DashboardLayoutRecord layout_of(const Row& r) {
  return {r["id"].as_text(),         r["user_id"].as_text(),
          r["name"].as_text(),       Json::parse(r["layout"].as_text(), nullptr, false),
          r["is_default"].as_bool(), r["created_at"].as_text(),
          r["updated_at"].as_text()};
}

Result<DashboardLayoutRecord> find_own(SqlSession& s, const std::string& user_id,
                                       const std::string& id) {
  OPZ_TRY(Rows rows,
          s.query(std::string(kDashboardLayoutColumns) + "WHERE id = $1 AND user_id = $2",
                  {id, user_id}));
  if (rows.empty()) return Error::not_found("no dashboard layout with id " + id);
  return layout_of(rows[0]);
}

Status unset_default(SqlSession& s, const std::string& user_id) {
  OPZ_TRY_STATUS(
      s.exec("UPDATE dashboard_layouts SET is_default = FALSE "
             "WHERE user_id = $1 AND is_default = TRUE",
             {user_id}));
  return {};
}

}  // namespace

Result<std::vector<DashboardLayoutRecord>> DashboardLayoutStore::list(const std::string& user_id) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<DashboardLayoutRecord>> {
    OPZ_TRY(Rows rows, s.query(std::string(kDashboardLayoutColumns) +
                                   "WHERE user_id = $1 ORDER BY is_default DESC, name, id",
                               {user_id}));
    std::vector<DashboardLayoutRecord> out;
    for (const Row& r : rows) out.push_back(layout_of(r));
    return out;
  });
}

Result<DashboardLayoutRecord> DashboardLayoutStore::create(const std::string& user_id,
                                                           const std::string& name,
                                                           const Json& layout, bool is_default) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<DashboardLayoutRecord> {
    OPZ_TRY(Rows existing, s.query("SELECT count(*) AS n FROM dashboard_layouts "
                                   "WHERE user_id = $1",
                                   {user_id}));
    const bool make_default = is_default || existing[0]["n"].as_int() == 0;
    if (make_default) OPZ_TRY_STATUS(unset_default(s, user_id));
    DashboardLayoutRecord r{new_uuid(), user_id, name, layout, make_default, now, now};
    OPZ_TRY_STATUS(
        s.exec("INSERT INTO dashboard_layouts (id, user_id, name, layout, is_default, "
               "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
               {r.id, user_id, name, layout.dump(), make_default, now}));
    return r;
  });
}

Result<DashboardLayoutRecord> DashboardLayoutStore::update(const std::string& user_id,
                                                           const std::string& id,
                                                           const DashboardLayoutChange& c) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<DashboardLayoutRecord> {
    OPZ_TRY(DashboardLayoutRecord r, find_own(s, user_id, id));
    if (c.is_default && !*c.is_default && r.is_default)
      return Error::validation(
          "a user always has one default layout: make another layout the "
          "default instead",
          "is_default");
    if (c.is_default && *c.is_default && !r.is_default) {
      OPZ_TRY_STATUS(unset_default(s, user_id));
      r.is_default = true;
    }
    if (c.name) r.name = *c.name;
    if (c.layout) r.layout = *c.layout;
    r.updated_at = now;
    OPZ_TRY_STATUS(
        s.exec("UPDATE dashboard_layouts SET name = $2, layout = $3, is_default = $4, "
               "updated_at = $5 WHERE id = $1",
               {id, r.name, r.layout.dump(), r.is_default, now}));
    return r;
  });
}

Status DashboardLayoutStore::remove(const std::string& user_id, const std::string& id) {
  return db_.write([&](SqlSession& s) -> Status {
    OPZ_TRY(DashboardLayoutRecord r, find_own(s, user_id, id));
    OPZ_TRY_STATUS(s.exec("DELETE FROM dashboard_layouts WHERE id = $1", {id}));
    if (!r.is_default) return {};
    OPZ_TRY_STATUS(
        s.exec("UPDATE dashboard_layouts SET is_default = TRUE WHERE id = ("
               "SELECT id FROM dashboard_layouts WHERE user_id = $1 "
               "ORDER BY updated_at DESC, id DESC LIMIT 1)",
               {user_id}));
    return {};
  });
}

}  // namespace opz::store
