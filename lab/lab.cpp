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
#include "lab/lab_record.h"
#include "lab/lab_report.h"
#include "lab/lab_stack.h"
#include "generator/engine/run_config.h"
#include "generator/engine/runner.h"
#include "reporters/comparison_files.h"
#include "lab/server_process.h"
#include "lab/shell_words.h"
#include "lab/variant_server.h"
#include "units/duration.h"
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

// Puts "[w4] " in front of every line written through it, so the user knows which
// variant's live table is on screen.
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

std::string format_rate(double per_second) {
  std::ostringstream s;
  s << per_second;
  return s.str();
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
        err_(err) {
    for (std::size_t i = 0; i < config_.variants.size(); ++i) {
      const int port = config_.port_base == 0 ? 0 : config_.port_base + static_cast<int>(i);
      setups_.push_back(server_setup(config_, config_.variants[i], data_dir(config_.variants[i].name), port));
      outcomes_.emplace_back();
      outcomes_.back().name = config_.variants[i].name;
    }
  }

  LabOutcome execute() {
    started_ms_ = unix_ms_now();
    fs::create_directories(dir_);
    write_lab_json("running");
    say("lab: " + dir_.string() + " — " + describe());

    std::optional<LabStack> stack;
    if (config_.store == "mysql") {
      try {
        stack.emplace(LabStack::ensure(config_.shards, config_.quiet ? null_ : out_, replicas_wanted(), queue_wanted()));
      } catch (const LabStackError& e) {
        err_ << "stampede lab: " << e.what() << "\n";
        write_lab_json("failed");
        return e.kind() == LabStackError::Kind::kShardMismatch ? LabOutcome::kCannotStart : LabOutcome::kFailed;
      }
    }

    // Every variant's server once before any load: flags the server rejects stop the lab here.
    std::optional<LabOutcome> refused = check_servers_start();
    bool failed = refused.has_value();
    for (std::size_t i = 0; i < config_.variants.size() && !failed && interrupts_.load() == 0; ++i) {
      VariantOutcome& outcome = outcomes_[i];
      run_variant(i, outcome);
      if (outcome.status == "failed") {
        failed = true;
        err_ << "stampede lab: " << outcome.name << ": " << outcome.error << "\n";
        if (i + 1 < config_.variants.size()) err_ << "stampede lab: the remaining variants are skipped\n";
      }
    }
    if (stack) stack->stop();
    cleanup();
    if (refused) {
      write_lab_json("failed");
      return *refused;
    }

    bool report_ok = write_report();
    const bool interrupted = interrupts_.load() > 0;
    bool too_many_failures = false;
    for (const auto& o : outcomes_) {
      if (o.status == "measured" && o.failure_pct() > kLabMaxFailurePct) {
        too_many_failures = true;
        err_ << "stampede lab: " << o.name << ": " << std::fixed << std::setprecision(2) << o.failure_pct()
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
    for (const auto& v : config_.variants) s += (s.empty() ? "" : ",") + v.name;
    const std::string load =
        config_.arrival_rate > 0
            ? format_rate(config_.arrival_rate) + " arrivals/s (at most " + std::to_string(config_.max_users) +
                  " users busy)"
            : std::to_string(config_.users) + " users at " + std::to_string(std::lround(config_.spawn_rate)) + "/s";
    return s + " on " + config_.store + " with " + std::to_string(config_.shards) + " shards, " + load + " for " +
           units::format_duration(config_.run_time) +
           (config_.warmup.count() > 0 ? " (warm-up " + units::format_duration(config_.warmup) + ")" : " (no warm-up)") +
           ", seed " + std::to_string(config_.seed);
  }

  // 1 when a variant reads from replicas (--read-from replicas): the stack needs them.
  int replicas_wanted() const {
    for (const VariantServerSetup& s : setups_)
      if (flag_value(s.flags, "--read-from").value_or("primary") == "replicas") return 1;
    return 0;
  }

  // A variant with the queued write path (--write-path queue) needs RabbitMQ in the stack.
  bool queue_wanted() const {
    for (const VariantServerSetup& s : setups_)
      if (flag_value(s.flags, "--write-path").value_or("sync") == "queue") return true;
    return false;
  }

  fs::path data_dir(const std::string& name) const { return dir_ / ".data" / name; }
  fs::path warmup_dir(const std::string& name) const { return dir_ / ".warmup" / name; }

  std::vector<std::string> server_command(std::size_t index) const { return lab::server_command(server_bin_, setups_[index]); }

  // Starts each variant's server once until it listens (on SQLite it seeds the variant's
  // data, which its measured start reuses), before any load. A server that exits with its
  // usage code rejected the flags: the variant, the server's own stderr and its command line
  // are named and the lab stops as a usage error. Any other failure to start fails the lab as
  // a server failure would. nullopt: every server started.
  std::optional<LabOutcome> check_servers_start() {
    for (std::size_t i = 0; i < config_.variants.size(); ++i) {
      const std::string& name = config_.variants[i].name;
      say(name + ": checking that its server starts: " + shell_join(server_command(i)));
      const ServerStartCheck check =
          check_server_starts(server_bin_, setups_[i].args, dir_ / "logs" / (name + "-check.log"),
                              {std::string(kServerAdminTokenEnv) + "=" + admin_token_}, kListenTimeout);
      if (check.started) continue;
      VariantOutcome& o = outcomes_[i];
      o.status = "failed";
      if (check.rejected) {
        o.error = "stampede-server rejects this variant's flags (" + check.exit + "): " + check.stderr_lines;
        err_ << "stampede lab: --variant " << name << ": stampede-server rejects its flags (" << check.exit
             << "); it says:\n"
             << (check.stderr_lines.empty() ? "  | (nothing on stderr)\n" : check.stderr_lines)
             << "  command: " << shell_join(server_command(i)) << "\n";
      } else {
        o.error = check.error;
        err_ << "stampede lab: " << name << ": " << check.error
             << (check.stderr_lines.empty() ? "" : "  its stderr:\n" + check.stderr_lines);
      }
      err_ << "stampede lab: nothing was run: every variant's server is started once before any load, and " << name
           << "'s did not start\n";
      return check.rejected ? LabOutcome::kCannotStart : LabOutcome::kFailed;
    }
    return std::nullopt;
  }

  void run_variant(std::size_t index, VariantOutcome& outcome) {
    const std::string& name = outcome.name;
    outcome.server_log = dir_ / "logs" / (name + "-server.log");
    outcome.folder = dir_ / name;
    say("\n== " + name + ": starting " + shell_join(server_command(index)) + " (log " + outcome.server_log.string() +
        ")");
    try {
      ServerProcess server(server_bin_, setups_[index].args, outcome.server_log,
                           {std::string(kServerAdminTokenEnv) + "=" + admin_token_});
      outcome.server_url = server.wait_until_listening(kListenTimeout);
      if (!outcome.server_url.starts_with("http://127.0.0.1:"))
        throw ServerProcessError("the server listens on " + outcome.server_url + ", not on 127.0.0.1");
      if (!wait_for_health(outcome.server_url, kHealthTimeout))
        throw ServerProcessError("no answer from " + outcome.server_url + "/health within " +
                                 std::to_string(kHealthTimeout.count()) + " s; see " + outcome.server_log.string());
      say(name + ": server at " + outcome.server_url);
      measure(index, server, outcome);
      if (!server.stop()) say(name + ": the server did not stop within 15 s after SIGTERM; killed");
    } catch (const std::exception& e) {
      outcome.status = "failed";
      outcome.error = std::string(e.what()) + (std::string(e.what()).find(outcome.server_log.string()) ==
                                                       std::string::npos
                                                   ? " (server log: " + outcome.server_log.string() + ")"
                                                   : "");
    }
  }

  // Warm-up, reset, snapshot, measured run, server report. Throws on a server failure.
  void measure(std::size_t index, ServerProcess& server, VariantOutcome& outcome) {
    const std::string& name = outcome.name;
    if (config_.warmup.count() > 0) {
      say(name + ": warming up for " + units::format_duration(config_.warmup) + " (not kept in the report)");
      RunConfig warm = run_config(index, outcome.server_url);
      warm.run_time = config_.warmup;
      warm.out_dir = warmup_dir(name);
      warm.label = name + "-warmup";
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

    RunConfig run = run_config(index, outcome.server_url);
    PrefixBuf prefixed(out_, "[" + name + "] ");
    std::ostream live(&prefixed);
    if (!config_.quiet) say(name + ": measured run, results in " + outcome.folder.string());
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

  void require_running(ServerProcess& server, const VariantOutcome& outcome) {
    if (!server.running())
      throw ServerProcessError("the server died during the run (" + server.exit_description() + "); its log " +
                               outcome.server_log.string() + " ends with:\n" + server.log_tail());
  }

  RunConfig run_config(std::size_t index, const std::string& url) const {
    const std::string& name = config_.variants[index].name;
    RunConfig run;
    run.scenario_file = config_.scenario_file;
    run.host = url;
    run.users = config_.users;
    run.spawn_rate = config_.spawn_rate;
    run.arrival_rate = config_.arrival_rate;
    run.max_users = config_.max_users;
    run.arrivals = config_.arrivals;
    run.run_time = config_.run_time;
    run.threads = config_.threads;
    run.seed = config_.seed;
    run.out_dir = dir_ / name;
    run.label = name;
    run.only_summary = config_.only_summary;
    run.quiet = config_.quiet;
    run.command_line = config_.command_line;
    run.lab = results::LabRunInfo{.strategy = setups_[index].strategy,
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

  // The comparison of every variant that has a complete folder, with the checks that apply to
  // what the variants vary and their servers' command lines. False when it could not be written.
  bool write_report() {
    std::vector<ReportedVariant> reported;
    for (std::size_t i = 0; i < outcomes_.size(); ++i) {
      const VariantOutcome& o = outcomes_[i];
      if ((o.status == "measured" || o.status == "interrupted") && fs::is_regular_file(o.folder / "run.json"))
        reported.push_back({o.name, o.folder, setups_[i].strategy, setups_[i].flags, server_command(i)});
    }
    if (reported.empty()) {
      err_ << "stampede lab: nothing was measured; no report written\n";
      return false;
    }
    try {
      const std::string console =
          write_lab_report(dir_, lab_comparison_of(reported, config_.strategy_variants), reported);
      if (!config_.quiet) out_ << "\n" << console;
    } catch (const std::exception& e) {
      err_ << "stampede lab: cannot write the report: " << e.what() << "\n";
      return false;
    }
    out_ << "\nlab folder: " << dir_.string() << "\n";
    for (const auto& v : reported) out_ << "  run:    " << v.folder.string() << "\n";
    out_ << "  report: " << (dir_ / "report.html").string() << " (also report.md, report.json)\n";
    return true;
  }

  void write_lab_json(const std::string& status) {
    std::vector<std::vector<std::string>> commands;
    for (std::size_t i = 0; i < setups_.size(); ++i) commands.push_back(server_command(i));
    const std::optional<std::int64_t> ended = status == "running" ? std::nullopt : std::optional(unix_ms_now());
    reporters::write_text_file(dir_ / "lab.json",
                               lab_json(config_, dir_, server_bin_, LabRecord{status, started_ms_, ended, outcomes_, setups_,
                                                                              commands})
                                       .dump(2) +
                                   "\n");
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
  std::vector<VariantServerSetup> setups_;  // one per variant, in order
  std::vector<VariantOutcome> outcomes_;    // one per variant, in order
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
