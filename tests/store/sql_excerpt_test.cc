#include "store/sql_excerpt.h"

#include <gtest/gtest.h>

#include <string>

namespace opz::store {
namespace {

TEST(SqlExcerpt, OneLineFromTheFirstWord) {
  EXPECT_EQ(sql_excerpt("\n  SELECT id\n\tFROM executions\r\nWHERE x = $1"),
            "SELECT id  FROM executions  WHERE x = $1");
  EXPECT_EQ(sql_excerpt(" \n\t"), "");
  EXPECT_EQ(sql_excerpt(""), "");
}

TEST(SqlExcerpt, EightyCharactersThenAnEllipsis) {
  const std::string eighty(80, 'x');
  EXPECT_EQ(sql_excerpt(eighty), eighty);
  EXPECT_EQ(sql_excerpt("  " + eighty + "y"), eighty + "...")
      << "the blanks skipped are not counted";
}

}  // namespace
}  // namespace opz::store
