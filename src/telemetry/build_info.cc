#include "telemetry/build_info.h"

namespace opz::telemetry {

Status register_build_info(MetricsRegistry& registry, const std::string& version) {
  OPZ_TRY(GaugeFamily * family,
          registry.gauge("opzenix_build_info", "Opzenix build information; the value is 1.",
                         {"version"}));
  family->with({version}).set(1);
  return ok_status();
}

}  // namespace opz::telemetry
