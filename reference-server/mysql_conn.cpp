#include "reference-server/mysql_conn.h"

#include <mysql.h>

#include <cstring>

namespace stampede::server::mysql {

namespace {

// Client (CR_*) and server (ER_*) error numbers that mean "no usable connection".
constexpr unsigned kLostCodes[] = {
    2002,  // CR_CONNECTION_ERROR (socket / refused)
    2003,  // CR_CONN_HOST_ERROR
    2006,  // CR_SERVER_GONE_ERROR
    2013,  // CR_SERVER_LOST
    2055,  // CR_SERVER_LOST_EXTENDED
    1053,  // ER_SERVER_SHUTDOWN
    1927,  // ER_CONNECTION_KILLED
    4031,  // ER_CLIENT_INTERACTION_TIMEOUT
};

void library_init_once() {
  // mysql_library_init is not thread-safe; mysql_init would call it lazily from whatever
  // thread connects first.
  static const int rc = mysql_library_init(0, nullptr, nullptr);
  (void)rc;
}

}  // namespace

bool Error::connection_lost() const noexcept {
  for (auto code : kLostCodes) {
    if (code == code_) return true;
  }
  return false;
}

Connection::Connection(const ConnectOptions& options) {
  library_init_once();
  db_ = mysql_init(nullptr);
  if (db_ == nullptr) throw Error(2008, "mysql_init: out of memory");
  const unsigned connect_s = static_cast<unsigned>(options.connect_timeout.count());
  const unsigned io_s = static_cast<unsigned>(options.io_timeout.count());
  mysql_optionsv(db_, MYSQL_OPT_CONNECT_TIMEOUT, &connect_s);
  mysql_optionsv(db_, MYSQL_OPT_READ_TIMEOUT, &io_s);
  mysql_optionsv(db_, MYSQL_OPT_WRITE_TIMEOUT, &io_s);
  my_bool no = 0;
  mysql_optionsv(db_, MYSQL_OPT_RECONNECT, &no);  // we reconnect by replacing connections
  mysql_optionsv(db_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if (mysql_real_connect(db_, options.endpoint.host.c_str(), options.user.c_str(),
                         options.password.c_str(), options.endpoint.database.c_str(),
                         static_cast<unsigned>(options.endpoint.port), nullptr, 0) == nullptr) {
    Error error(mysql_errno(db_), options.endpoint.address() + ": " + mysql_error(db_));
    mysql_close(db_);
    db_ = nullptr;
    throw error;
  }
}

Connection::~Connection() {
  for (auto& [sql, stmt] : statements_) mysql_stmt_close(stmt);
  if (db_ != nullptr) mysql_close(db_);
}

void Connection::fail(std::string_view what) {
  throw Error(mysql_errno(db_), std::string(what) + ": " + mysql_error(db_));
}

void Connection::fail_statement(st_mysql_stmt* stmt, std::string_view what) {
  throw Error(mysql_stmt_errno(stmt), std::string(what) + ": " + mysql_stmt_error(stmt));
}

st_mysql_stmt* Connection::statement(std::string_view sql) {
  const std::string key(sql);
  if (auto it = statements_.find(key); it != statements_.end()) return it->second;
  MYSQL_STMT* stmt = mysql_stmt_init(db_);
  if (stmt == nullptr) fail("mysql_stmt_init");
  if (mysql_stmt_prepare(stmt, key.data(), key.size()) != 0) {
    Error error(mysql_stmt_errno(stmt), "prepare: " + std::string(mysql_stmt_error(stmt)));
    mysql_stmt_close(stmt);
    throw error;
  }
  statements_.emplace(key, stmt);
  return stmt;
}

namespace {

// Storage that MYSQL_BIND points into; lives for one execute.
struct Bound {
  std::vector<MYSQL_BIND> binds;
  std::vector<long long> ints;
  std::vector<unsigned long> lengths;

  explicit Bound(std::span<const Param> params)
      : binds(params.size()), ints(params.size()), lengths(params.size()) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      MYSQL_BIND& b = binds[i];
      std::memset(&b, 0, sizeof b);
      if (const auto* value = std::get_if<std::int64_t>(&params[i])) {
        ints[i] = *value;
        b.buffer_type = MYSQL_TYPE_LONGLONG;
        b.buffer = &ints[i];
      } else {
        const auto text = std::get<std::string_view>(params[i]);
        lengths[i] = text.size();
        b.buffer_type = MYSQL_TYPE_STRING;
        b.buffer = const_cast<char*>(text.data());
        b.buffer_length = text.size();
        b.length = &lengths[i];
      }
    }
  }
};

}  // namespace

