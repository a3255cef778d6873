// stampede-transport-probe: runs a scenario's users over BeastUser (one keep-alive
// HTTP/1.1 connection each, Boost.Beast on Asio, no libcurl) on ONE io_context on ONE
// thread for a fixed time, with the engine's per-request statistics (StatsRecorder taken
// every second and merged, as the engine's aggregator does), then prints requests, req/s
// and the process's CPU time per request (getrusage user + sys, start-up included).
//
// Not the engine: no result folder, no live table, no history file; users start all at once
// unless --spawn-rate is given.
// Targets must be numeric loopback addresses (127.0.0.0/8, ::1): it is a local benchmark.
//
//   stampede-transport-probe -f bench/plain-get.json -H http://127.0.0.1:8080 -u 50 -t 10
//
// Exit codes: 0 success, 1 some requests failed, 2 usage or scenario error.
#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>

#include "bench/transport-probe/beast_user.h"
#include "generator/stats_recorder.h"
#include "results/histogram.h"
#include "scenarios/scenario.h"

namespace {
namespace asio = boost::asio;
using stampede::bench::BeastUser;
using stampede::bench::ProbeContext;
using Clock = std::chrono::steady_clock;

// How often the interval statistics are taken and merged (the engine's history period) and
// how often in-flight requests are checked against their deadlines.
constexpr auto kIntervalPeriod = std::chrono::seconds(1);
constexpr auto kTimeoutSweepPeriod = std::chrono::milliseconds(100);
// After the run time, users finish their request in flight; after this they are abandoned.
constexpr auto kStopTimeout = std::chrono::seconds(5);
constexpr auto kSpawnPeriod = std::chrono::milliseconds(10);

struct Options {
  std::string scenario_file;
  std::string host;
  int users = 50;
  double spawn_rate = 0;  // users per second; 0 = all at once
  double duration_s = 10;
  std::uint64_t seed = 1;
  int connect_timeout_ms = 5'000;
  int request_timeout_ms = 30'000;
  bool exact_timeouts = false;
};

struct Target {
  std::string address;
  std::uint16_t port = 0;
};

// "http://127.0.0.1:8080" -> {127.0.0.1, 8080}; "http://[::1]:8080" -> {::1, 8080}.
std::optional<Target> parse_host(std::string_view url, std::string& error) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    error = "only http:// is supported";
    return std::nullopt;
  }
  url.remove_prefix(kScheme.size());
  if (!url.empty() && url.back() == '/') url.remove_suffix(1);
  std::string_view host;
  std::string_view port;
  if (!url.empty() && url.front() == '[') {
    const std::size_t close = url.find(']');
    if (close == std::string_view::npos || url.substr(close + 1, 1) != ":") {
      error = "expected http://[v6-address]:port";
      return std::nullopt;
    }
    host = url.substr(1, close - 1);
    port = url.substr(close + 2);
  } else {
    const std::size_t colon = url.rfind(':');
    if (colon == std::string_view::npos) {
      error = "expected http://address:port";
      return std::nullopt;
    }
    host = url.substr(0, colon);
    port = url.substr(colon + 1);
  }
  Target t{std::string(host), 0};
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(t.address, ec);
  if (ec || !address.is_loopback()) {
    error = "the host must be a numeric loopback address (127.0.0.1 or ::1)";
    return std::nullopt;
  }
  unsigned value = 0;
  auto [end, perr] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (perr != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535) {
    error = "bad port";
    return std::nullopt;
  }
  t.port = static_cast<std::uint16_t>(value);
  return t;
}

// Everything taken from the recorder, merged: what the engine's aggregator keeps.
struct Totals {
  std::vector<std::uint64_t> requests;
  std::vector<std::uint64_t> failures;
  std::vector<std::uint64_t> content_bytes;
  std::vector<stampede::results::Histogram> latency;
  std::vector<std::vector<stampede::generator::ShardInterval>> shards;
  std::map<std::pair<std::uint32_t, std::string>, std::uint64_t> failure_table;
  std::uint64_t intervals = 0;

  explicit Totals(std::size_t endpoints)
      : requests(endpoints),
        failures(endpoints),
        content_bytes(endpoints),
        latency(endpoints),
        shards(endpoints) {}

