// Fuzz target for the secrets module's text handling: the key ring parser
// (secrets/key_ring.h: OPZENIX_MASTER_KEY and the key ring file) and the log
// masker (secrets/log_masker.h). Any bytes must give an answer, never a
// crash. A ring that parses serializes to text that parses to the same keys.
// For the masker the input is "value\0value\0...\x01text": masking the text
// in chunks (sizes taken from the text) gives exactly what masking it whole
// gives, at most max_length()-1 bytes are held back between chunks, and no
// value of 8+ bytes (without '*' or a newline) is left in the output.
// Without libFuzzer it replays fuzz/corpus/secrets_text_fuzz/ as a test.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "secrets/key_ring.h"
#include "secrets/log_masker.h"

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}

void ring_round_trip(std::string_view text) {
  auto ring = opz::secrets::KeyRing::parse(text);
  if (!ring) return;
  auto again = opz::secrets::KeyRing::parse(ring->serialize());
  check(again.ok());
  check(again->keys().size() == ring->keys().size());
  for (size_t i = 0; i < ring->keys().size(); ++i) {
    check(again->keys()[i].id == ring->keys()[i].id);
    check(again->keys()[i].bytes == ring->keys()[i].bytes);
  }
}

void masker(std::string_view input) {
  const size_t sep = input.find('\x01');
  if (sep == std::string_view::npos) return;
  std::vector<std::string> values;
  std::string_view list = input.substr(0, sep);
  while (!list.empty() && values.size() < 16) {
    const size_t nul = list.find('\0');
    values.emplace_back(list.substr(0, nul));
    list.remove_prefix(nul == std::string_view::npos ? list.size() : nul + 1);
  }
  const std::string_view text = input.substr(sep + 1);
  auto patterns = std::make_shared<const opz::secrets::MaskPatterns>(values);
  const std::string whole = patterns->mask(text);
  opz::secrets::StreamMasker stream(patterns);
  std::string streamed;
  size_t at = 0;
  while (at < text.size()) {
    const size_t n = std::min<size_t>(text.size() - at, 1 + static_cast<unsigned char>(text[at]) % 13);
    streamed += stream.feed(text.substr(at, n));
    check(patterns->empty() || stream.held_bytes() < patterns->max_length());
    at += n;
  }
  streamed += stream.finish();
  check(streamed == whole);
  for (const std::string& v : values) {
    if (v.size() < opz::secrets::kMinMaskedLength) continue;
    if (v.find('*') != std::string::npos || v.find('\n') != std::string::npos) continue;
    check(whole.find(v) == std::string::npos);
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  ring_round_trip(input);
  masker(input);
  return 0;
}
