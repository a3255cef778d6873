// ResultWriter and default_run_folder_name.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <tuple>

#include "results/result_folder.h"

namespace stampede::results {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw std::runtime_error(path.string() + ": " + what);
}

// Per-second rates over the whole run, for jq users; only meaningful once the duration is known.
json with_rates(const EndpointStats& e, double duration_s) {
  json j = to_json(e);
  if (duration_s > 0) {
    j["rps"] = static_cast<double>(e.requests) / duration_s;
    j["failures_per_s"] = static_cast<double>(e.failures) / duration_s;
  }
  return j;
}

}  // namespace

ResultWriter::ResultWriter(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::error_code ec;
  if (std::filesystem::exists(dir_, ec)) {
    if (!std::filesystem::is_directory(dir_, ec)) fail(dir_, "exists and is not a directory");
    if (!std::filesystem::is_empty(dir_, ec)) fail(dir_, "exists and is not empty");
  }
  std::filesystem::create_directories(dir_, ec);
  if (ec) fail(dir_, "cannot create directory: " + ec.message());
  const std::filesystem::path history = dir_ / "history.jsonl";
  history_ = std::fopen(history.c_str(), "ab");
  if (history_ == nullptr) fail(history, std::string("cannot open: ") + std::strerror(errno));
}

ResultWriter::~ResultWriter() {
  if (history_ != nullptr) std::fclose(history_);
}

void ResultWriter::write_run_info(const RunInfo& info) {
  write_file_atomically(dir_ / "run.json", to_json(info).dump(2) + "\n");
}

void ResultWriter::write_scenario(const nlohmann::json& scenario) {
  write_file_atomically(dir_ / "scenario.json", scenario.dump(2) + "\n");
}

void ResultWriter::append_history(const HistoryPoint& point) {
  // One fwrite of the whole line, then a flush: a concurrent reader sees either nothing
  // of this line or a prefix without the newline, which it ignores as torn.
  const std::string line = to_json(point).dump() + "\n";
  if (std::fwrite(line.data(), 1, line.size(), history_) != line.size() || std::fflush(history_) != 0) {
    fail(dir_ / "history.jsonl", std::string("append failed: ") + std::strerror(errno));
  }
}

void ResultWriter::write_final_stats(const RunResult& result) {
  auto endpoints = result.endpoints;
  std::stable_sort(endpoints.begin(), endpoints.end(), [](const auto& a, const auto& b) {
    return std::tie(a.name, a.method) < std::tie(b.name, b.method);
  });
  auto shards = result.shards;
  std::stable_sort(shards.begin(), shards.end(), [](const auto& a, const auto& b) {
    return std::tie(a.shard, a.name, a.method) < std::tie(b.shard, b.name, b.method);
  });
  auto failures = result.failures;
  std::stable_sort(failures.begin(), failures.end(),
                   [](const auto& a, const auto& b) { return a.occurrences > b.occurrences; });

  const double duration_s = result.info.duration_s;
  json stats = {{"format_version", kFormatVersion}, {"duration_s", duration_s}};
  json& eps = stats["endpoints"] = json::array();
  for (const auto& e : endpoints) eps.push_back(with_rates(e, duration_s));
  stats["aggregated"] = with_rates(result.aggregated, duration_s);
  json& sh = stats["shards"] = json::array();
  for (const auto& s : shards) sh.push_back(to_json(s));
  json& fl = stats["failures"] = json::array();
  for (const auto& f : failures) fl.push_back(to_json(f));
  write_file_atomically(dir_ / "stats.json", stats.dump(2) + "\n");
}

void ResultWriter::finish(const RunResult& result) {
  // History first to disk, so a finished run.json never points at missing history lines.
  if (std::fflush(history_) != 0 || ::fsync(::fileno(history_)) != 0) {
    fail(dir_ / "history.jsonl", std::string("fsync failed: ") + std::strerror(errno));
  }
  write_final_stats(result);
  RunInfo info = result.info;
  if (info.status == "running") info.status = "complete";  // finish() means the run ended
  write_run_info(info);
}

std::string default_run_folder_name(std::int64_t unix_ms, const std::string& label) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds{unix_ms}};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{floor<seconds>(t - day)};
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%04d%02u%02u-%02d%02d%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  std::string name = stamp;
  if (label.empty()) return name;
  name += '-';
  for (const char c : label) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    name += ok ? c : '_';
  }
  return name;
}

}  // namespace stampede::results
