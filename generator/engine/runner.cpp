#include "generator/engine/runner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <memory>
#include <optional>
#include <ostream>
#include <thread>
#include <vector>

#include "generator/engine/open_model_run.h"
#include "generator/engine/run_setup.h"
#include "generator/engine/run_warnings.h"
#include "generator/engine/spawn_plan.h"
#include "generator/engine/stats_aggregator.h"
#include "generator/engine/user_spawner.h"
#include "generator/engine/worker_pool.h"
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

std::filesystem::path choose_out_dir(const RunConfig& config, const results::RunInfo& info) {
  return config.out_dir ? *config.out_dir : default_out_dir(info.label, info.started_unix_ms);
}

// The live run: owns the workers and the control loop's state.
class Run {
 public:
  Run(const RunConfig& config, const scenarios::Scenario& scenario, UserControl* control,
      const std::atomic<int>& interrupts, std::ostream& out, std::ostream& err)
      : config_(config),
        scenario_(scenario),
        control_(control),
        interrupts_(interrupts),
        out_(out),
        err_(err),
        aggregator_(scenario.endpoints()),
        spawner_(scenario.user_classes(), config.seed) {
    defaults_.base_url = config.host;
    defaults_.connect_timeout = config.connect_timeout;
    defaults_.request_timeout = config.request_timeout;
  }

  RunOutcome execute() {
    result_.info = make_run_info(config_, scenario_);
    result_.info.started_unix_ms = unix_ms_now();
    result_.scenario = scenario_.source();
    // Before any user starts (a user beyond the open-files limit would fail to connect).
    choose_connections(config_, target_users(config_, scenario_), defaults_, result_.info, out_, err_);
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
    if (control_) control_->mark_published();
    const int left_behind = ended.left_behind;
    workers_.reset();
    if (left_behind > 0) {
      err_ << left_behind_warning(left_behind, kEndGrace);
      result_.info.extra["worker_threads_left_behind"] = left_behind;
    }
    if (engine_limit_errors_ > 0) err_ << body_memory_warning(engine_limit_errors_, config_.max_body_memory_bytes);

    if (config_.open_model()) {
      result_.info.open_model = open_model_info(config_, scenario_.user_classes(), aggregator_.open_totals());
      report_open_model(config_, aggregator_.open_totals(), err_);
    }
    result_.info.stop_reason = reason;
    result_.info.status = interrupts_.load() > 0 ? "interrupted" : "complete";
    result_.info.ended_unix_ms = unix_ms_now();
    result_.info.duration_s = elapsed_s(SteadyClock::now());
    result_.info.connections_opened = aggregator_.connections_opened();
    result_.info.peak_users = peak_users_;
    if (control_ && !config_.open_model()) result_.info.users = peak_users_;  // what the controller asked for
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
    if (config_.open_model()) return describe_open_load(config_);
    if (control_) return "users set while running";
    if (scenario_.load_shape()) return "load shape from the scenario";
    std::string s = std::to_string(config_.users) + " users at " +
                    std::to_string(static_cast<long long>(std::lround(config_.spawn_rate))) +
                    "/s";
    s += config_.run_time ? ", for " + units::format_duration(*config_.run_time) : ", until Ctrl-C";
    return s;
  }

