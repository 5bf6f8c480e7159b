#include "agent/http_tls.h"

#include <dlfcn.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#include <sys/socket.h>

#include <cerrno>
#include <mutex>

namespace opz::agent {

// The mbedTLS entry points the client uses, found with dlsym. The headers
// give their types (and the structures' layout, from the same package)
// only: nothing here links against mbedTLS.
struct TlsLibrary {
  decltype(&::mbedtls_entropy_init) entropy_init;
  decltype(&::mbedtls_entropy_free) entropy_free;
  decltype(&::mbedtls_entropy_func) entropy_func;
  decltype(&::mbedtls_ctr_drbg_init) ctr_drbg_init;
  decltype(&::mbedtls_ctr_drbg_free) ctr_drbg_free;
  decltype(&::mbedtls_ctr_drbg_seed) ctr_drbg_seed;
  decltype(&::mbedtls_ctr_drbg_random) ctr_drbg_random;
  decltype(&::mbedtls_x509_crt_init) x509_crt_init;
  decltype(&::mbedtls_x509_crt_free) x509_crt_free;
  decltype(&::mbedtls_x509_crt_parse_file) x509_crt_parse_file;
  decltype(&::mbedtls_x509_crt_verify_info) x509_crt_verify_info;
  decltype(&::mbedtls_ssl_config_init) ssl_config_init;
  decltype(&::mbedtls_ssl_config_free) ssl_config_free;
  decltype(&::mbedtls_ssl_config_defaults) ssl_config_defaults;
  decltype(&::mbedtls_ssl_conf_authmode) ssl_conf_authmode;
  decltype(&::mbedtls_ssl_conf_ca_chain) ssl_conf_ca_chain;
  decltype(&::mbedtls_ssl_conf_rng) ssl_conf_rng;
  decltype(&::mbedtls_ssl_conf_min_version) ssl_conf_min_version;
  decltype(&::mbedtls_ssl_init) ssl_init;
  decltype(&::mbedtls_ssl_free) ssl_free;
  decltype(&::mbedtls_ssl_setup) ssl_setup;
  decltype(&::mbedtls_ssl_set_hostname) ssl_set_hostname;
  decltype(&::mbedtls_ssl_set_bio) ssl_set_bio;
  decltype(&::mbedtls_ssl_handshake) ssl_handshake;
  decltype(&::mbedtls_ssl_read) ssl_read;
  decltype(&::mbedtls_ssl_write) ssl_write;
  decltype(&::mbedtls_ssl_get_verify_result) ssl_get_verify_result;
  decltype(&::mbedtls_strerror) strerror;
};

struct TlsContextState {
  const TlsLibrary* lib = nullptr;
  mbedtls_entropy_context entropy;
  mbedtls_ctr_drbg_context drbg;
  std::mutex drbg_mu;  // the generator is shared by every session of the context
  mbedtls_x509_crt ca_chain;
  mbedtls_ssl_config config;
};

struct TlsSessionState {
  const TlsLibrary* lib = nullptr;
  int fd = -1;
  mbedtls_ssl_context ssl;
};

namespace {

// Loads libmbedtls.so.14 once; libmbedx509 and libmbedcrypto come with it,
// and dlsym on its handle finds their symbols too.
Result<const TlsLibrary*> load_tls_library() {
  static std::once_flag once;
  static TlsLibrary lib;
  static std::string error;
  std::call_once(once, [] {
    void* h = dlopen("libmbedtls.so.14", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      const char* why = dlerror();
      error = std::string("cannot load mbedTLS (libmbedtls.so.14) for https: ") + (why ? why : "");
      return;
    }
    auto find = [&](auto& fn, const char* name) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(h, name));
      if (!fn && error.empty()) error = std::string("mbedTLS has no ") + name;
    };
#define OPZ_TLS_SYMBOL(name) find(lib.name, "mbedtls_" #name)
    OPZ_TLS_SYMBOL(entropy_init);
    OPZ_TLS_SYMBOL(entropy_free);
    OPZ_TLS_SYMBOL(entropy_func);
    OPZ_TLS_SYMBOL(ctr_drbg_init);
    OPZ_TLS_SYMBOL(ctr_drbg_free);
    OPZ_TLS_SYMBOL(ctr_drbg_seed);
    OPZ_TLS_SYMBOL(ctr_drbg_random);
    OPZ_TLS_SYMBOL(x509_crt_init);
    OPZ_TLS_SYMBOL(x509_crt_free);
    OPZ_TLS_SYMBOL(x509_crt_parse_file);
    OPZ_TLS_SYMBOL(x509_crt_verify_info);
    OPZ_TLS_SYMBOL(ssl_config_init);
    OPZ_TLS_SYMBOL(ssl_config_free);
    OPZ_TLS_SYMBOL(ssl_config_defaults);
    OPZ_TLS_SYMBOL(ssl_conf_authmode);
    OPZ_TLS_SYMBOL(ssl_conf_ca_chain);
    OPZ_TLS_SYMBOL(ssl_conf_rng);
    OPZ_TLS_SYMBOL(ssl_conf_min_version);
    OPZ_TLS_SYMBOL(ssl_init);
    OPZ_TLS_SYMBOL(ssl_free);
    OPZ_TLS_SYMBOL(ssl_setup);
    OPZ_TLS_SYMBOL(ssl_set_hostname);
    OPZ_TLS_SYMBOL(ssl_set_bio);
    OPZ_TLS_SYMBOL(ssl_handshake);
    OPZ_TLS_SYMBOL(ssl_read);
    OPZ_TLS_SYMBOL(ssl_write);
    OPZ_TLS_SYMBOL(ssl_get_verify_result);
    OPZ_TLS_SYMBOL(strerror);
#undef OPZ_TLS_SYMBOL
  });
  if (!error.empty()) return Error::unavailable(error);
  return &lib;
}

