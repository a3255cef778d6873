// read_result_folder, read_history_since and append_history.
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "results/json_fields.h"
#include "results/result_folder.h"
#include "results/result_json_detail.h"

namespace stampede::results {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

[[noreturn]] void fail(const fs::path& file, const std::string& what) {
  throw std::runtime_error(file.string() + ": " + what);
}

std::string read_text(const fs::path& file, std::uintmax_t from = 0) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(file, "cannot open for reading");
  in.seekg(static_cast<std::streamoff>(from));
  if (!in) fail(file, "cannot seek to byte " + std::to_string(from));
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

// nlohmann's message without its "[json.exception.parse_error.101] " tag, and with the
// "last read: '…'" excerpt cut short: a torn file's excerpt can be kilobytes of base64.
std::string json_error_text(const json::exception& e) {
  std::string text = e.what();
  if (text.starts_with("[json.exception.")) {
    if (const auto end = text.find("] "); end != std::string::npos) text.erase(0, end + 2);
  }
  constexpr std::string_view kLastRead = "last read: '";
  constexpr std::size_t kExcerpt = 40;
  if (const auto at = text.find(kLastRead); at != std::string::npos) {
    const std::size_t start = at + kLastRead.size();
    const std::size_t close = text.rfind('\'');
    const std::size_t length = close != std::string::npos && close >= start ? close - start : text.size() - start;
    if (length > kExcerpt) text = text.substr(0, start) + "…" + text.substr(start + length - kExcerpt, kExcerpt) + "'";
  }
  return text;
}

json parse_json(const fs::path& file, const std::string& text) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    fail(file, "invalid JSON (" + std::to_string(text.size()) + " bytes, cut short or corrupt?): " +
                   json_error_text(e));
  }
}

// Runs `fn`, re-throwing its path-naming errors prefixed with the file they came from.
template <typename Fn>
auto in_file(const fs::path& file, const std::string& where, Fn&& fn) {
  try {
    return fn();
  } catch (const std::runtime_error& e) {
    fail(file, where + e.what());
  } catch (const json::exception& e) {
    fail(file, where + json_error_text(e));
  }
}

// Parses the complete ('\n'-terminated) lines of `text`; the bytes after the last newline
// are a line still being written (or torn by a crash) and are left for later.
std::vector<HistoryPoint> parse_history(const fs::path& file, const std::string& text,
                                        std::uintmax_t base_offset, std::size_t& consumed) {
  std::vector<HistoryPoint> points;
  std::size_t pos = 0;
  for (std::size_t nl; (nl = text.find('\n', pos)) != std::string::npos; pos = nl + 1) {
    const std::string_view line(text.data() + pos, nl - pos);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const std::string where = "line at byte " + std::to_string(base_offset + pos) + ": ";
    points.push_back(in_file(file, where, [&] {
      return detail::history_point_from_json_at(json::parse(line), "");
    }));
  }
  consumed = pos;
  return points;
}

void check_stats_version(const JsonFields& f) {
  const int version = f.i32("format_version");
  if (version > kFormatVersion) {
    JsonFields::fail(f.path_of("format_version"),
                     "format_version " + std::to_string(version) + " is newer than this reader supports (" +
                         std::to_string(kFormatVersion) + "); use a newer stampede");
  }
  if (version < 1) JsonFields::fail(f.path_of("format_version"), "must be >= 1");
}

void read_stats(const fs::path& file, RunResult& result) {
  const json stats = parse_json(file, read_text(file));
  in_file(file, "", [&] {
    const JsonFields f(stats, "");
    check_stats_version(f);
    const json& endpoints = f.array("endpoints");
    for (std::size_t i = 0; i < endpoints.size(); ++i) {
      result.endpoints.push_back(detail::endpoint_from_json_at(endpoints[i], "/endpoints/" + std::to_string(i)));
    }
    const json* aggregated = f.find("aggregated");
    if (aggregated == nullptr) JsonFields::fail("/aggregated", "required member is missing");
    result.aggregated = detail::endpoint_from_json_at(*aggregated, "/aggregated");
    if (f.find("shards") != nullptr) {
      const json& shards = f.array("shards");
      for (std::size_t i = 0; i < shards.size(); ++i) {
        result.shards.push_back(detail::shard_from_json_at(shards[i], "/shards/" + std::to_string(i)));
      }
    }
    if (f.find("failures") != nullptr) {
      const json& failures = f.array("failures");
      for (std::size_t i = 0; i < failures.size(); ++i) {
        result.failures.push_back(detail::failure_from_json_at(failures[i], "/failures/" + std::to_string(i)));
      }
    }
    return 0;
  });
}

// A live or crashed run has no stats.json: its summary is the history's sum.
void rebuild_from_history(RunResult& result) {
  std::vector<HistoryPoint> history = std::move(result.history);
  result.history.clear();
  result.endpoints.clear();
  result.shards.clear();
  result.aggregated = EndpointStats{};
  result.aggregated.name = kAggregatedName;
  append_history(result, std::move(history));
}

}  // namespace

