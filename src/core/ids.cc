#include "core/ids.h"

#include <pthread.h>
#include <sodium.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>

namespace opz {

namespace {
constexpr char kHex[] = "0123456789abcdef";
// libsodium must be initialised before its CSPRNG is used; idempotent and thread-safe.
const int kSodiumReady = sodium_init();

// A forked child must not replay its parent's id stream: every fork moves
// the generation on, and a thread's stream is keyed again when it sees that.
std::atomic<uint64_t> fork_generation{0};
const int kForkHook =
    pthread_atfork(nullptr, nullptr, [] { fork_generation.fetch_add(1, std::memory_order_relaxed); });

// Random bits for ids: a per-thread ChaCha20 keystream (key from the system
// CSPRNG, a counter as the nonce). As unpredictable as randombytes_buf,
// without its getrandom() system call per id (two per webhook delivery).
// Secrets (random_hex: tokens) still come from randombytes_buf.
void id_random_bytes(uint8_t* out, size_t n) {
  struct Stream {
    unsigned char key[crypto_stream_chacha20_ietf_KEYBYTES];
    uint64_t counter = 0;
    uint64_t generation = ~uint64_t{0};
    ~Stream() { sodium_memzero(key, sizeof key); }
  };
  thread_local Stream s;
  const uint64_t generation = fork_generation.load(std::memory_order_relaxed);
  if (s.generation != generation) {
    randombytes_buf(s.key, sizeof s.key);
    s.counter = 0;
    s.generation = generation;
  }
  unsigned char nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {};
  std::memcpy(nonce, &s.counter, sizeof s.counter);
  ++s.counter;
  crypto_stream_chacha20_ietf(out, n, nonce, s.key);
}
}  // namespace

std::string new_uuid() {
  uint8_t b[16];
  id_random_bytes(b, sizeof b);
  const auto ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count());
  for (int i = 0; i < 6; ++i) b[i] = static_cast<uint8_t>(ms >> (8 * (5 - i)));
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x70);
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0xf]);
  }
  return out;
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

std::string random_hex(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char c : raw) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

}  // namespace opz