std::string describe(const TlsLibrary* lib, int rc) {
  char text[200];
  lib->strerror(rc, text, sizeof text);
  return text;
}

// The socket callbacks: the socket is non-blocking, so "would block" is
// mbedTLS's WANT_READ / WANT_WRITE and HttpConnection polls.
int send_bytes(void* ctx, const unsigned char* buf, size_t len) {
  ssize_t n = ::send(static_cast<TlsSessionState*>(ctx)->fd, buf, len, MSG_NOSIGNAL);
  if (n >= 0) return static_cast<int>(n);
  if (errno == EAGAIN || errno == EINTR) return MBEDTLS_ERR_SSL_WANT_WRITE;
  return errno == ECONNRESET || errno == EPIPE ? MBEDTLS_ERR_NET_CONN_RESET
                                               : MBEDTLS_ERR_NET_SEND_FAILED;
}

int recv_bytes(void* ctx, unsigned char* buf, size_t len) {
  ssize_t n = ::recv(static_cast<TlsSessionState*>(ctx)->fd, buf, len, 0);
  if (n >= 0) return static_cast<int>(n);
  if (errno == EAGAIN || errno == EINTR) return MBEDTLS_ERR_SSL_WANT_READ;
  return errno == ECONNRESET ? MBEDTLS_ERR_NET_CONN_RESET : MBEDTLS_ERR_NET_RECV_FAILED;
}

int random_bytes(void* ctx, unsigned char* out, size_t len) {
  auto* state = static_cast<TlsContextState*>(ctx);
  std::lock_guard lock(state->drbg_mu);
  return state->lib->ctr_drbg_random(&state->drbg, out, len);
}

}  // namespace

TlsSession::TlsSession(std::unique_ptr<TlsSessionState> state) : state_(std::move(state)) {}

TlsSession::~TlsSession() { state_->lib->ssl_free(&state_->ssl); }

TlsIo TlsSession::result_of(int rc, bool handshake) {
  const TlsLibrary* lib = state_->lib;
  if (rc > 0 || (rc == 0 && handshake)) return {TlsIo::kDone, static_cast<size_t>(rc), {}};
  if (rc == MBEDTLS_ERR_SSL_WANT_READ) return {TlsIo::kWantRead, 0, {}};
  if (rc == MBEDTLS_ERR_SSL_WANT_WRITE) return {TlsIo::kWantWrite, 0, {}};
  if (rc == 0 || rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || rc == MBEDTLS_ERR_NET_CONN_RESET)
    return {TlsIo::kClosed, 0, {}};
  if (handshake && rc == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
    char why[512];
    lib->x509_crt_verify_info(why, sizeof why, "", lib->ssl_get_verify_result(&state_->ssl));
    std::string text = why;
    while (!text.empty() && text.back() == '\n') text.pop_back();
    for (char& c : text)
      if (c == '\n') c = ';';
    return {TlsIo::kError, 0, "TLS: the server's certificate was refused: " + text};
  }
  return {TlsIo::kError, 0,
          std::string(handshake ? "TLS handshake failed: " : "TLS error: ") + describe(lib, rc)};
}

