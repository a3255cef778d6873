// stampede-server: wires settings, store, router and HTTP server together.
//
//   stampede-server [--store sqlite|mysql] [--strategy hash|range|time] [--port 8000]
//                   [--bind 127.0.0.1] [--data DIR] [--shards 4] [--threads N] [--config FILE]
//                   [--admin-token TOKEN] [--allowed-host NAME ...]
//                   [--shard-latency 1ms|0.2ms-2ms] [--pool-size N]
//                   [--cache off|memory|redis] [--cache-ttl 1s]
//                   [--rate-limit 5/s] [--rate-limit-burst 10] [--rate-limit-by user|address]
//   stampede-server seed [--store ...] [--data DIR] [--users 100000] [--seed N]
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "reference-server/admin_token.h"
#include "reference-server/http_server.h"
#include "reference-server/metrics.h"
#include "reference-server/router.h"
#include "reference-server/seeder.h"
#include "reference-server/server_config.h"
#include "reference-server/store_factory.h"

extern char** environ;

namespace {

using namespace stampede::server;

// Flags given on the command line, applied last (they override file and environment).
struct FlagSet {
  ServerConfig values;
  std::string strategy;
  std::string data;
  std::vector<std::pair<CLI::Option*, std::function<void(ServerConfig&)>>> setters;

