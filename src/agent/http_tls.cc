#include "agent/http_tls.h"

#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <mutex>

namespace opz::agent {

// The OpenSSL entry points the client uses, found with dlsym. The headers
// give their types only: nothing here links against libssl.
struct TlsLibrary {
  decltype(&::TLS_client_method) TLS_client_method;
  decltype(&::SSL_CTX_new) SSL_CTX_new;
  decltype(&::SSL_CTX_free) SSL_CTX_free;
  decltype(&::SSL_CTX_ctrl) SSL_CTX_ctrl;
  decltype(&::SSL_CTX_set_verify) SSL_CTX_set_verify;
  decltype(&::SSL_CTX_load_verify_locations) SSL_CTX_load_verify_locations;
  decltype(&::SSL_new) SSL_new;
  decltype(&::SSL_free) SSL_free;
  decltype(&::SSL_set_fd) SSL_set_fd;
  decltype(&::SSL_ctrl) SSL_ctrl;
  decltype(&::SSL_set1_host) SSL_set1_host;
  decltype(&::SSL_get0_param) SSL_get0_param;
  decltype(&::X509_VERIFY_PARAM_set1_ip_asc) X509_VERIFY_PARAM_set1_ip_asc;
  decltype(&::SSL_connect) SSL_connect;
  decltype(&::SSL_read) SSL_read;
  decltype(&::SSL_write) SSL_write;
  decltype(&::SSL_get_error) SSL_get_error;
  decltype(&::SSL_get_verify_result) SSL_get_verify_result;
  decltype(&::X509_verify_cert_error_string) X509_verify_cert_error_string;
  decltype(&::ERR_get_error) ERR_get_error;
  decltype(&::ERR_error_string_n) ERR_error_string_n;
  decltype(&::ERR_clear_error) ERR_clear_error;
};

namespace {

// Loads libssl.so.3 once; its dependency libcrypto.so.3 comes with it and
// dlsym on libssl's handle finds both libraries' symbols.
Result<const TlsLibrary*> load_tls_library() {
  static std::once_flag once;
  static TlsLibrary lib;
  static std::string error;
  std::call_once(once, [] {
    void* h = dlopen("libssl.so.3", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      const char* why = dlerror();
      error = std::string("cannot load OpenSSL (libssl.so.3) for https: ") + (why ? why : "");
      return;
    }
    auto find = [&](auto& fn, const char* name) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(h, name));
      if (!fn && error.empty()) error = std::string("OpenSSL has no ") + name;
    };
#define OPZ_TLS_SYMBOL(name) find(lib.name, #name)
    OPZ_TLS_SYMBOL(TLS_client_method);
    OPZ_TLS_SYMBOL(SSL_CTX_new);
    OPZ_TLS_SYMBOL(SSL_CTX_free);
    OPZ_TLS_SYMBOL(SSL_CTX_ctrl);
    OPZ_TLS_SYMBOL(SSL_CTX_set_verify);
    OPZ_TLS_SYMBOL(SSL_CTX_load_verify_locations);
    OPZ_TLS_SYMBOL(SSL_new);
    OPZ_TLS_SYMBOL(SSL_free);
    OPZ_TLS_SYMBOL(SSL_set_fd);
    OPZ_TLS_SYMBOL(SSL_ctrl);
    OPZ_TLS_SYMBOL(SSL_set1_host);
    OPZ_TLS_SYMBOL(SSL_get0_param);
    OPZ_TLS_SYMBOL(X509_VERIFY_PARAM_set1_ip_asc);
    OPZ_TLS_SYMBOL(SSL_connect);
    OPZ_TLS_SYMBOL(SSL_read);
    OPZ_TLS_SYMBOL(SSL_write);
    OPZ_TLS_SYMBOL(SSL_get_error);
    OPZ_TLS_SYMBOL(SSL_get_verify_result);
    OPZ_TLS_SYMBOL(X509_verify_cert_error_string);
    OPZ_TLS_SYMBOL(ERR_get_error);
    OPZ_TLS_SYMBOL(ERR_error_string_n);
    OPZ_TLS_SYMBOL(ERR_clear_error);
#undef OPZ_TLS_SYMBOL
  });
  if (!error.empty()) return Error::unavailable(error);
  return &lib;
}

