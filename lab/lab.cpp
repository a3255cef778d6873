#include "lab/lab.h"

#include <unistd.h>

#include <iomanip>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <streambuf>

#include <nlohmann/json.hpp>

#include "lab/admin_client.h"
#include "lab/lab_stack.h"
#include "generator/engine/run_config.h"
#include "generator/engine/runner.h"
#include "reporters/comparison_files.h"
#include "lab/server_process.h"
#include "lab/study_checks.h"
#include "units/duration.h"
#include "reporters/comparison.h"
#include "results/result_folder.h"
#include "results/server_report.h"
#include "scenarios/scenario.h"

namespace stampede::lab {
namespace {

using engine::RunConfig;
using engine::run_load_test;
using engine::unix_ms_now;

using nlohmann::json;
namespace fs = std::filesystem;

constexpr auto kListenTimeout = std::chrono::seconds(120);  // includes seeding an empty store
constexpr auto kHealthTimeout = std::chrono::seconds(20);

// Puts "[hash] " in front of every line written through it, so the user knows which
// strategy's live table is on screen.
class PrefixBuf : public std::streambuf {
 public:
  PrefixBuf(std::ostream& target, std::string prefix) : target_(target), prefix_(std::move(prefix)) {}

 protected:
  int_type overflow(int_type ch) override {
    if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
    if (at_line_start_) target_ << prefix_;
    target_.put(traits_type::to_char_type(ch));
    at_line_start_ = traits_type::to_char_type(ch) == '\n';
    return ch;
  }
  int sync() override {
    target_.flush();
    return 0;
  }

 private:
  std::ostream& target_;
  std::string prefix_;
  bool at_line_start_ = true;
};

// What happened to one strategy, for lab.json and the exit code.
struct StrategyOutcome {
  std::string strategy;
  std::string status = "skipped";  // measured | interrupted | failed | skipped
  std::string error;
  fs::path folder;
  fs::path server_log;
  std::string server_url;
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;
  double failure_pct() const {
    return requests == 0 ? 0.0 : 100.0 * static_cast<double>(failures) / static_cast<double>(requests);
  }
};

std::vector<std::string> server_args(const LabConfig& config, const std::string& strategy, const fs::path& data,
                                     int port) {
  std::vector<std::string> args = {"--store", config.store, "--strategy", strategy, "--bind", "127.0.0.1",
                                   "--port", std::to_string(port), "--seed", std::to_string(config.seed),
                                   "--users", std::to_string(kLabDataSetUsers)};
  if (config.store == "sqlite") {
    args.insert(args.end(), {"--data", data.string(), "--shards", std::to_string(config.shards)});
  } else {
    args.push_back("--reset-on-mismatch");  // the stack's results were routed by another strategy
  }
  return args;
}

class Lab {
 public:
  Lab(const LabConfig& config, const scenarios::Scenario& scenario, fs::path server_bin, fs::path dir,
      const std::atomic<int>& interrupts, std::ostream& out, std::ostream& err)
      : config_(config),
        scenario_(scenario),
        server_bin_(std::move(server_bin)),
        dir_(std::move(dir)),
        interrupts_(interrupts),
        out_(out),
        err_(err) {}

