// The "several servers" acceptance test of issue 14 (docs/postgres.md
// "Several servers", docs/agents.md): two real `opzenix serve` processes (A,
// B) on ONE PostgreSQL database, three real `opzenix agent` processes
// (labels `linux`: a1 and a2 poll A, b1 polls B), 50 executions of a 20-node
// DAG (fan-out, fan-in; 17 nodes on agents, 3 on the servers), half started
// through A's API, half through B's. Mid-run A and a1 are killed with
// SIGKILL. Checks: every execution succeeds; no attempt of a node ran twice
// and a node that had succeeded before the kill never ran again (each step
// appends its attempt number to $MARKERS/<execution>/<node> as its first
// act); an event-stream client on B sees exactly the database's event log for
// those executions, in order, without gap or duplicate; a client on A got a
// gap-free prefix of it before A died and, resuming on B with its
// Last-Event-ID, exactly the rest. Prints the takeover time and the wall time.
//
// What the agents of a dead server do (src/agent/agent_worker.cc, cli): an
// agent talks to the one URL it was started with. When that server dies its
// polls, heartbeats and completes fail and are retried every second forever;
// its jobs' leases run out (agent-lease-timeout) and they are retried
// elsewhere; the agent itself is never served again. So a2 is restarted
// against B right after the kill, on the same token and work dir. It is
// killed (SIGKILL), not stopped: a SIGTERM'd agent cancels its running steps
// and its restart would report them as cancelled; killed, its steps finish
// unheard and their jobs are lost after the lease, then retried.
//
// A takeover spends no attempt of a node whose agent job it adopts: B's
// recovery asks its runner to adopt the job of the node's running attempt
// (queued, leased to an online agent whose lease holds, or ended with an
// outcome; one transaction), and only when that fails does the node run
// again, as the attempt after every attempt a job ran under. So on agent
// nodes every attempt beyond the first is paid for by a job that ended
// without success (lost with a1 or a2, failed): attempt == 1 + such jobs.
// max_attempts is 3 because a node can lose a job on a1 and then one on a2
// (killed and restarted against B).
//
// The agents' steps keep OPZENIX_EXECUTION_ID: B's takeover kills the
// taken-over executions' leftover processes but leaves agents' steps
// (OPZENIX_AGENT_JOB_ID) alone (engine/leftover_processes.h).
//
// Runs only on PostgreSQL (OPZ_TEST_BACKEND=postgres).
#include <curl/curl.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string_view>
#include <thread>

#include "support/agent_process.h"
#include "support/database_probe.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "two_servers_fixture.h"

namespace opz::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kExecutions = 50;
constexpr int kNodeSuccessesBeforeKill = 150;  // of 50 × 20
constexpr auto kDeadline = std::chrono::seconds(240);

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// The 20-node DAG: src → f1..f6 → j1 (f1-f3), j2 (f4-f6) → g1..g3 (j1),
// g4..g6 (j2); mid (j1, j2); k1 (g1-g3), k2 (g4-g6) → sink (k1, k2, mid) →
// report. src, mid and sink run on the server, the rest on agents.
std::string pipeline_yaml(const std::string& markers) {
  struct Node {
    std::string id;
    std::string needs;
    bool on_agent;
  };
  const std::vector<Node> nodes = {
      {"src", "", false},          {"f1", "src", true},        {"f2", "src", true},
      {"f3", "src", true},         {"f4", "src", true},        {"f5", "src", true},
      {"f6", "src", true},         {"j1", "f1, f2, f3", true}, {"j2", "f4, f5, f6", true},
      {"g1", "j1", true},          {"g2", "j1", true},         {"g3", "j1", true},
      {"g4", "j2", true},          {"g5", "j2", true},         {"g6", "j2", true},
      {"mid", "j1, j2", false},    {"k1", "g1, g2, g3", true}, {"k2", "g4, g5, g6", true},
      {"sink", "k1, k2, mid", false}, {"report", "sink", true}};
  std::string yaml = "name: cluster\nnodes:\n";
  for (const Node& n : nodes) {
    yaml += "  " + n.id + ":\n";
    if (!n.needs.empty()) yaml += "    needs: [" + n.needs + "]\n";
    if (n.on_agent) yaml += "    runs_on: [linux]\n";
    yaml += "    retry: {max_attempts: 3, initial: 1s, max: 1s}\n";
    const std::string dir = markers + "/$OPZENIX_EXECUTION_ID";
    yaml += "    run: \"mkdir -p " + dir + " && echo $OPZENIX_ATTEMPT >> " + dir + "/" + n.id +
            " && sleep 0.2" +
            "\"\n";
  }
  return yaml;
}

