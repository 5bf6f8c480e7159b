#include "cli/table.h"

#include <algorithm>

namespace opz::cli {

namespace {
// Display width in code points (good enough for the ASCII-and-UTF-8 we print).
size_t width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
}  // namespace

TablePrinter::TablePrinter(std::vector<std::string> headers, size_t max_cell)
    : headers_(std::move(headers)), max_cell_(max_cell) {}

void TablePrinter::add_row(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (auto& c : cells) {
    std::replace(c.begin(), c.end(), '\n', ' ');
    if (width(c) > max_cell_) {
      size_t keep = 0, cps = 0;
      while (keep < c.size() && cps < max_cell_ - 1) {
        ++keep;
        while (keep < c.size() && (static_cast<unsigned char>(c[keep]) & 0xC0) == 0x80) ++keep;
        ++cps;
      }
      c = c.substr(0, keep) + "…";
    }
  }
  rows_.push_back(std::move(cells));
}

void TablePrinter::print(std::ostream& out) const {
  std::vector<size_t> w(headers_.size());
  for (size_t i = 0; i < headers_.size(); ++i) w[i] = width(headers_[i]);
  for (const auto& r : rows_)
    for (size_t i = 0; i < r.size(); ++i) w[i] = std::max(w[i], width(r[i]));
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      out << cells[i];
      if (i + 1 < cells.size()) out << std::string(w[i] - width(cells[i]) + 2, ' ');
    }
    out << "\n";
  };
  line(headers_);
  for (const auto& r : rows_) line(r);
}

}  // namespace opz::cli
