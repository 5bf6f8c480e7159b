#include "store/rest_query_store.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "migrated_db_test.h"

namespace opz::store {
namespace {

using rest::Filter;
using rest::Op;

Filter cond(std::string column, Op op, std::vector<std::string> values, bool negated = false) {
  Filter f;
  f.kind = Filter::Kind::kCondition;
  f.condition.column = std::move(column);
  f.condition.op = op;
  f.condition.values = std::move(values);
  f.condition.negated = negated;
  return f;
}

Filter is(std::string column, rest::IsValue v) {
  Filter f = cond(std::move(column), Op::kIs, {});
  f.condition.is_value = v;
  return f;
}

Filter tree(Filter::Kind kind, std::vector<Filter> children, bool negated = false) {
  Filter f;
  f.kind = kind;
  f.children = std::move(children);
  f.negated = negated;
  return f;
}

const RowScope kAll{RowScope::Kind::kAll, "", ""};

class RestQueryStoreTest : public MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    if (HasFatalFailure()) return;
    store_ = std::make_unique<RestQueryStore>(*db_);
    add("e1", "Alpha build", "success", "main", 100, R"({"k":1})");
    add("e2", "beta build", "failed", "", 40, "{}");
    add("e3", "Gamma_deploy", "running", "release/1.0", 55, "{}");
    add("e4", "it's; DROP TABLE executions;--", "idle", "dev", 0, "{}");
  }

  // `branch` empty: NULL.
  void add(const std::string& id, const std::string& name, const std::string& status,
           const std::string& branch, int progress, const std::string& metadata) {
    auto st = db_->write([&](SqlSession& s) -> Status {
      auto n = s.exec(
          "INSERT INTO executions (id, name, status, branch, progress, metadata, created_at, "
          "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
          {id, name, status, branch.empty() ? SqlValue() : SqlValue(branch), progress, metadata,
           "2026-01-0" + id.substr(1) + "T00:00:00Z"});
      if (!n) return n.error();
      return {};
    });
    ASSERT_TRUE(st.ok()) << st.error().to_string();
  }

  const RestRelation& executions() {
    return *RestCatalog::standard().find("public", "executions");
  }

  Result<RestReadResult> read(const rest::Query& q, const RowScope& scope = kAll) {
    return store_->read(executions(), q, scope);
  }

  std::vector<std::string> ids(const rest::Query& q) {
    auto r = read(q);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    std::vector<std::string> out;
    if (r.ok())
      for (const auto& row : r->rows) out.push_back(row.value("id", ""));
    return out;
  }

  // Filters ANDed, ordered by id.
  static rest::Query where(std::vector<Filter> filters) {
    rest::Query q;
    q.where.children = std::move(filters);
    rest::OrderTerm by_id;
    by_id.column = "id";
    q.order.push_back(by_id);
    return q;
  }

  using V = std::vector<std::string>;
  std::unique_ptr<RestQueryStore> store_;
};