TlsIo TlsSession::handshake() { return result_of(state_->lib->ssl_handshake(&state_->ssl), true); }

TlsIo TlsSession::read(char* buf, size_t size) {
  return result_of(
      state_->lib->ssl_read(&state_->ssl, reinterpret_cast<unsigned char*>(buf), size), false);
}

TlsIo TlsSession::write(const char* buf, size_t size) {
  return result_of(
      state_->lib->ssl_write(&state_->ssl, reinterpret_cast<const unsigned char*>(buf), size),
      false);
}

TlsClientContext::TlsClientContext(std::unique_ptr<TlsContextState> state)
    : state_(std::move(state)) {}

TlsClientContext::~TlsClientContext() {
  const TlsLibrary* lib = state_->lib;
  lib->ssl_config_free(&state_->config);
  lib->x509_crt_free(&state_->ca_chain);
  lib->ctr_drbg_free(&state_->drbg);
  lib->entropy_free(&state_->entropy);
}

Result<std::shared_ptr<TlsClientContext>> TlsClientContext::create(const std::string& ca_file) {
  OPZ_TRY(const TlsLibrary* lib, load_tls_library());
  auto state = std::make_unique<TlsContextState>();
  TlsContextState* s = state.get();
  s->lib = lib;
  lib->entropy_init(&s->entropy);
  lib->ctr_drbg_init(&s->drbg);
  lib->x509_crt_init(&s->ca_chain);
  lib->ssl_config_init(&s->config);
  // From here the destructor frees what was initialised.
  auto context = std::make_shared<TlsClientContext>(std::move(state));
  static const unsigned char kPersonal[] = "opzenix-agent";
  int rc = lib->ctr_drbg_seed(&s->drbg, lib->entropy_func, &s->entropy, kPersonal,
                              sizeof kPersonal - 1);
  if (rc != 0) return Error::unavailable("cannot seed TLS's random generator: " + describe(lib, rc));
  const std::string file = ca_file.empty() ? kSystemCaFile : ca_file;
  // > 0: that many certificates of the file could not be read (the others are used).
  rc = lib->x509_crt_parse_file(&s->ca_chain, file.c_str());
  if (rc < 0) return Error::unavailable("cannot read the CA file " + file + ": " + describe(lib, rc));
  rc = lib->ssl_config_defaults(&s->config, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                MBEDTLS_SSL_PRESET_DEFAULT);
  if (rc != 0) return Error::unavailable("cannot set up TLS: " + describe(lib, rc));
  lib->ssl_conf_authmode(&s->config, MBEDTLS_SSL_VERIFY_REQUIRED);
  lib->ssl_conf_ca_chain(&s->config, &s->ca_chain, nullptr);
  lib->ssl_conf_rng(&s->config, random_bytes, s);
  lib->ssl_conf_min_version(&s->config, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
  return context;
}

Result<std::unique_ptr<TlsSession>> TlsClientContext::session(int fd, const std::string& host,
                                                             bool /*host_is_address*/) {
  const TlsLibrary* lib = state_->lib;
  auto state = std::make_unique<TlsSessionState>();
  state->lib = lib;
  state->fd = fd;
  lib->ssl_init(&state->ssl);
  TlsSessionState* s = state.get();
  auto session = std::make_unique<TlsSession>(std::move(state));
  int rc = lib->ssl_setup(&s->ssl, &state_->config);
  // The name to check (and SNI): mbedTLS compares it with the CN and DNS
  // names, so for an IP address the certificate must list it as one.
  if (rc == 0) rc = lib->ssl_set_hostname(&s->ssl, host.c_str());
  if (rc != 0) return Error::unavailable("cannot set up TLS for " + host + ": " + describe(lib, rc));
  lib->ssl_set_bio(&s->ssl, s, send_bytes, recv_bytes, nullptr);
  return session;
}

}  // namespace opz::agent
