#include "telemetry/metrics.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <type_traits>

#include "telemetry/exposition.h"

namespace opz::telemetry {

// --- metric values ----------------------------------------------------------

void Counter::inc(double by) {
  if (!(by > 0)) return;  // also rejects NaN
  value_.fetch_add(by, std::memory_order_relaxed);
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::observe(double v) {
  if (std::isnan(v)) return;
  // First bound >= v ("le" is inclusive); past the end is the +Inf bucket.
  const size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.bounds = bounds_;
  s.cumulative.resize(bounds_.size() + 1);
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative[i] = running;
  }
  s.count = running;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

std::vector<double> default_latency_buckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

// --- families ---------------------------------------------------------------

FamilyBase::FamilyBase(std::string name, std::string help, MetricType type,
                       std::vector<std::string> label_names, std::vector<double> buckets)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)),
      buckets_(std::move(buckets)) {}

namespace {

std::vector<std::string> normalize_values(const std::vector<std::string>& values, size_t n) {
  std::vector<std::string> out(n);
  for (size_t i = 0; i < n && i < values.size(); ++i) out[i] = valid_utf8(values[i]);
  return out;
}

const char* type_name(MetricType t) {
  switch (t) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

void render_child(std::string& out, const FamilyBase& f, const std::vector<std::string>& values,
                  const Counter& c) {
  out += f.name() + label_block(f.label_names(), values) + ' ' + format_value(c.value()) + '\n';
}

void render_child(std::string& out, const FamilyBase& f, const std::vector<std::string>& values,
                  const Gauge& g) {
  out += f.name() + label_block(f.label_names(), values) + ' ' + format_value(g.value()) + '\n';
}

void render_child(std::string& out, const FamilyBase& f, const std::vector<std::string>& values,
                  const Histogram& h) {
  const Histogram::Snapshot s = h.snapshot();
  for (size_t i = 0; i <= s.bounds.size(); ++i) {
    const std::string le = i < s.bounds.size() ? format_value(s.bounds[i]) : "+Inf";
    out += f.name() + "_bucket" + label_block(f.label_names(), values, "le", le) + ' ' +
           std::to_string(s.cumulative[i]) + '\n';
  }
  const std::string labels = label_block(f.label_names(), values);
  out += f.name() + "_sum" + labels + ' ' + format_value(s.sum) + '\n';
  out += f.name() + "_count" + labels + ' ' + std::to_string(s.count) + '\n';
}

}  // namespace

template <typename Metric>
Metric& Family<Metric>::with(const std::vector<std::string>& label_values) {
  std::vector<std::string> key = normalize_values(label_values, label_names().size());
  {
    std::shared_lock lock(mu_);
    if (auto it = children_.find(key); it != children_.end()) return *it->second;
  }
  std::unique_lock lock(mu_);
  auto& slot = children_[std::move(key)];
  if (!slot) {
    if constexpr (std::is_same_v<Metric, Histogram>) {
      slot = std::make_unique<Histogram>(buckets());
    } else {
      slot = std::make_unique<Metric>();
    }
  }
  return *slot;
}

template <typename Metric>
void Family<Metric>::render(std::string& out) const {
  std::shared_lock lock(mu_);
  if (children_.empty()) return;
  out += "# HELP " + name() + ' ' + escape_help(help()) + '\n';
  out += "# TYPE " + name() + ' ' + type_name(type()) + '\n';
  for (const auto& [values, metric] : children_) render_child(out, *this, values, *metric);
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

// --- registry ---------------------------------------------------------------

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix.data(), suffix.size()) == 0;
}

