#include "trigger/mapper_cache.h"

namespace opz::trigger {

Result<std::shared_ptr<const ProjectMapper>> MapperCache::for_project(
    const std::string& project_id) {
  const uint64_t generation = store_.generation();  // before the read: see the header
  if (auto cached = entries_.find(project_id, generation)) return std::move(*cached);
  OPZ_TRY(ProjectMapper loaded, load_mapper(store_, project_id));
  auto shared = std::make_shared<const ProjectMapper>(std::move(loaded));
  entries_.store(project_id, generation, shared);
  return shared;
}

}  // namespace opz::trigger