  template <class T>
  void add(CLI::App& app, const std::string& name, T& field, T ServerConfig::*member,
           const std::string& help) {
    setters.emplace_back(app.add_option(name, field, help),
                         [&field, member](ServerConfig& c) { c.*member = field; });
  }
};

void add_store_flags(CLI::App& app, FlagSet& f) {
  f.add(app, "--store", f.values.store, &ServerConfig::store, "sqlite (default, embedded) or mysql");
  f.setters.emplace_back(
      app.add_option("--strategy", f.strategy, "hash | range | time (default hash)")
          ->check(CLI::IsMember({"hash", "range", "time"})),
      [&f](ServerConfig& c) { c.strategy = *parse_strategy(f.strategy); });
  f.setters.emplace_back(app.add_option("--data", f.data, std::string("data folder of the sqlite store (default ") +
                                                              kDefaultDataDir + ")"),
                         [&f](ServerConfig& c) { c.data_dir = f.data; });
  f.add(app, "--shards", f.values.shards, &ServerConfig::shards, "number of shards (default 4)");
  f.add(app, "--users", f.values.users, &ServerConfig::users, "users in a seeded data set (default 100000)");
  f.add(app, "--rooms", f.values.rooms, &ServerConfig::rooms, "live rooms in a seeded data set (default 100)");
  f.add(app, "--hot-rooms", f.values.hot_rooms, &ServerConfig::hot_rooms, "hot rooms 1..K (default 5)");
  f.add(app, "--coupons-per-room", f.values.coupons_per_room, &ServerConfig::coupons_per_room,
        "coupons per room (default 5; coupon c is in room (c-1)/K+1)");
  f.add(app, "--seed", f.values.seed, &ServerConfig::seed, "seed of the data set generator (default 42)");
}

void add_serve_flags(CLI::App& app, FlagSet& f) {
  f.add(app, "--port", f.values.port, &ServerConfig::port, "TCP port (default 8000; 0 picks a free one)");
  f.add(app, "--bind", f.values.bind, &ServerConfig::bind, "address to listen on (default 127.0.0.1)");
  f.add(app, "--threads", f.values.threads, &ServerConfig::threads, "event-loop threads (default: cores)");
  f.add(app, "--workers", f.values.workers, &ServerConfig::workers, "store worker threads (default max(16, 8*threads))");
  f.add(app, "--max-in-flight", f.values.max_in_flight, &ServerConfig::max_in_flight,
        "requests on the worker pool before shedding with 503 (default 1024)");
  f.add(app, "--time-bucket", f.values.time_bucket, &ServerConfig::time_bucket,
        "time strategy bucket length, e.g. 30m, 1h (default 1h)");
  f.add(app, "--range-starts", f.values.range_starts, &ServerConfig::range_starts,
        "range strategy: first room of shards 1..N-1 (default: even split)");
  f.setters.emplace_back(app.add_flag("--reset-on-mismatch", f.values.reset_on_mismatch,
                                      "if the data was routed with another strategy/shard count, "
                                      "empty the results and restore stock instead of refusing"),
                         [&f](ServerConfig& c) { c.reset_on_mismatch = f.values.reset_on_mismatch; });
  f.setters.emplace_back(
      app.add_option("--admin-token", f.values.admin_token,
                     "Bearer token the admin endpoints require (at least 16 characters; default: a random "
                     "one, written to <data>/admin-token; a given one removes that file's older token). "
                     "Needed with a non-loopback --bind. Other local users can read a command line: "
                     "STAMPEDE_SERVER_ADMIN_TOKEN keeps it out of the process list"),
      [&f](ServerConfig& c) {
        c.admin_token = f.values.admin_token;
        c.admin_token_source = AdminTokenSource::flag;
      });
  f.add(app, "--shard-latency", f.values.shard_latency, &ServerConfig::shard_latency,
        "a modelled network hop slept before every shard visit, holding the shard's connection: "
        "a duration (1ms) or a uniform range (0.2ms-2ms); part of the shard's Server-Timing. "
        "A model of a database on another host, not a measurement of one (default none)");
  f.add(app, "--pool-size", f.values.pool_size, &ServerConfig::pool_size,
        "mysql store: connections per database instance at most (default 16)");
  f.add(app, "--cache", f.values.cache, &ServerConfig::cache,
        "cache-aside for coupon stock, room stats, global stats and user coupons: off (default), "
        "memory (in-process, any store) or redis (the stack's Redis); a grab invalidates its coupon, "
        "room and user");
  f.add(app, "--cache-ttl", f.values.cache_ttl, &ServerConfig::cache_ttl,
        "how long a cached answer may be served, e.g. 500ms, 1s (default 1s): the most a cached "
        "stock can lag behind");
  f.add(app, "--read-from", f.values.read_from, &ServerConfig::read_from,
        "mysql store: where the read endpoints' shard queries go: primary (default) or replicas "
        "(round robin over fixtures/stack up --replicas N; writes stay on the primaries)");
  f.add(app, "--name", f.values.name, &ServerConfig::name,
        "a metric added to every answer's Server-Timing (e.g. srv-1), naming this server behind a "
        "load balancer (fixtures/stack up --servers N gives srv-1..srv-N; default none)");
  f.add(app, "--write-path", f.values.write_path, &ServerConfig::write_path,
        "sync (default: a grab writes its row) or queue (mysql store: Redis takes the stock, the grab is "
        "published to RabbitMQ with confirms and written by --consumers threads)");
  f.add(app, "--consumers", f.values.consumers, &ServerConfig::consumers,
        "--write-path queue: consumer threads writing queued grabs to the shards (default 2)");
  f.add(app, "--amqp", f.values.amqp, &ServerConfig::amqp,
        "--write-path queue: the broker, host:port or amqp://user:pass@host:port/vhost (default: "
        "STAMPEDE_AMQP, stack.env's, else amqp://guest:guest@127.0.0.1:5672/)");
  f.add(app, "--rate-limit", f.values.rate_limit, &ServerConfig::rate_limit,
        "a token bucket per key in front of /api, e.g. 5/s or 300/min: over it a request is answered 429 "
        "with Retry-After (default none)");
  f.add(app, "--rate-limit-burst", f.values.rate_limit_burst, &ServerConfig::rate_limit_burst,
        "--rate-limit: the bucket's size, requests a key may send at once (default one second of the rate)");
  f.add(app, "--rate-limit-by", f.values.rate_limit_by, &ServerConfig::rate_limit_by,
        "--rate-limit: the key, user (default: the body's user_id of a grab, the {id} of /api/user/{id}/coupons; "
        "other requests are not limited) or address (the client's IP: one load generator is one key)");
  f.add(app, "--allowed-host", f.values.allowed_hosts, &ServerConfig::allowed_hosts,
        "a Host name admin requests may use besides localhost/127.0.0.1/[::1] and the bind address "
        "(repeatable; e.g. the name other machines reach a --bind 0.0.0.0 server by)");
}

// The admin token (admin_token.h: the one given, else a new one in <data>/admin-token), and
// where it came from said once. Throws AdminTokenError when the file cannot be written or a
// stale one removed.
AdminTokenChoice admin_token_for(const ServerConfig& config) {
  AdminTokenChoice choice = choose_admin_token(config.admin_token, config.admin_token_source, config.data_dir);
  std::printf("%s\n", describe(choice).c_str());
  return choice;
}

// The causes of 503 and 500 answers, which the answers leave out.
void log_to_stderr(std::string_view line) {
  std::fprintf(stderr, "stampede-server: %.*s\n", static_cast<int>(line.size()), line.data());
}

std::vector<std::string> environment_names() {
  std::vector<std::string> names;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    names.push_back(entry.substr(0, entry.find('=')));
  }
  return names;
}

int run_seed(Store& store, const ServerConfig& config) {
  const auto start = std::chrono::steady_clock::now();
  seed_store(store, seed_config(config), config.strategy);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto meta = store.meta();
  std::printf("seeded %lld users, %lld rooms, %lld coupons (seed %llu) into the %s store at %s in %.2f s\n",
              static_cast<long long>(meta->users), static_cast<long long>(meta->rooms),
              static_cast<long long>(meta->coupons), static_cast<unsigned long long>(meta->seed),
              std::string(store.kind()).c_str(), store.main_address().c_str(), seconds);
  return 0;
}