bool is_metric_name(const std::string& s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (!((c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9'))) return false;
  }
  return true;
}

bool is_label_name(const std::string& s) {
  if (s.empty() || s.rfind("__", 0) == 0) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

Status validate(const FamilyBase& f) {
  const std::string& n = f.name();
  if (!is_metric_name(n)) {
    return Error::validation("metric name '" + n + "' must match [a-z_][a-z0-9_]*", "name");
  }
  if (f.type() == MetricType::kCounter && !ends_with(n, "_total")) {
    return Error::validation("counter '" + n + "' must end in _total", "name");
  }
  if (f.type() != MetricType::kCounter) {
    for (std::string_view suffix : {"_total", "_sum", "_count", "_bucket"}) {
      if (ends_with(n, suffix)) {
        return Error::validation("metric '" + n + "' must not end in " + std::string(suffix),
                                 "name");
      }
    }
  }
  if (f.help().empty()) return Error::validation("metric '" + n + "' needs help text", "help");
  const auto& labels = f.label_names();
  for (size_t i = 0; i < labels.size(); ++i) {
    if (!is_label_name(labels[i]) || labels[i] == "le") {
      return Error::validation("bad label name '" + labels[i] + "' on " + n, "labels");
    }
    if (std::find(labels.begin(), labels.begin() + i, labels[i]) != labels.begin() + i) {
      return Error::validation("label '" + labels[i] + "' repeats on " + n, "labels");
    }
  }
  const auto& b = f.buckets();
  for (size_t i = 0; i < b.size(); ++i) {
    if (!std::isfinite(b[i]) || (i > 0 && !(b[i] > b[i - 1]))) {
      return Error::validation("buckets of " + n + " must be finite and strictly increasing",
                               "buckets");
    }
  }
  return ok_status();
}

bool same_shape(const FamilyBase& a, const FamilyBase& b) {
  return a.type() == b.type() && a.label_names() == b.label_names() && a.buckets() == b.buckets();
}

}  // namespace

Result<FamilyBase*> MetricsRegistry::add(std::unique_ptr<FamilyBase> family) {
  OPZ_TRY_STATUS(validate(*family));
  std::lock_guard lock(mu_);
  auto it = families_.find(family->name());
  if (it != families_.end()) {
    if (!same_shape(*it->second, *family)) {
      return Error::conflict("metric '" + family->name() +
                             "' is already registered with another type, labels or buckets");
    }
    return it->second.get();
  }
  FamilyBase* raw = family.get();
  families_.emplace(family->name(), std::move(family));
  return raw;
}

Result<CounterFamily*> MetricsRegistry::counter(const std::string& name, const std::string& help,
                                                std::vector<std::string> label_names) {
  const bool unlabelled = label_names.empty();
  OPZ_TRY(FamilyBase * f,
          add(std::make_unique<CounterFamily>(name, help, MetricType::kCounter,
                                              std::move(label_names), std::vector<double>{})));
  auto* family = static_cast<CounterFamily*>(f);
  if (unlabelled) family->with();
  return family;
}

Result<GaugeFamily*> MetricsRegistry::gauge(const std::string& name, const std::string& help,
                                            std::vector<std::string> label_names) {
  const bool unlabelled = label_names.empty();
  OPZ_TRY(FamilyBase * f,
          add(std::make_unique<GaugeFamily>(name, help, MetricType::kGauge, std::move(label_names),
                                            std::vector<double>{})));
  auto* family = static_cast<GaugeFamily*>(f);
  if (unlabelled) family->with();
  return family;
}

Result<HistogramFamily*> MetricsRegistry::histogram(const std::string& name,
                                                    const std::string& help,
                                                    std::vector<std::string> label_names,
                                                    std::vector<double> buckets) {
  if (buckets.empty()) buckets = default_latency_buckets();
  if (std::isinf(buckets.back()) && buckets.back() > 0) buckets.pop_back();
  const bool unlabelled = label_names.empty();
  OPZ_TRY(FamilyBase * f,
          add(std::make_unique<HistogramFamily>(name, help, MetricType::kHistogram,
                                                std::move(label_names), std::move(buckets))));
  auto* family = static_cast<HistogramFamily*>(f);
  if (unlabelled) family->with();
  return family;
}

std::string MetricsRegistry::render() const {
  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& [name, family] : families_) family->render(out);
  return out;
}

}  // namespace opz::telemetry
