#include "results/result_folder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "sample_run.h"

namespace stampede::results {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kFixtures = fs::path(STAMPEDE_SOURCE_DIR) / "results/tests/fixtures";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void spit(const fs::path& p, const std::string& text, std::ios::openmode mode = std::ios::trunc) {
  std::ofstream out(p, std::ios::binary | mode);
  out << text;
}

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

class ResultFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("stampede-results-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path root_;
};

TEST_F(ResultFolder, WrittenRunReadsBackFieldByField) {
  const RunResult sample = testing::make_sample_run();
  testing::write_result_folder(root_ / "run", sample);
  const RunResult back = read_result_folder(root_ / "run");
  testing::expect_same_result(back, sample);
  EXPECT_EQ(back.info.status, "complete");
  EXPECT_GT(back.aggregated.requests, 0u);
}

TEST_F(ResultFolder, StatsCarryFormatVersionAndRates) {
  const RunResult sample = testing::make_sample_run();
  testing::write_result_folder(root_ / "run", sample);
  const json stats = json::parse(slurp(root_ / "run/stats.json"));
  EXPECT_EQ(stats.at("format_version"), 2);
  EXPECT_DOUBLE_EQ(stats.at("aggregated").at("rps").get<double>(),
                   static_cast<double>(sample.aggregated.requests) / sample.info.duration_s);
  EXPECT_EQ(json::parse(slurp(root_ / "run/run.json")).at("format_version"), 2);
}

TEST_F(ResultFolder, AtomicWriteReplacesAndLeavesNoTmp) {
  const fs::path file = root_ / "x.json";
  write_file_atomically(file, "{\"a\": 1}\n");
  write_file_atomically(file, "{\"a\": 2}\n");
  EXPECT_EQ(slurp(file), "{\"a\": 2}\n");
  EXPECT_FALSE(fs::exists(root_ / "x.json.tmp"));
  testing::write_result_folder(root_ / "run", testing::make_sample_run());
  for (const auto& entry : fs::directory_iterator(root_ / "run")) {
    EXPECT_NE(entry.path().extension(), ".tmp") << entry.path();
  }
  const std::string err = error_of([&] { write_file_atomically(root_ / "no/such/dir/x.json", "{}"); });
  EXPECT_NE(err.find("no/such/dir/x.json.tmp"), std::string::npos) << err;
}

TEST_F(ResultFolder, WriterRefusesNonEmptyFolder) {
  fs::create_directories(root_ / "used");
  spit(root_ / "used/keep.txt", "x");
  EXPECT_NE(error_of([&] { ResultWriter w(root_ / "used"); }).find("not empty"), std::string::npos);
  EXPECT_NO_THROW(ResultWriter w(root_ / "fresh/nested"));
}

TEST_F(ResultFolder, TornLastHistoryLineIsIgnored) {
  const RunResult sample = testing::make_sample_run();
  testing::write_result_folder(root_ / "run", sample);
  spit(root_ / "run/history.jsonl", "{\"elapsed_s\": 11, \"endpo", std::ios::app);
  const RunResult back = read_result_folder(root_ / "run");
  EXPECT_EQ(back.history.size(), sample.history.size());
  // ... but a finished run should not have one: it is read, and said.
  ASSERT_EQ(back.warnings.size(), 1u);
  EXPECT_NE(back.warnings[0].find("history.jsonl: cut off (24 bytes after the last complete line; 10 lines read)"),
            std::string::npos)
      << back.warnings[0];
}

TEST_F(ResultFolder, AWholeFinishedHistoryHasNoWarnings) {
  testing::write_result_folder(root_ / "run", testing::make_sample_run());
  EXPECT_TRUE(read_result_folder(root_ / "run").warnings.empty());
}

TEST_F(ResultFolder, AFinishedHistoryCutAtALineEndOrMissingIsSaid) {
  const RunResult sample = testing::make_sample_run();  // 10 s, a line a second
  testing::write_result_folder(root_ / "run", sample);
  const std::string text = slurp(root_ / "run/history.jsonl");
  std::size_t cut = 0;
  for (int line = 0; line < 4; ++line) cut = text.find('\n', cut) + 1;
  spit(root_ / "run/history.jsonl", text.substr(0, cut));
  RunResult back = read_result_folder(root_ / "run");
  ASSERT_EQ(back.history.size(), 4u);
  ASSERT_EQ(back.warnings.size(), 1u);
  EXPECT_NE(back.warnings[0].find("history.jsonl: ends at 4 s of a 10 s run (cut off?; 4 lines read)"), std::string::npos)
      << back.warnings[0];

  fs::remove(root_ / "run/history.jsonl");
  back = read_result_folder(root_ / "run");
  ASSERT_EQ(back.warnings.size(), 1u);
  EXPECT_NE(back.warnings[0].find("history.jsonl: missing"), std::string::npos) << back.warnings[0];
}

TEST_F(ResultFolder, MalformedCompleteHistoryLineIsAnError) {
  testing::write_result_folder(root_ / "run", testing::make_sample_run());
  spit(root_ / "run/history.jsonl", "{\"elapsed_s\": \"late\", \"endpoints\": []}\n", std::ios::app);
  const std::string err = error_of([&] { read_result_folder(root_ / "run"); });
  EXPECT_NE(err.find("history.jsonl"), std::string::npos) << err;
  EXPECT_NE(err.find("/elapsed_s"), std::string::npos) << err;
}

TEST_F(ResultFolder, LiveRunRebuildsEndpointsFromHistory) {
  const RunResult sample = testing::make_sample_run();
  {
    ResultWriter writer(root_ / "live");
    RunInfo info = sample.info;
    info.status = "running";
    info.duration_s = 0;
    writer.write_run_info(info);
    for (const auto& p : sample.history) writer.append_history(p);
  }  // no finish(): as if still running, or crashed
  const RunResult live = read_result_folder(root_ / "live");
  EXPECT_EQ(live.info.status, "running");
  EXPECT_DOUBLE_EQ(live.info.duration_s, 10.0);  // from the last history line
  ASSERT_EQ(live.endpoints.size(), sample.endpoints.size());
  for (std::size_t i = 0; i < live.endpoints.size(); ++i) {
    EXPECT_EQ(live.endpoints[i].name, sample.endpoints[i].name);
    EXPECT_EQ(live.endpoints[i].requests, sample.endpoints[i].requests);
    EXPECT_EQ(live.endpoints[i].failures, sample.endpoints[i].failures);
    EXPECT_EQ(live.endpoints[i].latency, sample.endpoints[i].latency);
  }
  EXPECT_EQ(live.aggregated.latency, sample.aggregated.latency);
  EXPECT_EQ(live.aggregated.requests, sample.aggregated.requests);
  EXPECT_DOUBLE_EQ(live.aggregated.first_request_s, 0.0);
  EXPECT_DOUBLE_EQ(live.aggregated.last_request_s, 10.0);
  EXPECT_TRUE(live.shards.empty());
}

// A live run's Shards come from the history too: per (shard, name, method), counts and
// shard-time histograms summed over the intervals, in stats.json's order.
TEST_F(ResultFolder, LiveRunRebuildsShardsFromHistory) {
  RunResult sample = testing::make_sample_run();
  ASSERT_GE(sample.history.size(), 3u);
  for (std::size_t i = 0; i < sample.history.size(); ++i) {
    auto& shards = sample.history[i].shards;
    shards.clear();
    for (int shard : {0, 2}) {
      IntervalShard s;
      s.method = "POST";
      s.name = "/grab";
      s.shard = shard;
      s.count = i + 1 + static_cast<std::uint64_t>(shard);
      s.shard_time.record(100 * (i + 1) + static_cast<std::uint64_t>(shard), s.count);
      shards.push_back(s);
    }
    if (i % 2 == 0) {
      IntervalShard s;
      s.method = "GET";
      s.name = "/room";
      s.shard = 0;
      s.count = 3;
      s.shard_time.record(50, 3);
      shards.insert(shards.begin(), s);
    }
  }
  {
    ResultWriter writer(root_ / "live");
    RunInfo info = sample.info;
    info.status = "running";
    writer.write_run_info(info);
    for (const auto& p : sample.history) writer.append_history(p);
  }
  const RunResult live = read_result_folder(root_ / "live");
  const std::size_t n = sample.history.size();
  ASSERT_EQ(live.shards.size(), 3u);
  EXPECT_EQ(live.shards[0].shard, 0);
  EXPECT_EQ(live.shards[0].name, "/grab");
  EXPECT_EQ(live.shards[1].shard, 0);
  EXPECT_EQ(live.shards[1].name, "/room");
  EXPECT_EQ(live.shards[1].method, "GET");
  EXPECT_EQ(live.shards[1].count, 3 * ((n + 1) / 2));
  EXPECT_EQ(live.shards[2].shard, 2);
  EXPECT_EQ(live.shards[2].count, n * (n + 1) / 2 + 2 * n);
  Histogram expected;
  for (std::size_t i = 0; i < n; ++i) expected.record(100 * (i + 1) + 2, i + 3);
  EXPECT_EQ(live.shards[2].shard_time, expected);
  EXPECT_EQ(live.shards[2].single_shard_requests, 0u);  // not in the history
}

// What a follower does instead of re-reading a live run: read some lines, then append
// the rest as they come. Endpoints and shards first seen late land in stats.json's order.
TEST_F(ResultFolder, AppendingHistoryToALiveReadEqualsReadingItWhole) {
  RunResult sample = testing::make_sample_run();
  const std::size_t n = sample.history.size();
  ASSERT_GE(n, 6u);
  for (std::size_t i = n / 2; i < n; ++i) {
    IntervalEndpoint late;
    late.method = "GET";
    late.name = "/aaa-late";  // sorts before every sample endpoint
    late.requests = i;
    late.failures = 1;
    late.latency.record(1000 + i, i);
    sample.history[i].endpoints.push_back(late);
    IntervalShard shard;
    shard.method = "GET";
    shard.name = "/aaa-late";
    shard.shard = static_cast<int>(i % 2);
    shard.count = i;
    shard.shard_time.record(10 * i, i);
    sample.history[i].shards.insert(sample.history[i].shards.begin(), shard);
  }
  RunInfo info = sample.info;
  info.status = "running";
  info.duration_s = 0;
  ResultWriter writer(root_ / "live");
  writer.write_run_info(info);
  for (std::size_t i = 0; i < 3; ++i) writer.append_history(sample.history[i]);
  RunResult followed = read_result_folder(root_ / "live");
  std::uintmax_t offset = std::filesystem::file_size(root_ / "live" / "history.jsonl");
  for (std::size_t i = 3; i < n; ++i) writer.append_history(sample.history[i]);
  append_history(followed, read_history_since(root_ / "live", offset));

  const RunResult whole = read_result_folder(root_ / "live");
  ASSERT_EQ(followed.history.size(), n);
  testing::expect_same_result(followed, whole);
  EXPECT_DOUBLE_EQ(followed.info.duration_s, sample.history.back().elapsed_s);
  ASSERT_EQ(followed.endpoints.size(), sample.endpoints.size() + 1);
  EXPECT_EQ(followed.endpoints[0].name, "/aaa-late");
  EXPECT_DOUBLE_EQ(followed.endpoints[0].first_request_s, sample.history[n / 2].elapsed_s - 1.0);
  // Shard 1 is seen first (line n/2 is odd), shard 0 a line later, and still goes first.
  ASSERT_EQ(n % 4, 2u);
  ASSERT_EQ(followed.shards.size(), 2u);
  EXPECT_EQ(followed.shards[0].shard, 0);
  EXPECT_EQ(followed.shards[1].shard, 1);
}

TEST_F(ResultFolder, ReadHistorySinceReturnsOnlyNewCompleteLines) {
  const RunResult sample = testing::make_sample_run();
  ResultWriter writer(root_ / "run");
  std::uintmax_t offset = 0;
  EXPECT_TRUE(read_history_since(root_ / "run", offset).empty());
  for (int i = 0; i < 3; ++i) writer.append_history(sample.history[static_cast<std::size_t>(i)]);
  auto got = read_history_since(root_ / "run", offset);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(offset, fs::file_size(root_ / "run/history.jsonl"));
  EXPECT_TRUE(read_history_since(root_ / "run", offset).empty());

  // A line being written (no newline yet) is not returned and not consumed.
  const std::string line = to_json(sample.history[3]).dump() + "\n";
  spit(root_ / "run/history.jsonl", line.substr(0, 40), std::ios::app);
  const std::uintmax_t before = offset;
  EXPECT_TRUE(read_history_since(root_ / "run", offset).empty());
  EXPECT_EQ(offset, before);
  spit(root_ / "run/history.jsonl", line.substr(40), std::ios::app);
  got = read_history_since(root_ / "run", offset);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_DOUBLE_EQ(got[0].elapsed_s, sample.history[3].elapsed_s);
  EXPECT_EQ(got[0].endpoints.at(0).latency, sample.history[3].endpoints.at(0).latency);

  std::uintmax_t missing = 0;
  EXPECT_TRUE(read_history_since(root_ / "nothing-here", missing).empty());
}

TEST_F(ResultFolder, FollowerSeesEveryLineOnceWhileWriterAppends) {
  const RunResult sample = testing::make_sample_run();
  constexpr int kLines = 300;
  ResultWriter writer(root_ / "run");
  std::thread producer([&] {
    for (int i = 0; i < kLines; ++i) {
      HistoryPoint p = sample.history[static_cast<std::size_t>(i) % sample.history.size()];
      p.elapsed_s = i + 1;
      writer.append_history(p);
    }
  });
  std::vector<HistoryPoint> seen;
  std::uintmax_t offset = 0;
  for (int polls = 0; seen.size() < kLines && polls < 1'000'000; ++polls) {
    for (auto& p : read_history_since(root_ / "run", offset)) seen.push_back(std::move(p));
  }
  producer.join();
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(kLines));
  for (int i = 0; i < kLines; ++i) {
    ASSERT_DOUBLE_EQ(seen[static_cast<std::size_t>(i)].elapsed_s, i + 1.0);
    ASSERT_EQ(seen[static_cast<std::size_t>(i)].endpoints.at(0).latency,
              sample.history[static_cast<std::size_t>(i) % sample.history.size()].endpoints.at(0).latency);
  }
}

