#include "store/project_store.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "migrated_db_test.h"

namespace opz::store {
namespace {

class ProjectStoreTest : public MigratedDbTest {
 protected:
  std::set<std::string> names_matching(const std::string& search) {
    ProjectStore projects(*db_, clock_);
    auto page = projects.list_projects({.organization_id = "", .search = search}, PageRequest{});
    EXPECT_TRUE(page.ok()) << page.error().to_string();
    std::set<std::string> out;
    if (page.ok())
      for (const ProjectRecord& p : page->items) out.insert(p.name);
    return out;
  }
};

// The same answer on SQLite (whose LIKE ignores ASCII case) and PostgreSQL.
TEST_F(ProjectStoreTest, SearchMatchesNameOrSlugIgnoringCase) {
  create_project("Payments API");
  create_project("web-frontend");
  create_project("Billing");

  EXPECT_EQ(names_matching("payments"), std::set<std::string>({"Payments API"}));
  EXPECT_EQ(names_matching("FRONT"), std::set<std::string>({"web-frontend"}));
  EXPECT_EQ(names_matching("i"), std::set<std::string>({"Payments API", "Billing"}));
  EXPECT_TRUE(names_matching("nothing").empty());
}

}  // namespace
}  // namespace opz::store