// A running `opzenix agent` (its own work dir, log appended across restarts),
// 4 slots, SIGKILLed at the test's end: nothing left to report.
std::unique_ptr<AgentProcess> start_agent(const std::string& server, const std::string& token,
                                          const std::string& dir) {
  return std::make_unique<AgentProcess>(AgentProcess::Options{.server = server,
                                                              .token = token,
                                                              .work_dir = dir,
                                                              .log_path = dir + ".log",
                                                              .concurrency = 4,
                                                              .append_log = true,
                                                              .stop_signal = SIGKILL});
}

// An event-stream client on its own thread (libcurl): GET /api/v1/events
// with a Last-Event-ID, recording each event's id and execution id until
// stop() or until the server closes the stream.
class StreamClient {
 public:
  struct Event {
    int64_t id;
    std::string execution_id;
  };
  StreamClient(const std::string& base_url, const std::string& token, int64_t after) {
    thread_ = std::thread([this, url = base_url + "/api/v1/events", token, after] {
      run(url, token, after);
    });
  }
  ~StreamClient() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  bool connected() const { return connected_; }
  bool ended() const { return ended_; }
  std::vector<Event> events() const {
    std::lock_guard lock(mu_);
    return events_;
  }
  std::vector<std::string> resets() const {
    std::lock_guard lock(mu_);
    return resets_;
  }
  int64_t last_id() const {
    std::lock_guard lock(mu_);
    return events_.empty() ? 0 : events_.back().id;
  }

 private:
  void run(const std::string& url, const std::string& token, int64_t after) {
    CURL* curl = curl_easy_init();
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
    headers = curl_slist_append(headers, ("Last-Event-ID: " + std::to_string(after)).c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &StreamClient::on_bytes);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &StreamClient::on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, this);
    curl_easy_perform(curl);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    ended_ = true;
  }
  static int on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<StreamClient*>(self)->stop_ ? 1 : 0;
  }
  static size_t on_bytes(char* data, size_t size, size_t n, void* self) {
    static_cast<StreamClient*>(self)->feed(std::string_view(data, size * n));
    return size * n;
  }
  // Frames end with a blank line; of each we keep `event:` and `data:`.
  void feed(std::string_view bytes) {
    connected_ = true;
    buffer_.append(bytes);
    for (size_t end; (end = buffer_.find("\n\n")) != std::string::npos;) {
      const std::string frame = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      std::string type, data;
      size_t at = 0;
      while (at <= frame.size()) {
        size_t nl = frame.find('\n', at);
        if (nl == std::string::npos) nl = frame.size();
        const std::string_view line(frame.data() + at, nl - at);
        if (line.starts_with("event: ")) type = line.substr(7);
        if (line.starts_with("data: ")) data = line.substr(6);
        at = nl + 1;
      }
      if (data.empty()) continue;  // retry:, heartbeats
      std::lock_guard lock(mu_);
      if (type == "reset") {
        resets_.push_back(data);
        continue;
      }
      const json doc = json::parse(data, nullptr, false);
      if (doc.is_discarded()) continue;
      const json exec = doc.value("execution_id", json());
      events_.push_back({doc.value("id", int64_t{0}), exec.is_string() ? exec.get<std::string>() : ""});
    }
  }

  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> connected_{false};
  std::atomic<bool> ended_{false};
  std::string buffer_;  // the stream thread's only
  mutable std::mutex mu_;
  std::vector<Event> events_;  // guarded by mu_
  std::vector<std::string> resets_;  // guarded by mu_
};

