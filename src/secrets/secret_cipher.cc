#include "secrets/secret_cipher.h"

#include <sodium.h>

#include "secrets/encoding.h"

namespace opz::secrets {

namespace {

// Every part, NUL-separated after a version tag (no part holds a NUL: ids are
// UUIDs, names [A-Z0-9_], environments printable).
std::string associated_data(const SecretAddress& a) {
  std::string ad = "opzenix-secret-v1";
  for (std::string_view part : {std::string_view(a.id), scope_of(a), std::string_view(a.project_id),
                                std::string_view(a.environment_id), std::string_view(a.name)}) {
    ad.push_back('\0');
    ad.append(part);
  }
  return ad;
}

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string_view scope_of(const SecretAddress& a) {
  if (a.project_id.empty()) return "global";
  return a.environment_id.empty() ? "project" : "environment";
}

Result<SealedSecret> seal_secret(const KeyRing& ring, const SecretAddress& address,
                                 std::string_view value) {
  if (sodium_init() < 0) return Error::internal("libsodium could not be initialized");
  const MasterKey& key = ring.newest();
  std::string nonce(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, '\0');
  randombytes_buf(nonce.data(), nonce.size());
  const std::string ad = associated_data(address);
  std::string cipher(value.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long cipher_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_encrypt(
          reinterpret_cast<unsigned char*>(cipher.data()), &cipher_len, bytes_of(value),
          value.size(), bytes_of(ad), ad.size(), nullptr, bytes_of(nonce), key.bytes.data()) != 0)
    return Error::internal("encryption failed");
  cipher.resize(cipher_len);
  return SealedSecret{key.id, to_base64(nonce), to_base64(cipher)};
}

Result<std::string> open_secret(const KeyRing& ring, const SecretAddress& address,
                                const SealedSecret& sealed) {
  if (sodium_init() < 0) return Error::internal("libsodium could not be initialized");
  const MasterKey* key = ring.find(sealed.key_id);
  if (key == nullptr)
    return Error::unavailable("secret " + address.name + " was encrypted with master key '" +
                              sealed.key_id + "', which the key ring does not hold");
  auto nonce = from_base64(sealed.nonce, "nonce");
  auto cipher = from_base64(sealed.ciphertext, "ciphertext");
  if (!nonce || !cipher || nonce->size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES ||
      cipher->size() < crypto_aead_xchacha20poly1305_ietf_ABYTES)
    return Error::unauthenticated("secret " + address.name + " is not a well-formed ciphertext");
  const std::string ad = associated_data(address);
  std::string plain(cipher->size() - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long plain_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &plain_len, nullptr, bytes_of(*cipher),
          cipher->size(), bytes_of(ad), ad.size(), bytes_of(*nonce), key->bytes.data()) != 0)
    return Error::unauthenticated("secret " + address.name +
                                  " does not decrypt for its row (altered, moved from another "
                                  "row, or sealed under another key)");
  plain.resize(plain_len);
  return plain;
}

}  // namespace opz::secrets