TEST_F(ResultFolder, NewerFormatVersionIsRefusedNamingTheFile) {
  testing::write_result_folder(root_ / "run", testing::make_sample_run());
  json stats = json::parse(slurp(root_ / "run/stats.json"));
  stats["format_version"] = 7;
  spit(root_ / "run/stats.json", stats.dump());
  std::string err = error_of([&] { read_result_folder(root_ / "run"); });
  EXPECT_NE(err.find("stats.json"), std::string::npos) << err;
  EXPECT_NE(err.find("format_version 7 is newer"), std::string::npos) << err;

  json run = json::parse(slurp(root_ / "run/run.json"));
  run["format_version"] = 3;
  spit(root_ / "run/run.json", run.dump());
  err = error_of([&] { read_result_folder(root_ / "run"); });
  EXPECT_NE(err.find("run.json: /format_version: format_version 3 is newer than this reader supports (2)"),
            std::string::npos)
      << err;
}

TEST_F(ResultFolder, MalformedTypedRunInformationNamesFileAndPath) {
  RunResult run = testing::make_sample_run();
  run.info = testing::make_lab_run_info();
  testing::write_result_folder(root_ / "run", run);
  EXPECT_EQ(read_result_folder(root_ / "run").info.lab->strategy, "range");
  json info = json::parse(slurp(root_ / "run/run.json"));
  info["pid"] = "4242";
  spit(root_ / "run/run.json", info.dump());
  std::string err = error_of([&] { read_result_folder(root_ / "run"); });
  EXPECT_NE(err.find("run/run.json: /pid: expected an integer, found string"), std::string::npos) << err;
  info = to_json(run.info);
  info["lab"]["shards"] = -4;
  spit(root_ / "run/run.json", info.dump());
  err = error_of([&] { read_result_folder(root_ / "run"); });
  EXPECT_NE(err.find("run/run.json: /lab/shards: must be non-negative"), std::string::npos) << err;
}

