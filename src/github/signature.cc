#include "github/signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdint>

namespace opz::github {
namespace {

constexpr size_t kDigestBytes = 32;
constexpr char kHexDigits[] = "0123456789abcdef";

std::array<unsigned char, kDigestBytes> hmac_sha256(std::string_view secret,
                                                    std::string_view body) {
  std::array<unsigned char, kDigestBytes> out{};
  unsigned int len = 0;
  // A non-null key pointer even for an empty secret: OpenSSL treats a null key
  // as "reuse the previous key", which a one-shot call does not have.
  static const unsigned char kEmpty = 0;
  const void* key = secret.empty() ? &kEmpty : static_cast<const void*>(secret.data());
  const unsigned char* data =
      body.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(body.data());
  HMAC(EVP_sha256(), key, static_cast<int>(secret.size()), data, body.size(), out.data(), &len);
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char a = s[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (a != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::string sign(std::string_view secret, std::string_view body) {
  auto digest = hmac_sha256(secret, body);
  std::string out(kSignaturePrefix);
  out.reserve(kSignaturePrefix.size() + 2 * kDigestBytes);
  for (unsigned char b : digest) {
    out += kHexDigits[b >> 4];
    out += kHexDigits[b & 0x0f];
  }
  return out;
}

Status verify_signature(std::string_view secret, std::string_view raw_body,
                        std::string_view header_value) {
  if (secret.empty()) {
    return Error::unauthenticated(
        "webhook secret is not configured for this integration; refusing unsigned deliveries");
  }
  std::string_view value = trim(header_value);
  if (value.empty()) {
    return Error::unauthenticated("missing X-Hub-Signature-256 header");
  }
  if (starts_with_ci(value, "sha1=")) {
    return Error::unauthenticated(
        "SHA-1 signatures (sha1=...) are not accepted; X-Hub-Signature-256 must carry "
        "'sha256=<hex>'");
  }
  if (!starts_with_ci(value, kSignaturePrefix)) {
    return Error::unauthenticated("X-Hub-Signature-256 must start with 'sha256='");
  }
  std::string_view hex = value.substr(kSignaturePrefix.size());
  if (hex.size() != 2 * kDigestBytes) {
    return Error::unauthenticated("X-Hub-Signature-256 digest must be 64 hex digits, got " +
                                  std::to_string(hex.size()));
  }
  std::array<unsigned char, kDigestBytes> given{};
  for (size_t i = 0; i < kDigestBytes; ++i) {
    int hi = hex_value(hex[2 * i]);
    int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      size_t at = hi < 0 ? 2 * i : 2 * i + 1;
      return Error::unauthenticated(
          "X-Hub-Signature-256 digest has a non-hex character at position " +
          std::to_string(at + 1));
    }
    given[i] = static_cast<unsigned char>((hi << 4) | lo);
  }
  auto expected = hmac_sha256(secret, raw_body);
  if (CRYPTO_memcmp(given.data(), expected.data(), kDigestBytes) != 0) {
    return Error::unauthenticated(
        "X-Hub-Signature-256 does not match the payload (wrong webhook secret, or the body was "
        "altered)");
  }
  return ok_status();
}

}  // namespace opz::github
