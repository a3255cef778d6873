#include "reference-server/store_factory.h"

#include "reference-server/sqlite_store.h"

#ifdef STAMPEDE_HAVE_MYSQL_STORE
#include "reference-server/mysql_store.h"
#endif

namespace stampede::server {

namespace {

#ifdef STAMPEDE_HAVE_MYSQL_STORE
std::unique_ptr<Store> open_mysql(const ServerConfig& config) {
  // stack.env + environment first; settings from the config file override them.
  const auto lookup = [&](std::string_view key) -> std::optional<std::string> {
    const auto it = config.store_settings.find(std::string(key));
    if (it == config.store_settings.end()) return std::nullopt;
    return it->second;
  };
  MysqlStoreOptions options;
  try {
    options = MysqlStoreOptions::from_environment();
  } catch (const StoreError&) {
    if (!lookup("STAMPEDE_MYSQL_MAIN")) throw;
    options = MysqlStoreOptions{};
    options.settings.source = "config file";
  }
  apply_settings(options.settings, lookup);
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
    return std::make_unique<SqliteStore>(SqliteStoreOptions{config.data_dir, config.shards, 0});
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

}  // namespace stampede::server