std::uint64_t Connection::execute(std::string_view sql, std::span<const Param> params) {
  MYSQL_STMT* stmt = statement(sql);
  if (mysql_stmt_param_count(stmt) != params.size()) {
    throw Error(2034, "execute: statement wants " + std::to_string(mysql_stmt_param_count(stmt)) +
                          " values, got " + std::to_string(params.size()));
  }
  Bound bound(params);
  if (!params.empty() && mysql_stmt_bind_param(stmt, bound.binds.data()) != 0) {
    fail_statement(stmt, "bind");
  }
  if (mysql_stmt_execute(stmt) != 0) fail_statement(stmt, "execute");
  last_insert_id_ = static_cast<std::int64_t>(mysql_stmt_insert_id(stmt));
  return mysql_stmt_affected_rows(stmt);
}

std::vector<Row> Connection::query(std::string_view sql, std::span<const Param> params,
                                   int columns) {
  MYSQL_STMT* stmt = statement(sql);
  if (mysql_stmt_param_count(stmt) != params.size() ||
      mysql_stmt_field_count(stmt) != static_cast<unsigned>(columns)) {
    throw Error(2034, "query: placeholder or column count mismatch for: " + std::string(sql));
  }
  Bound bound(params);
  if (!params.empty() && mysql_stmt_bind_param(stmt, bound.binds.data()) != 0) {
    fail_statement(stmt, "bind");
  }
  if (mysql_stmt_execute(stmt) != 0) fail_statement(stmt, "execute");

  std::vector<long long> values(static_cast<std::size_t>(columns));
  std::vector<my_bool> nulls(static_cast<std::size_t>(columns));
  std::vector<MYSQL_BIND> out(static_cast<std::size_t>(columns));
  for (std::size_t c = 0; c < out.size(); ++c) {
    std::memset(&out[c], 0, sizeof out[c]);
    out[c].buffer_type = MYSQL_TYPE_LONGLONG;
    out[c].buffer = &values[c];
    out[c].is_null = &nulls[c];
  }
  if (mysql_stmt_bind_result(stmt, out.data()) != 0) {
    mysql_stmt_free_result(stmt);
    fail_statement(stmt, "bind result");
  }
  std::vector<Row> rows;
  for (;;) {
    const int rc = mysql_stmt_fetch(stmt);
    if (rc == MYSQL_NO_DATA) break;
    if (rc == 1) {
      Error error(mysql_stmt_errno(stmt), "fetch: " + std::string(mysql_stmt_error(stmt)));
      mysql_stmt_free_result(stmt);
      throw error;
    }
    Row row(static_cast<std::size_t>(columns));
    for (std::size_t c = 0; c < row.size(); ++c) row[c] = nulls[c] ? 0 : values[c];
    rows.push_back(std::move(row));
  }
  mysql_stmt_free_result(stmt);
  return rows;
}

void Connection::exec(std::string_view sql) {
  if (mysql_real_query(db_, sql.data(), sql.size()) != 0) fail("query");
  // Drain any result so the connection stays in sync.
  do {
    if (MYSQL_RES* res = mysql_store_result(db_)) mysql_free_result(res);
  } while (mysql_next_result(db_) == 0);
  if (mysql_errno(db_) != 0) fail("query");
}