TEST_F(RestQueryStoreTest, EveryOperator) {
  EXPECT_EQ(ids(where({cond("status", Op::kEq, {"failed"})})), V{"e2"});
  EXPECT_EQ(ids(where({cond("status", Op::kNeq, {"failed"})})), (V{"e1", "e3", "e4"}));
  EXPECT_EQ(ids(where({cond("progress", Op::kGt, {"40"})})), (V{"e1", "e3"}));
  EXPECT_EQ(ids(where({cond("progress", Op::kGte, {"40"})})), (V{"e1", "e2", "e3"}));
  EXPECT_EQ(ids(where({cond("progress", Op::kLt, {"40"})})), V{"e4"});
  EXPECT_EQ(ids(where({cond("progress", Op::kLte, {"40"})})), (V{"e2", "e4"}));
  // like is case-sensitive ('*' and '%' any run, '_' one character); ilike is not.
  EXPECT_EQ(ids(where({cond("name", Op::kLike, {"*build"})})), (V{"e1", "e2"}));
  EXPECT_EQ(ids(where({cond("name", Op::kLike, {"A%"})})), V{"e1"});
  EXPECT_EQ(ids(where({cond("name", Op::kLike, {"Gamma\\_*"})})), V{"e3"});
  EXPECT_EQ(ids(where({cond("name", Op::kIlike, {"a*"})})), V{"e1"});
  EXPECT_EQ(ids(where({cond("name", Op::kIlike, {"*BUILD"})})), (V{"e1", "e2"}));
  EXPECT_EQ(ids(where({cond("status", Op::kIn, {"idle", "running"})})), (V{"e3", "e4"}));
  EXPECT_EQ(ids(where({cond("status", Op::kIn, {})})), V{});
  EXPECT_EQ(ids(where({is("branch", rest::IsValue::kNull)})), V{"e2"});
  EXPECT_EQ(ids(where({is("branch", rest::IsValue::kNotNull)})), (V{"e1", "e3", "e4"}));
  EXPECT_EQ(ids(where({cond("status", Op::kEq, {"failed"}, true)})), (V{"e1", "e3", "e4"}));
}

TEST_F(RestQueryStoreTest, TreesCombine) {
  // or(status=failed, and(progress>=50, branch like release*))
  auto q = where({tree(Filter::Kind::kOr,
                       {cond("status", Op::kEq, {"failed"}),
                        tree(Filter::Kind::kAnd, {cond("progress", Op::kGte, {"50"}),
                                                  cond("branch", Op::kLike, {"release*"})})})});
  EXPECT_EQ(ids(q), (V{"e2", "e3"}));
  auto negated = where({tree(Filter::Kind::kOr,
                             {cond("status", Op::kEq, {"failed"}),
                              cond("status", Op::kEq, {"idle"})},
                             true)});
  EXPECT_EQ(ids(negated), (V{"e1", "e3"}));
}

TEST_F(RestQueryStoreTest, ValuesAreDataNeverSql) {
  EXPECT_EQ(ids(where({cond("name", Op::kEq, {"it's; DROP TABLE executions;--"})})), V{"e4"});
  for (const std::string evil : {"' OR 1=1 --", "x\") OR (\"1\"=\"1", "1); DELETE FROM executions;--"})
    for (Op op : {Op::kEq, Op::kNeq, Op::kLike, Op::kIlike, Op::kIn}) {
      auto r = read(where({cond("name", op, {evil})}));
      ASSERT_TRUE(r.ok()) << r.error().to_string();
      EXPECT_LE(r->rows.size(), op == Op::kNeq ? 4u : 0u) << evil;
    }
  EXPECT_EQ(ids(where({})).size(), 4u);
}

TEST_F(RestQueryStoreTest, UnknownColumnsAndBadTypedValuesAreErrorsNamingTheColumn) {
  for (const std::string bad : {"nope", "id; DROP TABLE executions", "\"id\"", "password_hash"}) {
    auto r = read(where({cond(bad, Op::kEq, {"1"})}));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(r.error().field, bad);
    EXPECT_NE(r.error().message.find("does not exist"), std::string::npos);
  }
  rest::Query q;
  q.select.star = false;
  q.select.items.push_back({"nope", ""});
  EXPECT_FALSE(read(q).ok());
  rest::Query o;
  o.order.push_back({"nope", false, std::nullopt});
  EXPECT_FALSE(read(o).ok());
  auto typed = read(where({cond("progress", Op::kEq, {"ten"})}));
  ASSERT_FALSE(typed.ok());
  EXPECT_EQ(typed.error().code, ErrorCode::kValidation);
  EXPECT_EQ(typed.error().field, "progress");
  EXPECT_NE(typed.error().message.find("integer"), std::string::npos);
  const RestRelation& metrics = *RestCatalog::standard().find("ops", "metrics");
  EXPECT_TRUE(store_->read(metrics, where({cond("value", Op::kGt, {"1.5e2"})}), kAll).ok());
  auto real = store_->read(metrics, where({cond("value", Op::kGt, {"1.5x"})}), kAll);
  ASSERT_FALSE(real.ok());
  EXPECT_NE(real.error().message.find("type real"), std::string::npos);
  auto boolean = read(where({cond("metadata", Op::kEq, {"1"}),
                             cond("progress", Op::kIn, {"1", "2", "x"})}));
  EXPECT_FALSE(boolean.ok());
}

