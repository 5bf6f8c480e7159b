// TLS for the agent's HTTP client, only on the https:// path: mbedTLS
// (Debian's libmbedtls14, 2.28) opened with dlopen the first time an https
// server is contacted, so an agent talking plain http never maps or
// initialises a TLS library. mbedTLS rather than OpenSSL because OpenSSL
// alone made an idle https agent 4.7 MB bigger (10.8 MB VmRSS, over the
// 10 MB goal; docs/performance.md "Idle agent memory").
//
// The server's certificate is verified against `ca_file` (the system store,
// /etc/ssl/certs/ca-certificates.crt, unless --ca-file / OPZENIX_CA_FILE
// name another) and its name checked (SNI sent). mbedTLS 2.28 matches names
// only (the CN and DNS subject alternative names), not iPAddress ones: for
// an https URL with an IP address, the certificate must carry that address
// as a DNS name or CN. TLS 1.2.
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

struct TlsLibrary;        // the mbedTLS functions, looked up once
struct TlsSessionState;   // an mbedtls_ssl_context and its socket
struct TlsContextState;   // the config, CA chain and random generator

// One TLS connection over a connected non-blocking socket (not owned).
class TlsSession {
 public:
  explicit TlsSession(std::unique_ptr<TlsSessionState> state);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  TlsIo handshake();
  TlsIo read(char* buf, size_t size);
  TlsIo write(const char* buf, size_t size);

 private:
  TlsIo result_of(int rc, bool handshake);
  std::unique_ptr<TlsSessionState> state_;
};

// The settings every TLS connection of one client shares.
class TlsClientContext {
 public:
  // Loads mbedTLS (once per process) and the CA file; an error names which failed.
  static Result<std::shared_ptr<TlsClientContext>> create(const std::string& ca_file);
  explicit TlsClientContext(std::unique_ptr<TlsContextState> state);
  ~TlsClientContext();
  TlsClientContext(const TlsClientContext&) = delete;
  TlsClientContext& operator=(const TlsClientContext&) = delete;

  // A session on `fd` for `host` (its name is checked and sent as SNI).
  Result<std::unique_ptr<TlsSession>> session(int fd, const std::string& host,
                                              bool host_is_address);

 private:
  std::unique_ptr<TlsContextState> state_;
};

}  // namespace opz::agent
