#include "generator/engine/runner.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <thread>
#include <vector>

#include "generator/http/native_connection.h"
#include "generator/engine/open_files.h"
#include "generator/engine/spawn_plan.h"
#include "generator/engine/stats_aggregator.h"
#include "generator/engine/worker_pool.h"
#include "units/bytes.h"
#include "units/duration.h"
#include "reporters/console_table.h"
#include "reporters/locust_csv.h"
#include "results/result_folder.h"

#ifndef STAMPEDE_VERSION
#define STAMPEDE_VERSION "0.0.0"
#endif

namespace stampede::engine {
namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::duration;
using std::chrono::nanoseconds;

// The run-end bound: once the stop timeout has passed (or at a second interrupt), the end
// of a run — its last statistics, every worker thread ending and closing its connections —
// takes at most kEndGrace, whatever the target does; then the result folder is written.
// A worker that has not ended by then is left behind (WorkerPool::end) and named in a
// warning. So a run ends within its run time + stop timeout + kEndGrace + the time to write
// its result folder.
constexpr auto kEndGrace = std::chrono::seconds(2);
// How long a snapshot waits for the workers' intervals; one that comes later is merged into
// a later snapshot, so a busy worker delays the live figures, never the run's clock.
constexpr auto kSnapshotWait = std::chrono::seconds(1);

std::uint64_t mix_seed(std::uint64_t x) {  // SplitMix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The users the run asks for: -u, or a load_shape's highest stage (which overrides -u).
int target_users(const RunConfig& config, const scenarios::Scenario& scenario) {
  if (config.open_model()) return config.max_users;
  if (!scenario.load_shape()) return config.users;
  int peak = 0;
  for (const auto& stage : scenario.load_shape()->stages) peak = std::max(peak, stage.users);
  return peak;
}

results::RunInfo make_info(const RunConfig& config, const scenarios::Scenario& scenario) {
  results::RunInfo info;
  info.label = config.label.empty() ? scenario.name() : config.label;
  info.tool_version = STAMPEDE_VERSION;
  info.scenario_name = scenario.name();
  info.scenario_file = config.scenario_file.string();
  info.target_host = config.host;
  info.users = target_users(config, scenario);
  info.spawn_rate = config.spawn_rate;
  info.run_time_s = config.run_time ? duration<double>(*config.run_time).count() : 0;
  info.threads = config.threads;
  info.seed = config.seed;
  for (const auto& c : scenario.user_classes()) info.user_classes.push_back(c.name);
  info.tags = config.tags;
  info.command_line = config.command_line;
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0) info.hostname = host;
  utsname u{};
  if (uname(&u) == 0) info.os = std::string(u.sysname) + " " + u.release + " " + u.machine;
  info.cpu_count = static_cast<int>(std::thread::hardware_concurrency());
  // With hostname, lets a viewer tell a run still going from one whose engine died.
  info.pid = static_cast<std::int64_t>(::getpid());
  info.load_shape = scenario.load_shape().has_value();
  info.request_timeout_s = duration<double>(config.request_timeout).count();
  info.connect_timeout_s = duration<double>(config.connect_timeout).count();
  info.stop_timeout_s = duration<double>(config.stop_timeout).count();
  info.max_body_bytes = config.max_body_bytes;
  info.max_body_memory_bytes = config.max_body_memory_bytes;
  info.lab = config.lab;
  return info;
}

std::filesystem::path choose_out_dir(const RunConfig& config, const results::RunInfo& info) {
  return config.out_dir ? *config.out_dir : default_out_dir(info.label, info.started_unix_ms);
}

// The live run: owns the workers and the control loop's state.
class Run {
 public:
  Run(const RunConfig& config, const scenarios::Scenario& scenario,
      const std::atomic<int>& interrupts, std::ostream& out, std::ostream& err)
      : config_(config),
        scenario_(scenario),
        interrupts_(interrupts),
        out_(out),
        err_(err),
        aggregator_(scenario.endpoints()),
        plan_(scenario.user_classes()) {
    defaults_.base_url = config.host;
    defaults_.connect_timeout = config.connect_timeout;
    defaults_.request_timeout = config.request_timeout;
  }

