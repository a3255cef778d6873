#include "reference-server/store_factory.h"

#include "reference-server/sqlite_store.h"

namespace stampede::server {

bool mysql_store_available() { return false; }

std::unique_ptr<Store> open_store(const ServerConfig& config) {
  if (config.store == "sqlite") {
    return std::make_unique<SqliteStore>(SqliteStoreOptions{config.data_dir, config.shards, 0});
  }
  if (config.store == "mysql") {
    throw StoreError(
        "mysql store not built: this stampede-server has no MysqlStore "
        "(reference-server/mysql_store.h); use --store sqlite");
  }
  throw StoreError("unknown store '" + config.store + "' (expected sqlite or mysql)");
}

}  // namespace stampede::server
