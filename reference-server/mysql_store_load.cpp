// MysqlStore: data-set management — catalog, seeding, reset, meta, and the Redis stock
// (re)build. The request path is in mysql_store.cpp.
#include <array>
#include <chrono>
#include <thread>

#include "reference-server/mysql_store.h"
#include "reference-server/mysql_store_impl.h"

namespace stampede::server {

namespace {

using mysql::Param;

// Rows per multi-row INSERT: large enough that 100,000 users take ~50 round trips,
// small enough to stay far below max_allowed_packet and the 65,535 placeholder limit.
constexpr std::size_t kRowsPerInsert = 2000;

constexpr std::string_view kWinners =
    "SELECT coupon_id, user_id FROM coupon_results WHERE grab_status = 1";

std::string multi_row_insert(std::string_view head, int columns, std::size_t rows) {
  std::string tuple = "(";
  for (int c = 0; c < columns; ++c) tuple += c == 0 ? "?" : ",?";
  tuple += ")";
  std::string sql(head);
  sql += " VALUES";
  for (std::size_t r = 0; r < rows; ++r) {
    if (r > 0) sql += ',';
    sql += tuple;
  }
  return sql;
}

// Inserts `items` in batches; `row` appends one item's values to the parameter list.
template <class T, class RowFn>
void insert_all(mysql::Connection& db, std::string_view head, int columns,
                const std::vector<T>& items, RowFn row) {
  std::vector<Param> params;
  for (std::size_t begin = 0; begin < items.size(); begin += kRowsPerInsert) {
    const std::size_t end = std::min(items.size(), begin + kRowsPerInsert);
    params.clear();
    for (std::size_t i = begin; i < end; ++i) row(items[i], params);
    db.execute(multi_row_insert(head, columns, end - begin), params);
  }
}

}  // namespace

void MysqlStore::Impl::load_catalog() {
  auto next = std::make_unique<MysqlCatalog>();
  with_main([&](mysql::Connection& db) {
    for (const auto& r : db.query("SELECT id FROM users", {}, 1)) next->add_user(r[0]);
    for (const auto& r : db.query("SELECT id, is_hot FROM live_rooms ORDER BY id", {}, 2)) {
      next->add_room(r[0], r[1] != 0);
    }
    for (const auto& r : db.query("SELECT id, room_id, total_stock FROM coupons ORDER BY id", {}, 3)) {
      next->add_coupon(r[0], r[1], r[2]);
    }
  });
  catalog = std::move(next);
}

void MysqlStore::Impl::clear_shards() {
  ShardList all;
  for (int k = 0; k < static_cast<int>(shards.size()); ++k) all.push_back(k);
  fanout->run(all, [&](int k, std::size_t) {
    with_shard(k, true, [](mysql::Connection& db) {
      db.exec("TRUNCATE TABLE coupon_results");
      db.exec("TRUNCATE TABLE stock_logs");
    });
  });
}

void MysqlStore::Impl::write_meta(const StoreMeta& meta) {
  with_main([&](mysql::Connection& db) {
    for (const auto& [key, value] : to_meta_entries(meta)) {
      const std::array<Param, 2> params{std::string_view(key), std::string_view(value)};
      db.execute("REPLACE INTO stampede_meta(`key`, value) VALUES(?, ?)", params);
    }
  });
}

void MysqlStore::Impl::load_stock_from_catalog() {
  std::vector<RedisStock::CouponStock> stock;
  for (const auto& coupon : catalog->coupons) {
    if (coupon.coupon_id != 0) stock.push_back({coupon.coupon_id, coupon.total_stock, {}});
  }
  redis->load(stock);
}

void MysqlStore::Impl::ensure_stock() {
  using namespace std::chrono_literals;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (!redis->loaded()) {
    if (redis->try_lock(60s)) {
      try {
        if (!redis->loaded()) {
          // Stock = seeded stock minus the successes already on the shards.
          std::vector<RedisStock::CouponStock> stock(catalog->coupons.size());
          for (const auto& coupon : catalog->coupons) {
            auto& cell = stock[static_cast<std::size_t>(coupon.coupon_id)];
            cell.coupon_id = coupon.coupon_id;
            cell.remaining = coupon.total_stock;
          }
          ShardList all;
          for (int k = 0; k < static_cast<int>(shards.size()); ++k) all.push_back(k);
          std::vector<std::vector<mysql::Row>> winners(all.size());
          fanout->run(all, [&](int k, std::size_t slot) {
            with_shard(k, true, [&](mysql::Connection& db) { winners[slot] = db.query(kWinners, {}, 2); });
          });
          for (const auto& part : winners) {
            for (const auto& r : part) {
              if (r[0] < 1 || static_cast<std::size_t>(r[0]) >= stock.size()) continue;
              auto& cell = stock[static_cast<std::size_t>(r[0])];
              if (cell.coupon_id == 0) continue;
              cell.winners.push_back(r[1]);
              cell.remaining -= 1;
            }
          }
          std::erase_if(stock, [](const RedisStock::CouponStock& c) { return c.coupon_id == 0; });
          redis->load(stock);
        }
      } catch (...) {
        redis->unlock();
        throw;
      }
      redis->unlock();
      return;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw StoreError("mysql store: another process holds the stock rebuild lock for over 60 s");
    }
    std::this_thread::sleep_for(50ms);
  }
}

void MysqlStore::load(const Dataset& data, const StoreMeta& meta) {
  impl_->with_main([&](mysql::Connection& db) {
    for (const char* table : {"users", "live_rooms", "coupons", "coupon_details", "stampede_meta"}) {
      db.exec(std::string("TRUNCATE TABLE ") + table);
    }
    db.exec("BEGIN");
    try {
      insert_all(db, "INSERT INTO users(id, name, level, created_at_ms)", 4, data.users,
                 [](const UserRow& u, std::vector<Param>& p) {
                   p.insert(p.end(), {u.id, std::string_view(u.name),
                                      static_cast<std::int64_t>(u.level), u.created_at_ms});
                 });
      insert_all(db, "INSERT INTO live_rooms(id, title, streamer_id, is_hot, created_at_ms)", 5,
                 data.rooms, [](const RoomRow& r, std::vector<Param>& p) {
                   p.insert(p.end(), {r.id, std::string_view(r.title), r.streamer_id,
                                      std::int64_t{r.hot ? 1 : 0}, r.created_at_ms});
                 });
      insert_all(db,
                 "INSERT INTO coupons(id, room_id, name, amount_cents, min_spend_cents, "
                 "total_stock, start_ms, end_ms)",
                 8, data.coupons, [](const CouponRow& c, std::vector<Param>& p) {
                   p.insert(p.end(), {c.id, c.room_id, std::string_view(c.name), c.amount_cents,
                                      c.min_spend_cents, c.total_stock, c.start_ms, c.end_ms});
                 });
      insert_all(db, "INSERT INTO coupon_details(coupon_id, description, usage_rules)", 3,
                 data.details, [](const CouponDetailRow& d, std::vector<Param>& p) {
                   p.insert(p.end(), {d.coupon_id, std::string_view(d.description),
                                      std::string_view(d.usage_rules)});
                 });
      db.commit();
    } catch (...) {
      db.rollback();
      throw;
    }
  });
  impl_->write_meta(meta);
  impl_->clear_shards();
  impl_->load_catalog();
  impl_->load_stock_from_catalog();
}

void MysqlStore::reset(const StoreMeta& meta) {
  impl_->clear_shards();
  impl_->write_meta(meta);
  impl_->load_stock_from_catalog();
}

std::optional<StoreMeta> MysqlStore::meta() {
  MetaEntries rows;
  impl_->with_main([&](mysql::Connection& db) {
    for (auto& row : db.query_text("SELECT `key`, value FROM stampede_meta")) {
      if (row.size() == 2) rows.emplace_back(std::move(row[0]), std::move(row[1]));
    }
  });
  return parse_meta(rows);
}

}  // namespace stampede::server