// Ids of `events` that belong to `executions`, in the order received.
std::vector<int64_t> ids_of(const std::vector<StreamClient::Event>& events,
                            const std::set<std::string>& executions) {
  std::vector<int64_t> ids;
  for (const auto& e : events)
    if (executions.count(e.execution_id)) ids.push_back(e.id);
  return ids;
}

bool strictly_increasing(const std::vector<StreamClient::Event>& events) {
  for (size_t i = 1; i < events.size(); ++i)
    if (events[i].id <= events[i - 1].id) return false;
  return true;
}

std::vector<std::string> lines_of(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class ClusterKillTest : public TwoServersTest {
 protected:
  void SetUp() override {
    start_two_servers({"--server-lease-timeout", "3s", "--agent-lease-timeout", "6s"});
  }

  DatabaseLocation db() const { return DatabaseLocation(*b_); }

  std::string register_agent(const std::string& name) {
    auto reg = api(*a_).post("/api/v1/agents/registration-tokens", json::object());
    EXPECT_EQ(reg.status, 201) << reg.body;
    auto r = run_command({opzenix_binary(), "agent", "register", "--server", a_->base_url(),
                          "--registration-token", reg.json().value("token", ""), "--name", name,
                          "--labels", "linux", "--concurrency", "4"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string token = r.out;
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
    return token;
  }


  int64_t scalar(const std::string& sql, const store::Params& params = {}) {
    auto v = column_texts(db(), sql, params);
    return v.empty() || v[0].empty() ? 0 : std::stoll(v[0]);
  }

  std::string in_list(const std::vector<std::string>& ids) const {
    std::string list;
    for (const auto& id : ids) list += (list.empty() ? "'" : ", '") + id + "'";
    return "(" + list + ")";
  }

  TempDir dir_;
};

TEST_F(ClusterKillTest, KillingAServerAndAnAgentMidRunLosesNoExecutionNodeRunOrEvent) {
  const std::string markers = dir_.str() + "/markers";
  std::map<std::string, std::string> tokens;
  for (const char* name : {"a1", "a2", "b1"}) tokens[name] = register_agent(name);
  std::map<std::string, std::unique_ptr<AgentProcess>> agents;
  agents["a1"] = start_agent(a_->base_url(), tokens["a1"], dir_.str() + "/a1");
  agents["a2"] = start_agent(a_->base_url(), tokens["a2"], dir_.str() + "/a2");
  agents["b1"] = start_agent(b_->base_url(), tokens["b1"], dir_.str() + "/b1");

  // The streams start before the first execution.
  const int64_t base = scalar("SELECT MAX(id) FROM realtime_events");
  auto on_a = std::make_unique<StreamClient>(a_->base_url(), token_, base);
  StreamClient on_b(b_->base_url(), token_, base);
  for (int i = 0; i < 200 && !(on_a->connected() && on_b.connected()); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  ASSERT_TRUE(on_a->connected() && on_b.connected());

  const auto t0 = Clock::now();
  const std::string yaml = pipeline_yaml(markers);
  std::vector<std::string> ids;
  for (int e = 0; e < kExecutions; ++e) ids.push_back(start_on(e % 2 ? *b_ : *a_, yaml));
  for (const std::string& id : ids) ASSERT_FALSE(id.empty());
  const std::string ours = "execution_id IN " + in_list(ids);

  // Mid-run: some nodes done, most not.
  for (;;) {
    ASSERT_LT(Clock::now() - t0, std::chrono::seconds(120)) << "no progress before the kill";
    if (scalar("SELECT COUNT(*) FROM execution_nodes WHERE status = 'success' AND " + ours) >=
        kNodeSuccessesBeforeKill)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const std::string a_id =
      column_texts(db(), "SELECT server_id FROM execution_owners WHERE execution_id = $1",
                   {ids[0]})
          .at(0);
  ASSERT_EQ(a_->stop(SIGKILL), 128 + SIGKILL);
  const auto killed = Clock::now();
  agents["a1"]->stop(SIGKILL);
  // a2 can never reach A again: restarted against B (see the header).
  agents["a2"]->stop(SIGKILL);
  agents["a2"] = start_agent(b_->base_url(), tokens["a2"], dir_.str() + "/a2");

  // What had succeeded when A died, at which attempt.
  std::map<std::string, int> done_before;  // "<execution>/<node>" -> attempt
  {
    auto rows = query_database(db(), "SELECT execution_id, node_id, attempt FROM execution_nodes "
                                     "WHERE status = 'success' AND " + ours);
    ASSERT_TRUE(rows.ok());
    for (const store::Row& r : *rows)
      done_before[r[0].as_text() + "/" + r[1].as_text()] = static_cast<int>(r[2].as_int());
  }
  const int64_t a_unfinished =
      scalar("SELECT COUNT(*) FROM execution_owners o JOIN executions e ON e.id = o.execution_id "
             "WHERE o.server_id = $1 AND e.status IN ('idle', 'running')",
             {a_id});
  std::cout << "[ClusterKillTest] killed A and a1 " << seconds_since(t0) << " s after the start; "
            << done_before.size() << " nodes had succeeded; A owned " << a_unfinished
            << " unfinished executions\n";

  // Takeover: no unfinished execution left with the dead server.
  for (;;) {
    const int64_t left =
        scalar("SELECT COUNT(*) FROM execution_owners o JOIN executions e ON e.id = "
               "o.execution_id WHERE o.server_id = $1 AND e.status IN ('idle', 'running')",
               {a_id});
    if (left == 0) break;
    ASSERT_LT(Clock::now() - killed, std::chrono::seconds(20))
        << left << " executions still owned by the dead server";
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::cout << "[ClusterKillTest] takeover done " << seconds_since(killed)
            << " s after the kill\n";

  // Every execution ends, successfully.
  for (;;) {
    const int64_t open =
        scalar("SELECT COUNT(*) FROM executions WHERE status IN ('idle', 'running', 'paused') "
               "AND id IN " + in_list(ids));
    if (open == 0) break;
    ASSERT_LT(Clock::now() - t0, kDeadline) << open << " executions still unfinished";
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::cout << "[ClusterKillTest] all " << kExecutions << " executions ended "
            << seconds_since(t0) << " s after the start\n";
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM executions WHERE status = 'success' AND id IN " +
                   in_list(ids)),
            kExecutions);

  // No attempt ran twice; nothing that had succeeded ran again.
  auto nodes = query_database(db(), "SELECT execution_id, node_id, attempt, status FROM "
                                    "execution_nodes WHERE " + ours);
  ASSERT_TRUE(nodes.ok());
  ASSERT_EQ(nodes->size(), static_cast<size_t>(kExecutions) * 20);
  int retried = 0;
  for (const store::Row& r : *nodes) {
    const std::string key = r[0].as_text() + "/" + r[1].as_text();
    const int attempt = static_cast<int>(r[2].as_int());
    EXPECT_EQ(r[3].as_text(), "success") << key;
    const std::vector<std::string> lines = lines_of(markers + "/" + key);
    const std::set<std::string> distinct(lines.begin(), lines.end());
    EXPECT_FALSE(lines.empty()) << key << " never ran";
    EXPECT_EQ(distinct.size(), lines.size()) << key << ": an attempt ran twice";
    EXPECT_LE(static_cast<int>(lines.size()), attempt) << key << " ran more often than attempted";
    for (const std::string& l : lines) EXPECT_LE(std::stoi(l), attempt) << key;
    if (attempt == 1) {
      EXPECT_EQ(lines, std::vector<std::string>{"1"}) << key;
    }
    if (attempt > 1) {
      ++retried;
      std::cout << "[ClusterKillTest] " << key << ": attempt " << attempt << ", ran as attempts "
                << ::testing::PrintToString(lines) << "\n";
    }
    auto before = done_before.find(key);
    if (before != done_before.end()) {
      EXPECT_EQ(attempt, before->second) << key << " had succeeded and was run again";
      EXPECT_EQ(static_cast<int>(lines.size()), before->second) << key;
    }
  }
  std::cout << "[ClusterKillTest] " << retried << " of " << nodes->size()
            << " nodes needed more than one attempt\n";

  // Agent nodes: every attempt after the first was paid for by a job that
  // did not succeed; a takeover that adopted the job spent none.
  auto paid = query_database(
      db(), "SELECT j.execution_id, j.node_id, n.attempt, SUM(CASE WHEN j.status IN ('lost', "
            "'failed', 'cancelled') THEN 1 ELSE 0 END) AS unsuccessful, COUNT(*) AS jobs "
            "FROM agent_jobs j JOIN execution_nodes n ON n.execution_id = j.execution_id AND "
            "n.node_id = j.node_id WHERE j." + ours +
            " GROUP BY j.execution_id, j.node_id, n.attempt");
  ASSERT_TRUE(paid.ok());
  ASSERT_EQ(paid->size(), static_cast<size_t>(kExecutions) * 17);
  int adopted_or_lost = 0;
  for (const store::Row& r : *paid) {
    const std::string key = r[0].as_text() + "/" + r[1].as_text();
    const int64_t attempt = r[2].as_int();
    EXPECT_EQ(attempt, 1 + r[3].as_int())
        << key << ": attempts not paid for by an unsuccessful job (" << r[4].as_int()
        << " jobs): a takeover spent one";
    if (attempt > 1) ++adopted_or_lost;
  }
  // The adopted ones say so in their log ("continues" at the attempt they had).
  const int64_t adopted = scalar(
      "SELECT COUNT(DISTINCT execution_id || '/' || node_id) FROM execution_logs WHERE " + ours +
      " AND message LIKE '%re-attached to its agent''s job%'");
  std::cout << "[ClusterKillTest] " << adopted << " agent nodes adopted by the takeover, "
            << adopted_or_lost << " ran again after a lost or failed job\n";
  EXPECT_GT(adopted, 0) << "the kill came while A's executions had jobs on agents";

  // Events: the log of these executions, as the database holds it.
  std::vector<int64_t> logged;
  for (const std::string& id :
       column_texts(db(), "SELECT id FROM realtime_events WHERE id > $1 AND " + ours +
                              " ORDER BY id",
                    {base}))
    logged.push_back(std::stoll(id));
  ASSERT_FALSE(logged.empty());
  // A's client resumes on B where it stopped.
  on_a->stop();
  const std::vector<StreamClient::Event> a_part = on_a->events();
  EXPECT_TRUE(on_a->resets().empty());
  StreamClient resumed(b_->base_url(), token_, on_a->last_id() ? on_a->last_id() : base);
  for (;;) {
    if (on_b.last_id() >= logged.back() && resumed.last_id() >= logged.back()) break;
    ASSERT_LT(Clock::now() - t0, kDeadline + std::chrono::seconds(30))
        << "streams stopped at " << on_b.last_id() << " and " << resumed.last_id() << " of "
        << logged.back();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  on_b.stop();
  resumed.stop();
  EXPECT_TRUE(on_b.resets().empty());
  EXPECT_TRUE(resumed.resets().empty());
  EXPECT_TRUE(strictly_increasing(on_b.events()));
  EXPECT_TRUE(strictly_increasing(a_part));
  EXPECT_TRUE(strictly_increasing(resumed.events()));

  const std::set<std::string> executions(ids.begin(), ids.end());
  EXPECT_EQ(ids_of(on_b.events(), executions), logged) << "B's client";
  std::vector<int64_t> a_ids = ids_of(a_part, executions);
  ASSERT_LE(a_ids.size(), logged.size());
  EXPECT_EQ(a_ids, std::vector<int64_t>(logged.begin(), logged.begin() + a_ids.size()))
      << "A's client did not get a prefix";
  std::vector<int64_t> joined = a_ids;
  for (int64_t id : ids_of(resumed.events(), executions)) joined.push_back(id);
  EXPECT_EQ(joined, logged) << "A's client, resumed on B";
  std::cout << "[ClusterKillTest] events: " << logged.size() << " logged, " << a_ids.size()
            << " received from A before it died; wall time " << seconds_since(t0) << " s\n";
}

}  // namespace
}  // namespace opz::testing