namespace {
// A finished run's history ends with a complete line at about its duration; a running
// one is still being written, so a partial last line is expected there.
void check_finished_history(const fs::path& file, std::size_t trailing_bytes, RunResult& result) {
  if (result.info.status == "running") return;
  const std::string lines = std::to_string(result.history.size()) + " lines read";
  if (trailing_bytes > 0) {
    result.warnings.push_back(file.string() + ": cut off (" + std::to_string(trailing_bytes) +
                              " bytes after the last complete line; " + lines + ")");
    return;
  }
  constexpr double kSlackS = 2.5;  // a line a second, the last one at the stop
  const double duration = result.info.duration_s;
  const double last = result.history.empty() ? 0.0 : result.history.back().elapsed_s;
  if (duration > kSlackS && last < duration - kSlackS) {
    std::ostringstream text;
    text << file.string() << ": ends at " << last << " s of a " << duration << " s run (cut off?; " << lines << ")";
    result.warnings.push_back(text.str());
  }
}
}  // namespace

RunResult read_result_folder(const fs::path& dir) {
  RunResult result;
  const fs::path run_file = dir / "run.json";
  if (!fs::exists(run_file)) fail(run_file, "missing (not a result folder?)");
  const json run = parse_json(run_file, read_text(run_file));
  result.info = in_file(run_file, "", [&] { return run_info_from_json(run); });

  const fs::path scenario_file = dir / "scenario.json";
  if (fs::exists(scenario_file)) result.scenario = parse_json(scenario_file, read_text(scenario_file));

  const fs::path history_file = dir / "history.jsonl";
  if (fs::exists(history_file)) {
    std::size_t consumed = 0;
    const std::string text = read_text(history_file);
    result.history = parse_history(history_file, text, 0, consumed);
    check_finished_history(history_file, text.size() - consumed, result);
  } else if (result.info.status != "running") {
    result.warnings.push_back(history_file.string() + ": missing (no time series for this run)");
  }

  const fs::path stats_file = dir / "stats.json";
  if (fs::exists(stats_file)) {
    read_stats(stats_file, result);
  } else {
    rebuild_from_history(result);
  }
  result.server = read_server_report(dir);
  return result;
}

void append_history(RunResult& result, std::vector<HistoryPoint> points) {
  EndpointStats& agg = result.aggregated;
  for (const HistoryPoint& p : points) {
    const double start_s = std::max(0.0, p.elapsed_s - p.interval_s);
    for (const IntervalEndpoint& ie : p.endpoints) {
      // Kept in stats.json's order, by (name, method).
      const auto at = std::lower_bound(result.endpoints.begin(), result.endpoints.end(), ie,
                                       [](const EndpointStats& e, const IntervalEndpoint& k) {
                                         return std::tie(e.name, e.method) < std::tie(k.name, k.method);
                                       });
      auto it = at;
      if (it == result.endpoints.end() || it->name != ie.name || it->method != ie.method) {
        EndpointStats e;
        e.method = ie.method;
        e.name = ie.name;
        e.first_request_s = start_s;
        it = result.endpoints.insert(at, std::move(e));
      }
      if (agg.requests == 0 && agg.last_request_s == 0) {
        agg.first_request_s = start_s;
      }
      for (EndpointStats* e : {&*it, &agg}) {
        e->requests += ie.requests;
        e->failures += ie.failures;
        e->rate_limited += ie.rate_limited;
        e->content_bytes += ie.content_bytes;
        e->latency.merge(ie.latency);
        e->service.merge(ie.service);
        e->dropped += ie.dropped;
        e->exchange.merge(ie.exchange);
        e->skipped += ie.skipped;
        e->invalid_cookies += ie.invalid_cookies;
        e->last_request_s = p.elapsed_s;
      }
    }
    // Shards as stats.json orders them, by (shard, name, method). The history carries each
    // shard's count and shard time; which responses named only that shard it does not.
    for (const IntervalShard& is : p.shards) {
      const auto at = std::lower_bound(result.shards.begin(), result.shards.end(), is,
                                       [](const ShardStats& s, const IntervalShard& k) {
                                         return std::tie(s.shard, s.name, s.method) < std::tie(k.shard, k.name, k.method);
                                       });
      auto it = at;
      if (it == result.shards.end() || it->shard != is.shard || it->name != is.name || it->method != is.method) {
        ShardStats s;
        s.method = is.method;
        s.name = is.name;
        s.shard = is.shard;
        it = result.shards.insert(at, std::move(s));
      }
      it->count += is.count;
      it->shard_time.merge(is.shard_time);
    }
  }
  for (HistoryPoint& p : points) result.history.push_back(std::move(p));
  // A run still going (or one that died) has no duration in run.json: it lasted this long.
  if (!result.history.empty() && (result.info.duration_s == 0 || result.info.status == "running")) {
    result.info.duration_s = std::max(result.info.duration_s, result.history.back().elapsed_s);
  }
}

std::vector<HistoryPoint> read_history_since(const fs::path& dir, std::uintmax_t& offset) {
  const fs::path file = dir / "history.jsonl";
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(file, ec);
  if (ec) return {};  // not created yet: nothing new
  if (offset > size) fail(file, "offset " + std::to_string(offset) + " is past the end (file replaced?)");
  if (offset == size) return {};
  std::size_t consumed = 0;
  auto points = parse_history(file, read_text(file, offset), offset, consumed);
  offset += consumed;
  return points;
}

}  // namespace stampede::results
