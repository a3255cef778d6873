// Thin RAII wrappers over the SQLite C API: a connection and a prepared statement.
// Parameterised SQL only: values are always bound, never spliced into SQL text.
//
// Errors: every failure throws StoreError with SQLite's message and the SQL involved.
// Thread-safety: a Connection and its Statements belong to one thread at a time (the
// store hands them out under a mutex); SQLite is opened in multi-thread mode (NOMUTEX).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace stampede::server::sqlite {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, std::string_view sql);  // prepared once, reused (persistent)
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view text);  // copied by SQLite (TRANSIENT)

  // Runs one step: true when a row is available, false when done. Throws on error.
  bool step();
  // Steps to completion (for statements without a result), then resets.
  void run();
  // Resets for reuse and clears bindings.
  void reset();

  std::int64_t column_int64(int column) const;  // 0-based
  std::string column_text(int column) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
};

class Connection {
 public:
  enum class Mode { read_write_create, read_only };

  Connection() = default;
  Connection(const std::string& path, Mode mode);
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one or more statements without parameters (schema, PRAGMAs, BEGIN/COMMIT).
  void exec(std::string_view sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  std::int64_t last_insert_rowid() const;
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace stampede::server::sqlite
