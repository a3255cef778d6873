// EngineWorkerLoad: the engine behind a stampede worker's Locust session (locust::WorkerLoad).
// The first spawn starts a steered run (engine::run_steered) on a thread of its own; every
// spawn sets its per-class counts (at once: the master paces the ramp by its spawn messages,
// as Locust's Python workers are paced); the run's history points and failure rows go to
// the session as it asks; stop() ends the run gracefully and returns once its last history
// point is there (the session reports it at once: a quitting master waits only 0.5 s), and
// settle() waits for the result folder and puts it in place. A spawn after a stop (the
// master's next test) settles the last run and starts a new one with a folder of its own.
//
// Result folders are written atomically: each run writes into a hidden sibling of its
// folder (".NAME.partial-PID") and the finished folder is renamed into place, so `stampede
// merge` and every reader see a whole run or nothing, also after Ctrl-C. The first run's
// folder is `config.out_dir`; a later run's gets "-2", "-3", ….
//
// Errors: set_users throws std::runtime_error when no target host is known (neither the
// worker's --host nor the master's) or the run cannot be set up (its message says why).
// Thread-safety: called from the session's thread only; the run has its own.
#pragma once

#include <atomic>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "generator/engine/run_config.h"
#include "generator/engine/runner.h"
#include "locust/worker_session.h"
#include "scenarios/scenario.h"

namespace stampede::commands {

class EngineWorkerLoad final : public locust::WorkerLoad {
 public:
  // `config` is the worker's run configuration (out_dir set; host empty when the master's
  // --host is to be used); `host_check` says what is wrong with a host, or nothing.
  using HostCheck = std::optional<std::string> (*)(const std::string& host);
  EngineWorkerLoad(engine::RunConfig config, scenarios::Scenario scenario, HostCheck host_check,
                   const std::atomic<int>& interrupts, std::ostream& out, std::ostream& err);
  ~EngineWorkerLoad() override;  // settle()s

  std::vector<std::string> set_users(const std::map<std::string, int>& counts, const std::string& host) override;
  std::vector<results::HistoryPoint> take_intervals() override;
  void stop(const std::string& why) override;
  std::vector<results::FailureStats> take_failures() override;
  // Stops a run still going (stop(why)), waits for its result folder and moves it into place.
  void settle(const std::string& why);

  // The runs this worker made (folders in place), in order.
  const std::vector<engine::RunOutcome>& runs() const { return runs_; }
  // A run that failed to set up or to write its folder: why (the worker's exit 2).
  const std::optional<std::string>& run_error() const { return run_error_; }

 private:
  void start(const std::string& master_host);
  std::filesystem::path next_folder() const;

  engine::RunConfig config_;
  const scenarios::Scenario scenario_;
  HostCheck host_check_;
  const std::atomic<int>& interrupts_;
  std::ostream& out_;
  std::ostream& err_;

  std::unique_ptr<engine::UserControl> control_;  // the current run's (kept after it ends)
  std::thread thread_;
  std::filesystem::path partial_, final_;
  engine::RunOutcome outcome_;
  std::optional<std::string> thread_error_;  // read after join
  std::atomic<bool> thread_done_ = false;
  std::vector<engine::RunOutcome> runs_;
  std::optional<std::string> run_error_;
};

}  // namespace stampede::commands
