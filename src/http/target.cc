#include "http/target.h"

namespace opz::http {

Result<Target> parse_target(std::string_view target) {
  if (target.empty() || target.front() != '/') {
    return Error::malformed("request target must be an absolute path starting with '/'");
  }
  if (const size_t hash = target.find('#'); hash != std::string_view::npos) {
    target = target.substr(0, hash);
  }
  const size_t question = target.find('?');
  Target out;
  out.raw_path = std::string(target.substr(0, question));
  OPZ_TRY(out.path, percent_decode(out.raw_path));
  if (question != std::string_view::npos) {
    OPZ_TRY(out.query, parse_query(target.substr(question + 1)));
  }
  return out;
}

}  // namespace opz::http
