#include "http/router.h"

#include <algorithm>
#include <set>

#include "http/target.h"

namespace opz::http {

struct Router::Route {
  std::string pattern;
  Handler handler;
  RouteOptions options;
  std::vector<std::string> param_names;  // in path order
};

struct Router::Fallback {
  Handler handler;
  std::vector<std::string> reserved_prefixes;
  RouteOptions options;
};

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
  std::unique_ptr<Node> param;
  std::map<std::string, Route, std::less<>> routes;  // by method
};

namespace {

// "/a/b" -> {"a","b"}; "/" -> {}; "/a/" -> {"a",""}. `path` starts with '/'.
std::vector<std::string_view> split_segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.size() <= 1) return out;
  size_t start = 1;
  while (true) {
    const size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      out.push_back(path.substr(start));
      return out;
    }
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
}

bool is_param_name(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool is_method(std::string_view s) {
  return !s.empty() && s.size() <= 32 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool can_be_param_value(std::string_view s) { return !s.empty() && s != "." && s != ".."; }

constexpr std::string_view kFallbackPattern = "*";

}  // namespace

std::string RouteMatch::allow_header() const {
  std::string out;
  for (const auto& m : allowed) {
    if (!out.empty()) out += ", ";
    out += m;
  }
  return out;
}

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

Status Router::add(std::string method, std::string_view pattern, Handler handler,
                   RouteOptions options) {
  if (!is_method(method)) {
    return Error::validation("route method must be an upper-case token", "method");
  }
  if (!handler) return Error::validation("route handler is empty", "handler");
  if (pattern.empty() || pattern.front() != '/') {
    return Error::validation("route pattern must start with '/'", "pattern");
  }
  Node* node = root_.get();
  std::vector<std::string> names;
  for (std::string_view seg : split_segments(pattern)) {
    if (seg.empty()) {
      return Error::validation("route pattern has an empty segment (or a trailing slash)",
                               "pattern");
    }
    if (seg.front() == '{') {
      if (seg.back() != '}' || !is_param_name(seg.substr(1, seg.size() - 2))) {
        return Error::validation("bad parameter segment '" + std::string(seg) + "'", "pattern");
      }
      std::string name(seg.substr(1, seg.size() - 2));
      if (std::find(names.begin(), names.end(), name) != names.end()) {
        return Error::validation("parameter '" + name + "' appears twice", "pattern");
      }
      names.push_back(std::move(name));
      if (!node->param) node->param = std::make_unique<Node>();
      node = node->param.get();
      continue;
    }
    if (seg.find_first_of("{}") != std::string_view::npos) {
      return Error::validation("braces are only allowed around a whole segment", "pattern");
    }
    auto it = node->literals.find(seg);
    if (it == node->literals.end()) {
      it = node->literals.emplace(std::string(seg), std::make_unique<Node>()).first;
    }
    node = it->second.get();
  }
  if (node->routes.count(method) != 0) {
    return Error::conflict("route " + method + " " + std::string(pattern) +
                           " is already registered");
  }
  listed_.push_back(RouteInfo{method, std::string(pattern), options});
  node->routes.emplace(std::move(method), Route{std::string(pattern), std::move(handler),
                                                std::move(options), std::move(names)});
  return ok_status();
}

namespace {

template <typename NodeT>
const NodeT* find_node(const NodeT* node, const std::vector<std::string>& segs, size_t i,
                       std::vector<const std::string*>& values) {
  if (i == segs.size()) return node->routes.empty() ? nullptr : node;
  if (auto it = node->literals.find(segs[i]); it != node->literals.end()) {
    if (const NodeT* hit = find_node(it->second.get(), segs, i + 1, values)) return hit;
  }
  if (node->param && can_be_param_value(segs[i])) {
    values.push_back(&segs[i]);
    if (const NodeT* hit = find_node(node->param.get(), segs, i + 1, values)) return hit;
    values.pop_back();
  }
  return nullptr;
}

}  // namespace

RouteMatch Router::match(std::string_view method, std::string_view raw_path) const {
  RouteMatch out;
  if (raw_path.empty() || raw_path.front() != '/') return out;
  std::vector<std::string> segs;
  for (std::string_view raw : split_segments(raw_path)) {
    auto decoded = percent_decode(raw);
    if (!decoded) return out;
    segs.push_back(std::move(decoded).value());
  }
  std::vector<const std::string*> values;
  const Node* node = find_node(root_.get(), segs, 0, values);
  if (node == nullptr) {
    if (falls_back(method, raw_path)) {
      out.kind = RouteMatch::Kind::kFound;
      out.handler = &fallback_->handler;
      out.options = &fallback_->options;
      out.pattern = kFallbackPattern;
    }
    return out;
  }

  auto it = node->routes.find(method);
  if (it == node->routes.end() && method == "HEAD") it = node->routes.find("GET");
  if (it == node->routes.end()) {
    out.kind = RouteMatch::Kind::kMethodNotAllowed;
    out.pattern = node->routes.begin()->second.pattern;
    std::set<std::string> allowed;
    for (const auto& [m, route] : node->routes) allowed.insert(m);
    if (allowed.count("GET") != 0) allowed.insert("HEAD");
    out.allowed.assign(allowed.begin(), allowed.end());
    return out;
  }
  const Route& route = it->second;
  out.kind = RouteMatch::Kind::kFound;
  out.handler = &route.handler;
  out.options = &route.options;
  out.pattern = route.pattern;
  for (size_t i = 0; i < route.param_names.size() && i < values.size(); ++i) {
    out.params.emplace(route.param_names[i], *values[i]);
  }
  return out;
}

void Router::set_fallback(Handler handler, std::vector<std::string> reserved_prefixes,
                          RouteOptions options) {
  fallback_ = std::make_unique<Fallback>(
      Fallback{std::move(handler), std::move(reserved_prefixes), std::move(options)});
}

bool Router::falls_back(std::string_view method, std::string_view raw_path) const {
  if (!fallback_ || (method != "GET" && method != "HEAD")) return false;
  for (const std::string& prefix : fallback_->reserved_prefixes) {
    if (raw_path.substr(0, prefix.size()) != prefix) continue;
    if (raw_path.size() == prefix.size() || raw_path[prefix.size()] == '/') return false;
  }
  return true;
}

std::vector<RouteInfo> Router::routes() const { return listed_; }

}  // namespace opz::http
