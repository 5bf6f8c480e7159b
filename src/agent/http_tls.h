// TLS for the agent's HTTP client, only on the https:// path: OpenSSL
// (libssl.so.3, already on every machine that runs the server) is opened
// with dlopen the first time an https server is contacted, so an agent
// talking plain http never maps or initialises a TLS library (its idle RSS,
// docs/performance.md "Idle agent memory").
//
// The server's certificate is verified against `ca_file` (the system store,
// /etc/ssl/certs/ca-certificates.crt, unless --ca-file / OPZENIX_CA_FILE
// name another), and its name (or IP address, for an IP literal) checked;
// SNI is sent for names. TLS 1.2 at least.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"

namespace opz::agent {

inline constexpr const char* kSystemCaFile = "/etc/ssl/certs/ca-certificates.crt";

// What one non-blocking TLS call did.
struct TlsIo {
  enum Kind { kDone, kWantRead, kWantWrite, kClosed, kError };
  Kind kind = kDone;
  size_t bytes = 0;   // kDone of read/write
  std::string error;  // kError
};

struct TlsLibrary;  // the OpenSSL functions, looked up once

// One TLS connection over a connected non-blocking socket (not owned).
class TlsSession {
 public:
  TlsSession(const TlsLibrary* lib, void* ssl) : lib_(lib), ssl_(ssl) {}
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  TlsIo handshake();
  TlsIo read(char* buf, size_t size);
  TlsIo write(const char* buf, size_t size);

 private:
  TlsIo result_of(int rc, bool handshake);
  const TlsLibrary* lib_;
  void* ssl_;  // SSL*
};

// The settings every TLS connection of one client shares (an SSL_CTX).
class TlsClientContext {
 public:
  // Loads OpenSSL (once per process) and the CA file; an error names which failed.
  static Result<std::shared_ptr<TlsClientContext>> create(const std::string& ca_file);
  ~TlsClientContext();
  TlsClientContext(const TlsClientContext&) = delete;
  TlsClientContext& operator=(const TlsClientContext&) = delete;

  // A session on `fd` for `host`; `host_is_address`: no SNI, the IP is checked.
  Result<std::unique_ptr<TlsSession>> session(int fd, const std::string& host,
                                              bool host_is_address);

 private:
  TlsClientContext(const TlsLibrary* lib, void* ctx) : lib_(lib), ctx_(ctx) {}
  const TlsLibrary* lib_;
  void* ctx_;  // SSL_CTX*
};

}  // namespace opz::agent
