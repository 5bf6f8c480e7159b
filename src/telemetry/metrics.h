// MetricsRegistry: a small Prometheus registry (counters, gauges, histograms,
// with labels) and its text exposition format 0.0.4.
//
// Usage: register a family once at start-up, look up the labelled child once
// and keep the reference as a handle; the hot path is then one atomic add.
//   auto fam = registry.counter("opzenix_runs_total", "Runs finished.", {"status"});
//   if (!fam) return fam.error();
//   Counter& ok_runs = (*fam)->with({"succeeded"});
//   ok_runs.inc();
//
// Contract:
//   - Names are lower-case snake case ([a-z_][a-z0-9_]*); counters must end in
//     "_total" and other types must not end in "_total", "_sum", "_count" or
//     "_bucket" (so the exposition passes `promtool check metrics` lints). Label
//     names are [a-zA-Z_][a-zA-Z0-9_]*, not "__"-prefixed, unique, and "le" is
//     reserved. Violations are kValidation errors.
//   - Registering a name again with the same type, labels and buckets returns
//     the existing family; with anything different it is kConflict.
//   - Family::with(values): `values` pairs with the label names by position;
//     missing values are empty, extra ones are dropped. Invalid UTF-8 in a value
//     becomes U+FFFD. A family without labels has its one child from the start.
//   - Children live as long as the registry: handles never dangle, and label
//     sets are never forgotten, so only use bounded label values.
//   - render(): families sorted by name, children by label values; families
//     with labels and no children yet are omitted.
// Thread-safety: everything is thread-safe. Increments are lock-free; with()
// takes a shared lock (exclusive only the first time a label set is seen);
// render() sees each value atomically, not the registry as one snapshot.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "core/result.h"

namespace opz::telemetry {

class Counter {
 public:
  // Adds `by`; negative and NaN amounts are ignored (a counter never goes down).
  void inc(double by = 1.0);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void inc(double by = 1.0) { value_.fetch_add(by, std::memory_order_relaxed); }
  void dec(double by = 1.0) { value_.fetch_sub(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  // `bounds`: strictly increasing finite upper bounds, without +Inf.
  explicit Histogram(std::vector<double> bounds);
  // NaN observations are ignored.
  void observe(double v);

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<uint64_t> cumulative;  // bounds.size() + 1 entries; the last is +Inf
    double sum = 0;
    uint64_t count = 0;  // == cumulative.back()
  };
  Snapshot snapshot() const;

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // per bucket, not cumulative
  std::atomic<double> sum_{0.0};
};

enum class MetricType { kCounter, kGauge, kHistogram };

// What every family has: name, help, type, label names (and histogram buckets).
class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, MetricType type,
             std::vector<std::string> label_names, std::vector<double> buckets);
  virtual ~FamilyBase() = default;
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  MetricType type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  const std::vector<double>& buckets() const { return buckets_; }

  // Appends this family's HELP, TYPE and sample lines (nothing when it has no child).
  virtual void render(std::string& out) const = 0;

 private:
  const std::string name_;
  const std::string help_;
  const MetricType type_;
  const std::vector<std::string> label_names_;
  const std::vector<double> buckets_;
};

// A family of one metric type: its children by label values.
template <typename Metric>
class Family final : public FamilyBase {
 public:
  using FamilyBase::FamilyBase;
  // The child for `label_values` (created on first use; see the contract above).
  Metric& with(const std::vector<std::string>& label_values = {});
  void render(std::string& out) const override;

 private:
  mutable std::shared_mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> children_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;
extern template class Family<Counter>;
extern template class Family<Gauge>;
extern template class Family<Histogram>;

// 5 ms .. 10 s, for request and step latencies in seconds.
std::vector<double> default_latency_buckets();

class MetricsRegistry {
 public:
  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  Result<CounterFamily*> counter(const std::string& name, const std::string& help,
                                 std::vector<std::string> label_names = {});
  Result<GaugeFamily*> gauge(const std::string& name, const std::string& help,
                             std::vector<std::string> label_names = {});
  // `buckets`: strictly increasing finite bounds (a trailing +Inf is dropped);
  // empty = default_latency_buckets().
  Result<HistogramFamily*> histogram(const std::string& name, const std::string& help,
                                     std::vector<std::string> label_names = {},
                                     std::vector<double> buckets = {});

  // The whole registry in the text format 0.0.4 (Content-Type below).
  std::string render() const;
  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  // Validates and inserts `family`, or returns the equal one already there.
  Result<FamilyBase*> add(std::unique_ptr<FamilyBase> family);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<FamilyBase>> families_;
};

}  // namespace opz::telemetry
