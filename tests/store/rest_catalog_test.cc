#include "store/rest_catalog.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "migrated_db_test.h"

namespace opz::store {
namespace {

class RestCatalogTest : public MigratedDbTest {
 protected:
  // The migrated relation's column names (empty when it does not exist).
  std::set<std::string> migrated_columns(const std::string& relation) {
    std::set<std::string> out;
    auto st = db_->read([&](SqlSession& s) -> Status {
      // PostgreSQL has no pragma_table_info: its catalog of tables and views.
      const char* sql = s.dialect() == "postgres"
                            ? "SELECT column_name FROM information_schema.columns "
                              "WHERE table_schema = 'public' AND table_name = $1"
                            : "SELECT name FROM pragma_table_info($1)";
      OPZ_TRY(Rows rows, s.query(sql, {relation}));
      for (const Row& r : rows) out.insert(r[0].as_text());
      return {};
    });
    EXPECT_TRUE(st.ok()) << st.error().to_string();
    return out;
  }
};

// Drift between the catalog and the migrations fails here, not in a request.
TEST_F(RestCatalogTest, EveryCatalogColumnExistsInTheMigratedSchema) {
  const auto& relations = RestCatalog::standard().relations();
  ASSERT_GT(relations.size(), 30u);
  for (const RestRelation& r : relations) {
    const auto have = migrated_columns(r.relation);
    ASSERT_FALSE(have.empty()) << r.schema << "." << r.name << ": no relation " << r.relation;
    for (const RestColumn& c : r.columns)
      EXPECT_TRUE(have.count(c.name)) << r.relation << " has no column " << c.name;
    if (r.policy == RowPolicy::kAdminOrOwner) {
      EXPECT_TRUE(r.find_column(r.owner_column)) << r.name << ": owner column not listed";
    }
  }
}

TEST_F(RestCatalogTest, SecretsAndCredentialsAreNeverListed) {
  const std::set<std::string> never_tables = {"api_tokens", "sessions", "github_tokens",
                                              "secret_references", "environment_configs",
                                              "webhook_delivery_bodies", "github_integrations"};
  const std::set<std::string> never_columns = {"password_hash", "token_hash", "secret_sealed",
                                               "encrypted_token", "secret", "value_sealed"};
  for (const RestRelation& r : RestCatalog::standard().relations()) {
    EXPECT_FALSE(never_tables.count(r.relation)) << r.relation;
    EXPECT_FALSE(never_tables.count(r.name)) << r.name;
    for (const RestColumn& c : r.columns) EXPECT_FALSE(never_columns.count(c.name)) << r.name;
  }
}

TEST_F(RestCatalogTest, SchemasAndLookups) {
  const RestCatalog& cat = RestCatalog::standard();
  EXPECT_TRUE(cat.has_schema("public"));
  EXPECT_TRUE(cat.has_schema("ops"));
  EXPECT_TRUE(cat.has_schema("registry"));
  EXPECT_FALSE(cat.has_schema("auth"));
  ASSERT_NE(cat.find("ops", "projects"), nullptr);
  EXPECT_EQ(cat.find("ops", "projects")->relation, "ops_projects");
  EXPECT_EQ(cat.find("registry", "orgs")->relation, "registry_orgs");
  EXPECT_EQ(cat.find("public", "executions")->relation, "executions");
  EXPECT_EQ(cat.find("public", "api_tokens"), nullptr);
  EXPECT_EQ(cat.find("ops", "executions"), nullptr);
  EXPECT_EQ(cat.find("public", "executions")->find_column("metadata")->type, RestType::kJson);
  EXPECT_EQ(cat.find("ops", "branches")->find_column("is_production")->type, RestType::kBoolean);
}

TEST_F(RestCatalogTest, RowScopesFollowThePolicy) {
  const RestCatalog& cat = RestCatalog::standard();
  const RestRelation& audit = *cat.find("public", "audit_logs");
  EXPECT_EQ(RowScope::for_caller(audit, "u1", true).kind, RowScope::Kind::kAll);
  RowScope own = RowScope::for_caller(audit, "u1", false);
  EXPECT_EQ(own.kind, RowScope::Kind::kOwned);
  EXPECT_EQ(own.owner_column, "user_id");
  EXPECT_EQ(own.user_id, "u1");
  EXPECT_EQ(RowScope::for_caller(audit, "", false).kind, RowScope::Kind::kNone);
  EXPECT_EQ(RowScope::for_caller(*cat.find("public", "executions"), "u1", false).kind,
            RowScope::Kind::kAll);
  RestRelation admin_only{"public", "x", "x", {}, RowPolicy::kAdminOnly, ""};
  EXPECT_EQ(RowScope::for_caller(admin_only, "u1", false).kind, RowScope::Kind::kNone);
  EXPECT_EQ(RowScope::for_caller(admin_only, "u1", true).kind, RowScope::Kind::kAll);
}

}  // namespace
}  // namespace opz::store
