#include "core/memory_release.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace opz {

void tune_allocator_for_server() {
#if defined(__GLIBC__)
  // Setting either threshold explicitly also turns off glibc's dynamic
  // adjustment of both.
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(kLargeBodyBytes));
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(4 * kLargeBodyBytes));
#endif
}

void release_free_memory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace opz
