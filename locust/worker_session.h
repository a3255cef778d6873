// worker_session: a stampede worker's life under a Locust master, the protocol side.
//
// The session connects (client_ready until the master acks: every 5 s, 60 times, as
// Locust's worker retries), then loops: a heartbeat every second (state, CPU, memory), the
// load's finished intervals reported as stats every 3 s (report_builder.h), and the
// master's messages handled as Locust's WorkerRunner does:
//   spawn      "spawning", the load set to the new per-class counts, "spawning_complete";
//              a spawn not newer than the last one is ignored; classes the load does not
//              know are reported to the master as an "exception" (the others run)
//   stop       the load stopped, its last intervals reported, "client_stopped", then
//              "client_ready" again (the master may start a new test)
//   quit       the load stopped, the last partial report sent first (the master waits
//              only 0.5 s before writing its CSV), then "quit"; the session ends kQuit
//   reconnect  the connection reopened with the same client id, "client_ready" again
// The master lost: a connection down for `master_timeout` (the master process ended; ZeroMQ
// keeps trying to reconnect meanwhile), or a master that sends heartbeats (Locust after 2.12
// does, every second; 2.12.1's master sends none, so silence is normal there) silent for
// `master_timeout`, ends the session kMasterLost after stopping the load. A connection that
// comes back before that (a master restarted on the same port, which knows no workers) stops
// the load (the test it belonged to is gone) and sends "client_ready" again: the new master
// acks and dispatches users as to any new worker. No ack within the retry budget ends the
// session kNoMaster; an interrupt (SIGINT/SIGTERM counted in `interrupts`) stops the load,
// reports, says "quit", kInterrupted.
//
// The load is a seam (WorkerLoad): the engine in `stampede worker`, a script in tests.
// Thread-safety: run_worker_session runs on the calling thread; WorkerLoad is called only
// from it.
#pragma once

#include <atomic>
#include <chrono>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "locust/master_link.h"
#include "results/run_result.h"

namespace stampede::locust {

class WorkerLoad {
 public:
  virtual ~WorkerLoad() = default;
  // Run these users per class from now on (starting the load on the first call). Returns
  // the classes named that the load does not have (they are not run).
  virtual std::vector<std::string> set_users(const std::map<std::string, int>& counts, const std::string& host) = 0;
  // The history intervals finished since the last call, in time order.
  virtual std::vector<results::HistoryPoint> take_intervals() = 0;
  // Stops every user (gracefully, bounded); the last intervals are then in take_intervals().
  // `why` is the run's stop reason (e.g. "stopped by the Locust master").
  virtual void stop(const std::string& why) = 0;
  // The failure rows (method, name, error, occurrences) since the last call.
  virtual std::vector<results::FailureStats> take_failures() = 0;
};

struct SessionOptions {
  std::chrono::milliseconds heartbeat_interval{1'000};
  std::chrono::milliseconds report_interval{3'000};
  std::chrono::milliseconds ready_retry_interval{5'000};
  int ready_retries = 60;
  std::chrono::milliseconds master_timeout{60'000};
};

enum class SessionEnd { kQuit, kInterrupted, kMasterLost, kNoMaster };

SessionEnd run_worker_session(MasterLink& link, WorkerLoad& load, const SessionOptions& options,
                              const std::atomic<int>& interrupts, std::ostream& log);

}  // namespace stampede::locust
