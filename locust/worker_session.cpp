#include "locust/worker_session.h"

#include <ostream>

#include "locust/messages.h"
#include "locust/process_usage.h"
#include "locust/report_builder.h"

namespace stampede::locust {
namespace {

using Clock = std::chrono::steady_clock;

double unix_now_s() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class Session {
 public:
  Session(MasterLink& link, WorkerLoad& load, const SessionOptions& options, std::ostream& log)
      : link_(link), load_(load), options_(options), log_(log), builder_(unix_now_s()) {}

  SessionEnd run(const std::atomic<int>& interrupts) {
    if (!connect(interrupts)) return interrupts.load() > 0 ? SessionEnd::kInterrupted : SessionEnd::kNoMaster;
    auto next_beat = Clock::now();
    auto next_report = Clock::now() + options_.report_interval;
    while (true) {
      if (interrupts.load() > 0) {
        finish("interrupted");
        return SessionEnd::kInterrupted;
      }
      const auto now = Clock::now();
      const auto timeout_s = std::chrono::duration_cast<std::chrono::seconds>(options_.master_timeout).count();
      if (master_beats_ && now - last_heard_ > options_.master_timeout) {
        log_ << "stampede worker: no message from the master at " << link_.endpoint() << " for " << timeout_s
             << " s: stopping\n";
        stop_load("the Locust master was silent");
        return SessionEnd::kMasterLost;
      }
      if (const auto down = link_.down_since(); down && now - *down > options_.master_timeout) {
        log_ << "stampede worker: the connection to the master at " << link_.endpoint() << " has been down for "
             << timeout_s << " s: stopping\n";
        stop_load("the Locust master was lost");
        return SessionEnd::kMasterLost;
      }
      if (link_.take_reconnected()) {
        // A master restarted on the same port knows no workers and ignores our heartbeats
        // until we say client_ready again; the test our users belonged to is gone with it.
        log_ << "stampede worker: connected to " << link_.endpoint()
             << " again (a restarted master?): stopping the users and registering again\n";
        stop_load("the Locust master went away");
        link_.send(encode_client_ready(link_.client_id()));
      }
      if (now >= next_beat) {
        next_beat += options_.heartbeat_interval;
        link_.send(encode_heartbeat(link_.client_id(), state_, usage_.cpu_percent(), ProcessUsage::resident_bytes()));
      }
      if (now >= next_report) {
        next_report += options_.report_interval;
        report();
      }
      const auto message = receive(std::chrono::milliseconds(50));
      if (!message) continue;
      if (message->type == MasterMessage::Type::kQuit) {
        finish("quit by the Locust master");
        return SessionEnd::kQuit;
      }
      handle(*message);
    }
  }

 private:
  std::optional<MasterMessage> receive(std::chrono::milliseconds timeout) {
    try {
      auto m = link_.receive(timeout);
      if (m) last_heard_ = Clock::now();
      return m;
    } catch (const ProtocolError& e) {
      log_ << "stampede worker: ignored a message: " << e.what() << "\n";
      return std::nullopt;
    }
  }

  // client_ready until acked (other messages before the ack are ignored, as Locust does).
  bool connect(const std::atomic<int>& interrupts) {
    for (int attempt = 1; attempt <= options_.ready_retries; ++attempt) {
      link_.send(encode_client_ready(link_.client_id()));
      const auto until = Clock::now() + options_.ready_retry_interval;
      while (Clock::now() < until) {
        if (interrupts.load() > 0) return false;
        const auto m = receive(std::chrono::milliseconds(100));
        if (m && m->type == MasterMessage::Type::kAck) {
          log_ << "stampede worker: connected to the Locust master at " << link_.endpoint() << " (worker index "
               << m->ack_index << ")\n";
          last_heard_ = Clock::now();
          return true;
        }
      }
      if (attempt % 3 == 0)
        log_ << "stampede worker: no answer from a Locust master at " << link_.endpoint() << ", retry " << attempt
             << "/" << options_.ready_retries << "\n";
    }
    log_ << "stampede worker: no Locust master answered at " << link_.endpoint() << " after "
         << options_.ready_retries << " tries\n";
    return false;
  }

  void handle(const MasterMessage& m) {
    switch (m.type) {
      case MasterMessage::Type::kSpawn: spawn(m.spawn); break;
      case MasterMessage::Type::kStop:
        stop_load("stopped by the Locust master");
        link_.send(encode_client_stopped(link_.client_id()));
        link_.send(encode_client_ready(link_.client_id()));
        break;
      case MasterMessage::Type::kReconnect:
        log_ << "stampede worker: the master asked to reconnect\n";
        link_.reconnect();
        link_.send(encode_client_ready(link_.client_id()));
        break;
      case MasterMessage::Type::kOther:
        log_ << "stampede worker: ignored a message of type '" << m.type_name << "'\n";
        break;
      case MasterMessage::Type::kHeartbeat: master_beats_ = true; break;
      default: break;  // ack: last_heard_ is all it means
    }
  }

  void spawn(const SpawnMessage& spawn) {
    link_.send(encode_spawning(link_.client_id()));
    if (spawn.timestamp <= last_spawn_timestamp_) return;  // an older spawn, re-sent
    last_spawn_timestamp_ = spawn.timestamp;
    state_ = kStateSpawning;
    const std::vector<std::string> unknown = load_.set_users(spawn.user_classes_count, spawn.host);
    counts_ = spawn.user_classes_count;
    for (const std::string& cls : unknown) {
      const std::string text = "the scenario has no user class '" + cls + "': its users are not run";
      log_ << "stampede worker: " << text << "\n";
      link_.send(encode_exception(link_.client_id(), text, ""));
      counts_.erase(cls);
    }
    state_ = kStateRunning;
    link_.send(encode_spawning_complete(link_.client_id(), counts_));
  }

  void report() {
    for (const results::HistoryPoint& p : load_.take_intervals()) builder_.add(p);
    builder_.add_failures(load_.take_failures());
    link_.send(encode_stats(link_.client_id(), builder_.take(counts_, unix_now_s())));
  }

  void stop_load(const std::string& why) {
    if (state_ == kStateReady) return;
    load_.stop(why);
    counts_.clear();
    report();
    state_ = kStateReady;
  }

  void finish(const char* why) {
    log_ << "stampede worker: " << why << ", stopping\n";
    stop_load(why);
    report();  // whatever arrived after the stop, or an empty report
    link_.send(encode_quit(link_.client_id()));
  }

  MasterLink& link_;
  WorkerLoad& load_;
  const SessionOptions& options_;
  std::ostream& log_;
  ReportBuilder builder_;
  ProcessUsage usage_;
  std::string state_ = kStateReady;
  std::map<std::string, int> counts_;
  double last_spawn_timestamp_ = 0;
  Clock::time_point last_heard_ = Clock::now();
  bool master_beats_ = false;  // Locust 2.12's master sends none; later ones every second
};

}  // namespace

SessionEnd run_worker_session(MasterLink& link, WorkerLoad& load, const SessionOptions& options,
                              const std::atomic<int>& interrupts, std::ostream& log) {
  return Session(link, load, options, log).run(interrupts);
}

}  // namespace stampede::locust