TEST_F(RestQueryStoreTest, RowsAreTypedPerCatalogAndSelectRenames) {
  rest::Query q = where({cond("id", Op::kEq, {"e1"})});
  auto all = read(q);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->rows.size(), 1u);
  const OrderedJson& row = all->rows[0];
  EXPECT_EQ(row["progress"], 100);
  EXPECT_EQ(row["metadata"], OrderedJson({{"k", 1}}));
  EXPECT_TRUE(row["completed_at"].is_null());
  EXPECT_EQ(row["branch"], "main");
  EXPECT_EQ(row.size(), executions().columns.size());

  q.select.star = false;
  q.select.items = {{"id", ""}, {"status", "state"}};
  auto some = read(q);
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(some->rows[0], OrderedJson({{"id", "e1"}, {"state", "success"}}));
}

TEST_F(RestQueryStoreTest, RowKeysFollowTheSelectAndTheTablesColumnOrder) {
  rest::Query q = where({cond("id", Op::kEq, {"e1"})});
  q.select.star = false;
  q.select.items = {{"status", ""}, {"name", ""}, {"id", "a_key"}};
  auto some = read(q);
  ASSERT_TRUE(some.ok()) << some.error().to_string();
  EXPECT_EQ(some->rows[0].dump(),
            R"({"status":"success","name":"Alpha build","a_key":"e1"})");

  auto all = read(where({cond("id", Op::kEq, {"e1"})}));
  ASSERT_TRUE(all.ok());
  std::vector<std::string> keys;
  for (const auto& [key, value] : all->rows[0].items()) keys.push_back(key);
  std::vector<std::string> columns;
  for (const RestColumn& c : executions().columns) columns.push_back(c.name);
  EXPECT_EQ(keys, columns);
  EXPECT_NE(keys.front(), "branch");  // the catalog starts with id, not the sorted first key
}

TEST_F(RestQueryStoreTest, NestedJsonDocumentsKeepTheirKeyOrder) {
  add("e5", "json order", "idle", "", 1, R"({"z":1,"a":{"y":2,"b":3}})");
  rest::Query q = where({cond("id", Op::kEq, {"e5"})});
  q.select.star = false;
  q.select.items = {{"metadata", ""}};
  auto r = read(q);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->rows.dump(), R"([{"metadata":{"z":1,"a":{"y":2,"b":3}}}])");
}

TEST_F(RestQueryStoreTest, NoReadAnswersMoreThanMaxRows) {
  RestQueryStore capped(*db_, 3);
  rest::Query q = where({});
  q.count = rest::CountPreference::kExact;
  auto r = capped.read(executions(), q, kAll);  // no limit: the cap
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->rows.size(), 3u);
  EXPECT_EQ(r->total, 4);  // the count is of every row the filters select
  q.limit = 100;  // a larger limit: the cap
  EXPECT_EQ(capped.read(executions(), q, kAll)->rows.size(), 3u);
  q.limit = 2;  // a smaller one stands
  EXPECT_EQ(capped.read(executions(), q, kAll)->rows.size(), 2u);
  q.limit.reset();
  q.offset = 2;  // the cap counts from the offset
  auto rest = capped.read(executions(), q, kAll);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->rows.size(), 2u);
  EXPECT_EQ(rest->rows[0]["id"], "e3");
}

