// Giving memory back to the operating system after large requests.
//
// glibc keeps freed memory in its arenas, and raises its mmap threshold to
// the size of the largest block freed so far (up to 32 MiB): after a few
// 20 MB webhook bodies, later bodies and their parse trees live in the heap,
// and RSS stays hundreds of MB above the working set. The server therefore
// pins the thresholds at start-up (blocks of 1 MiB and more are always
// mmapped, so freeing them unmaps them) and trims the arenas after a request
// whose body was large (the parse tree's many small blocks).
// No-ops where the C library is not glibc. Thread-safe.
#pragma once

#include <cstddef>

namespace opz {

// Bodies at least this large trigger release_free_memory() when done.
inline constexpr size_t kLargeBodyBytes = 1u << 20;

// Call once, early in a long-running process.
void tune_allocator_for_server();
// Returns free pages of every arena to the OS (malloc_trim). Costs about a
// millisecond with a large heap: call it after large requests, not always.
void release_free_memory();

}  // namespace opz
