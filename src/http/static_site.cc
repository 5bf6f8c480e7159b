#include "http/static_site.h"

#include <sys/stat.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "http/error_body.h"

namespace opz::http {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kNoCache = "no-cache";
constexpr std::string_view kAssetsPrefix = "/assets/";

constexpr std::string_view kNotBuiltPage = R"(<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Opzenix</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto">
<h1>Opzenix</h1>
<p>The web UI is not built. Run <code>make web</code> (or point <code>--web-dir</code> at a
built <code>web/dist</code>) and reload this page.</p>
<p>The API is available under <code>/api/v1/</code>.</p>
</body>
</html>
)";

// A path is refused when it could name something outside the root or is
// ambiguous on disk: NUL, backslash, "." or ".." segments.
bool is_refused(std::string_view path) {
  if (path.empty() || path.front() != '/') return true;
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos)
    return true;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    const std::string_view segment = path.substr(start, slash - start);
    if (segment == "." || segment == "..") return true;
    start = slash + 1;
  }
  return false;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string hex(uint64_t v) {
  std::ostringstream out;
  out << std::hex << v;
  return out.str();
}

// Size and modification time (ns) name a version of a file well enough for
// revalidation, and cost one stat.
std::string etag_of(const struct stat& st) {
  const uint64_t mtime_ns = static_cast<uint64_t>(st.st_mtim.tv_sec) * 1000000000ull +
                            static_cast<uint64_t>(st.st_mtim.tv_nsec);
  return "\"" + hex(static_cast<uint64_t>(st.st_size)) + "-" + hex(mtime_ns) + "\"";
}

// If-None-Match: "*" or a comma-separated list of (possibly weak) tags.
bool matches_etag(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    const size_t comma = if_none_match.find(',');
    std::string_view tag = if_none_match.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (starts_with(tag, "W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

// Where `root`/`relative` leads once symlinks are resolved: a regular file
// inside the root (with its real path), nothing usable, or out of the root.
enum class Lookup { kFile, kMissing, kEscapes };

std::pair<Lookup, std::string> look_up(const std::string& root, std::string_view relative) {
  std::error_code ec;
  const fs::path real = fs::canonical(fs::path(root) / fs::path(relative), ec);
  if (ec) return {Lookup::kMissing, {}};
  const std::string text = real.string();
  if (text != root && !starts_with(text, root + "/")) return {Lookup::kEscapes, {}};
  if (!fs::is_regular_file(real, ec)) return {Lookup::kMissing, {}};
  return {Lookup::kFile, text};
}

Response not_found() { return error_response(Error::not_found("no such file")); }

Response file_response(const std::string& real_path, std::string_view cache_control,
                       const Request& req) {
  struct stat st {};
  std::ifstream in(real_path, std::ios::binary);
  if (!in || ::stat(real_path.c_str(), &st) != 0) return not_found();
  const std::string etag = etag_of(st);
  Response r;
  r.headers.set("Cache-Control", std::string(cache_control));
  r.headers.set("ETag", etag);
  if (matches_etag(req.header("If-None-Match"), etag)) {
    r.status = 304;
    return r;
  }
  r.headers.set("Content-Type", std::string(content_type_for(real_path)));
  r.headers.set("X-Content-Type-Options", "nosniff");
  std::ostringstream body;
  body << in.rdbuf();
  r.body = std::move(body).str();
  return r;
}

}  // namespace

std::string_view content_type_for(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 13> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".woff2", "font/woff2"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
      {".wasm", "application/wasm"},
  }};
  const size_t dot = name.rfind('.');
  const size_t slash = name.rfind('/');
  if (dot != std::string_view::npos && (slash == std::string_view::npos || dot > slash)) {
    const std::string_view ext = name.substr(dot);
    for (const auto& [known, type] : kTypes)
      if (ext == known) return type;
  }
  return "application/octet-stream";
}

StaticSite::StaticSite(std::string root) {
  if (root.empty()) return;
  std::error_code ec;
  const fs::path real = fs::canonical(root, ec);
  if (ec || !fs::is_regular_file(real / "index.html", ec)) return;
  root_ = real.string();
}

Response StaticSite::serve(const Request& req) const {
  if (!has_app()) return Response::text(200, std::string(kNotBuiltPage), "text/html; charset=utf-8");
  const std::string_view path = req.path;
  if (is_refused(path)) return not_found();
  const auto [found, real] = look_up(root_, path.substr(1));
  if (found == Lookup::kEscapes) return not_found();
  if (found == Lookup::kFile) {
    return file_response(real, starts_with(path, kAssetsPrefix) ? kImmutable : kNoCache, req);
  }
  if (starts_with(path, kAssetsPrefix)) return not_found();
  return file_response(root_ + "/index.html", kNoCache, req);
}

}  // namespace opz::http