std::vector<std::vector<std::string>> Connection::query_text(std::string_view sql, std::vector<std::string>* columns) {
  if (mysql_real_query(db_, sql.data(), sql.size()) != 0) fail("query");
  MYSQL_RES* res = mysql_store_result(db_);
  if (res == nullptr) {
    if (mysql_errno(db_) != 0) fail("store result");
    return {};
  }
  std::vector<std::vector<std::string>> rows;
  const unsigned fields = mysql_num_fields(res);
  if (columns != nullptr) {
    columns->clear();
    const MYSQL_FIELD* field = mysql_fetch_fields(res);
    for (unsigned f = 0; f < fields; ++f) columns->emplace_back(field[f].name, field[f].name_length);
  }
  while (MYSQL_ROW row = mysql_fetch_row(res)) {
    const unsigned long* lengths = mysql_fetch_lengths(res);
    std::vector<std::string> values;
    for (unsigned f = 0; f < fields; ++f) {
      values.emplace_back(row[f] != nullptr ? std::string(row[f], lengths[f]) : std::string());
    }
    rows.push_back(std::move(values));
  }
  mysql_free_result(res);
  return rows;
}

void Connection::set_autocommit(bool on) {
  if (mysql_autocommit(db_, on ? 1 : 0) != 0) fail("autocommit");
}

void Connection::commit() {
  if (mysql_commit(db_) != 0) fail("commit");
}

void Connection::rollback() noexcept { mysql_rollback(db_); }

// ---- pool ------------------------------------------------------------------------------

Pool::Pool(ConnectOptions options, int max_size)
    : options_(std::move(options)), max_size_(max_size < 1 ? 1 : max_size) {
  library_init_once();
}

Pool::Lease::Lease(Pool& pool, std::unique_ptr<Connection> connection)
    : pool_(&pool), connection_(std::move(connection)) {}

Pool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)) {}

Pool::Lease::~Lease() {
  if (connection_) pool_->give_back(std::move(connection_), false);
}

void Pool::Lease::discard() noexcept {
  if (connection_) pool_->give_back(std::move(connection_), true);
}

Pool::Lease Pool::acquire(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      ++leased_;
      return Lease(*this, std::move(connection));
    }
    if (open_ < max_size_) {
      ++open_;
      ++leased_;
      lock.unlock();
      try {
        return Lease(*this, std::make_unique<Connection>(options_));
      } catch (...) {
        lock.lock();
        --open_;
        --leased_;
        returned_.notify_one();
        throw;
      }
    }
    if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= max_size_) {
      throw Error(2002, options_.endpoint.address() + ": no free connection within " +
                            std::to_string(wait.count()) + " ms");
    }
  }
}

void Pool::give_back(std::unique_ptr<Connection> connection, bool broken) noexcept {
  std::vector<std::unique_ptr<Connection>> closing;
  {
    std::lock_guard lock(mutex_);
    --leased_;
    if (broken) {
      --open_;
      closing.swap(idle_);
      open_ -= static_cast<int>(closing.size());
      closing.push_back(std::move(connection));
    } else {
      idle_.push_back(std::move(connection));
    }
  }
  returned_.notify_all();
  // `closing` is destroyed here, outside the lock (closing a socket may block briefly).
}

void Pool::drop_idle() noexcept {
  std::vector<std::unique_ptr<Connection>> closing;
  {
    std::lock_guard lock(mutex_);
    closing.swap(idle_);
    open_ -= static_cast<int>(closing.size());
  }
  returned_.notify_all();
}

int Pool::size() const {
  std::lock_guard lock(mutex_);
  return open_;
}

int Pool::in_use() const {
  std::lock_guard lock(mutex_);
  return leased_;
}

}  // namespace stampede::server::mysql