  RunOutcome execute() {
    result_.info = make_info(config_, scenario_);
    result_.info.started_unix_ms = unix_ms_now();
    result_.scenario = scenario_.source();
    choose_connections();
    // The CSV first: a bad --csv path must fail before a result folder exists, or that
    // folder would stay "running" forever.
    if (config_.csv_prefix) open_csv_history();
    writer_ = std::make_unique<results::ResultWriter>(choose_out_dir(config_, result_.info));
    writer_->write_run_info(result_.info);
    writer_->write_scenario(scenario_.source());

    workers_.emplace(std::make_shared<WorkerShared>(scenario_, defaults_, config_.max_body_bytes,
                                                    config_.max_body_memory_bytes),
                     config_.threads);

    start_ = SteadyClock::now();
    last_snapshot_ = start_;
    if (!config_.quiet)
      out_ << "stampede " << STAMPEDE_VERSION << ": " << scenario_.name() << " -> " << config_.host
           << ", " << describe_load() << ", " << config_.threads << " thread"
           << (config_.threads == 1 ? "" : "s") << "\nresults: " << writer_->dir().string()
           << "\n";

    std::string reason = drive();
    int second_interrupt_at = interrupts_.load();
    stop_users(second_interrupt_at);
    // The end, bounded by kEndGrace: the last, partial interval (with the requests just
    // abandoned), then every worker thread ends, closing every connection before the result
    // files are written (a run that hit the open-files limit still has descriptors for them).
    WorkerPool::Ended ended = workers_->end(SteadyClock::now() + kEndGrace);
    add_snapshot(std::move(ended.intervals));
    const int left_behind = ended.left_behind;
    workers_.reset();
    if (left_behind > 0) {
      err_ << "warning: " << left_behind << " worker thread" << (left_behind == 1 ? " was" : "s were")
           << " still busy " << units::format_duration(kEndGrace) << " after the stop; the run ended "
           << "without " << (left_behind == 1 ? "it" : "them") << " (statistics not yet handed over are missing)\n";
      result_.info.extra["worker_threads_left_behind"] = left_behind;
    }
    if (engine_limit_errors_ > 0)
      err_ << "warning: " << engine_limit_errors_ << " response" << (engine_limit_errors_ == 1 ? "" : "s")
           << " failed because the response bodies kept for checks and captures reached --max-body-memory ("
           << units::format_bytes(config_.max_body_memory_bytes)
           << "); raise it, or let fewer users keep large bodies at once\n";

    finish_open_model();
    result_.info.stop_reason = reason;
    result_.info.status = interrupts_.load() > 0 ? "interrupted" : "complete";
    result_.info.ended_unix_ms = unix_ms_now();
    result_.info.duration_s = elapsed_s(SteadyClock::now());
    result_.info.connections_opened = aggregator_.connections_opened();
    result_.info.peak_users = peak_users_;
    aggregator_.fill(result_);
    writer_->finish(result_);
    if (config_.csv_prefix) {
      csv_history_.close();
      reporters::write_locust_final_csv(*config_.csv_prefix, result_);
    }

    if (!config_.quiet) {
      out_ << "\n";
      reporters::print_final_summary(out_, result_);
      out_ << "\nstopped: " << reason << "; results written to " << writer_->dir().string()
           << "\n";
    }
    if (aggregator_.total_requests() == 0 && !config_.quiet)
      err_ << "warning: no request completed during the run\n";
    return {writer_->dir(), aggregator_.total_requests(), aggregator_.total_failures(),
            interrupts_.load() > 0};
  }

 private:
  double elapsed_s(SteadyClock::time_point t) const { return duration<double>(t - start_).count(); }

