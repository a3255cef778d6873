// server.json: the JSON mapping of ServerReport, its atomic write and its reader.
#include "results/server_report.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "results/json_fields.h"
#include "results/result_folder.h"
#include "results/run_result.h"

namespace stampede::results {
namespace {

using nlohmann::json;

bool boolean(const JsonFields& f, std::string_view key, bool fallback) {
  const json* v = f.find(key);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) JsonFields::fail(f.path_of(key), "expected true or false, found " + json_type_name(*v));
  return v->get<bool>();
}

std::vector<std::uint64_t> counts(const JsonFields& f, std::string_view key) {
  std::vector<std::uint64_t> out;
  const json* v = f.find(key);
  if (v == nullptr) return out;
  const json& arr = f.array(key);
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_number_unsigned()) {
      JsonFields::fail(f.path_of(key) + "/" + std::to_string(i),
                       "expected a non-negative integer, found " + json_type_name(arr[i]));
    }
    out.push_back(arr[i].get<std::uint64_t>());
  }
  return out;
}

}  // namespace

json to_json(const ServerReport& report) {
  json shards = json::array();
  for (const ServerShard& s : report.shards) {
    shards.push_back({{"shard", s.shard},
                      {"up", s.up},
                      {"result_rows", s.result_rows},
                      {"queries", s.queries},
                      {"query_seconds", s.query_seconds}});
  }
  json reshard = json::array();
  for (const ReshardEstimate& r : report.reshard) {
    reshard.push_back({{"strategy", r.strategy},
                       {"from_shards", r.from_shards},
                       {"to_shards", r.to_shards},
                       {"rows", r.rows},
                       {"moved", r.moved},
                       {"moved_share", r.moved_share()},
                       {"how", r.how},
                       {"rows_before", r.rows_before},
                       {"rows_after", r.rows_after}});
  }
  return {{"format_version", kFormatVersion},
          {"collected_unix_ms", report.collected_unix_ms},
          {"source", report.source},
          {"strategy", report.strategy},
          {"store", report.store},
          {"shard_count", report.shard_count},
          {"shards", std::move(shards)},
          {"reshard", std::move(reshard)},
          {"documents", report.documents}};
}

ServerReport server_report_from_json(const json& j) {
  const JsonFields f(j, "");
  const int version = f.i32("format_version");
  if (version > kFormatVersion) {
    JsonFields::fail(f.path_of("format_version"),
                     "format_version " + std::to_string(version) + " is newer than this reader supports (" +
                         std::to_string(kFormatVersion) + "); use a newer stampede");
  }
  ServerReport report;
  report.collected_unix_ms = f.i64("collected_unix_ms", 0);
  report.source = f.string("source", "");
  report.strategy = f.string("strategy", "");
  report.store = f.string("store", "");
  report.shard_count = f.i32("shard_count", 0);
  if (f.find("shards") != nullptr) {
    const json& shards = f.array("shards");
    for (std::size_t i = 0; i < shards.size(); ++i) {
      const JsonFields s(shards[i], "/shards/" + std::to_string(i));
      ServerShard shard;
      shard.shard = s.i32("shard");
      shard.up = boolean(s, "up", true);
      shard.result_rows = s.u64("result_rows", 0);
      shard.queries = s.u64("queries", 0);
      shard.query_seconds = s.number("query_seconds", 0.0);
      report.shards.push_back(shard);
    }
    std::sort(report.shards.begin(), report.shards.end(),
              [](const ServerShard& a, const ServerShard& b) { return a.shard < b.shard; });
  }
  if (f.find("reshard") != nullptr) {
    const json& reshard = f.array("reshard");
    for (std::size_t i = 0; i < reshard.size(); ++i) {
      const JsonFields r(reshard[i], "/reshard/" + std::to_string(i));
      ReshardEstimate e;
      e.strategy = r.string("strategy");
      e.from_shards = r.i32("from_shards");
      e.to_shards = r.i32("to_shards");
      e.rows = r.u64("rows");
      e.moved = r.u64("moved");
      if (e.moved > e.rows) JsonFields::fail(r.path_of("moved"), "larger than rows");
      e.how = r.string("how", "");
      e.rows_before = counts(r, "rows_before");
      e.rows_after = counts(r, "rows_after");
      report.reshard.push_back(std::move(e));
    }
  }
  if (const json* documents = f.find("documents")) {
    if (!documents->is_object()) {
      JsonFields::fail(f.path_of("documents"), "expected an object, found " + json_type_name(*documents));
    }
    report.documents = *documents;
  }
  return report;
}

void write_server_report(const std::filesystem::path& dir, const ServerReport& report) {
  write_file_atomically(dir / "server.json", to_json(report).dump(2) + "\n");
}

std::optional<ServerReport> read_server_report(const std::filesystem::path& dir) {
  const std::filesystem::path file = dir / "server.json";
  if (!std::filesystem::exists(file)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": cannot open for reading");
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return server_report_from_json(json::parse(text.str()));
  } catch (const json::exception& e) {
    throw std::runtime_error(file.string() + ": " + e.what());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(file.string() + ": " + e.what());
  }
}

}  // namespace stampede::results
