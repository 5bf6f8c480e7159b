#include "cli/run_command.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>

#include "cli/table.h"
#include "core/json.h"
#include "engine/local_run.h"
#include "engine/run_report.h"
#include "pipeline/limits.h"
#include "pipeline/pipeline_yaml.h"
#include "pipeline/validation_report.h"

namespace opz::cli {

namespace {

using SteadyClock = std::chrono::steady_clock;

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

void on_signal(int) { g_interrupted.store(true); }

// Installs SIGINT/SIGTERM handlers for its lifetime; restores the old ones.
class InterruptGuard {
 public:
  InterruptGuard() {
    g_interrupted.store(false);
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~InterruptGuard() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

// The file's text, or an error message.
bool read_pipeline_file(const std::string& file, std::string& text, std::string& error) {
  std::error_code ec;
  auto size = std::filesystem::file_size(file, ec);
  if (ec) {
    error = "cannot read " + file + ": " + ec.message();
    return false;
  }
  if (size > pipeline::kMaxDocumentBytes) {
    error = file + " is larger than 1 MiB";
    return false;
  }
  std::ifstream in(file, std::ios::binary);
  text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    error = "cannot read " + file;
    return false;
  }
  return true;
}

void print_errors(const std::string& file, const pipeline::ValidationReport& report,
                  std::ostream& err) {
  for (const Error& e : report.errors) {
    if (auto lc = pipeline::line_and_column(e))
      err << file << ":" << lc->first << ":" << lc->second << ": " << e.message << "\n";
    else
      err << file << ": " << e.message << "\n";
  }
}

// Live progress: one line per finished node, and on a terminal a spinner line
// naming the running nodes.
class ProgressPrinter final : public engine::LocalRunObserver {
 public:
  ProgressPrinter(std::ostream& out, bool tty) : out_(out), tty_(tty) {}

  void on_start(const store::ExecutionRecord& execution, size_t node_count) override {
    total_ = node_count;
    if (tty_) out_ << "running " << execution.name << " (" << node_count << " nodes)\n";
    draw_spinner();
  }

  void on_event(const engine::EngineEvent& e) override {
    if (e.kind != engine::EventKind::kNodeState) return;
    if (e.new_state == "running") {
      running_[e.node_id] = SteadyClock::now();
      draw_spinner();
      return;
    }
    running_.erase(e.node_id);
    const bool final_state = e.new_state == "success" || e.new_state == "failed" ||
                             e.new_state == "skipped" || e.new_state == "cancelled";
    const bool retry = e.new_state == "pending" && e.old_state == "running";
    if (!final_state && !retry && e.new_state != "waiting") {
      draw_spinner();
      return;
    }
    if (final_state) ++done_;
    std::optional<int64_t> duration;
    if (e.data.is_object() && e.data.contains("duration_ms"))
      duration = e.data["duration_ms"].get<int64_t>();
    std::string detail;
    if (e.new_state == "failed" || retry) detail = e.data.value("error", "");
    if (e.new_state == "waiting") detail = "waiting for approval";
    clear_spinner();
    out_ << engine::progress_line(done_, total_, engine::status_word(e.new_state, e.old_state),
                                  e.node_id, duration, detail)
         << "\n";
    draw_spinner();
  }

  void on_tick() override { draw_spinner(); }

  void finish() { clear_spinner(); }

 private:
  void clear_spinner() {
    if (tty_ && spinner_shown_) out_ << "\r\033[K";
    spinner_shown_ = false;
  }

  void draw_spinner() {
    if (!tty_) {
      out_.flush();
      return;
    }
    static constexpr const char* kFrames[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    frame_ = (frame_ + 1) % 10;
    std::string line = std::string(kFrames[frame_]) + " " + std::to_string(done_) + "/" +
                       std::to_string(total_) + " done";
    if (!running_.empty()) {
      line += " · running:";
      size_t shown = 0;
      for (const auto& [id, since] : running_) {
        if (shown++ == 3) {
          line += " +" + std::to_string(running_.size() - 3) + " more";
          break;
        }
        auto elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - since);
        line += (shown > 1 ? ", " : " ") + id + " (" + engine::short_duration(elapsed) + ")";
      }
    }
    out_ << "\r\033[K" << line << std::flush;
    spinner_shown_ = true;
  }

