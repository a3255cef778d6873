// The Store contract tests (store_contract_test.cpp), written once against the Store seam
// and run on every store: a test file per store describes its store as a StoreBackend and
// instantiates the suite with it (sqlite_store_test.cpp in server_tests,
// mysql_store_test.cpp in server_mysql_tests, which runs under the stack fixture).
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract,
//                            ::testing::Values(StoreBackendParam{"sqlite", make_sqlite}));
//
// What only one store does (Redis restarts, fault-injection flags, seeding speed) stays
// in that store's file, on a StoreTest fixture with its own backend.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "reference-server/seeder.h"
#include "reference-server/store.h"
#include "reference-server/tests/small_dataset.h"

namespace stampede::server::testing {

constexpr std::int64_t kT0 = 1'800'000'000'000;  // a grab time: the start of hour 500,000

// 10,000 users, 8 rooms (2 hot) of 5 coupons each, every coupon with `stock` units.
inline SeedConfig small_config(std::int64_t stock) { return small_dataset(10'000, 8, 2, stock); }

struct StockLogTotals {
  std::int64_t rows = 0;
  std::int64_t change = 0;  // sum of `change`
};

// One store as the contract tests drive it. A backend is made fresh for every test.
class StoreBackend {
 public:
  virtual ~StoreBackend() = default;

  // Why the store cannot run here (the test is then skipped); empty when it can.
  virtual std::string unavailable() const { return {}; }
  // Makes the data's home ready (may fail with gtest assertions).
  virtual void prepare() {}
  // A store with 4 shards over this backend's data; every call opens another instance.
  virtual std::unique_ptr<Store> open() = 0;
  // How many instances may serve the same data at once and still share one stock (several
  // server processes on one stack).
  virtual int instances_sharing_stock() const = 0;
  // What shard_status() reports as shard k's address.
  virtual std::string shard_address(int shard) const = 0;
  // Makes shard k unreachable for `store` (and brings it back) the way this store can.
  virtual void take_shard_down(Store& store, int shard) = 0;
  virtual void bring_shard_back(Store& store, int shard) = 0;
  // The stock_logs rows of `coupon_id` over every shard, read beside the store.
  virtual StockLogTotals stock_logs(std::int64_t coupon_id) = 0;
};

struct StoreBackendParam {
  std::string name;
  std::function<std::unique_ptr<StoreBackend>()> make;
};

inline void PrintTo(const StoreBackendParam& param, std::ostream* os) { *os << param.name; }

// A store opened on a fresh backend and seeded with small_config(3) (hash routing).
class StoreTest : public ::testing::Test {
 protected:
  virtual std::unique_ptr<StoreBackend> make_backend() = 0;

  void SetUp() override {
    backend_ = make_backend();
    if (auto why = backend_->unavailable(); !why.empty()) GTEST_SKIP() << why;
    backend_->prepare();
    if (HasFatalFailure()) return;
    store_ = backend_->open();
    seed_store(*store_, small_config(3), Strategy::hash);
  }

  // A grab written to shard user % 4 (what hash routing does with 4 shards).
  GrabOutcome grab(std::int64_t user, std::int64_t coupon, std::int64_t time_ms = kT0) {
    const auto info = store_->find_coupon(coupon);
    return store_->grab({user, coupon, info->room_id, time_ms, static_cast<int>(user % 4)});
  }

  std::unique_ptr<StoreBackend> backend_;  // outlives the store
  std::unique_ptr<Store> store_;
};

class StoreContract : public StoreTest, public ::testing::WithParamInterface<StoreBackendParam> {
 protected:
  std::unique_ptr<StoreBackend> make_backend() override { return GetParam().make(); }
};

}  // namespace stampede::server::testing
