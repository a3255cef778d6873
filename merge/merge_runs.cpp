#include "merge/merge_runs.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "merge/merge_history.h"

namespace stampede::merge {
namespace {

using results::EndpointStats;
using results::FailureStats;
using results::RunInfo;
using results::RunResult;
using results::ShardStats;

// first/last request times of a part, moved onto the merged run's start.
void add_into(EndpointStats& into, const EndpointStats& e, double offset_s, bool first) {
  const bool had_requests = !first && into.requests > 0;
  if (e.requests > 0) {
    const double first_s = e.first_request_s + offset_s;
    const double last_s = e.last_request_s + offset_s;
    into.first_request_s = had_requests ? std::min(into.first_request_s, first_s) : first_s;
    into.last_request_s = had_requests ? std::max(into.last_request_s, last_s) : last_s;
  }
  into.requests += e.requests;
  into.failures += e.failures;
  into.rate_limited += e.rate_limited;
  into.content_bytes += e.content_bytes;
  into.latency.merge(e.latency);
  into.service.merge(e.service);
  into.dropped += e.dropped;
  into.exchange.merge(e.exchange);
}

// The worst status wins: a merge of a failed part is failed, of a running part running.
std::string merged_status(const std::vector<MergePart>& parts) {
  static const std::vector<std::string> worst_first{"failed", "running", "interrupted"};
  for (const std::string& s : worst_first)
    for (const MergePart& p : parts)
      if (p.run.info.status == s) return s;
  return "complete";
}

std::string joined_distinct(const std::vector<MergePart>& parts, std::string RunInfo::*member,
                            const std::string& separator) {
  std::vector<std::string> seen;
  for (const MergePart& p : parts) {
    const std::string& v = p.run.info.*member;
    if (!v.empty() && std::find(seen.begin(), seen.end(), v) == seen.end()) seen.push_back(v);
  }
  std::string out;
  for (const std::string& v : seen) out += (out.empty() ? "" : separator) + v;
  return out;
}

template <typename T>
std::optional<T> common(const std::vector<MergePart>& parts, std::optional<T> RunInfo::*member) {
  const std::optional<T>& first = parts.front().run.info.*member;
  for (const MergePart& p : parts)
    if (p.run.info.*member != first) return std::nullopt;
  return first;
}

std::optional<results::OpenModelInfo> merged_open_model(const std::vector<MergePart>& parts) {
  if (!parts.front().run.info.open_model) return std::nullopt;
  results::OpenModelInfo m = *parts.front().run.info.open_model;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const auto& o = parts[i].run.info.open_model;
    if (!o) return std::nullopt;  // mixed models: no one schedule to describe
    m.arrival_rate += o->arrival_rate;  // the parts split the rate between them
    m.max_users += o->max_users;
    m.shape = m.shape && o->shape;
    m.iterations_started += o->iterations_started;
    m.dropped += o->dropped;
    for (const auto& [cls, n] : o->dropped_by_class) m.dropped_by_class[cls] += n;
    m.late_arrivals += o->late_arrivals;
    m.max_schedule_lag_ms = std::max(m.max_schedule_lag_ms, o->max_schedule_lag_ms);
    m.total_schedule_lag_ms += o->total_schedule_lag_ms;
  }
  return m;
}

RunInfo merged_info(const std::vector<MergePart>& parts, const std::string& label,
                    const std::vector<std::string>& command_line) {
  const RunInfo& first = parts.front().run.info;
  RunInfo info = first;
  info.format_version = results::kFormatVersion;
  info.status = merged_status(parts);
  info.stop_reason = info.status == "complete" ? "merged" : "merged (a part is " + info.status + ")";
  info.label = label.empty() ? joined_distinct(parts, &RunInfo::label, "+") : label;
  info.target_host = joined_distinct(parts, &RunInfo::target_host, ",");
  info.hostname = joined_distinct(parts, &RunInfo::hostname, ",");
  info.os = joined_distinct(parts, &RunInfo::os, ",");
  info.command_line = command_line;
  info.pid.reset();  // no engine process runs the merged folder
  info.started_unix_ms = std::numeric_limits<std::int64_t>::max();
  info.ended_unix_ms = 0;
  info.users = 0;
  info.spawn_rate = 0;
  info.threads = 0;
  info.cpu_count = 0;
  info.run_time_s = 0;
  std::uint64_t connections = 0;
  bool all_connections = true;
  bool any_running = false;
  for (const MergePart& p : parts) {
    const RunInfo& i = p.run.info;
    info.started_unix_ms = std::min(info.started_unix_ms, i.started_unix_ms);
    if (i.ended_unix_ms == 0) any_running = true;
    info.ended_unix_ms = std::max(info.ended_unix_ms, i.ended_unix_ms);
    info.users += i.users;
    info.spawn_rate += i.spawn_rate;
    info.threads += i.threads;
    info.cpu_count += i.cpu_count;
    info.run_time_s = std::max(info.run_time_s, i.run_time_s);
    info.load_shape = info.load_shape || i.load_shape;
    for (const std::string& c : i.user_classes)
      if (std::find(info.user_classes.begin(), info.user_classes.end(), c) == info.user_classes.end())
        info.user_classes.push_back(c);
    if (i.connections_opened) connections += *i.connections_opened;
    else all_connections = false;
  }
  if (any_running) info.ended_unix_ms = 0;
  info.duration_s = 0;
  for (const MergePart& p : parts) {
    const double end_s = static_cast<double>(p.run.info.started_unix_ms - info.started_unix_ms) / 1000.0 +
                         p.run.info.duration_s;
    info.duration_s = std::max(info.duration_s, end_s);
  }
  info.connections_opened = all_connections ? std::optional<std::uint64_t>(connections) : std::nullopt;
  info.transport = common(parts, &RunInfo::transport);
  info.connections = common(parts, &RunInfo::connections);
  info.open_files_limit = common(parts, &RunInfo::open_files_limit);
  info.lab = common(parts, &RunInfo::lab);
  info.open_model = merged_open_model(parts);
  info.peak_users.reset();  // from the merged history, by the caller
  if (parts.size() > 1 && parts[1].run.info.seed != first.seed) info.seed = 0;

  nlohmann::json merged_from = nlohmann::json::array();
  for (const MergePart& p : parts) {
    const RunInfo& i = p.run.info;
    merged_from.push_back({{"folder", p.folder},
                           {"label", i.label},
                           {"hostname", i.hostname},
                           {"started_unix_ms", i.started_unix_ms},
                           {"ended_unix_ms", i.ended_unix_ms},
                           {"status", i.status},
                           {"users", i.users},
                           {"requests", p.run.aggregated.requests}});
  }
  info.extra = nlohmann::json::object();
  info.extra["merged_from"] = std::move(merged_from);
  return info;
}

}  // namespace

