#include "store/sql.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

namespace opz::store {
namespace {

TEST(SqlValueTest, KindsFollowTheConstructor) {
  EXPECT_TRUE(SqlValue().is_null());
  EXPECT_TRUE(SqlValue(nullptr).is_null());
  EXPECT_TRUE(SqlValue(std::optional<std::string>()).is_null());
  EXPECT_TRUE(SqlValue(7).is_int());
  EXPECT_TRUE(SqlValue(true).is_int());
  EXPECT_TRUE(SqlValue(2.5).is_real());
  EXPECT_TRUE(SqlValue("x").is_text());
  EXPECT_TRUE(SqlValue(std::optional<std::string>("y")).is_text());
  EXPECT_EQ(SqlValue(std::optional<int64_t>(5)).as_int(), 5);
}

TEST(SqlValueTest, IntConversionsAreLenientLikeSqlite) {
  EXPECT_EQ(SqlValue(int64_t{42}).as_int(), 42);
  EXPECT_EQ(SqlValue("12").as_int(), 12);
  EXPECT_EQ(SqlValue("  -34xyz").as_int(), -34);
  EXPECT_EQ(SqlValue("+5").as_int(), 5);
  EXPECT_EQ(SqlValue("1.9").as_int(), 1);
  EXPECT_EQ(SqlValue("abc").as_int(), 0);
  EXPECT_EQ(SqlValue("").as_int(), 0);
  EXPECT_EQ(SqlValue().as_int(), 0);
  EXPECT_EQ(SqlValue(3.99).as_int(), 3);
  EXPECT_EQ(SqlValue(-3.99).as_int(), -3);
  EXPECT_EQ(SqlValue("99999999999999999999").as_int(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(SqlValue("-9223372036854775808").as_int(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(SqlValue(1e300).as_int(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(SqlValue(std::numeric_limits<double>::quiet_NaN()).as_int(), 0);
  EXPECT_TRUE(SqlValue("1").as_bool());
  EXPECT_FALSE(SqlValue(0).as_bool());
  EXPECT_FALSE(SqlValue().as_bool());
}

TEST(SqlValueTest, RealAndTextConversions) {
  EXPECT_DOUBLE_EQ(SqlValue(2.5).as_real(), 2.5);
  EXPECT_DOUBLE_EQ(SqlValue(int64_t{3}).as_real(), 3.0);
  EXPECT_DOUBLE_EQ(SqlValue(" 1.25kg").as_real(), 1.25);
  EXPECT_DOUBLE_EQ(SqlValue("nope").as_real(), 0.0);
  EXPECT_DOUBLE_EQ(SqlValue().as_real(), 0.0);

  EXPECT_EQ(SqlValue(int64_t{-17}).as_text(), "-17");
  EXPECT_EQ(SqlValue(2.5).as_text(), "2.5");
  EXPECT_EQ(SqlValue(2.0).as_text(), "2.0");
  EXPECT_EQ(SqlValue(0.1).as_text(), "0.1");
  EXPECT_EQ(SqlValue("text").as_text(), "text");
  EXPECT_EQ(SqlValue().as_text(), "");
  EXPECT_EQ(SqlValue().as_optional_text(), std::nullopt);
  EXPECT_EQ(SqlValue("").as_optional_text(), std::optional<std::string>(""));
}

Rows make_rows() {
  Rows rows;
  rows.columns = {"id", "name"};
  rows.rows.emplace_back(&rows.columns, std::vector<SqlValue>{SqlValue(1), SqlValue("a")});
  rows.rows.emplace_back(&rows.columns, std::vector<SqlValue>{SqlValue(2), SqlValue("b")});
  return rows;
}

TEST(RowTest, ColumnsByPositionAndName) {
  Rows rows = make_rows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][size_t{0}].as_int(), 1);
  EXPECT_EQ(rows[1]["name"].as_text(), "b");
  EXPECT_EQ(rows[1].names().size(), 2u);
  EXPECT_THROW((void)rows[0][size_t{5}], std::out_of_range);
}

TEST(RowTest, RowsKeepTheirNamesWhenMovedOrCopied) {
  // Result<Rows> moves the Rows it carries: the rows must follow.
  Result<Rows> result = make_rows();
  ASSERT_TRUE(result.ok());
  Rows moved = std::move(result).value();
  EXPECT_EQ(&moved[0].names(), &moved.columns);
  EXPECT_EQ(moved[0]["name"].as_text(), "a");

  Rows copy = moved;
  EXPECT_EQ(&copy[1].names(), &copy.columns);
  EXPECT_EQ(copy[1]["id"].as_int(), 2);

  Rows assigned;
  assigned = copy;
  EXPECT_EQ(&assigned[0].names(), &assigned.columns);
  Rows move_assigned;
  move_assigned = std::move(assigned);
  EXPECT_EQ(&move_assigned[0].names(), &move_assigned.columns);
  EXPECT_EQ(move_assigned[0]["name"].as_text(), "a");
}

TEST(RowDeathTest, UnknownColumnAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Rows rows = make_rows();
  EXPECT_DEATH((void)rows[0]["nmae"], "no column 'nmae' \\(columns: id, name\\)");
}

}  // namespace
}  // namespace opz::store