  LabOutcome execute() {
    started_ms_ = unix_ms_now();
    fs::create_directories(dir_);
    write_lab_json("running");
    say("lab: " + dir_.string() + " — " + describe());

    std::optional<LabStack> stack;
    if (config_.store == "mysql") {
      try {
        stack.emplace(LabStack::ensure(config_.shards, config_.quiet ? null_ : out_));
      } catch (const LabStackError& e) {
        err_ << "stampede lab: " << e.what() << "\n";
        write_lab_json("failed");
        return e.kind() == LabStackError::Kind::kShardMismatch ? LabOutcome::kCannotStart : LabOutcome::kFailed;
      }
    }

    bool failed = false;
    for (std::size_t i = 0; i < config_.strategies.size(); ++i) {
      StrategyOutcome outcome;
      outcome.strategy = config_.strategies[i];
      if (failed || interrupts_.load() > 0) {
        outcomes_.push_back(outcome);  // skipped
        continue;
      }
      run_strategy(i, outcome);
      if (outcome.status == "failed") {
        failed = true;
        err_ << "stampede lab: " << outcome.strategy << ": " << outcome.error << "\n";
        if (i + 1 < config_.strategies.size()) err_ << "stampede lab: the remaining strategies are skipped\n";
      }
      outcomes_.push_back(outcome);
    }
    if (stack) stack->stop();
    cleanup();

    bool report_ok = write_report();
    const bool interrupted = interrupts_.load() > 0;
    bool too_many_failures = false;
    for (const auto& o : outcomes_) {
      if (o.status == "measured" && o.failure_pct() > kLabMaxFailurePct) {
        too_many_failures = true;
        err_ << "stampede lab: " << o.strategy << ": " << std::fixed << std::setprecision(2) << o.failure_pct()
             << "% of requests failed (more than " << kLabMaxFailurePct << "%); see " << o.folder.string() << "\n";
      }
    }
    write_lab_json(failed ? "failed" : interrupted ? "interrupted" : "complete");
    return (failed || interrupted || too_many_failures || !report_ok) ? LabOutcome::kFailed : LabOutcome::kMeasured;
  }

 private:
  void say(const std::string& line) {
    if (!config_.quiet) out_ << line << "\n" << std::flush;
  }

  std::string describe() const {
    std::string s;
    for (const auto& st : config_.strategies) s += (s.empty() ? "" : ",") + st;
    return s + " on " + config_.store + " with " + std::to_string(config_.shards) + " shards, " +
           std::to_string(config_.users) + " users at " + std::to_string(std::lround(config_.spawn_rate)) +
           "/s for " + units::format_duration(config_.run_time) +
           (config_.warmup.count() > 0 ? " (warm-up " + units::format_duration(config_.warmup) + ")" : " (no warm-up)") +
           ", seed " + std::to_string(config_.seed);
  }

  fs::path data_dir(const std::string& strategy) const { return dir_ / ".data" / strategy; }
  fs::path warmup_dir(const std::string& strategy) const { return dir_ / ".warmup" / strategy; }

  void run_strategy(std::size_t index, StrategyOutcome& outcome) {
    const std::string& strategy = outcome.strategy;
    outcome.server_log = dir_ / "logs" / (strategy + "-server.log");
    outcome.folder = dir_ / strategy;
    const int port = config_.port_base == 0 ? 0 : config_.port_base + static_cast<int>(index);
    say("\n== " + strategy + ": starting " + server_bin_.filename().string() + " (log " +
        outcome.server_log.string() + ")");
    try {
      ServerProcess server(server_bin_, server_args(config_, strategy, data_dir(strategy), port), outcome.server_log,
                           {std::string(kServerAdminTokenEnv) + "=" + admin_token_});
      outcome.server_url = server.wait_until_listening(kListenTimeout);
      if (!outcome.server_url.starts_with("http://127.0.0.1:"))
        throw ServerProcessError("the server listens on " + outcome.server_url + ", not on 127.0.0.1");
      if (!wait_for_health(outcome.server_url, kHealthTimeout))
        throw ServerProcessError("no answer from " + outcome.server_url + "/health within " +
                                 std::to_string(kHealthTimeout.count()) + " s; see " + outcome.server_log.string());
      say(strategy + ": server at " + outcome.server_url);
      measure(strategy, server, outcome);
      if (!server.stop()) say(strategy + ": the server did not stop within 15 s after SIGTERM; killed");
    } catch (const std::exception& e) {
      outcome.status = "failed";
      outcome.error = std::string(e.what()) + (std::string(e.what()).find(outcome.server_log.string()) ==
                                                       std::string::npos
                                                   ? " (server log: " + outcome.server_log.string() + ")"
                                                   : "");
    }
  }