  std::string describe_load() const {
    if (config_.open_model()) {
      std::ostringstream s;
      s << config_.arrival_rate << " iterations/s ("
        << (config_.arrivals == RunConfig::Arrivals::kPoisson ? "poisson" : "even") << "), at most "
        << config_.max_users << " users busy"
        << (config_.run_time ? ", for " + units::format_duration(*config_.run_time) : ", until Ctrl-C");
      return s.str();
    }
    if (scenario_.load_shape()) return "load shape from the scenario";
    std::string s = std::to_string(config_.users) + " users at " +
                    std::to_string(static_cast<long long>(std::lround(config_.spawn_rate))) +
                    "/s";
    s += config_.run_time ? ", for " + units::format_duration(*config_.run_time) : ", until Ctrl-C";
    return s;
  }

  int peak_users() const { return target_users(config_, scenario_); }

  // Before any user starts: chooses the transport and how users hold connections, and
  // raises the open-files limit for them. A limit too low would turn the users beyond it
  // into connection errors (and could leave no descriptor for the result files).
  void choose_connections() {
    using Mode = RunConfig::Connections;
    using Kind = RunConfig::Transport;
    const std::uint64_t users = static_cast<std::uint64_t>(peak_users());
    bool native = config_.transport == Kind::kNative ||
                  (config_.transport == Kind::kAuto && config_.host.starts_with("http://") &&
                   config_.connections != Mode::kShared);
    // Descriptors per user with a connection of its own: the native socket, or libcurl's
    // connection plus its multi handle's wake-up socket pair.
    const std::uint64_t own_files = native ? 1 : 3;
    const std::uint64_t per_user = open_files_needed(users, config_.threads, own_files);
    const OpenFilesLimit limit = raise_open_files_limit(std::max<std::uint64_t>(per_user, 10'240));
    const bool per_user_fits = limit.soft == 0 || per_user <= limit.soft;
    bool shared = config_.connections == Mode::kShared;
    if (config_.connections == Mode::kAuto && !per_user_fits && config_.transport != Kind::kNative) {
      shared = true;
      native = false;
      if (!config_.quiet)
        out_ << "note: the open-files limit (" << limit.soft << ") is too low for " << users
             << " users with a connection each: they share keep-alive connections (libcurl)\n";
    } else if (config_.connections == Mode::kAuto && !native &&
               users > static_cast<std::uint64_t>(RunConfig::kPerUserAutoLimit)) {
      shared = true;
      if (!config_.quiet)
        out_ << "note: " << users << " users share keep-alive connections: libcurl costs ~3 open "
             << "files and ~45 KiB per user for a connection of its own (--connections per-user "
             << "asks for it anyway)\n";
    }
    defaults_.transport = native ? http::TransportKind::kNative : http::TransportKind::kCurl;
    defaults_.shared_connections = shared;
    result_.info.transport = native ? results::Transport::kNative : results::Transport::kCurl;
    result_.info.connections = shared ? results::Connections::kShared : results::Connections::kPerUser;
    if (native) {
      // Bounded like a connect: a resolver that does not answer cannot hold the run.
      defaults_.native = http::resolve_native_target(config_.host, config_.connect_timeout);
      if (defaults_.native.addresses.empty())
        err_ << "warning: could not resolve the host of " << config_.host
             << (defaults_.native.resolve_timed_out
                     ? " (no answer within the connect timeout, " + units::format_duration(config_.connect_timeout) + ")"
                     : std::string())
             << ": every request will fail\n";
    }
    if (limit.soft == 0) return;
    result_.info.open_files_limit = limit.soft;
    const std::uint64_t needed = open_files_needed(users, config_.threads, shared ? 1 : own_files);
    if (limit.soft < needed)
      err_ << "warning: " << users << (users == 1 ? " user needs" : " users need") << " about " << needed
           << " open files, but the limit is " << limit.soft << " (hard limit " << limit.hard
           << "); users beyond it will fail to connect. Raise it (ulimit -n, or limits.conf) and run again.\n";
  }

  // The control loop. Returns why it stopped.
  std::string drive() {
    int target = config_.users;
    double rate = config_.spawn_rate;
    int ramp_from = 0;
    double ramp_start_s = 0;
    bool announced = config_.open_model();  // no users to announce: they come with arrivals
    auto next_snapshot = start_ + std::chrono::seconds(1);
    auto next_print = start_ + config_.print_interval;

    if (config_.open_model()) start_arrivals();
    for (;;) {
      auto now = SteadyClock::now();
      double t = elapsed_s(now);
      if (interrupts_.load() > 0) return "interrupted";
      if (abort_reason_) return "aborted: " + *abort_reason_;
      if (config_.run_time && now - start_ >= *config_.run_time) return "run time reached";
      if (config_.open_model()) {
        // Users come and go with the arrivals, on the workers.
        target = 0;
      } else if (const auto& shape = scenario_.load_shape()) {
        auto step = shape->at(t);
        if (!step) return "load shape finished";
        if (step->first != target || step->second != rate) {
          target = step->first;
          rate = step->second;
          ramp_from = spawned_total();
          ramp_start_s = t;
          announced = false;
        }
      }

      int due = users_due(t - ramp_start_s, rate, ramp_from, target);
      while (spawned_total() < due) {
        std::size_t cls = plan_.next(target);
        if (cls >= scenario_.user_classes().size()) break;
        std::size_t worker = spawn_order_.size() % workers_->size();
        (*workers_)[worker].spawn(cls, mix_seed(config_.seed ^ mix_seed(spawn_order_.size() + 1)));
        spawn_order_.push_back({worker, cls});
      }
      while (spawned_total() > target) {
        auto [worker, cls] = spawn_order_.back();
        spawn_order_.pop_back();
        (*workers_)[worker].stop_latest(1);
        plan_.removed(cls);
      }
      if (!announced && spawned_total() == target) {
        announce_spawned();
        announced = true;
      }

      if (now >= next_snapshot) {
        auto wait = now + kSnapshotWait;
        if (config_.run_time) wait = std::min(wait, start_ + *config_.run_time);
        take_snapshot(wait);
        next_snapshot += std::chrono::seconds(1);
      }
      if (now >= next_print) {
        print_live();
        next_print += config_.print_interval;
      }

      auto wake = std::min(next_snapshot, next_print);
      if (config_.run_time) wake = std::min(wake, start_ + *config_.run_time);
      if (spawned_total() < target && rate > 0)
        wake = std::min(wake, now + std::chrono::milliseconds(
                                        std::clamp<long>(std::lround(1000.0 / rate), 1, 50)));
      std::this_thread::sleep_until(std::min(wake, now + std::chrono::milliseconds(50)));
    }
  }

  // The open model: each worker its share of the schedule and of --max-users. With fewer
  // users than workers, only the first max_users workers take arrivals.
  void start_arrivals() {
    const int workers = std::max(1, std::min(static_cast<int>(workers_->size()), config_.max_users));
    for (int w = 0; w < workers; ++w) {
      ArrivalPlan plan;
      plan.rate = config_.arrival_rate;
      plan.workers = workers;
      plan.index = w;
      plan.poisson = config_.arrivals == RunConfig::Arrivals::kPoisson;
      plan.seed = config_.seed;
      plan.max_users = config_.max_users / workers + (w < config_.max_users % workers ? 1 : 0);
      plan.start = start_;
      (*workers_)[static_cast<std::size_t>(w)].start_arrivals(plan);
    }
  }

  // run.json's `open_model` (in extra until the result format types it) and the console
  // warning when the generator fell behind its own schedule.
  void finish_open_model() {
    if (!config_.open_model()) return;
    const OpenModelInterval& o = aggregator_.open_totals();
    nlohmann::json j = {{"model", "open"},
                        {"arrival_rate", config_.arrival_rate},
                        {"arrivals", config_.arrivals == RunConfig::Arrivals::kPoisson ? "poisson" : "even"},
                        {"max_users", config_.max_users},
                        {"arrivals_handled", o.arrivals},
                        {"dropped", o.dropped},
                        {"late_arrivals", o.late_arrivals},
                        {"max_schedule_lag_ms", static_cast<double>(o.lag_max_us) / 1000.0},
                        {"total_schedule_lag_ms", static_cast<double>(o.lag_total_us) / 1000.0}};
    nlohmann::json by_class = nlohmann::json::object();
    const auto& classes = scenario_.user_classes();
    for (std::size_t c = 0; c < o.dropped_by_class.size() && c < classes.size(); ++c)
      if (o.dropped_by_class[c] > 0) by_class[classes[c].name] = o.dropped_by_class[c];
    j["dropped_by_class"] = std::move(by_class);
    result_.info.extra["open_model"] = std::move(j);
    if (o.dropped > 0 && !config_.quiet)
      err_ << "note: " << o.dropped << " of " << o.arrivals << " arrivals dropped: no free user under --max-users "
           << config_.max_users << "\n";
    if (o.late_arrivals > 0)
      err_ << "warning: the generator fell behind its own arrival schedule: " << o.late_arrivals
           << " arrival" << (o.late_arrivals == 1 ? " was" : "s were") << " started more than "
           << kLateArrivalUs / 1000 << " ms late (at most " << o.lag_max_us / 1000
           << " ms); its CPU could not keep up with " << config_.arrival_rate
           << "/s, so the rate and latencies are not those of the schedule\n";
  }

  int spawned_total() const { return static_cast<int>(spawn_order_.size()); }

  int running_users() const { return workers_ ? workers_->running_users() : 0; }

  void announce_spawned() {
    if (config_.quiet) return;
    out_ << "All " << spawned_total() << " users spawned:";
    const auto& classes = scenario_.user_classes();
    for (std::size_t i = 0; i < classes.size(); ++i)
      out_ << (i ? ", " : " ") << classes[i].name << ": " << plan_.counts()[i];
    out_ << "\n";
  }

  // Graceful stop: users finish in-flight requests within the stop timeout (statistics
  // keep flowing into the history meanwhile); a second interrupt or the timeout abandons.
  void stop_users(int interrupts_at_stop) {
    workers_->stop_all();
    auto deadline = SteadyClock::now() + config_.stop_timeout;
    auto next_snapshot = last_snapshot_ + std::chrono::seconds(1);
    while (running_users() > 0) {
      auto now = SteadyClock::now();
      if (now >= deadline || interrupts_.load() > interrupts_at_stop) {
        if (!config_.quiet)
          err_ << "stop: abandoning " << running_users() << " users' in-flight requests\n";
        workers_->abandon_all();
        break;
      }
      if (now >= next_snapshot) {
        take_snapshot(std::min(now + kSnapshotWait, deadline));
        next_snapshot = last_snapshot_ + std::chrono::seconds(1);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  // Merges what the workers recorded, waiting for their intervals until `deadline` at most
  // (one that comes later is merged into a later snapshot).
  void take_snapshot(SteadyClock::time_point deadline) { add_snapshot(workers_->collect(deadline)); }

  void add_snapshot(std::vector<Interval> intervals) {
    for (const Interval& in : intervals)
      engine_limit_errors_ += in.errors_by_kind[static_cast<std::size_t>(http::ErrorKind::kEngineLimit)];
    auto now = SteadyClock::now();
    double interval_s = duration<double>(now - last_snapshot_).count();
    last_snapshot_ = now;
    if (interval_s <= 0) return;
    warn_if_unreachable(intervals);
    results::HistoryPoint point = aggregator_.add(std::move(intervals), elapsed_s(now),
                                                  interval_s, unix_ms_now(), running_users());
    peak_users_ = std::max(peak_users_, point.users);
    writer_->append_history(point);
    if (csv_rows_) {
      csv_history_ << csv_rows_->add(point);
      csv_history_.flush();
    }
    // Memory stays flat however long the run: the full history is on disk; the live table
    // and the summary only look at the last few seconds.
    result_.history.push_back(std::move(point));
    const std::size_t kept = std::max<std::size_t>(config_.history_kept, 12);
    if (result_.history.size() > kept)
      result_.history.erase(result_.history.begin(),
                            result_.history.end() - static_cast<std::ptrdiff_t>(kept));
    // Like Locust, the cumulative CSV files are rewritten (atomically) every second: a run
    // killed outright still leaves them as of its last second.
    if (config_.csv_prefix) reporters::write_locust_final_csv(*config_.csv_prefix, live_view());
    if (config_.abort_check && !abort_reason_) abort_reason_ = config_.abort_check(live_view());
  }

  // Locust writes _stats_history.csv as the run goes; so do we (whole rows, flushed).
  void open_csv_history() {
    std::string path = *config_.csv_prefix + "_stats_history.csv";
    csv_history_.open(path, std::ios::binary | std::ios::trunc);
    if (!csv_history_) throw std::runtime_error("--csv: cannot write " + path);
    csv_history_ << reporters::locust_stats_history_header()
                 << reporters::locust_stats_history_start_row(result_.info.started_unix_ms);
    csv_history_.flush();
    csv_rows_ = std::make_unique<reporters::LocustHistoryCsv>(config_.csv_full_history);
  }

  void warn_if_unreachable(const std::vector<Interval>& intervals) {
    if (warned_unreachable_ || aggregator_.total_requests() > aggregator_.total_failures())
      return;
    std::uint64_t requests = 0, connect_errors = 0;
    std::map<std::string_view, std::uint64_t> texts;
    for (const Interval& in : intervals) {
      for (const auto& e : in.endpoints) requests += e.requests;
      connect_errors += in.errors_by_kind[static_cast<std::size_t>(http::ErrorKind::kConnect)];
      for (const auto& [key, count] : in.failures) texts[key.second] += count;
    }
    if (requests == 0 || connect_errors < requests) return;
    // Every failure was a connect error, so the most frequent text names it.
    auto most = std::max_element(texts.begin(), texts.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    warned_unreachable_ = true;
    err_ << "warning: cannot reach " << config_.host << " ("
         << (most == texts.end() ? std::string_view("could not connect") : most->first)
         << "); every request so far failed to connect — is the server running?\n";
  }

  // The run so far, as the reporters and the abort check see it.
  results::RunResult live_view() const {
    results::RunResult view;
    view.info = result_.info;
    view.info.duration_s = elapsed_s(SteadyClock::now());
    view.scenario = result_.scenario;
    aggregator_.fill(view);
    view.history = result_.history;
    return view;
  }

  void print_live() {
    if (config_.quiet || config_.only_summary) return;
    reporters::print_live_table(out_, live_view());
    out_.flush();
  }

  const RunConfig& config_;
  const scenarios::Scenario& scenario_;
  const std::atomic<int>& interrupts_;
  std::ostream& out_;
  std::ostream& err_;
  http::RequestDefaults defaults_;
  StatsAggregator aggregator_;
  SpawnPlan plan_;
  std::optional<WorkerPool> workers_;  // from the first user to the end
  std::uint64_t engine_limit_errors_ = 0;  // responses refused by --max-body-memory
  std::vector<std::pair<std::size_t, std::size_t>> spawn_order_;  // (worker, class)
  std::unique_ptr<results::ResultWriter> writer_;
  results::RunResult result_;
  SteadyClock::time_point start_;
  SteadyClock::time_point last_snapshot_;
  bool warned_unreachable_ = false;
  int peak_users_ = 0;  // most running users at any snapshot
  std::optional<std::string> abort_reason_;
  std::ofstream csv_history_;
  std::unique_ptr<reporters::LocustHistoryCsv> csv_rows_;
};

}  // namespace

std::int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::filesystem::path default_out_dir(const std::string& label, std::int64_t unix_ms) {
  std::filesystem::path base = std::filesystem::path("results") / "runs";
  std::string name = results::default_run_folder_name(unix_ms, label);
  std::filesystem::path dir = base / name;
  for (int n = 2; std::filesystem::exists(dir); ++n) dir = base / (name + "-" + std::to_string(n));
  return dir;
}

RunOutcome run_load_test(const RunConfig& config, const scenarios::Scenario& scenario,
                         const std::atomic<int>& interrupts, std::ostream& out, std::ostream& err) {
  Run run(config, scenario, interrupts, out, err);
  return run.execute();
}

}  // namespace stampede::engine
