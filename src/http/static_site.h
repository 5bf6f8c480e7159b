// StaticSite: serves the web app's build (web/dist: index.html, assets/...)
// from a directory, as the Router's fallback for GET and HEAD.
//
//  * A request path naming a regular file under the root answers it, with a
//    Content-Type from its extension (content_type_for) and an ETag made of
//    its size and modification time; If-None-Match with that tag answers 304.
//  * Caching: files under /assets/ carry hashed names (Vite), so they are
//    `public, max-age=31536000, immutable`; index.html and every other file
//    `no-cache` (revalidated with the ETag on each use).
//  * Any other path answers index.html (200, no-cache): the app's client
//    routes ("/executions/abc") are not files. Exceptions, answered 404: a
//    missing file under /assets/ (a stale hashed asset must fail as itself,
//    not be parsed as JavaScript made of HTML) and every refused path.
//  * Refused (404): a path with a NUL, a backslash, a "." or ".." segment
//    (after percent-decoding, so "..%2f" too), or one whose real path
//    (symlinks resolved) leaves the root.
//  * Without a usable root (empty, missing, or without index.html) every
//    fallback path answers a small HTML page (200) saying the web UI is not
//    built and how to build it; the API is unaffected.
// Files are read from disk on every request rather than cached: the build is
// a handful of small files the OS page cache keeps warm, a rebuilt web/dist
// (`make web` while the server runs) is served at once with correct ETags,
// and the server holds no copy of it. The handler runs on an I/O thread (a
// GET); a page-cache read of a few hundred KiB is well within that budget.
// Thread-safe (const after construction).
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace opz::http {

class StaticSite {
 public:
  // `root` may be empty or missing: then only the placeholder page is served.
  explicit StaticSite(std::string root);

  // True when `root` holds an index.html.
  bool has_app() const { return !root_.empty(); }
  // The canonical root ("" without an app).
  const std::string& root() const { return root_; }

  // Answers a GET or HEAD for req.path (the transport drops HEAD's body).
  Response serve(const Request& req) const;

 private:
  std::string root_;
};

// "text/javascript; charset=utf-8" for "app.js"; "application/octet-stream"
// for an unknown extension.
std::string_view content_type_for(std::string_view file_name);

}  // namespace opz::http
