#include "core/json_text.h"

#include "core/json.h"
#include "core/json_skim.h"

namespace opz {

void append_json_string(std::string& out, std::string_view s) {
  const char* end = s.data() + s.size();
  if (skip_plain(s.data(), end) != end) {
    out += dump_json(Json(s));
    return;
  }
  out += '"';
  out += s;
  out += '"';
}

}  // namespace opz
