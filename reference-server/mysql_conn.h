// A thin layer over MariaDB Connector/C for the MySQL store: one connection with its own
// cache of prepared statements, and a bounded pool of connections per database instance.
//
// Only prepared statements take values: every value goes through a `?` placeholder
// (Param), never into SQL text. exec()/query_text() run fixed SQL without values (DDL,
// transaction control, reads of whole tables).
//
// Errors: every failure throws mysql::Error carrying the client/server error number;
// connection_lost() tells "the server is unreachable or went away" (the caller turns that
// into ShardUnavailable) from an SQL error. A Connection that threw a connection-lost error
// must not be reused: Lease::discard() it.
//
// Thread-safety: a Connection is used by one thread at a time (the pool hands it out
// exclusively). Pool is thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "reference-server/mysql_settings.h"

struct st_mysql;
struct st_mysql_stmt;

namespace stampede::server::mysql {

class Error : public std::runtime_error {
 public:
  Error(unsigned code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  unsigned code() const noexcept { return code_; }
  // Unreachable server, lost connection, server shutting down.
  bool connection_lost() const noexcept;

 private:
  unsigned code_;
};

// A value for one `?` placeholder. string_view must stay valid during the call.
using Param = std::variant<std::int64_t, std::string_view>;
using Row = std::vector<std::int64_t>;

struct ConnectOptions {
  MysqlEndpoint endpoint;
  std::string user;
  std::string password;
  std::chrono::seconds connect_timeout{2};
  std::chrono::seconds io_timeout{10};  // read and write timeout per network operation
};

class Connection {
 public:
  explicit Connection(const ConnectOptions& options);  // connects; throws Error
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Prepares `sql` once per connection (cached by text), binds `params`, executes.
  // Returns the affected row count.
  std::uint64_t execute(std::string_view sql, std::span<const Param> params);
  // Same, for a SELECT whose every column is an integer (or NULL, read as 0); returns
  // all rows, each with `columns` values.
  std::vector<Row> query(std::string_view sql, std::span<const Param> params, int columns);
  // AUTO_INCREMENT id of the last INSERT through execute().
  std::int64_t last_insert_id() const { return last_insert_id_; }

  void exec(std::string_view sql);  // fixed SQL, no values
  // Fixed SQL; every value as text (NULL as ""). `columns`, when given, gets the column names.
  std::vector<std::vector<std::string>> query_text(std::string_view sql, std::vector<std::string>* columns = nullptr);
  void set_autocommit(bool on);
  void commit();
  void rollback() noexcept;

 private:
  st_mysql_stmt* statement(std::string_view sql);
  [[noreturn]] void fail(std::string_view what);
  [[noreturn]] void fail_statement(st_mysql_stmt* stmt, std::string_view what);

  st_mysql* db_ = nullptr;
  std::unordered_map<std::string, st_mysql_stmt*> statements_;
  std::int64_t last_insert_id_ = 0;
};

// Up to `max_size` connections to one instance, created on demand (so a pool to a server
// that is down holds nothing and costs nothing; it reconnects when the server returns).
class Pool {
 public:
  Pool(ConnectOptions options, int max_size);
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Connection> connection);
    ~Lease();
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Connection* operator->() const { return connection_.get(); }
    Connection& operator*() const { return *connection_; }
    // The connection is broken: close it instead of returning it, and close the pool's
    // idle connections too (after a server restart they are all dead).
    void discard() noexcept;

   private:
    Pool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  // An idle connection, a new one (when fewer than max_size exist), or waits up to
  // `wait` for one to be returned. Throws Error when connecting fails, or a
  // connection-lost Error (code 2002) when the wait times out.
  Lease acquire(std::chrono::milliseconds wait = std::chrono::seconds(10));

  void drop_idle() noexcept;
  int size() const;    // open connections (idle + leased)
  int in_use() const;  // leased now
  const ConnectOptions& options() const { return options_; }

 private:
  void give_back(std::unique_ptr<Connection> connection, bool broken) noexcept;

  ConnectOptions options_;
  int max_size_;
  mutable std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
  int leased_ = 0;
};

}  // namespace stampede::server::mysql