  void merge(stampede::generator::Interval&& interval) {
    for (std::size_t i = 0; i < interval.endpoints.size(); ++i) {
      auto& e = interval.endpoints[i];
      requests[i] += e.requests;
      failures[i] += e.failures;
      content_bytes[i] += e.content_bytes;
      latency[i].merge(e.latency);
      if (shards[i].size() < e.shards.size()) shards[i].resize(e.shards.size());
      for (std::size_t k = 0; k < e.shards.size(); ++k) {
        auto& total = shards[i][k];
        total.count += e.shards[k].count;
        total.shard_time.merge(e.shards[k].shard_time);
        total.single_shard_requests += e.shards[k].single_shard_requests;
        total.single_shard_latency.merge(e.shards[k].single_shard_latency);
      }
    }
    for (auto& [key, count] : interval.failures) failure_table[key] += count;
    ++intervals;
  }
};

double seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; }

int run(const Options& opt, const Target& target) {
  const auto scenario = stampede::scenarios::Scenario::load(opt.scenario_file);
  const auto& endpoints = scenario.endpoints();

  asio::io_context io;
  stampede::generator::StatsRecorder recorder(endpoints.size());
  const std::string host_address =
      target.address.find(':') != std::string::npos ? "[" + target.address + "]" : target.address;
  ProbeContext ctx{.io = io,
                   .recorder = recorder,
                   .address = target.address,
                   .port = target.port,
                   .host_header = host_address + ":" + std::to_string(target.port),
                   .connect_timeout = std::chrono::milliseconds(opt.connect_timeout_ms),
                   .request_timeout = std::chrono::milliseconds(opt.request_timeout_ms),
                   .exact_timeouts = opt.exact_timeouts};

  std::vector<std::unique_ptr<BeastUser>> users;
  const auto counts = stampede::scenarios::distribute_users(scenario.user_classes(), opt.users);
  std::uint64_t seed = opt.seed;
  for (std::size_t c = 0; c < counts.size(); ++c) {
    for (int i = 0; i < counts[c]; ++i) {
      users.push_back(std::make_unique<BeastUser>(ctx, scenario.user_classes()[c], seed++));
    }
  }

  Totals totals(endpoints.size());
  asio::steady_timer interval_timer(io);
  asio::steady_timer sweep_timer(io);
  asio::steady_timer stop_timer(io);
  asio::steady_timer spawn_timer(io);
  std::size_t started = 0;
  bool stopping = false;
  bool ended = false;
  Clock::time_point end_time;

  std::function<void()> arm_interval = [&] {
    interval_timer.expires_after(kIntervalPeriod);
    interval_timer.async_wait([&](const boost::system::error_code& ec) {
      if (ec || ended) return;
      totals.merge(recorder.take());
      arm_interval();
    });
  };
  // Ends the run once every user is done; abandons the stragglers after kStopTimeout.
  Clock::time_point stop_deadline;
  std::function<void()> arm_sweep = [&] {
    sweep_timer.expires_after(kTimeoutSweepPeriod);
    sweep_timer.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      const auto now = Clock::now();
      if (stopping && now >= stop_deadline) {
        for (std::size_t i = 0; i < started; ++i) users[i]->abandon();
      }
      if (stopping && ctx.running_users == 0) {
        ended = true;
        end_time = now;
        interval_timer.cancel();
        return;
      }
      for (std::size_t i = 0; i < started; ++i) users[i]->expire(now);
      arm_sweep();
    });
  };

  const auto start_time = Clock::now();
  // Starts the users due by now at the spawn rate (all of them when there is none).
  std::function<void()> spawn = [&] {
    const double elapsed_s = std::chrono::duration<double>(Clock::now() - start_time).count();
    const std::size_t due =
        opt.spawn_rate > 0
            ? std::min(users.size(), static_cast<std::size_t>(elapsed_s * opt.spawn_rate) + 1)
            : users.size();
    for (; started < due && !stopping; ++started) users[started]->start();
    if (started == users.size() || stopping) return;
    spawn_timer.expires_after(kSpawnPeriod);
    spawn_timer.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) spawn();
    });
  };
  spawn();
  arm_interval();
  arm_sweep();
  stop_timer.expires_after(std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(opt.duration_s)));
  stop_timer.async_wait([&](const boost::system::error_code& ec) {
    if (ec) return;
    stopping = true;
    stop_deadline = Clock::now() + kStopTimeout;
    spawn_timer.cancel();
    for (std::size_t i = 0; i < started; ++i) users[i]->stop();
  });
  io.run();
  totals.merge(recorder.take());

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double user_s = seconds(usage.ru_utime);
  const double sys_s = seconds(usage.ru_stime);
  const double elapsed_s = std::chrono::duration<double>(end_time - start_time).count();

  std::uint64_t requests = 0;
  std::uint64_t failures = 0;
  stampede::results::Histogram all;
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    requests += totals.requests[i];
    failures += totals.failures[i];
    all.merge(totals.latency[i]);
  }
  const double cpu_us = requests ? (user_s + sys_s) * 1e6 / static_cast<double>(requests) : 0;

  std::printf("scenario %s, %d users, %.1f s, %s:%u, 1 thread (Beast over Asio)\n",
              scenario.name().c_str(), opt.users, opt.duration_s, target.address.c_str(),
              target.port);
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    if (totals.requests[i] == 0) continue;
    const auto& h = totals.latency[i];
    std::printf("  %-5s %-40s %9llu req %7llu fail  p50 %6llu us  p99 %6llu us  max %7llu us\n",
                endpoints[i].method.c_str(), endpoints[i].name.c_str(),
                static_cast<unsigned long long>(totals.requests[i]),
                static_cast<unsigned long long>(totals.failures[i]),
                static_cast<unsigned long long>(h.value_at_percentile(50)),
                static_cast<unsigned long long>(h.value_at_percentile(99)),
                static_cast<unsigned long long>(h.max()));
    for (std::size_t k = 0; k < totals.shards[i].size(); ++k) {
      const auto& shard = totals.shards[i][k];
      if (shard.count == 0) continue;
      std::printf("        shard %zu: %llu entries, mean shard time %.0f us, %llu single-shard requests\n",
                  k, static_cast<unsigned long long>(shard.count), shard.shard_time.mean(),
                  static_cast<unsigned long long>(shard.single_shard_requests));
    }
  }
  for (const auto& [key, count] : totals.failure_table) {
    std::printf("  failure %s %s: %s x %llu\n", endpoints[key.first].method.c_str(),
                endpoints[key.first].name.c_str(), key.second.c_str(),
                static_cast<unsigned long long>(count));
  }
  std::printf(
      "RESULT requests=%llu failures=%llu elapsed_s=%.3f rps=%.0f user_s=%.3f sys_s=%.3f "
      "cpu_us_per_req=%.2f connections=%llu p50_us=%llu p99_us=%llu max_rss_kib=%ld "
      "intervals=%llu\n",
      static_cast<unsigned long long>(requests), static_cast<unsigned long long>(failures),
      elapsed_s, elapsed_s > 0 ? static_cast<double>(requests) / elapsed_s : 0.0, user_s, sys_s,
      cpu_us, static_cast<unsigned long long>(ctx.connections_opened),
      static_cast<unsigned long long>(all.value_at_percentile(50)),
      static_cast<unsigned long long>(all.value_at_percentile(99)), usage.ru_maxrss,
      static_cast<unsigned long long>(totals.intervals));
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"stampede-transport-probe: the engine's user loop over a Boost.Beast transport"};
  Options opt;
  app.add_option("-f,--scenario", opt.scenario_file, "scenario file (JSON)")->required();
  app.add_option("-H,--host", opt.host, "target, http://127.0.0.1:PORT (loopback only)")
      ->required();
  app.add_option("-u,--users", opt.users, "users (one connection each)")
      ->check(CLI::Range(1, 1'000'000));
  app.add_option("-r,--spawn-rate", opt.spawn_rate, "users started per second (0: all at once)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("-t,--duration", opt.duration_s, "run time in seconds")
      ->check(CLI::Range(0.1, 3600.0));
  app.add_option("--seed", opt.seed, "seed of the first user's random generator");
  app.add_option("--connect-timeout-ms", opt.connect_timeout_ms)->check(CLI::PositiveNumber);
  app.add_option("--request-timeout-ms", opt.request_timeout_ms, "when the scenario sets none")
      ->check(CLI::PositiveNumber);
  app.add_flag("--exact-timeouts", opt.exact_timeouts,
               "arm a timer per request at its deadline (besides the 100 ms sweep)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  std::string error;
  const auto target = parse_host(opt.host, error);
  if (!target) {
    std::fprintf(stderr, "stampede-transport-probe: -H %s: %s\n", opt.host.c_str(), error.c_str());
    return 2;
  }
  try {
    return run(opt, *target);
  } catch (const stampede::scenarios::ScenarioError& e) {
    for (const auto& p : e.problems()) std::fprintf(stderr, "%s\n", p.to_string().c_str());
    return 2;
  }
}
