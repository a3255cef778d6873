// messages: Locust 2.x's master/worker messages (the worker's side), as msgpack frames.
//
// Every frame is the msgpack array (type, data, node_id) Locust's rpc/protocol.py packs;
// node_id is the worker's client id both ways. Checked against Debian's python3-locust
// 2.12.1 (/work/shared/LOCUST-PROTOCOL.md; tests/ talk to its real master).
//
//   worker -> master   client_ready (data: the Locust version we speak), heartbeat
//                      {state, current_cpu_usage, current_memory_usage}, spawning,
//                      spawning_complete {user_classes_count, user_count}, stats (a
//                      StatsReport), client_stopped, quit, exception {msg, traceback}
//   master -> worker   ack {index}, spawn {timestamp, user_classes_count, host,
//                      stop_timeout, parsed_options}, stop, quit, heartbeat, reconnect
//
// Errors: decode_master_message throws ProtocolError for a frame that is not msgpack or
// not (type, data, node_id), or a known message whose data lacks what it must carry. A
// message of a type we do not know decodes as kOther (the caller logs it, as Locust does).
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "locust/stats_entry.h"

namespace stampede::locust {

// The Locust version the protocol was checked against (Debian's python3-locust).
inline constexpr const char* kLocustVersion = "2.12.1";

class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Worker states as Locust names them in heartbeats.
inline constexpr const char* kStateReady = "ready";
inline constexpr const char* kStateSpawning = "spawning";
inline constexpr const char* kStateRunning = "running";
inline constexpr const char* kStateStopped = "stopped";

// A stats message's data: the deltas since the last report (entries with activity only).
struct StatsReport {
  std::vector<StatsEntry> stats;
  StatsEntry total;  // name "Aggregated", method ""
  std::map<std::string, StatsErrorEntry> errors;  // error_key() -> row
  std::map<std::string, int> user_classes_count;
  int user_count = 0;
};

// --- worker -> master (each returns the frame's bytes) -----------------------------
// client_ready's data is the worker's Locust version; the master warns when it differs
// from its own (Debian's 2.12.1 master has an empty version, so any text differs) and
// never for -1, what a non-Python worker sends (Boomer does too). Empty `version`: -1.
std::string encode_client_ready(const std::string& node_id, const std::string& version = "");
std::string encode_heartbeat(const std::string& node_id, const std::string& state, double cpu_percent,
                             std::uint64_t memory_bytes);
std::string encode_spawning(const std::string& node_id);
std::string encode_spawning_complete(const std::string& node_id, const std::map<std::string, int>& user_classes_count);
std::string encode_stats(const std::string& node_id, const StatsReport& report);
std::string encode_client_stopped(const std::string& node_id);
std::string encode_quit(const std::string& node_id);
std::string encode_exception(const std::string& node_id, const std::string& msg, const std::string& traceback);

// --- master -> worker --------------------------------------------------------------
struct SpawnMessage {
  double timestamp = 0;  // the master's clock; a spawn not newer than the last is ignored
  std::map<std::string, int> user_classes_count;  // class -> users this worker runs now
  std::string host;                               // the master's --host ("" when not set)
  std::optional<double> stop_timeout;             // seconds; none when the master has none
};

struct MasterMessage {
  enum class Type { kAck, kSpawn, kStop, kQuit, kHeartbeat, kReconnect, kOther };
  Type type = Type::kOther;
  std::string type_name;  // as sent, e.g. "spawn"
  std::string node_id;
  int ack_index = -1;     // kAck: this worker's index at the master (-1 when not sent)
  SpawnMessage spawn;     // kSpawn
};

MasterMessage decode_master_message(const void* data, std::size_t size);

}  // namespace stampede::locust
