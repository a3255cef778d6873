// SqliteStore: data-set management — catalog, stock cells, seeding, reset, meta. The
// request path is in sqlite_store.cpp.
#include <memory>
#include <mutex>
#include <string>

#include "reference-server/sqlite_store.h"
#include "reference-server/sqlite_store_impl.h"

namespace stampede::server {

namespace {

using sqlite::Connection;
using sqlite::Statement;

constexpr std::string_view kWinners =
    "SELECT coupon_id, user_id FROM coupon_results WHERE grab_status = 1";

}  // namespace

void SqliteStore::Impl::load_catalog() {
  auto next = std::make_unique<SqliteCatalog>();
  std::lock_guard lock(main_mutex);
  Statement users = main.prepare("SELECT id FROM users");
  while (users.step()) next->add_user(users.column_int64(0));
  Statement rooms = main.prepare("SELECT id, is_hot FROM live_rooms ORDER BY id");
  while (rooms.step()) next->add_room(rooms.column_int64(0), rooms.column_int64(1) != 0);
  Statement coupons = main.prepare("SELECT id, room_id, total_stock FROM coupons ORDER BY id");
  while (coupons.step()) {
    const auto id = coupons.column_int64(0);
    const auto total_stock = coupons.column_int64(2);
    if (!next->add_coupon(id, coupons.column_int64(1), total_stock)) continue;
    next->stock.resize(next->coupons.size());
    auto cell = std::make_unique<SqliteStockCell>();
    cell->remaining = total_stock;
    next->stock[static_cast<std::size_t>(id)] = std::move(cell);
  }
  catalog = std::move(next);
}

void SqliteStore::Impl::rebuild_stock_from_shards() {
  for (auto& shard : shards) {
    Statement winners = shard->writer.prepare(kWinners);
    while (winners.step()) {
      const auto coupon = winners.column_int64(0);
      if (coupon < 1 || static_cast<std::size_t>(coupon) >= catalog->stock.size()) continue;
      auto& cell = catalog->stock[static_cast<std::size_t>(coupon)];
      if (!cell) continue;
      if (cell->winners.insert(winners.column_int64(1)).second) cell->remaining -= 1;
    }
  }
}

void SqliteStore::Impl::write_meta(const StoreMeta& meta) {
  Statement put = main.prepare("INSERT OR REPLACE INTO stampede_meta(key, value) VALUES(?1, ?2)");
  for (const auto& [key, value] : to_meta_entries(meta)) put.bind(1, key).bind(2, value).run();
}

void SqliteStore::Impl::clear_shards() {
  for (auto& shard : shards) {
    std::lock_guard lock(shard->write_mutex);
    shard->writer.exec("DELETE FROM coupon_results; DELETE FROM stock_logs;");
  }
}

void SqliteStore::load(const Dataset& data, const StoreMeta& meta) {
  {
    std::lock_guard lock(impl_->main_mutex);
    Connection& db = impl_->main;
    // One transaction, prepared statements, no fsync while seeding (the data set can be
    // regenerated from its seed, so losing it in a crash costs nothing).
    db.exec("PRAGMA synchronous=OFF; BEGIN;");
    try {
      db.exec("DELETE FROM coupon_details; DELETE FROM coupons; DELETE FROM live_rooms; "
              "DELETE FROM users; DELETE FROM stampede_meta;");
      Statement user = db.prepare("INSERT INTO users(id, name, level, created_at_ms) VALUES(?1, ?2, ?3, ?4)");
      for (const auto& u : data.users) {
        user.bind(1, u.id).bind(2, u.name).bind(3, static_cast<std::int64_t>(u.level))
            .bind(4, u.created_at_ms).run();
      }
      Statement room = db.prepare(
          "INSERT INTO live_rooms(id, title, streamer_id, is_hot, created_at_ms) VALUES(?1, ?2, ?3, ?4, ?5)");
      for (const auto& r : data.rooms) {
        room.bind(1, r.id).bind(2, r.title).bind(3, r.streamer_id).bind(4, r.hot ? 1 : 0)
            .bind(5, r.created_at_ms).run();
      }
      Statement coupon = db.prepare(
          "INSERT INTO coupons(id, room_id, name, amount_cents, min_spend_cents, total_stock, "
          "start_ms, end_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
      for (const auto& c : data.coupons) {
        coupon.bind(1, c.id).bind(2, c.room_id).bind(3, c.name).bind(4, c.amount_cents)
            .bind(5, c.min_spend_cents).bind(6, c.total_stock).bind(7, c.start_ms)
            .bind(8, c.end_ms).run();
      }
      Statement detail = db.prepare(
          "INSERT INTO coupon_details(coupon_id, description, usage_rules) VALUES(?1, ?2, ?3)");
      for (const auto& d : data.details) {
        detail.bind(1, d.coupon_id).bind(2, d.description).bind(3, d.usage_rules).run();
      }
      impl_->write_meta(meta);
      db.exec("COMMIT; PRAGMA synchronous=NORMAL;");
    } catch (...) {
      try {
        db.exec("ROLLBACK; PRAGMA synchronous=NORMAL;");
      } catch (...) {
      }
      throw;
    }
  }
  impl_->clear_shards();
  impl_->load_catalog();
}

void SqliteStore::reset(const StoreMeta& meta) {
  impl_->clear_shards();
  {
    std::lock_guard lock(impl_->main_mutex);
    impl_->write_meta(meta);
  }
  impl_->load_catalog();  // fresh stock cells: seeded stock, no winners
}

std::optional<StoreMeta> SqliteStore::meta() {
  std::lock_guard lock(impl_->main_mutex);
  Statement get = impl_->main.prepare("SELECT key, value FROM stampede_meta");
  MetaEntries rows;
  while (get.step()) rows.emplace_back(get.column_text(0), get.column_text(1));
  return parse_meta(rows);
}

}  // namespace stampede::server
