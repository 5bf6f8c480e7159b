#include "secrets/key_ring.h"

#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "secrets/encoding.h"

namespace opz::secrets {

namespace {

constexpr std::string_view kLineTag = "opzenix-key";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Splits on runs of spaces or tabs.
std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

MasterKey random_key(std::string id) {
  if (sodium_init() < 0) std::abort();  // no randomness: nothing may be encrypted
  MasterKey key;
  key.id = std::move(id);
  randombytes_buf(key.bytes.data(), key.bytes.size());
  return key;
}

}  // namespace

bool is_valid_key_id(std::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

KeyRing::~KeyRing() {
  for (MasterKey& k : keys_) sodium_memzero(k.bytes.data(), k.bytes.size());
}

Result<KeyRing> KeyRing::parse(std::string_view text) {
  KeyRing ring;
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const size_t nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (line.empty() || line.front() == '#') continue;
    const std::string where = "key ring line " + std::to_string(line_no);
    const auto fields = fields_of(line);
    if (fields.size() != 3 || fields[0] != kLineTag)
      return Error::validation(where + " is not 'opzenix-key <id> <base64 key>'");
    if (!is_valid_key_id(fields[1]))
      return Error::validation(where + ": a key id is 1 to 32 of a-z, 0-9 and '-'");
    if (ring.find(fields[1]) != nullptr)
      return Error::validation(where + ": key id '" + std::string(fields[1]) + "' appears twice");
    if (ring.keys_.size() >= kMaxKeysInRing)
      return Error::validation("a key ring holds at most " + std::to_string(kMaxKeysInRing) +
                               " keys");
    auto bytes = from_base64(fields[2], where);
    if (!bytes) return Error::validation(where + ": the key is not valid base64");
    if (bytes->size() != kMasterKeyBytes) {
      sodium_memzero(bytes->data(), bytes->size());
      return Error::validation(where + ": a key is exactly 32 bytes");
    }
    MasterKey key;
    key.id = std::string(fields[1]);
    std::memcpy(key.bytes.data(), bytes->data(), kMasterKeyBytes);
    sodium_memzero(bytes->data(), bytes->size());
    ring.keys_.push_back(std::move(key));
  }
  if (ring.keys_.empty()) return Error::validation("the key ring holds no key");
  return ring;
}

KeyRing KeyRing::generate() {
  KeyRing ring;
  ring.keys_.push_back(random_key("k1"));
  return ring;
}

std::string KeyRing::serialize() const {
  std::string out =
      "# Opzenix master key ring: the last key encrypts, every key decrypts.\n"
      "# Keep this file secret (mode 0600) and backed up: without it the stored\n"
      "# secrets cannot be read.\n";
  for (const MasterKey& k : keys_) {
    std::string_view bytes(reinterpret_cast<const char*>(k.bytes.data()), k.bytes.size());
    out += std::string(kLineTag) + " " + k.id + " " + to_base64(bytes) + "\n";
  }
  return out;
}

Result<std::string> KeyRing::add_key() {
  if (keys_.size() >= kMaxKeysInRing)
    return Error::conflict("the key ring already holds " + std::to_string(kMaxKeysInRing) +
                           " keys");
  // The next k<n> after the largest numbered id, skipping ids in use.
  long next = 1;
  for (const MasterKey& k : keys_) {
    if (k.id.size() > 1 && k.id[0] == 'k' &&
        std::all_of(k.id.begin() + 1, k.id.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        k.id.size() < 12)
      next = std::max(next, std::stol(k.id.substr(1)) + 1);
  }
  std::string id = "k" + std::to_string(next);
  while (find(id) != nullptr) id = "k" + std::to_string(++next);
  keys_.push_back(random_key(id));
  return id;
}

const MasterKey* KeyRing::find(std::string_view id) const {
  for (const MasterKey& k : keys_)
    if (k.id == id) return &k;
  return nullptr;
}

}  // namespace opz::secrets
