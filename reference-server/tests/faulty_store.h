// A Store that forwards to a real one, except that its request calls throw what a test
// sets (a StoreError whose text names a file, DependencyUnavailable, ...), and that its
// shard status can carry an error text: the router's error answers without a broken store.
#pragma once

#include <exception>
#include <string>

#include "reference-server/store.h"

namespace stampede::server::testing {

class FaultyStore : public Store {
 public:
  explicit FaultyStore(Store& inner) : inner_(inner) {}

  // Every call that a request makes (grab, stock, the fan-out reads) throws `error` until
  // cleared (nullptr).
  void fail_with(std::exception_ptr error) { error_ = std::move(error); }
  // shard_status() reports `shard` down with `text` as its error.
  void status_error(int shard, std::string text) {
    status_shard_ = shard;
    status_text_ = std::move(text);
  }

  std::string_view kind() const override { return inner_.kind(); }
  int shard_count() const override { return inner_.shard_count(); }
  std::string main_address() const override { return inner_.main_address(); }
  bool user_exists(std::int64_t id) const override { return inner_.user_exists(id); }
  std::optional<CouponInfo> find_coupon(std::int64_t id) const override { return inner_.find_coupon(id); }
  std::optional<RoomInfo> find_room(std::int64_t id) const override { return inner_.find_room(id); }

  GrabOutcome grab(const GrabRequest& request) override {
    fail();
    return inner_.grab(request);
  }
  std::optional<StockInfo> stock(std::int64_t coupon_id) override {
    fail();
    return inner_.stock(coupon_id);
  }
  Fanout<std::vector<ResultRow>> user_results(std::int64_t user_id, const ShardList& shards, int limit) override {
    fail();
    return inner_.user_results(user_id, shards, limit);
  }
  Fanout<std::vector<CouponCounts>> room_stats(std::int64_t room_id, const ShardList& shards) override {
    fail();
    return inner_.room_stats(room_id, shards);
  }
  Fanout<std::vector<ResultRow>> room_orders(std::int64_t room_id, const ShardList& shards, int limit) override {
    fail();
    return inner_.room_orders(room_id, shards, limit);
  }
  Fanout<std::vector<ResultRow>> recent_orders(std::int64_t since_ms, const ShardList& shards, int limit) override {
    fail();
    return inner_.recent_orders(since_ms, shards, limit);
  }
  Fanout<std::vector<ShardTotals>> global_stats(const ShardList& shards) override {
    fail();
    return inner_.global_stats(shards);
  }
  Fanout<ResultKeyCounts> result_key_counts(const ShardList& shards, std::chrono::milliseconds bucket) override {
    fail();
    return inner_.result_key_counts(shards, bucket);
  }

  std::vector<ShardStatus> shard_status() override {
    auto status = inner_.shard_status();
    for (auto& s : status) {
      if (s.shard == status_shard_) {
        s.up = false;
        s.error = status_text_;
      }
    }
    return status;
  }
  void load(const Dataset& data, const StoreMeta& meta) override { inner_.load(data, meta); }
  void reset(const StoreMeta& meta) override { inner_.reset(meta); }
  std::optional<StoreMeta> meta() override { return inner_.meta(); }
  bool stock_is_in_process() const override { return inner_.stock_is_in_process(); }

 private:
  void fail() const {
    if (error_) std::rethrow_exception(error_);
  }

  Store& inner_;
  std::exception_ptr error_;
  int status_shard_ = -1;
  std::string status_text_;
};

}  // namespace stampede::server::testing
