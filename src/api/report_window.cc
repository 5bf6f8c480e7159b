#include "api/report_window.h"

#include <string>

namespace opz::api {

Result<int> report_window_days(std::string_view text, std::string_view field) {
  if (text == "7d") return 7;
  if (text == "30d") return 30;
  if (text == "90d") return 90;
  return Error::validation(
      std::string(field) + " must be 7d, 30d or 90d, got '" + std::string(text.substr(0, 40)) + "'",
      std::string(field));
}

}  // namespace opz::api
