// Opens the Store named by the settings: "sqlite" (SqliteStore under data_dir) or "mysql"
// (MysqlStore from reference-server/mysql_store.h, configured by store_settings, when it is
// built). Throws StoreError with a message fit for the user when the store cannot be opened
// or is not available in this build. --shard-latency reaches both stores, --pool-size the
// mysql store (the embedded one opens reader connections as needed).
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "reference-server/grab_queue.h"
#include "reference-server/read_cache.h"
#include "reference-server/server_config.h"
#include "reference-server/store.h"

namespace stampede::server {

std::unique_ptr<Store> open_store(const ServerConfig& config);

// The read cache --cache asks for: nullptr for off, a MemoryCache, or a RedisCache on the
// stack's Redis (settings as the mysql store finds them) under a prefix named after
// `store`'s main database. Throws StoreError when redis is asked for but no Redis is
// configured or built in. Does not connect (RedisCache connects on first use).
std::unique_ptr<ReadCache> open_read_cache(const ServerConfig& config, const Store& store);

// The queued write path --write-path queue asks for (grab_queue.h): nullptr for sync, else a
// QueueWritePath on the mysql stack (settings as the store finds them) and the broker of
// --amqp / STAMPEDE_AMQP (stack.env's, else amqp://guest:guest@127.0.0.1:5672/), with
// --consumers consumer threads. `log` receives the consumers' problems. Throws StoreError
// when the broker cannot be reached (naming it and what to run) or the store is not mysql.
std::unique_ptr<GrabQueue> open_grab_queue(const ServerConfig& config, Store& store,
                                           std::function<void(std::string_view)> log);

// True when this build contains the mysql store.
bool mysql_store_available();

}  // namespace stampede::server