TEST_F(ResultFolder, MalformedStatsFieldNamesFileAndPath) {
  testing::write_result_folder(root_ / "run", testing::make_sample_run());
  json stats = json::parse(slurp(root_ / "run/stats.json"));
  stats["endpoints"][1]["requests"] = "lots";
  spit(root_ / "run/stats.json", stats.dump());
  const std::string err = error_of([&] { read_result_folder(root_ / "run"); });
  EXPECT_NE(err.find("stats.json: /endpoints/1/requests: expected a non-negative integer, found string"),
            std::string::npos)
      << err;
}

TEST_F(ResultFolder, MissingRunJsonIsAnError) {
  fs::create_directories(root_ / "empty");
  const std::string err = error_of([&] { read_result_folder(root_ / "empty"); });
  EXPECT_NE(err.find("run.json: missing"), std::string::npos) << err;
}

TEST(RunFolderName, UtcStampAndSanitisedLabel) {
  // 2026-11-22 04:18:52.999 UTC
  EXPECT_EQ(default_run_folder_name(1'795'321'132'999, "nightly shop/v2"), "20261122-041852-nightly_shop_v2");
  EXPECT_EQ(default_run_folder_name(0, "a.b_c-D9"), "19700101-000000-a.b_c-D9");
  EXPECT_EQ(default_run_folder_name(0, ""), "19700101-000000");
}

