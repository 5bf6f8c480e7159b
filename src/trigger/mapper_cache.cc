#include "trigger/mapper_cache.h"

namespace opz::trigger {

Result<std::shared_ptr<const ProjectMapper>> MapperCache::for_project(
    const std::string& project_id) {
  // The generation is read before the store is: see the header.
  using Shared = std::shared_ptr<const ProjectMapper>;
  return entries_.find_or_load(project_id, store_.generation(), [&]() -> Result<Shared> {
    OPZ_TRY(ProjectMapper loaded, load_mapper(store_, project_id));
    return std::make_shared<const ProjectMapper>(std::move(loaded));
  });
}

}  // namespace opz::trigger
