// Opens the Store named by the settings: "sqlite" (SqliteStore under data_dir) or "mysql"
// (MysqlStore from reference-server/mysql_store.h, configured by store_settings, when it is
// built). Throws StoreError with a message fit for the user when the store cannot be opened
// or is not available in this build.
#pragma once

#include <memory>

#include "reference-server/server_config.h"
#include "reference-server/store.h"

namespace stampede::server {

std::unique_ptr<Store> open_store(const ServerConfig& config);

// True when this build contains the mysql store.
bool mysql_store_available();

}  // namespace stampede::server