// The committed fixtures other folders' tests read. Regenerate with
// STAMPEDE_REGENERATE_FIXTURES=1 after an intended format change.
TEST(ResultFixtures, SampleRunMatchesGenerator) {
  const fs::path sample = kFixtures / "sample-run";
  const fs::path live = kFixtures / "live-run";
  const fs::path corrupt = kFixtures / "corrupt-run";
  if (std::getenv("STAMPEDE_REGENERATE_FIXTURES") != nullptr) {
    const RunResult run = testing::make_sample_run();
    const std::optional<ServerReport> server = read_server_report(sample);  // made by hand: kept
    fs::remove_all(sample);
    testing::write_result_folder(sample, run);
    if (server) write_server_report(sample, *server);
    fs::remove_all(live);
    {
      ResultWriter writer(live);
      testing::start_result_folder(writer, run);
      for (std::size_t i = 0; i < 6; ++i) writer.append_history(run.history[i]);
    }
    const std::string torn = to_json(run.history[6]).dump();
    spit(live / "history.jsonl", torn.substr(0, torn.size() / 2), std::ios::app);
    fs::remove_all(corrupt);
    fs::create_directories(corrupt);
    fs::copy_file(sample / "run.json", corrupt / "run.json");
    const std::string stats = slurp(sample / "stats.json");
    spit(corrupt / "stats.json", stats.substr(0, stats.size() / 3));  // cut mid-document
  }
  testing::expect_same_result(read_result_folder(sample), testing::make_sample_run());
}