// Makes sure the store holds a data set routed the way we are about to route.
bool prepare_data(Store& store, const ServerConfig& config) {
  auto meta = store.meta();
  if (!meta) {
    std::printf("store is empty: seeding the default data set first\n");
    run_seed(store, config);
    return true;
  }
  // A store seeded with another data set (e.g. a test's small one) than the flags ask for:
  // with --reset-on-mismatch (what the lab passes) it is seeded again, so the load's ids
  // exist; without, the stored one is served and the difference said.
  const SeedConfig wanted = seed_config(config);
  const bool same_data = meta->seed == wanted.seed && meta->users == wanted.users &&
                         meta->rooms == wanted.rooms && meta->coupons == wanted.rooms * wanted.coupons_per_room;
  if (!same_data) {
    std::printf("%s: the store holds data set seed %llu with %lld users, %lld rooms, %lld coupons; "
                "the flags ask for seed %llu with %lld users, %lld rooms, %lld coupons\n",
                config.reset_on_mismatch ? "--reset-on-mismatch" : "note",
                static_cast<unsigned long long>(meta->seed), static_cast<long long>(meta->users),
                static_cast<long long>(meta->rooms), static_cast<long long>(meta->coupons),
                static_cast<unsigned long long>(wanted.seed), static_cast<long long>(wanted.users),
                static_cast<long long>(wanted.rooms), static_cast<long long>(wanted.rooms * wanted.coupons_per_room));
    if (config.reset_on_mismatch) {
      run_seed(store, config);
      return true;
    }
    std::printf("  serving the stored data set (--reset-on-mismatch seeds the one asked for)\n");
  }
  const std::string strategy(to_string(config.strategy));
  if (meta->strategy == strategy && meta->shard_count == store.shard_count()) return true;
  std::int64_t rows = 0;
  for (const auto& status : store.shard_status()) rows += std::max<std::int64_t>(status.result_rows, 0);
  // Rows counted on the shards open now; with another shard count, rows may sit in files
  // or instances this run does not see, so only an explicit reset is safe then.
  const bool same_shards = meta->shard_count == store.shard_count();
  if ((rows == 0 && same_shards) || config.reset_on_mismatch) {
    std::printf("data was routed with strategy %s over %d shards; now %s over %d: %s\n",
                meta->strategy.c_str(), meta->shard_count, strategy.c_str(), store.shard_count(),
                config.reset_on_mismatch ? "resetting results and stock" : "no results stored yet, re-labelling");
    meta->strategy = strategy;
    meta->shard_count = store.shard_count();
    store.reset(*meta);
    return true;
  }
  std::fprintf(stderr,
               "stampede-server: the data at %s holds %lld results routed with strategy %s over %d "
               "shards, but this run uses %s over %d shards.\n"
               "  Those rows would be on the wrong shards. Either run with --reset-on-mismatch (empties "
               "results and logs, restores stock), POST /admin/reset first, or use another --data folder.\n",
               store.main_address().c_str(), static_cast<long long>(rows), meta->strategy.c_str(),
               meta->shard_count, strategy.c_str(), store.shard_count());
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"stampede-server: the reference coupon API (main database + N shards)"};
  FlagSet flags;
  std::string config_file;
  app.add_option("--config", config_file, "JSON settings file (flags override it)");
  add_store_flags(app, flags);
  add_serve_flags(app, flags);
  CLI::App* seed_cmd = app.add_subcommand("seed", "generate the deterministic data set and load it");
  FlagSet seed_flags;
  std::string seed_config_file;
  seed_cmd->add_option("--config", seed_config_file, "JSON settings file (flags override it)");
  add_store_flags(*seed_cmd, seed_flags);
  CLI11_PARSE(app, argc, argv);

  const bool seeding = seed_cmd->parsed();
  FlagSet& given = seeding ? seed_flags : flags;
  ServerConfig config;
  std::vector<std::string> problems;
  // `stampede-server --data X seed` means the same as `stampede-server seed --data X`:
  // flags before the subcommand apply to it too, flags after it win.
  const std::string& file = seeding && !seed_config_file.empty() ? seed_config_file : config_file;
  if (!file.empty()) load_config_file(config, file, problems);
  apply_environment(config, environment_names(), [](const char* name) { return std::getenv(name); });
  if (seeding) {
    for (auto& [option, set] : flags.setters) {
      if (option->count() > 0) set(config);
    }
  }
  for (auto& [option, set] : given.setters) {
    if (option->count() > 0) set(config);
  }
  validate_config(config, problems);
  if (!seeding) validate_serving(config, problems);
  if (!problems.empty()) {
    for (const auto& p : problems) std::fprintf(stderr, "stampede-server: %s\n", p.c_str());
    return 2;
  }

  try {
    std::unique_ptr<Store> store = open_store(config);
    if (store->shard_count() != config.shards) {  // the mysql stack decides its shard count
      std::printf("note: the %s store has %d shards (settings said %d); routing over %d\n",
                  std::string(store->kind()).c_str(), store->shard_count(), config.shards,
                  store->shard_count());
      config.shards = store->shard_count();
    }
    if (seeding) return run_seed(*store, config);
    if (!prepare_data(*store, config)) return 2;

    const auto meta = store->meta();
    RoutingConfig routing = routing_config(config, meta ? meta->rooms : 100, problems);
    if (!problems.empty()) {
      for (const auto& p : problems) std::fprintf(stderr, "stampede-server: %s\n", p.c_str());
      return 2;
    }
    Metrics metrics(store->shard_count());
    RouterOptions router_options;
    router_options.routing = routing;
    router_options.max_in_flight = config.max_in_flight;
    const AdminTokenChoice token = admin_token_for(config);
    router_options.admin = admin_policy(config, token.token);
    router_options.admin_token_source = std::string(to_string(token.source));
    router_options.log_error = log_to_stderr;
    const std::unique_ptr<ReadCache> cache = open_read_cache(config, *store);
    if (cache) {
      try {
        cache->clear();  // entries of an earlier server on other data (a Redis that outlived it)
      } catch (const CacheUnavailable& e) {
        std::printf("note: the cache is not reachable yet (%s); reads go to the database until it is\n", e.what());
      }
    }
    router_options.cache = cache.get();
    const std::unique_ptr<GrabQueue> grab_queue = open_grab_queue(config, *store, log_to_stderr);
    router_options.grab_queue = grab_queue.get();
    const RateLimitConfig limit = rate_limit_config(config);
    const std::unique_ptr<RateLimiter> limiter = limit.enabled() ? std::make_unique<RateLimiter>(limit) : nullptr;
    router_options.rate_limiter = limiter.get();
    if (store->can_set_shard_offline()) {
      router_options.set_shard_offline = [&store = *store](int k, bool off) { store.set_shard_offline(k, off); };
    }
    Router router(*store, router_options, metrics, nullptr);

    HttpServerOptions http;
    http.bind_address = config.bind;
    http.port = static_cast<std::uint16_t>(config.port);
    http.threads = config.threads;
    http.worker_threads = config.workers;
    http.max_in_flight = config.max_in_flight;
    http.max_body_bytes = router_options.max_body_bytes;
    http.handle_signals = true;
    http.server_name = config.name;
    http.rate_limiter = limiter.get();
    // An in-process stock is answered on the event loop, unless a Redis cache is asked first.
    if (store->stock_is_in_process() && config.cache != "redis") http.inline_endpoints = {Endpoint::coupon_stock};
    HttpServer server(router, metrics, http);
    server.start();
    std::printf("stampede-server listening on http://%s:%u\n"
                "  store %s at %s (%d shards), strategy %s, %d event-loop threads, pid %d\n"
                "  data: seed %llu, %lld users, %lld rooms, %lld coupons. Ctrl-C stops.\n",
                config.bind.c_str(), static_cast<unsigned>(server.port()), std::string(store->kind()).c_str(),
                store->main_address().c_str(), store->shard_count(), std::string(to_string(routing.strategy)).c_str(),
                server.threads(), static_cast<int>(::getpid()),
                static_cast<unsigned long long>(meta ? meta->seed : 0), static_cast<long long>(meta ? meta->users : 0),
                static_cast<long long>(meta ? meta->rooms : 0), static_cast<long long>(meta ? meta->coupons : 0));
    if (const auto latency = shard_latency(config); latency.enabled()) {
      std::printf("  shard latency %s before every shard visit (a modelled network hop, not a measured one)\n",
                  latency.describe().c_str());
    }
    if (cache) {
      std::printf("  cache %s, ttl %s (stock, room stats, global stats, user coupons)\n",
                  std::string(cache->kind()).c_str(), config.cache_ttl.c_str());
    }
    if (limiter) {
      std::printf("  rate limit %s, burst %lld, per %s (over it: 429 with Retry-After)\n", limit.rate_text.c_str(),
                  static_cast<long long>(limit.burst), std::string(to_string(limit.by)).c_str());
    }
    if (grab_queue) {
      std::printf("  write path queue: %d consumers (GET /admin/queue: the drain proof)\n", config.consumers);
    }
    std::fflush(stdout);
    server.wait();
    std::printf("stampede-server stopped\n");
    return 0;
  } catch (const std::system_error& e) {
    std::fprintf(stderr, "stampede-server: cannot listen on %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "stampede-server: %s\n", e.what());
    return 1;
  }
}
