#include "generator/commands/worker_load.h"

#include <unistd.h>

#include <chrono>
#include <ostream>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace stampede::commands {
namespace fs = std::filesystem;

EngineWorkerLoad::EngineWorkerLoad(engine::RunConfig config, scenarios::Scenario scenario, HostCheck host_check,
                                   const std::atomic<int>& interrupts, std::ostream& out, std::ostream& err)
    : config_(std::move(config)),
      scenario_(std::move(scenario)),
      host_check_(host_check),
      interrupts_(interrupts),
      out_(out),
      err_(err) {}

EngineWorkerLoad::~EngineWorkerLoad() { settle("the worker ended"); }

fs::path EngineWorkerLoad::next_folder() const {
  const fs::path base = config_.out_dir.value_or("stampede-worker");
  if (runs_.empty()) return base;
  fs::path folder;
  for (std::size_t n = runs_.size() + 1;; ++n) {
    folder = base.string() + "-" + std::to_string(n);
    if (!fs::exists(folder)) return folder;
  }
}

void EngineWorkerLoad::start(const std::string& master_host) {
  engine::RunConfig c = config_;
  if (c.host.empty()) {
    std::string host = master_host;
    while (!host.empty() && host.back() == '/') host.pop_back();
    if (host.empty())
      throw std::runtime_error("no target host: give the worker --host, or the master --host (Locust sends it with "
                               "every spawn)");
    if (auto problem = host_check_(host)) throw std::runtime_error("the master's --host '" + host + "': " + *problem);
    c.host = host;
  }
  final_ = next_folder();
  std::error_code ec;
  if (fs::exists(final_) && !fs::is_empty(final_, ec))
    throw std::runtime_error("--out: " + final_.string() + " exists and is not empty");
  if (final_.has_parent_path()) fs::create_directories(final_.parent_path());
  partial_ = final_.parent_path() / ("." + final_.filename().string() + ".partial-" + std::to_string(::getpid()));
  fs::remove_all(partial_, ec);
  c.out_dir = partial_;
  if (c.label.empty()) c.label = final_.filename().string();
  control_ = std::make_unique<engine::UserControl>();
  thread_error_.reset();
  thread_done_ = false;
  thread_ = std::thread([this, c = std::move(c)] {
    try {
      outcome_ = engine::run_steered(c, scenario_, *control_, interrupts_, out_, err_);
    } catch (const std::exception& e) {
      thread_error_ = e.what();
    }
    thread_done_ = true;
  });
}

std::vector<std::string> EngineWorkerLoad::set_users(const std::map<std::string, int>& counts,
                                                     const std::string& host) {
  const auto& classes = scenario_.user_classes();
  std::vector<int> per_class(classes.size(), 0);
  std::vector<std::string> unknown;
  for (const auto& [name, n] : counts) {
    std::size_t i = 0;
    while (i < classes.size() && classes[i].name != name) ++i;
    if (i == classes.size()) unknown.push_back(name);
    else per_class[i] = n;
  }
  if (control_ && control_->finish_reason()) settle("");  // the last test's run, stopped
  if (!thread_.joinable()) start(host);
  control_->set_users(std::move(per_class), 0);  // at once: the master paces the ramp
  return unknown;
}

std::vector<results::HistoryPoint> EngineWorkerLoad::take_intervals() {
  return control_ ? control_->take_history() : std::vector<results::HistoryPoint>{};
}

std::vector<results::FailureStats> EngineWorkerLoad::take_failures() {
  return control_ ? control_->take_failures() : std::vector<results::FailureStats>{};
}

void EngineWorkerLoad::stop(const std::string& why) {
  if (!thread_.joinable()) return;
  control_->finish(why);
  // Bounded by the run's stop timeout and end grace (the run publishes its last point then).
  while (!control_->all_published() && !thread_done_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

void EngineWorkerLoad::settle(const std::string& why) {
  if (!thread_.joinable()) return;
  control_->finish(why);
  thread_.join();  // the result folder is written
  if (thread_error_) {
    run_error_ = *thread_error_;
    return;
  }
  std::error_code ec;
  if (fs::exists(final_) && fs::is_empty(final_, ec)) fs::remove(final_, ec);
  fs::rename(partial_, final_, ec);
  if (ec) {
    run_error_ = "cannot move the result folder " + partial_.string() + " to " + final_.string() + ": " + ec.message();
    return;
  }
  outcome_.folder = final_;
  runs_.push_back(outcome_);
  out_ << "stampede worker: result folder " << final_.string() << " (" << outcome_.requests << " requests, "
       << outcome_.failures << " failed)\n";
}

}  // namespace stampede::commands