  std::ostream& out_;
  const bool tty_;
  size_t total_ = 0;
  size_t done_ = 0;
  std::map<std::string, SteadyClock::time_point> running_;
  int frame_ = 0;
  bool spinner_shown_ = false;
};

std::string optional_text(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "-"; }

void print_summary(const engine::LocalRunResult& r, std::ostream& out) {
  TablePrinter table({"NODE", "STATUS", "ATTEMPTS", "DURATION", "EXIT CODE"});
  for (const engine::NodeSummary& n : r.nodes) {
    table.add_row(
        {n.node_id, n.status, std::to_string(n.attempt) + "/" + std::to_string(n.max_attempts),
         n.duration_ms ? engine::short_duration(std::chrono::milliseconds(*n.duration_ms)) : "-",
         optional_text(n.exit_code)});
  }
  out << "\n";
  table.print(out);
}

Json summary_json(const engine::LocalRunResult& r) {
  Json nodes = Json::array();
  for (const engine::NodeSummary& n : r.nodes) {
    Json j = {{"node_id", n.node_id},
              {"status", n.status},
              {"attempt", n.attempt},
              {"max_attempts", n.max_attempts},
              {"error", n.error}};
    j["duration_ms"] = n.duration_ms ? Json(*n.duration_ms) : Json();
    j["exit_code"] = n.exit_code ? Json(*n.exit_code) : Json();
    nodes.push_back(std::move(j));
  }
  return {{"execution_id", r.execution_id},
          {"status", r.status},
          {"elapsed_ms", r.elapsed.count()},
          {"interrupted", r.interrupted},
          {"nodes", std::move(nodes)}};
}

}  // namespace

int validate_pipeline_command(const ValidateCommandOptions& options) {
  std::string text, error;
  if (!read_pipeline_file(options.file, text, error)) {
    std::cerr << "opzenix: " << error << "\n";
    return 2;
  }
  pipeline::ValidationReport report = pipeline::validate_pipeline_yaml(text);
  if (options.json) {
    std::cout << dump_json(report.to_json(), 2) << "\n";
  } else if (report.valid) {
    std::cout << options.file << " is valid: " << report.node_count << " node(s), "
              << report.edge_count << " edge(s)\n";
  } else {
    print_errors(options.file, report, std::cerr);
    std::cerr << report.errors.size() << " problem(s) in " << options.file << "\n";
  }
  return report.valid ? 0 : 2;
}

int run_pipeline_command(const RunCommandOptions& options) {
  std::string text, error;
  if (!read_pipeline_file(options.file, text, error)) {
    std::cerr << "opzenix: " << error << "\n";
    return 2;
  }
  auto pipeline = pipeline::parse_pipeline_yaml(text);
  if (!pipeline) {
    pipeline::ValidationReport report = pipeline::validate_pipeline_yaml(text);
    if (report.errors.empty()) report.errors.push_back(pipeline.error());
    print_errors(options.file, report, std::cerr);
    return 2;
  }

  std::error_code ec;
  const std::string cwd = std::filesystem::current_path(ec).string();
  engine::GitFacts git;
  if (options.branch.empty() || options.commit.empty()) git = engine::read_git_facts(cwd);
  engine::LocalRunOptions run;
  run.workspace = cwd;
  run.data_dir = options.data_dir;
  run.branch = options.branch.empty() ? git.branch : options.branch;
  run.commit_sha = options.commit.empty() ? git.commit_sha : options.commit;
  run.environment = options.environment.empty() ? "local" : options.environment;
  const char* user = std::getenv("USER");
  run.started_by = user && *user ? std::string("cli:") + user : "cli";
  run.max_parallel = options.max_parallel;
  run.synchronous_full = options.synchronous_full;

  // The engine's own log lines would interleave with the progress display.
  spdlog::set_level(spdlog::level::warn);
  const bool show_progress = !options.quiet && !options.json;
  ProgressPrinter printer(std::cout, show_progress && ::isatty(STDOUT_FILENO) == 1);
  InterruptGuard guard;
  auto result =
      engine::run_locally(*pipeline, run, show_progress ? &printer : nullptr, &g_interrupted);
  printer.finish();
  if (!result) {
    std::cerr << "opzenix: " << result.error().to_string() << "\n";
    return result.error().code == ErrorCode::kValidation ? 2 : 1;
  }
  if (options.json) {
    std::cout << dump_json(summary_json(*result), 2) << "\n";
  } else {
    if (!options.quiet) print_summary(*result, std::cout);
    std::cout << result->status << " in " << engine::short_duration(result->elapsed)
              << " (execution " << result->execution_id << ")\n";
  }
  if (result->interrupted) return 130;
  return result->status == "success" || result->status == "warning" ? 0 : 1;
}

}  // namespace opz::cli