  // Warm-up, reset, snapshot, measured run, server report. Throws on a server failure.
  void measure(const std::string& strategy, ServerProcess& server, StrategyOutcome& outcome) {
    if (config_.warmup.count() > 0) {
      say(strategy + ": warming up for " + units::format_duration(config_.warmup) + " (not kept in the report)");
      RunConfig warm = run_config(strategy, outcome.server_url);
      warm.run_time = config_.warmup;
      warm.out_dir = warmup_dir(strategy);
      warm.label = strategy + "-warmup";
      warm.quiet = true;
      warm.seed = config_.seed ^ 0x5741524d55ULL;  // a different draw from the measured run's
      warm.lab->warmup = true;
      std::ostringstream discard;
      run_load_test(warm, scenario_, interrupts_, discard, discard);
      if (interrupts_.load() > 0) {
        outcome.status = "interrupted";
        outcome.error = "interrupted during the warm-up";
        return;
      }
      require_running(server, outcome);
    }
    HttpReply reset = http_post(outcome.server_url + "/admin/reset", std::chrono::seconds(60), admin_token_);
    if (reset.status != 200)
      throw AdminError("POST /admin/reset: " + (reset.status == 0 ? reset.error
                                                                  : "HTTP " + std::to_string(reset.status) + " " +
                                                                        reset.body.substr(0, 200)));
    json stats_before = fetch_json(outcome.server_url + "/admin/stats");

    RunConfig run = run_config(strategy, outcome.server_url);
    PrefixBuf prefixed(out_, "[" + strategy + "] ");
    std::ostream live(&prefixed);
    if (!config_.quiet) say(strategy + ": measured run, results in " + outcome.folder.string());
    run_load_test(run, scenario_, interrupts_, live, err_);
    live.flush();
    require_running(server, outcome);

    results::ServerReport report = collect_server_report(outcome.server_url, admin_token_, stats_before, unix_ms_now());
    results::write_server_report(outcome.folder, report);
    fs::path log_in_run = outcome.folder / "server.log";
    std::error_code ec;
    fs::rename(outcome.server_log, log_in_run, ec);  // the server keeps appending to the same file
    if (!ec) outcome.server_log = log_in_run;

    results::RunResult result = results::read_result_folder(outcome.folder);
    outcome.requests = result.aggregated.requests;
    outcome.failures = result.aggregated.failures;
    outcome.status = interrupts_.load() > 0 ? "interrupted" : "measured";
  }

  void require_running(ServerProcess& server, const StrategyOutcome& outcome) {
    if (!server.running())
      throw ServerProcessError("the server died during the run (" + server.exit_description() + "); its log " +
                               outcome.server_log.string() + " ends with:\n" + server.log_tail());
  }

  RunConfig run_config(const std::string& strategy, const std::string& url) const {
    RunConfig run;
    run.scenario_file = config_.scenario_file;
    run.host = url;
    run.users = config_.users;
    run.spawn_rate = config_.spawn_rate;
    run.run_time = config_.run_time;
    run.threads = config_.threads;
    run.seed = config_.seed;
    run.out_dir = dir_ / strategy;
    run.label = strategy;
    run.only_summary = config_.only_summary;
    run.quiet = config_.quiet;
    run.command_line = config_.command_line;
    run.lab = results::LabRunInfo{.strategy = strategy,
                                  .store = config_.store,
                                  .shards = config_.shards,
                                  .folder = dir_.filename().string()};
    return run;
  }

  void cleanup() {
    std::error_code ec;
    if (fs::is_empty(dir_ / "logs", ec) && !ec) fs::remove(dir_ / "logs", ec);  // every log moved into its run
    if (config_.keep_data) return;
    fs::remove_all(dir_ / ".data", ec);
    fs::remove_all(dir_ / ".warmup", ec);
  }

  // The comparison of every run that has a complete folder, with the study's checks. False
  // when it could not be written.
  bool write_report() {
    std::vector<fs::path> folders;
    for (const auto& o : outcomes_)
      if ((o.status == "measured" || o.status == "interrupted") && fs::is_regular_file(o.folder / "run.json"))
        folders.push_back(o.folder);
    if (folders.empty()) {
      err_ << "stampede lab: nothing was measured; no report written\n";
      return false;
    }
    try {
      reporters::Comparison comparison = reporters::build_comparison(reporters::read_compared_runs(folders));
      add_study_checks(comparison);
      reporters::write_text_file(dir_ / "report.md", reporters::comparison_markdown(comparison));
      reporters::write_text_file(dir_ / "report.html", reporters::comparison_html(comparison));
      reporters::write_text_file(dir_ / "report.json", reporters::comparison_json(comparison).dump(2) + "\n");
      if (!config_.quiet) out_ << "\n" << reporters::comparison_console(comparison);
    } catch (const std::exception& e) {
      err_ << "stampede lab: cannot write the report: " << e.what() << "\n";
      return false;
    }
    out_ << "\nlab folder: " << dir_.string() << "\n";
    for (const auto& f : folders) out_ << "  run:    " << f.string() << "\n";
    out_ << "  report: " << (dir_ / "report.html").string() << " (also report.md, report.json)\n";
    return true;
  }

