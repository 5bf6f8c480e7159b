#include "runner/output_file.h"

#include <optional>

namespace opz::runner {
namespace {

bool is_key_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }

bool is_key_char(char c) {
  return is_key_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\f\v") == std::string_view::npos;
}

// Splits text into lines (without "\n" and a trailing CR), numbering from 1.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : rest_(text) {}
  std::optional<std::string_view> next() {
    if (rest_.empty()) return std::nullopt;
    const size_t nl = rest_.find('\n');
    std::string_view line = rest_.substr(0, nl);
    rest_.remove_prefix(nl == std::string_view::npos ? rest_.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++number_;
    return line;
  }
  int number() const { return number_; }

 private:
  std::string_view rest_;
  int number_ = 0;
};

Error line_error(int line, const std::string& what) {
  const std::string where = "line " + std::to_string(line);
  return Error::validation(where + ": " + what, where);
}

void set_value(OutputValues& values, std::string_view key, std::string value) {
  for (auto& [k, v] : values) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  values.emplace_back(std::string(key), std::move(value));
}

}  // namespace

Result<OutputValues> parse_output_file(std::string_view text) {
  OutputValues values;
  LineReader reader(text);
  while (auto line = reader.next()) {
    if (is_blank(*line) || line->front() == '#') continue;
    const int line_no = reader.number();
    if (!is_key_start(line->front())) {
      return line_error(line_no,
                        "expected key=value or key<<DELIMITER; a key starts with a "
                        "letter or '_'");
    }
    size_t end = 1;
    while (end < line->size() && is_key_char((*line)[end])) ++end;
    const std::string_view key = line->substr(0, end);
    const std::string_view rest = line->substr(end);
    if (rest.starts_with("=")) {
      set_value(values, key, std::string(rest.substr(1)));
      continue;
    }
    if (!rest.starts_with("<<")) {
      return line_error(line_no, "expected '=' or '<<' after key '" + std::string(key) + "'");
    }
    const std::string_view delimiter = rest.substr(2);
    if (is_blank(delimiter)) {
      return line_error(line_no, "missing delimiter after '" + std::string(key) + "<<'");
    }
    std::string value;
    bool closed = false;
    bool first = true;
    while (auto body = reader.next()) {
      if (*body == delimiter) {
        closed = true;
        break;
      }
      if (!first) value += '\n';
      value.append(*body);
      first = false;
    }
    if (!closed) {
      return line_error(line_no, "value of '" + std::string(key) + "' is not closed by a line '" +
                                     std::string(delimiter) + "'");
    }
    set_value(values, key, std::move(value));
  }
  return values;
}

std::string output_env_name(std::string_view node_id, std::string_view key) {
  std::string name = "OPZENIX_OUT_";
  auto append_upper = [&name](std::string_view part) {
    for (char c : part) {
      if (c >= 'a' && c <= 'z') {
        name += static_cast<char>(c - 'a' + 'A');
      } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
        name += c;
      } else {
        name += '_';
      }
    }
  };
  append_upper(node_id);
  name += '_';
  append_upper(key);
  return name;
}

}  // namespace opz::runner