// The version-1 folders were saved before the format changed (sample-run-v1 is sample-run
// as it was; lab-run-v1 and lab-warmup-v1 came from a real `stampede lab`). They read into
// the same values as today's folders, the typed run information included.
TEST(ResultFixtures, Version1SampleRunReadsAsTheSample) {
  RunResult expected = testing::make_sample_run();
  expected.info.format_version = 1;
  const RunResult v1 = read_result_folder(kFixtures / "sample-run-v1");
  testing::expect_same_result(v1, expected);
  EXPECT_TRUE(v1.warnings.empty());
  ASSERT_TRUE(v1.server.has_value());
  EXPECT_EQ(v1.server->shard_count, read_result_folder(kFixtures / "sample-run").server->shard_count);
}

TEST(ResultFixtures, Version1LabRunReadsIntoTheTypedFields) {
  const RunInfo info = read_result_folder(kFixtures / "lab-run-v1").info;
  EXPECT_EQ(info.format_version, 1);
  EXPECT_EQ(info.pid, 348);
  EXPECT_FALSE(info.load_shape);
  EXPECT_EQ(info.request_timeout_s, 30.0);
  EXPECT_EQ(info.connect_timeout_s, 5.0);
  EXPECT_EQ(info.stop_timeout_s, 10.0);
  EXPECT_EQ(info.transport, Transport::kNative);
  EXPECT_EQ(info.connections, Connections::kPerUser);
  EXPECT_EQ(info.open_files_limit, 20'000u);
  EXPECT_EQ(info.peak_users, 8);
  EXPECT_EQ(info.connections_opened, 8u);
  ASSERT_TRUE(info.lab.has_value());
  EXPECT_EQ(*info.lab, (LabRunInfo{.strategy = "hash", .store = "sqlite", .shards = 4, .folder = "20261207-lab"}));
  EXPECT_EQ(info.extra, json::object()) << "every key the engine and the lab wrote has its field";

  const RunInfo warm = read_result_folder(kFixtures / "lab-warmup-v1").info;
  ASSERT_TRUE(warm.lab.has_value());
  EXPECT_EQ(*warm.lab,
            (LabRunInfo{.strategy = "hash", .store = "sqlite", .shards = 4, .folder = "20261207-lab", .warmup = true}));
  EXPECT_EQ(warm.connections_opened, 7u);
  EXPECT_EQ(warm.extra, json::object());
}

// lab-run is lab-run-v1 read and written again: version 2 on disk, the same values read.
TEST(ResultFixtures, LabRunIsTheVersion1LabRunWrittenAsVersion2) {
  const fs::path v2 = kFixtures / "lab-run";
  const RunResult v1 = read_result_folder(kFixtures / "lab-run-v1");
  if (std::getenv("STAMPEDE_REGENERATE_FIXTURES") != nullptr) {
    fs::remove_all(v2);
    testing::write_result_folder(v2, v1);
    write_server_report(v2, v1.server.value());
  }
  const json run_json = json::parse(slurp(v2 / "run.json"));
  EXPECT_EQ(run_json.at("format_version"), 2);
  EXPECT_EQ(run_json.at("lab").at("folder"), "20261207-lab");
  EXPECT_EQ(run_json.at("extra"), json::object());
  RunResult expected = v1;
  expected.info.format_version = 2;
  const RunResult read = read_result_folder(v2);
  testing::expect_same_result(read, expected);
  ASSERT_TRUE(read.server.has_value());
  EXPECT_EQ(read.server->strategy, "hash");
  EXPECT_EQ(read.server->shards.size(), v1.server->shards.size());
}

TEST(ResultFixtures, LiveRunFixtureReadsAsRunning) {
  const RunResult live = read_result_folder(kFixtures / "live-run");
  EXPECT_EQ(live.info.status, "running");
  EXPECT_EQ(live.history.size(), 6u);  // the torn 7th line is ignored
  EXPECT_EQ(live.endpoints.size(), 3u);
  EXPECT_GT(live.aggregated.requests, 0u);
}

TEST(ResultFixtures, CorruptRunFixtureGivesErrorNamingStatsJson) {
  const std::string err = error_of([&] { read_result_folder(kFixtures / "corrupt-run"); });
  EXPECT_NE(err.find("corrupt-run/stats.json: invalid JSON"), std::string::npos) << err;
}

// A file torn inside a long string (an encoded histogram) gives a short, readable message:
// no library tag, and only the tail of what was read before the tear.
TEST(ResultFixtures, ATornFileGivesAShortMessage) {
  const fs::path dir = fs::temp_directory_path() / ("stampede-torn-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy_file(kFixtures / "sample-run" / "run.json", dir / "run.json");
  spit(dir / "stats.json", "{\"format_version\": 1, \"histogram\": \"" + std::string(5000, 'A'));
  const std::string err = error_of([&] { read_result_folder(dir); });
  fs::remove_all(dir);
  EXPECT_NE(err.find("stats.json: invalid JSON"), std::string::npos) << err;
  EXPECT_EQ(err.find("[json.exception"), std::string::npos) << err;
  EXPECT_LT(err.size(), 400u) << err;
}

}  // namespace
}  // namespace stampede::results
