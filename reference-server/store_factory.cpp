#include "reference-server/store_factory.h"

#include "reference-server/sqlite_store.h"

#ifdef STAMPEDE_HAVE_MYSQL_STORE
#include "reference-server/mysql_store.h"
#include "reference-server/queue_write_path.h"
#include "reference-server/redis_cache.h"
#endif

namespace stampede::server {

namespace {

#ifdef STAMPEDE_HAVE_MYSQL_STORE
// The stack's settings: stack.env + environment first; settings from the config file
// override them. Without stack.env, the config file must name `required` (a key).
MysqlStoreOptions mysql_options(const ServerConfig& config, std::string_view required) {
  const auto lookup = [&](std::string_view key) -> std::optional<std::string> {
    const auto it = config.store_settings.find(std::string(key));
    if (it == config.store_settings.end()) return std::nullopt;
    return it->second;
  };
  MysqlStoreOptions options;
  try {
    options = MysqlStoreOptions::from_environment();
  } catch (const StoreError&) {
    if (!lookup(required)) throw;
    options = MysqlStoreOptions{};
    options.settings.source = "config file";
  }
  apply_settings(options.settings, lookup);
  return options;
}

std::unique_ptr<Store> open_mysql(const ServerConfig& config) {
  MysqlStoreOptions options = mysql_options(config, "STAMPEDE_MYSQL_MAIN");
  options.shard_latency = shard_latency(config);
  if (config.pool_size > 0) options.pool_size = config.pool_size;
  options.read_from_replicas = config.read_from == "replicas";
  return std::make_unique<MysqlStore>(options);
}
#endif

}  // namespace

bool mysql_store_available() {
#ifdef STAMPEDE_HAVE_MYSQL_STORE
  return true;
#else
  return false;
#endif
}

std::unique_ptr<Store> open_store(const ServerConfig& config) {
  if (config.store == "sqlite") {
    return std::make_unique<SqliteStore>(SqliteStoreOptions{config.data_dir, config.shards, 0},
                                         shard_latency(config));
  }
  if (config.store == "mysql") {
#ifdef STAMPEDE_HAVE_MYSQL_STORE
    return open_mysql(config);
#else
    throw StoreError(
        "mysql store not built: this stampede-server has no MysqlStore "
        "(reference-server/mysql_store.h); use --store sqlite");
#endif
  }
  throw StoreError("unknown store '" + config.store + "' (expected sqlite or mysql)");
}

std::unique_ptr<GrabQueue> open_grab_queue(const ServerConfig& config, Store& store,
                                           std::function<void(std::string_view)> log) {
  if (config.write_path != "queue") return nullptr;
#ifdef STAMPEDE_HAVE_MYSQL_STORE
  if (store.kind() != "mysql") throw StoreError("--write-path queue: needs --store mysql");
  QueueWritePathOptions options;
  options.settings = mysql_options(config, "STAMPEDE_MYSQL_MAIN").settings;
  options.amqp = QueueWritePathOptions::resolve_amqp(config.amqp);
  options.consumers = config.consumers;
  if (config.pool_size > 0) options.pool_size = config.pool_size;
  options.shard_latency = shard_latency(config);
  options.log = std::move(log);
  return std::make_unique<QueueWritePath>(store, std::move(options));
#else
  (void)store;
  (void)log;
  throw StoreError("--write-path queue: this stampede-server was built without the mysql store");
#endif
}

std::unique_ptr<ReadCache> open_read_cache(const ServerConfig& config, const Store& store) {
  if (config.cache == "memory") return std::make_unique<MemoryCache>(cache_ttl(config));
  if (config.cache != "redis") return nullptr;
#ifdef STAMPEDE_HAVE_MYSQL_STORE
  MysqlSettings settings;
  try {
    settings = mysql_options(config, "STAMPEDE_REDIS").settings;
  } catch (const StoreError& e) {
    throw StoreError(std::string("--cache redis: no Redis to use (start fixtures/stack, or set "
                                 "STAMPEDE_REDIS=host:port): ") + e.what());
  }
  return std::make_unique<RedisCache>(settings.redis, "stampede:" + store.main_address() + ":cache:",
                                      cache_ttl(config));
#else
  (void)store;
  throw StoreError("--cache redis: this stampede-server was built without Redis; use --cache memory");
#endif
}

}  // namespace stampede::server