TEST_F(RestQueryStoreTest, IsTrueAndIsFalseOnABoolean) {
  auto st = db_->write([&](SqlSession& s) -> Status {
    for (auto [id, approval] : {std::pair{"env-yes", 1}, {"env-no", 0}}) {
      auto n = s.exec("INSERT INTO environments (id, name, requires_approval, created_at, "
                      "updated_at) VALUES ($1, $1, $2, '2026-01-01T00:00:00Z', "
                      "'2026-01-01T00:00:00Z')",
                      {id, approval});
      if (!n) return n.error();
    }
    return {};
  });
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  const RestRelation& environments = *RestCatalog::standard().find("public", "environments");
  auto names = [&](rest::IsValue v) {
    std::vector<std::string> out;
    auto r = store_->read(environments,
                          where({cond("id", Op::kLike, {"env-*"}), is("requires_approval", v)}),
                          kAll);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    if (r.ok())
      for (const auto& row : r->rows) out.push_back(row.value("name", ""));
    return out;
  };
  EXPECT_EQ(names(rest::IsValue::kTrue), V{"env-yes"});
  EXPECT_EQ(names(rest::IsValue::kFalse), V{"env-no"});
}

TEST_F(RestQueryStoreTest, OrderWithNullsPlacementLimitOffsetAndCount) {
  rest::Query q;
  q.order.push_back({"branch", false, std::nullopt});  // asc: nulls last (PostgreSQL)
  EXPECT_EQ(ids(q), (V{"e4", "e1", "e3", "e2"}));
  q.order[0].nulls_first = true;
  EXPECT_EQ(ids(q), (V{"e2", "e4", "e1", "e3"}));
  q.order[0] = {"branch", true, std::nullopt};  // desc: nulls first
  EXPECT_EQ(ids(q), (V{"e2", "e3", "e1", "e4"}));
  q.order[0].nulls_first = false;
  EXPECT_EQ(ids(q), (V{"e3", "e1", "e4", "e2"}));

  q.limit = 2;
  q.offset = 1;
  q.count = rest::CountPreference::kExact;
  auto r = read(q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->total, 4);
  q.count = rest::CountPreference::kNone;
  EXPECT_FALSE(read(q)->total.has_value());
}

TEST_F(RestQueryStoreTest, ScopeLimitsRowsBeforeFiltersAndCount) {
  auto st = db_->write([&](SqlSession& s) -> Status {
    for (auto [id, user] : {std::pair{"a1", "u1"}, {"a2", "u2"}, {"a3", "u1"}}) {
      auto n = s.exec("INSERT INTO audit_logs (id, action, resource_type, user_id, created_at) "
                      "VALUES ($1, 'x', 'project', $2, '2026-01-01T00:00:00Z')",
                      {id, user});
      if (!n) return n.error();
    }
    return {};
  });
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  const RestRelation& audit = *RestCatalog::standard().find("public", "audit_logs");
  rest::Query q;
  q.count = rest::CountPreference::kExact;
  // An or= over another user's rows cannot widen the scope.
  q.where.children.push_back(tree(Filter::Kind::kOr, {cond("user_id", Op::kEq, {"u2"}),
                                                      cond("id", Op::kNeq, {"zz"})}));
  auto own = store_->read(audit, q, RowScope::for_caller(audit, "u1", false));
  ASSERT_TRUE(own.ok()) << own.error().to_string();
  EXPECT_EQ(own->total, 2);
  for (const auto& row : own->rows) EXPECT_EQ(row["user_id"], "u1");
  auto admin = store_->read(audit, q, RowScope::for_caller(audit, "u1", true));
  EXPECT_EQ(admin->total, 3);
  auto none = store_->read(audit, q, RowScope{});
  EXPECT_EQ(none->total, 0);
}

TEST_F(RestQueryStoreTest, TooManyValuesIsRefused) {
  std::vector<std::string> many(RestQueryStore::kMaxBoundValues + 1, "x");
  auto r = read(where({cond("id", Op::kIn, many)}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace opz::store
