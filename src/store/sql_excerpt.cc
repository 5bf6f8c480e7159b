#include "store/sql_excerpt.h"

namespace opz::store {

std::string sql_excerpt(std::string_view sql) {
  constexpr size_t kMax = 80;
  const size_t start = sql.find_first_not_of(" \n\t\r");
  if (start == std::string_view::npos) return {};
  sql.remove_prefix(start);
  std::string out(sql.substr(0, kMax));
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (sql.size() > kMax) out += "...";
  return out;
}

}  // namespace opz::store