std::string last_error(const TlsLibrary* lib, const char* what) {
  unsigned long e = lib->ERR_get_error();
  if (e == 0) return what;
  char text[256];
  lib->ERR_error_string_n(e, text, sizeof text);
  return std::string(what) + ": " + text;
}

}  // namespace

TlsSession::~TlsSession() { lib_->SSL_free(static_cast<SSL*>(ssl_)); }

TlsIo TlsSession::result_of(int rc, bool handshake) {
  SSL* ssl = static_cast<SSL*>(ssl_);
  if (rc > 0) return {TlsIo::kDone, static_cast<size_t>(rc), {}};
  switch (lib_->SSL_get_error(ssl, rc)) {
    case SSL_ERROR_WANT_READ:
      return {TlsIo::kWantRead, 0, {}};
    case SSL_ERROR_WANT_WRITE:
      return {TlsIo::kWantWrite, 0, {}};
    case SSL_ERROR_ZERO_RETURN:
      return {TlsIo::kClosed, 0, {}};
    default:
      break;
  }
  if (handshake) {
    long verify = lib_->SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) {
      lib_->ERR_clear_error();
      return {TlsIo::kError, 0,
              std::string("TLS: the server's certificate was refused: ") +
                  lib_->X509_verify_cert_error_string(verify)};
    }
    return {TlsIo::kError, 0, last_error(lib_, "TLS handshake failed")};
  }
  std::string error = last_error(lib_, "TLS error");
  if (error == "TLS error") return {TlsIo::kClosed, 0, {}};  // an EOF without close_notify
  return {TlsIo::kError, 0, error};
}

TlsIo TlsSession::handshake() {
  lib_->ERR_clear_error();
  return result_of(lib_->SSL_connect(static_cast<SSL*>(ssl_)), true);
}

TlsIo TlsSession::read(char* buf, size_t size) {
  lib_->ERR_clear_error();
  return result_of(lib_->SSL_read(static_cast<SSL*>(ssl_), buf, static_cast<int>(size)), false);
}

TlsIo TlsSession::write(const char* buf, size_t size) {
  lib_->ERR_clear_error();
  return result_of(lib_->SSL_write(static_cast<SSL*>(ssl_), buf, static_cast<int>(size)), false);
}

Result<std::shared_ptr<TlsClientContext>> TlsClientContext::create(const std::string& ca_file) {
  OPZ_TRY(const TlsLibrary* lib, load_tls_library());
  SSL_CTX* ctx = lib->SSL_CTX_new(lib->TLS_client_method());
  if (!ctx) return Error::unavailable(last_error(lib, "cannot create a TLS context"));
  std::shared_ptr<TlsClientContext> out(new TlsClientContext(lib, ctx));
  lib->SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_2_VERSION, nullptr);
  lib->SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  const std::string file = ca_file.empty() ? kSystemCaFile : ca_file;
  if (lib->SSL_CTX_load_verify_locations(ctx, file.c_str(), nullptr) != 1)
    return Error::unavailable(last_error(lib, ("cannot read the CA file " + file).c_str()));
  return out;
}

TlsClientContext::~TlsClientContext() { lib_->SSL_CTX_free(static_cast<SSL_CTX*>(ctx_)); }

Result<std::unique_ptr<TlsSession>> TlsClientContext::session(int fd, const std::string& host,
                                                             bool host_is_address) {
  SSL* ssl = lib_->SSL_new(static_cast<SSL_CTX*>(ctx_));
  if (!ssl) return Error::unavailable(last_error(lib_, "cannot create a TLS session"));
  auto session = std::make_unique<TlsSession>(lib_, ssl);
  bool ok = lib_->SSL_set_fd(ssl, fd) == 1;
  if (host_is_address) {
    ok = ok && lib_->X509_VERIFY_PARAM_set1_ip_asc(lib_->SSL_get0_param(ssl), host.c_str()) == 1;
  } else {
    // SNI (SSL_set_tlsext_host_name, a macro over SSL_ctrl) and the name check.
    ok = ok && lib_->SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                              const_cast<char*>(host.c_str())) == 1;
    ok = ok && lib_->SSL_set1_host(ssl, host.c_str()) == 1;
  }
  if (!ok) return Error::unavailable(last_error(lib_, ("cannot set up TLS for " + host).c_str()));
  return session;
}

}  // namespace opz::agent