  // The control loop. Returns why it stopped.
  std::string drive() {
    int target = control_ ? 0 : config_.users;  // a steered run starts with no users
    double rate = config_.spawn_rate;
    int ramp_from = 0;
    double ramp_start_s = 0;
    bool announced = config_.open_model();  // no users to announce: they come with arrivals
    UserControl::Targets steered;           // with a UserControl: its latest targets
    auto next_snapshot = start_ + std::chrono::seconds(1);
    auto next_print = start_ + config_.print_interval;

    if (config_.open_model()) start_arrivals();
    for (;;) {
      auto now = SteadyClock::now();
      double t = elapsed_s(now);
      if (interrupts_.load() > 0) return "interrupted";
      if (abort_reason_) return "aborted: " + *abort_reason_;
      if (config_.run_time && now - start_ >= *config_.run_time) return "run time reached";
      if (control_)
        if (auto reason = control_->finish_reason()) return *reason;
      if (control_ && !config_.open_model()) {
        UserControl::Targets latest = control_->targets();
        if (latest.generation != steered.generation) {
          steered = std::move(latest);
          target = 0;
          for (int n : steered.per_class) target += std::max(0, n);
          rate = steered.spawn_rate;
          ramp_from = spawner_.spawned();
          ramp_start_s = t;
          announced = false;
        }
      } else if (config_.open_model()) {
        // Users come and go with the arrivals, on the workers.
        target = 0;
        if (config_.arrival_shape && t >= config_.arrival_shape->end_s()) return "load shape finished";
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

      const int due = users_due(t - ramp_start_s, rate, ramp_from, target);
      if (control_ && !config_.open_model()) {
        spawner_.toward_classes(*workers_, due, steered.per_class);
        control_->set_spawned(spawner_.counts());
      } else {
        spawner_.toward_total(*workers_, due, target);
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

  // The open model: each worker its share of the schedule and of --max-users.
  void start_arrivals() {
    const std::vector<ArrivalPlan> plans = arrival_plans(config_, workers_->size(), start_);
    for (std::size_t w = 0; w < plans.size(); ++w) (*workers_)[w].start_arrivals(plans[w]);
  }

  int spawned_total() const { return spawner_.spawned(); }

  int running_users() const { return workers_ ? workers_->running_users() : 0; }

  void announce_spawned() {
    if (config_.quiet) return;
    out_ << "All " << spawned_total() << " users spawned:";
    const auto& classes = scenario_.user_classes();
    for (std::size_t i = 0; i < classes.size(); ++i)
      out_ << (i ? ", " : " ") << classes[i].name << ": " << spawner_.counts()[i];
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
    // The failures' texts go with the point to a controller (the history has none).
    std::vector<results::FailureStats> failures;
    if (control_) failures = failure_rows(intervals, scenario_.endpoints());
    auto now = SteadyClock::now();
    double interval_s = duration<double>(now - last_snapshot_).count();
    last_snapshot_ = now;
    if (interval_s <= 0) return;
    warn_if_unreachable(intervals);
    results::HistoryPoint point = aggregator_.add(std::move(intervals), elapsed_s(now),
                                                  interval_s, unix_ms_now(), running_users());
    peak_users_ = std::max(peak_users_, point.users);
    writer_->append_history(point);
    if (control_) control_->publish(point, std::move(failures));
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
    if (warned_unreachable_ || aggregator_.total_requests() > aggregator_.total_failures()) return;
    if (auto warning = unreachable_warning(intervals, config_.host)) {
      warned_unreachable_ = true;
      err_ << *warning;
    }
  }

  // The run so far, as the reporters and the abort check see it.
  results::RunResult live_view() const {
    results::RunResult view;
    view.info = result_.info;
    view.info.duration_s = elapsed_s(SteadyClock::now());
    // The open model's counts so far (run.json has them only at the start and the end).
    if (config_.open_model())
      view.info.open_model = open_model_info(config_, scenario_.user_classes(), aggregator_.open_totals());
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
  UserControl* control_;  // null: the run follows its config (and the scenario's load shape)
  const std::atomic<int>& interrupts_;
  std::ostream& out_;
  std::ostream& err_;
  http::RequestDefaults defaults_;
  StatsAggregator aggregator_;
  UserSpawner spawner_;
  std::optional<WorkerPool> workers_;  // from the first user to the end
  std::uint64_t engine_limit_errors_ = 0;  // responses refused by --max-body-memory
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
  Run run(config, scenario, nullptr, interrupts, out, err);
  return run.execute();
}

RunOutcome run_steered(const RunConfig& config, const scenarios::Scenario& scenario, UserControl& control,
                       const std::atomic<int>& interrupts, std::ostream& out, std::ostream& err) {
  Run run(config, scenario, &control, interrupts, out, err);
  return run.execute();
}

}  // namespace stampede::engine