  void write_lab_json(const std::string& status) {
    json runs = json::array();
    for (const auto& o : outcomes_) {
      json r = {{"strategy", o.strategy}, {"status", o.status}};
      if (o.status == "measured" || o.status == "interrupted") {
        r["folder"] = o.folder.filename().string();
        r["requests"] = o.requests;
        r["failures"] = o.failures;
      }
      if (!o.error.empty()) r["error"] = o.error;
      if (!o.server_log.empty()) r["server_log"] = fs::relative(o.server_log, dir_).generic_string();
      if (!o.server_url.empty()) r["server_url"] = o.server_url;
      runs.push_back(r);
    }
    json doc = {{"stampede_lab", 1},
                {"name", dir_.filename().string()},
                {"status", status},
                {"started_unix_ms", started_ms_},
                {"strategies", config_.strategies},
                {"users", config_.users},
                {"spawn_rate", config_.spawn_rate},
                {"run_time_s", std::chrono::duration<double>(config_.run_time).count()},
                {"warmup_s", std::chrono::duration<double>(config_.warmup).count()},
                {"store", config_.store},
                {"shards", config_.shards},
                {"scenario_file", config_.scenario_file.string()},
                {"seed", config_.seed},
                {"data_set", {{"seed", config_.seed}, {"users", kLabDataSetUsers}}},
                {"threads", config_.threads},
                {"server_bin", server_bin_.string()},
                {"max_failure_pct", kLabMaxFailurePct},
                {"command_line", config_.command_line},
                {"runs", runs}};
    if (status != "running") doc["ended_unix_ms"] = unix_ms_now();
    reporters::write_text_file(dir_ / "lab.json", doc.dump(2) + "\n");
  }

  const LabConfig& config_;
  const scenarios::Scenario& scenario_;
  fs::path server_bin_;
  fs::path dir_;
  const std::atomic<int>& interrupts_;
  std::ostream& out_;
  std::ostream& err_;
  std::ostringstream null_;
  std::string admin_token_ = make_admin_token();  // every server this lab starts requires it
  std::int64_t started_ms_ = 0;
  std::vector<StrategyOutcome> outcomes_;
};

}  // namespace

fs::path find_server_binary() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  for (const fs::path& candidate : {self.parent_path().parent_path() / "reference-server" / "stampede-server",
                                    self.parent_path() / "stampede-server"})
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  return {};
}

fs::path default_lab_dir(std::int64_t unix_ms) {
  fs::path base = fs::path("results") / "labs";
  std::string name = results::default_run_folder_name(unix_ms, "lab");
  fs::path dir = base / name;
  for (int n = 2; fs::exists(dir); ++n) dir = base / (name + "-" + std::to_string(n));
  return dir;
}

LabOutcome run_lab(const LabConfig& config, const std::atomic<int>& interrupts, std::ostream& out, std::ostream& err) {
  scenarios::Scenario scenario = scenarios::Scenario::load(config.scenario_file);
  fs::path server_bin = config.server_bin.empty() ? find_server_binary() : config.server_bin;
  if (server_bin.empty()) {
    err << "stampede lab: --server-bin: no stampede-server next to this executable; give its path\n";
    return LabOutcome::kCannotStart;
  }
  fs::path dir = config.out_dir ? *config.out_dir : default_lab_dir(unix_ms_now());
  Lab lab(config, scenario, server_bin, dir, interrupts, out, err);
  return lab.execute();
}

}  // namespace stampede::lab
