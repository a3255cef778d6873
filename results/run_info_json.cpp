// run.json <-> RunInfo. Version 2 writes the run's typed information (pid, load_shape, the
// engine's timeouts and connections, peak_users, the lab's server, the open model) as named members; a
// version-1 folder kept them as keys of the free-form `extra` object, and reading one maps
// those keys onto the same typed fields. Field names and units: results/README.md and
// results/schema/result-v2.schema.json.
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

#include "results/json_fields.h"
#include "results/result_folder.h"

namespace stampede::results {
namespace {

using nlohmann::json;

const std::set<std::string> kStatuses = {"running", "complete", "interrupted", "failed"};

double non_negative_number(const JsonFields& f, std::string_view key, std::optional<double> fallback = {}) {
  const double v = f.number(key, fallback);
  if (v < 0) JsonFields::fail(f.path_of(key), "must be non-negative");
  return v;
}

// One typed member of run.json: its key, and how to read it from `f` into the RunInfo.
// Each reader validates before it assigns, and throws naming the member's path.
struct TypedMember {
  std::string_view key;
  void (*read)(const JsonFields& f, RunInfo& info);
};

const TypedMember kTypedMembers[] = {
    {"pid",
     [](const JsonFields& f, RunInfo& info) {
       const std::int64_t pid = f.i64("pid");
       if (pid <= 0) JsonFields::fail(f.path_of("pid"), "must be positive");
       info.pid = pid;
     }},
    {"load_shape", [](const JsonFields& f, RunInfo& info) { info.load_shape = f.boolean("load_shape"); }},
    {"request_timeout_s",
     [](const JsonFields& f, RunInfo& info) { info.request_timeout_s = non_negative_number(f, "request_timeout_s"); }},
    {"connect_timeout_s",
     [](const JsonFields& f, RunInfo& info) { info.connect_timeout_s = non_negative_number(f, "connect_timeout_s"); }},
    {"stop_timeout_s",
     [](const JsonFields& f, RunInfo& info) { info.stop_timeout_s = non_negative_number(f, "stop_timeout_s"); }},
    {"max_body_bytes", [](const JsonFields& f, RunInfo& info) { info.max_body_bytes = f.u64("max_body_bytes"); }},
    {"max_body_memory_bytes",
     [](const JsonFields& f, RunInfo& info) { info.max_body_memory_bytes = f.u64("max_body_memory_bytes"); }},
    {"transport",
     [](const JsonFields& f, RunInfo& info) {
       const std::string text = f.string("transport");
       info.transport = transport_from_string(text);
       if (!info.transport) JsonFields::fail(f.path_of("transport"), "expected native or curl, found \"" + text + "\"");
     }},
    {"connections",
     [](const JsonFields& f, RunInfo& info) {
       const std::string text = f.string("connections");
       info.connections = connections_from_string(text);
       if (!info.connections)
         JsonFields::fail(f.path_of("connections"), "expected per-user or shared, found \"" + text + "\"");
     }},
    {"open_files_limit", [](const JsonFields& f, RunInfo& info) { info.open_files_limit = f.u64("open_files_limit"); }},
    {"peak_users",
     [](const JsonFields& f, RunInfo& info) {
       const int users = f.i32("peak_users");
       if (users < 0) JsonFields::fail(f.path_of("peak_users"), "must be non-negative");
       info.peak_users = users;
     }},
    {"connections_opened",
     [](const JsonFields& f, RunInfo& info) { info.connections_opened = f.u64("connections_opened"); }},
};

int shard_count_at(const JsonFields& f, std::string_view key) {
  const int shards = f.i32(key, 0);
  if (shards < 0) JsonFields::fail(f.path_of(key), "must be non-negative");
  return shards;
}

std::string strategy_at(const JsonFields& f, std::string_view key) {
  std::string strategy = f.string(key);
  if (strategy.empty()) JsonFields::fail(f.path_of(key), "must not be empty");
  return strategy;
}

json to_json(const LabRunInfo& lab) {
  return {
      {"strategy", lab.strategy}, {"store", lab.store},   {"shards", lab.shards},
      {"folder", lab.folder},     {"warmup", lab.warmup},
  };
}

LabRunInfo lab_from_json(const json& j, const std::string& path) {
  const JsonFields f(j, path);
  LabRunInfo lab;
  lab.strategy = strategy_at(f, "strategy");
  lab.store = f.string("store", "");
  lab.shards = shard_count_at(f, "shards");
  lab.folder = f.string("folder", "");
  lab.warmup = f.boolean("warmup", false);
  return lab;
}

json to_json(const OpenModelInfo& o) {
  return {
      {"arrival_rate", o.arrival_rate},
      {"arrivals", to_string(o.arrivals)},
      {"max_users", o.max_users},
      {"shape", o.shape},
      {"iterations_started", o.iterations_started},
      {"dropped", o.dropped},
      {"dropped_by_class", o.dropped_by_class},
      {"late_arrivals", o.late_arrivals},
      {"max_schedule_lag_ms", o.max_schedule_lag_ms},
      {"total_schedule_lag_ms", o.total_schedule_lag_ms},
  };
}

OpenModelInfo open_model_from_json(const json& j, const std::string& path) {
  const JsonFields f(j, path);
  OpenModelInfo o;
  o.arrival_rate = f.number("arrival_rate");
  if (!(o.arrival_rate > 0)) JsonFields::fail(f.path_of("arrival_rate"), "must be positive");
  if (f.find("arrivals") != nullptr) {
    const std::string text = f.string("arrivals");
    const auto arrivals = arrivals_from_string(text);
    if (!arrivals) JsonFields::fail(f.path_of("arrivals"), "expected even or poisson, found \"" + text + "\"");
    o.arrivals = *arrivals;
  }
  o.max_users = f.i32("max_users", 0);
  if (o.max_users < 0) JsonFields::fail(f.path_of("max_users"), "must be non-negative");
  o.shape = f.boolean("shape", false);
  o.iterations_started = f.u64("iterations_started", 0);
  o.dropped = f.u64("dropped", 0);
  if (const json* by_class = f.find("dropped_by_class")) {
    const JsonFields classes(*by_class, f.path_of("dropped_by_class"));
    for (const auto& [name, count] : by_class->items()) o.dropped_by_class[name] = classes.u64(name);
  }
  o.late_arrivals = f.u64("late_arrivals", 0);
  o.max_schedule_lag_ms = non_negative_number(f, "max_schedule_lag_ms", 0.0);
  o.total_schedule_lag_ms = non_negative_number(f, "total_schedule_lag_ms", 0.0);
  return o;
}

// Version 1 kept the typed information in `extra`, where readers took a key of the type
// they expected and ignored anything else. So a key that reads is moved onto its typed
// field, and one that does not stays in extra, as unread as it was before.
template <typename Read>
void move_from_extra(RunInfo& info, std::string_view key, Read read) {
  json& extra = info.extra;
  const JsonFields f(extra, "/extra");
  if (f.find(key) == nullptr) return;
  try {
    read(f);
  } catch (const std::runtime_error&) {
    return;
  }
  extra.erase(std::string(key));
}

// The lab wrote strategy, store, shards, lab (its folder's name) and, for a warm-up run,
// warmup. An older lab wrote {"lab": {"strategy": ...}}. A run is a lab run when its
// strategy is known; other lab keys without one stay in extra.
void map_version_1_lab(RunInfo& info) {
  LabRunInfo lab;
  move_from_extra(info, "strategy", [&](const JsonFields& f) { lab.strategy = strategy_at(f, "strategy"); });
  if (lab.strategy.empty()) {
    json* older = info.extra.contains("lab") ? &info.extra["lab"] : nullptr;
    if (older == nullptr || !older->is_object()) return;
    const JsonFields f(*older, "/extra/lab");
    try {
      lab.strategy = strategy_at(f, "strategy");
    } catch (const std::runtime_error&) {
      return;
    }
    older->erase("strategy");
    if (older->empty()) info.extra.erase("lab");
  }
  move_from_extra(info, "store", [&](const JsonFields& f) { lab.store = f.string("store"); });
  move_from_extra(info, "shards", [&](const JsonFields& f) { lab.shards = shard_count_at(f, "shards"); });
  move_from_extra(info, "lab", [&](const JsonFields& f) { lab.folder = f.string("lab"); });
  move_from_extra(info, "warmup", [&](const JsonFields& f) { lab.warmup = f.boolean("warmup"); });
  info.lab = std::move(lab);
}

void map_version_1_extra(RunInfo& info) {
  for (const TypedMember& member : kTypedMembers)
    move_from_extra(info, member.key, [&](const JsonFields& f) { member.read(f, info); });
  map_version_1_lab(info);
}

}  // namespace

json to_json(const RunInfo& info) {
  json j = {
      {"format_version", kFormatVersion},
      {"status", info.status},
      {"stop_reason", info.stop_reason},
      {"label", info.label},
      {"tool_version", info.tool_version},
      {"scenario_name", info.scenario_name},
      {"scenario_file", info.scenario_file},
      {"target_host", info.target_host},
      {"started_unix_ms", info.started_unix_ms},
      {"ended_unix_ms", info.ended_unix_ms},
      {"duration_s", info.duration_s},
      {"users", info.users},
      {"spawn_rate", info.spawn_rate},
      {"run_time_s", info.run_time_s},
      {"threads", info.threads},
      {"seed", info.seed},
      {"user_classes", info.user_classes},
      {"tags", info.tags},
      {"command_line", info.command_line},
      {"load_shape", info.load_shape},
      {"hostname", info.hostname},
      {"os", info.os},
      {"cpu_count", info.cpu_count},
      {"extra", info.extra},
  };
  // Absent rather than null: a member is there when the run recorded it.
  const auto put = [&j](const char* key, const auto& value) {
    if (value) j[key] = *value;
  };
  put("pid", info.pid);
  put("request_timeout_s", info.request_timeout_s);
  put("connect_timeout_s", info.connect_timeout_s);
  put("stop_timeout_s", info.stop_timeout_s);
  put("max_body_bytes", info.max_body_bytes);
  put("max_body_memory_bytes", info.max_body_memory_bytes);
  if (info.transport) j["transport"] = to_string(*info.transport);
  if (info.connections) j["connections"] = to_string(*info.connections);
  put("open_files_limit", info.open_files_limit);
  put("peak_users", info.peak_users);
  put("connections_opened", info.connections_opened);
  if (info.lab) j["lab"] = to_json(*info.lab);
  if (info.open_model) j["open_model"] = to_json(*info.open_model);
  return j;
}

RunInfo run_info_from_json(const json& j) {
  const JsonFields f(j, "");
  RunInfo info;
  info.format_version = f.i32("format_version");
  if (info.format_version > kFormatVersion) {
    JsonFields::fail(f.path_of("format_version"),
                     "format_version " + std::to_string(info.format_version) +
                         " is newer than this reader supports (" + std::to_string(kFormatVersion) +
                         "); use a newer stampede");
  }
  if (info.format_version < 1) JsonFields::fail(f.path_of("format_version"), "must be >= 1");
  info.status = f.string("status");
  if (!kStatuses.contains(info.status)) {
    JsonFields::fail(f.path_of("status"), "expected running, complete, interrupted or failed, found \"" +
                                              info.status + "\"");
  }
  info.stop_reason = f.string("stop_reason", "");
  info.label = f.string("label", "");
  info.tool_version = f.string("tool_version", "");
  info.scenario_name = f.string("scenario_name", "");
  info.scenario_file = f.string("scenario_file", "");
  info.target_host = f.string("target_host", "");
  info.started_unix_ms = f.i64("started_unix_ms");
  info.ended_unix_ms = f.i64("ended_unix_ms", 0);
  info.duration_s = f.number("duration_s", 0.0);
  if (info.duration_s < 0) JsonFields::fail(f.path_of("duration_s"), "must be non-negative");
  info.users = f.i32("users", 0);
  if (info.users < 0) JsonFields::fail(f.path_of("users"), "must be non-negative");
  info.spawn_rate = f.number("spawn_rate", 0.0);
  info.run_time_s = f.number("run_time_s", 0.0);
  info.threads = f.i32("threads", 0);
  info.seed = f.u64("seed", 0);
  info.user_classes = f.strings("user_classes");
  info.tags = f.strings("tags");
  info.command_line = f.strings("command_line");
  info.hostname = f.string("hostname", "");
  info.os = f.string("os", "");
  info.cpu_count = f.i32("cpu_count", 0);
  if (const json* extra = f.find("extra")) {
    if (!extra->is_object()) JsonFields::fail(f.path_of("extra"), "expected an object, found " + json_type_name(*extra));
    info.extra = *extra;
  }
  if (info.format_version == 1) {
    map_version_1_extra(info);
    return info;
  }
  for (const TypedMember& member : kTypedMembers)
    if (f.find(member.key) != nullptr) member.read(f, info);
  if (const json* lab = f.find("lab")) info.lab = lab_from_json(*lab, f.path_of("lab"));
  if (const json* open = f.find("open_model")) info.open_model = open_model_from_json(*open, f.path_of("open_model"));
  return info;
}

}  // namespace stampede::results