void check_mergeable(const std::vector<MergePart>& parts) {
  if (parts.size() < 2)
    throw MergeError(MergeError::Kind::kTooFewRuns,
                     "expected two or more result folders to merge, got " + std::to_string(parts.size()));
  const MergePart& first = parts.front();
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const MergePart& p = parts[i];
    if (p.run.scenario != first.run.scenario) {
      std::string why = p.run.info.scenario_name != first.run.info.scenario_name
                            ? "scenario '" + p.run.info.scenario_name + "' is not '" + first.run.info.scenario_name + "'"
                            : "scenario.json differs (same name '" + first.run.info.scenario_name + "')";
      throw MergeError(MergeError::Kind::kDifferentScenarios,
                       p.folder + " ran another scenario than " + first.folder + ": " + why);
    }
  }
  std::map<std::string, std::string> by_label;
  for (const MergePart& p : parts) {
    auto [it, fresh] = by_label.try_emplace(p.run.info.label, p.folder);
    if (!fresh)
      throw MergeError(MergeError::Kind::kOverlappingLabels,
                       p.folder + " and " + it->second + " are both labelled '" + p.run.info.label +
                           "' (the same run twice, or workers not told apart: give each run its own --label)");
  }
}

RunResult merge_runs(const std::vector<MergePart>& parts, const std::string& label,
                     const std::vector<std::string>& command_line) {
  check_mergeable(parts);
  RunResult merged;
  merged.info = merged_info(parts, label, command_line);
  merged.scenario = parts.front().run.scenario;
  merged.aggregated.name = results::kAggregatedName;

  std::map<std::pair<std::string, std::string>, EndpointStats> endpoints;  // (name, method)
  std::map<std::tuple<int, std::string, std::string>, ShardStats> shards;
  std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> failures;
  std::vector<const std::vector<results::HistoryPoint>*> histories;
  bool first_aggregate = true;
  for (const MergePart& p : parts) {
    const double offset_s = static_cast<double>(p.run.info.started_unix_ms - merged.info.started_unix_ms) / 1000.0;
    for (const EndpointStats& e : p.run.endpoints) {
      auto [it, fresh] = endpoints.try_emplace({e.name, e.method});
      if (fresh) {
        it->second.method = e.method;
        it->second.name = e.name;
      }
      add_into(it->second, e, offset_s, fresh);
    }
    add_into(merged.aggregated, p.run.aggregated, offset_s, first_aggregate);
    first_aggregate = false;
    for (const ShardStats& s : p.run.shards) {
      auto [it, fresh] = shards.try_emplace({s.shard, s.name, s.method});
      ShardStats& into = it->second;
      if (fresh) {
        into.method = s.method;
        into.name = s.name;
        into.shard = s.shard;
      }
      into.count += s.count;
      into.shard_time.merge(s.shard_time);
      into.single_shard_requests += s.single_shard_requests;
      into.single_shard_latency.merge(s.single_shard_latency);
      into.single_shard_service.merge(s.single_shard_service);
    }
    for (const FailureStats& f : p.run.failures) failures[{f.method, f.name, f.error}] += f.occurrences;
    histories.push_back(&p.run.history);
  }
  for (auto& [key, e] : endpoints) merged.endpoints.push_back(std::move(e));
  for (auto& [key, s] : shards) merged.shards.push_back(std::move(s));
  for (const auto& [key, n] : failures)
    merged.failures.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), n});
  std::stable_sort(merged.failures.begin(), merged.failures.end(),
                   [](const FailureStats& a, const FailureStats& b) { return a.occurrences > b.occurrences; });

  merged.history = merge_histories(histories, merged.info.started_unix_ms);
  if (!merged.history.empty()) {
    int peak = 0;
    for (const auto& h : merged.history) peak = std::max(peak, h.users);
    merged.info.peak_users = peak;
  }
  for (const MergePart& p : parts)
    for (const std::string& w : p.run.warnings) merged.warnings.push_back(w);
  return merged;
}

}  // namespace stampede::merge
