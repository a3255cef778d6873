// SqliteStore: the Store contract (store_contract_test.cpp) on files in a scratch folder,
// and what only the embedded store does.
#include "reference-server/sqlite_store.h"

#include <gtest/gtest.h>

#include "reference-server/sqlite_db.h"
#include "reference-server/tests/store_contract.h"
#include "reference-server/tests/temp_dir.h"

namespace stampede::server::testing {
namespace {

class SqliteBackend : public StoreBackend {
 public:
  std::unique_ptr<Store> open() override {
    return std::make_unique<SqliteStore>(SqliteStoreOptions{dir_.path(), 4, 0});
  }
  // Each instance keeps its own stock in-process (sqlite_store.h).
  int instances_sharing_stock() const override { return 1; }
  std::string shard_address(int shard) const override {
    return (dir_.path() / ("shard-" + std::to_string(shard) + ".db")).string();
  }
  void take_shard_down(Store& store, int shard) override { store.set_shard_offline(shard, true); }
  void bring_shard_back(Store& store, int shard) override { store.set_shard_offline(shard, false); }
  StockLogTotals stock_logs(std::int64_t coupon_id) override {
    StockLogTotals totals;
    for (int k = 0; k < 4; ++k) {
      sqlite::Connection db(shard_address(k), sqlite::Connection::Mode::read_only);
      auto st = db.prepare("SELECT COUNT(*), COALESCE(SUM(change), 0) FROM stock_logs WHERE coupon_id = ?1");
      st.bind(1, coupon_id);
      if (st.step()) {
        totals.rows += st.column_int64(0);
        totals.change += st.column_int64(1);
      }
    }
    return totals;
  }

 private:
  TempDir dir_;
};

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract,
                         ::testing::Values(StoreBackendParam{
                             "sqlite", [] { return std::make_unique<SqliteBackend>(); }}));

class SqliteStoreTest : public StoreTest {
 protected:
  std::unique_ptr<StoreBackend> make_backend() override { return std::make_unique<SqliteBackend>(); }
};

TEST_F(SqliteStoreTest, KeepsStockInProcessAndTakesShardsOfflineOnRequest) {
  EXPECT_EQ(store_->kind(), "sqlite");
  EXPECT_TRUE(store_->stock_is_in_process());  // the server answers stock on its event loop
  EXPECT_TRUE(store_->can_set_shard_offline());
  EXPECT_THROW(store_->set_shard_offline(4, true), StoreError);
  EXPECT_THROW(store_->set_shard_offline(-1, true), StoreError);
  store_->set_shard_offline(3, true);
  EXPECT_THROW(store_->global_stats({3}), ShardUnavailable);
  EXPECT_EQ(store_->shard_status()[3].error, "offline");
  store_->set_shard_offline(3, false);
  EXPECT_EQ(store_->global_stats({3}).value.at(0).total_grabs, 0);
}

}  // namespace
}  // namespace stampede::server::testing
