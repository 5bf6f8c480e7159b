// TablePrinter: the CLI's human-readable output — aligned columns, a header
// row, long cells cut with an ellipsis. Scripts use --json instead.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace opz::cli {

class TablePrinter {
 public:
  explicit TablePrinter(std::vector<std::string> headers, size_t max_cell = 60);
  void add_row(std::vector<std::string> cells);
  void print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
  size_t max_cell_;
};

}  // namespace opz::cli
