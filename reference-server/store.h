// The Store seam: everything the coupon API handlers need from storage.
//
// Two implementations: SqliteStore (embedded: a main file + one file per shard, stock kept
// in-process) and MysqlStore (MariaDB main + N shard instances, Redis for stock).
//
// Layout. The main database holds the catalog: users, live_rooms, coupons, coupon_details.
// Each shard holds coupon_results and stock_logs. The store does NOT know the sharding
// strategy: the caller (the router) picks the shard for a write and the shard list for a
// read with the pure functions of routing.h and passes them in. Shard numbers are
// 0..shard_count()-1; shard lists are sorted ascending, without duplicates.
//
// Thread-safety. Every member function may be called concurrently from any number of
// threads, except load() and reset(), which the caller must not run concurrently with
// other calls (the server runs them with the request gate closed).
//
// Blocking. Calls may block on I/O (disk, network). The HTTP server runs them on a worker
// pool, never on the event loop. Catalog lookups (find_*/user_exists) must be cheap (an
// in-memory catalog loaded at open/load time): they run for every request.
//
// Fan-out. Functions taking a ShardList query those shards CONCURRENTLY (not one after the
// other) and report, for every shard touched, how long that shard's part took
// (ShardTiming), which becomes the `Server-Timing: shard-<k>;dur=<ms>` header.
//
// Errors.
//   ShardUnavailable(k) : shard k could not be reached / its query failed because it is
//                         down. The API answers 503 for that request only; the store must
//                         recover by itself when the shard returns (reconnect lazily).
//   DependencyUnavailable: something else the store needs is down or not answering (the
//                         mysql store's Redis stock, its main database). 503 naming it;
//                         the store recovers by itself when it returns, like a shard.
//   StoreError          : anything else unexpected (schema missing, SQL error) -> 500.
//   The texts of these errors may name files and addresses: the API logs them and answers
//   clients without them.
//   Bad input (unknown ids, room/coupon mismatch) is checked by the caller through the
//   catalog lookups before calling the store; stores may assume valid ids.
//
// Stock. grab() takes one unit atomically: never oversold, at most one success per
// (user_id, coupon_id) for the lifetime of the data set (until reset()/load()), also with
// several server processes on the same MySQL/Redis stack. Every grab (success or failure)
// writes one coupon_results row on the given shard; a success also writes one stock_logs
// row (change -1) on the same shard.
//
// What differs between the stores is asked of the store, never recognised by its type:
// stock_is_in_process() (may stock() run on an event loop?) and can_set_shard_offline()
// (fault injection). main.cpp knows only the factory (store_factory.h) and this seam.
//
// Times are milliseconds since the Unix epoch (UTC); durations are std::chrono types.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reference-server/routing.h"

namespace stampede::server {

// ---- errors ---------------------------------------------------------------------------

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ShardUnavailable : public StoreError {
 public:
  ShardUnavailable(int shard, const std::string& why)
      : StoreError("shard " + std::to_string(shard) + " unavailable: " + why), shard_(shard) {}
  int shard() const noexcept { return shard_; }

 private:
  int shard_;
};

class DependencyUnavailable : public StoreError {
 public:
  // `dependency` names it for a client, e.g. "stock store (redis)"; `why` is for the log.
  DependencyUnavailable(std::string dependency, const std::string& why)
      : StoreError(dependency + " unavailable: " + why), dependency_(std::move(dependency)) {}
  const std::string& dependency() const noexcept { return dependency_; }

 private:
  std::string dependency_;
};

// ---- catalog (main database) ----------------------------------------------------------

enum class UserLevel : int { normal = 0, vip = 1, svip = 2 };

struct UserRow {
  std::int64_t id = 0;
  std::string name;
  UserLevel level = UserLevel::normal;
  std::int64_t created_at_ms = 0;
};

struct RoomRow {
  std::int64_t id = 0;
  std::string title;
  std::int64_t streamer_id = 0;  // a user id
  bool hot = false;
  std::int64_t created_at_ms = 0;
};

struct CouponRow {
  std::int64_t id = 0;
  std::int64_t room_id = 0;
  std::string name;
  std::int64_t amount_cents = 0;     // face value
  std::int64_t min_spend_cents = 0;  // spend threshold for using the coupon
  std::int64_t total_stock = 0;      // seeded stock; reset() restores remaining to this
  std::int64_t start_ms = 0;         // grab window (informational; not enforced)
  std::int64_t end_ms = 0;
};

// Vertical split of the coupon's large text fields (seed's coupon_details).
struct CouponDetailRow {
  std::int64_t coupon_id = 0;
  std::string description;
  std::string usage_rules;
};

// A complete data set, produced by the seeder (seeder.h) and loaded with Store::load().
struct Dataset {
  std::uint64_t seed = 0;
  std::vector<UserRow> users;            // ids 1..users.size()
  std::vector<RoomRow> rooms;            // ids 1..rooms.size()
  std::vector<CouponRow> coupons;        // ids 1..coupons.size()
  std::vector<CouponDetailRow> details;  // one per coupon
};

// What the main database says about how it was set up (for the "seeded with another
// strategy / shard count" check at start-up).
struct StoreMeta {
  std::uint64_t seed = 0;
  std::int64_t users = 0;
  std::int64_t rooms = 0;
  std::int64_t coupons = 0;
  std::string strategy;  // to_string(Strategy) the results were routed with
  int shard_count = 0;
};

struct CouponInfo {
  std::int64_t coupon_id = 0;
  std::int64_t room_id = 0;
  std::int64_t total_stock = 0;
};

struct RoomInfo {
  std::int64_t room_id = 0;
  bool hot = false;
  std::vector<std::int64_t> coupon_ids;  // ascending
};

// ---- results (shards) ------------------------------------------------------------------

enum class FailReason : int { none = 0, out_of_stock = 1, duplicate = 2 };

struct ShardTiming {
  int shard = 0;
  std::chrono::nanoseconds elapsed{0};  // the shard's part, pool wait and shard latency included
  // Time the part waited for one of the shard's pooled connections (a store with a bounded
  // pool: mysql); nullopt for a store without one. Server-Timing `pool-<k>;dur=<ms>`.
  std::optional<std::chrono::nanoseconds> pool_wait;
  // Which copy of the shard answered a read when the store reads from replicas
  // (`--read-from replicas`): 1..N a replica, 0 the primary (no replica answered); nullopt
  // when the store reads from the primary only. Server-Timing `replica-<k>;desc=r<i>|primary`.
  std::optional<int> replica{};
};
using ShardTimings = std::vector<ShardTiming>;  // one per shard touched, ascending shard

struct GrabRequest {
  std::int64_t user_id = 0;
  std::int64_t coupon_id = 0;
  std::int64_t room_id = 0;  // the coupon's room (validated by the caller)
  std::int64_t grab_time_ms = 0;
  int shard = 0;  // where the coupon_results row goes (routing.h shard_for_write)
};

struct GrabOutcome {
  bool success = false;
  FailReason fail_reason = FailReason::none;
  std::int64_t remaining_stock = 0;  // after this grab
  std::int64_t result_id = 0;        // id of the coupon_results row, unique within its shard
  int shard = 0;
  ShardTimings timings;  // the shard write (stock in-process/Redis is not a shard)
};

struct ResultRow {
  std::int64_t result_id = 0;  // unique within `shard`
  int shard = 0;
  std::int64_t user_id = 0;
  std::int64_t coupon_id = 0;
  std::int64_t room_id = 0;
  bool success = false;
  FailReason fail_reason = FailReason::none;
  std::int64_t grab_time_ms = 0;
};

struct StockInfo {
  std::int64_t coupon_id = 0;
  std::int64_t total_stock = 0;
  std::int64_t remaining_stock = 0;
};

struct CouponCounts {
  std::int64_t coupon_id = 0;
  std::int64_t grabs = 0;
  std::int64_t successes = 0;
};

// The main database's catalogue as both stores keep it in memory, indexed by id (ids
// start at 1; an absent id has id 0 in its slot). Read-only after loading.
struct CatalogIndex {
  std::vector<std::uint8_t> users;  // users[id] == 1 when the user exists
  std::vector<CouponInfo> coupons;
  std::vector<RoomInfo> rooms;

  bool user_exists(std::int64_t user_id) const;
  std::optional<CouponInfo> find_coupon(std::int64_t coupon_id) const;
  std::optional<RoomInfo> find_room(std::int64_t room_id) const;

  // Building it from the main database's rows. Ids below 1 are skipped (add_coupon then
  // returns false). Rooms go in before coupons: a coupon joins its room's coupon_ids in
  // the order added (the stores add them by ascending id).
  void add_user(std::int64_t user_id);
  void add_room(std::int64_t room_id, bool hot);
  bool add_coupon(std::int64_t coupon_id, std::int64_t room_id, std::int64_t total_stock);
};

struct ShardTotals {
  int shard = 0;
  std::int64_t total_grabs = 0;
  std::int64_t successful_grabs = 0;
};

// A fan-out answer: the merged value plus per-shard timings.
template <class T>
struct Fanout {
  T value{};
  ShardTimings timings;
};

struct ShardStatus {
  int shard = 0;
  bool up = false;
  std::int64_t result_rows = -1;  // rows in coupon_results; -1 when down
  double ping_ms = -1.0;          // round trip of a trivial query; -1 when down
  std::string address;            // file path or host:port
  std::string error;              // why it is down (empty when up)
  int pool_in_use = 0;            // connections/handles busy now
  int pool_size = 0;
};

// One read replica of a shard, as replica_status() reports it.
struct ReplicaStatus {
  int shard = 0;
  int replica = 1;            // 1..N
  std::string address;        // host:port
  double lag_s = -1.0;        // Seconds_Behind_Master, from the replica; -1 when unknown
  bool replicating = false;   // its replication threads run
  std::string error;          // why its status could not be read (empty when it could)
  std::int64_t reads = 0;     // fan-out parts it answered since the server started
  std::int64_t fallbacks = 0; // reads meant for it that went elsewhere (it was unreachable)
};

// ---- resharding (reshard.h) -----------------------------------------------------------

struct KeyCount {
  std::int64_t key = 0;
  std::int64_t rows = 0;
};

// coupon_results rows counted by each routing key: what the resharding estimate needs,
// without the rows themselves (memory grows with the distinct keys, not with the rows).
// Each list sums to the same row count.
struct ResultKeyCounts {
  std::vector<KeyCount> by_user;         // key = user_id
  std::vector<KeyCount> by_room;         // key = room_id
  std::vector<KeyCount> by_time_bucket;  // key = floor(grab_time_ms / time_bucket)

  // Appends `part`'s counts (a key may then appear more than once; consumers sum).
  void append(ResultKeyCounts&& part);
};

// ---- merging the shards' parts (both stores' fan-out reads) ----------------------------
// Each takes one part per shard, as a fan-out collected them with their timings, and
// returns the merged answer with the same timings.

// Rows newest first (grab time descending; ties: lower shard, then higher result id),
// at most `limit` (a negative limit counts as 0).
Fanout<std::vector<ResultRow>> merge_newest_first(Fanout<std::vector<std::vector<ResultRow>>>&& parts,
                                                  int limit);
// A room's per-coupon counts summed over the shards: every coupon of the room appears
// (zeros included), sorted by coupon id.
Fanout<std::vector<CouponCounts>> merge_coupon_counts(
    const std::vector<std::int64_t>& room_coupon_ids,
    Fanout<std::vector<std::vector<CouponCounts>>>&& parts);
// The shards' key counts appended (ResultKeyCounts::append).
Fanout<ResultKeyCounts> merge_key_counts(Fanout<std::vector<ResultKeyCounts>>&& parts);

// ---- the stampede_meta table (both stores): StoreMeta as key/value text rows -------------

using MetaEntries = std::vector<std::pair<std::string, std::string>>;

// The six keys (seed, users, rooms, coupons, strategy, shard_count) with their values.
MetaEntries to_meta_entries(const StoreMeta& meta);
// nullopt when there are no rows (a store never loaded). Unknown keys are ignored; a value
// that does not parse throws StoreError naming the key and the value.
std::optional<StoreMeta> parse_meta(const MetaEntries& rows);

// ---- the seam --------------------------------------------------------------------------

class Store {
 public:
  virtual ~Store() = default;

  virtual std::string_view kind() const = 0;  // "sqlite" | "mysql"
  virtual int shard_count() const = 0;
  virtual std::string main_address() const = 0;  // file path or host:port

  // Catalog (cheap, in memory).
  virtual bool user_exists(std::int64_t user_id) const = 0;
  virtual std::optional<CouponInfo> find_coupon(std::int64_t coupon_id) const = 0;
  virtual std::optional<RoomInfo> find_room(std::int64_t room_id) const = 0;

  // Hot path.
  virtual GrabOutcome grab(const GrabRequest& request) = 0;
  // Current stock; nullopt for an unknown coupon. Touches no shard.
  virtual std::optional<StockInfo> stock(std::int64_t coupon_id) = 0;

  // All results of one user, newest first (at most `limit`).
  virtual Fanout<std::vector<ResultRow>> user_results(std::int64_t user_id,
                                                      const ShardList& shards, int limit) = 0;
  // Grabs/successes per coupon of the room, summed over `shards`; one entry per coupon of
  // the room (zeros included), ascending coupon id.
  virtual Fanout<std::vector<CouponCounts>> room_stats(std::int64_t room_id,
                                                       const ShardList& shards) = 0;
  // The room's latest results, newest first, at most `limit` (merged across shards).
  virtual Fanout<std::vector<ResultRow>> room_orders(std::int64_t room_id,
                                                     const ShardList& shards, int limit) = 0;
  // Results with grab_time_ms >= since_ms, newest first, at most `limit`.
  virtual Fanout<std::vector<ResultRow>> recent_orders(std::int64_t since_ms,
                                                       const ShardList& shards, int limit) = 0;
  // Totals per shard (one entry per requested shard, ascending).
  virtual Fanout<std::vector<ShardTotals>> global_stats(const ShardList& shards) = 0;

  // coupon_results rows of `shards` counted by user, by room and by time bucket of length
  // `time_bucket` (> 0), for the resharding estimate (reshard.h); the shards' counts are
  // appended (a key appears once per shard holding it, in no particular order). Reads every
  // row of the listed shards (through indexes where it can): an admin call, not hot path.
  virtual Fanout<ResultKeyCounts> result_key_counts(const ShardList& shards,
                                                    std::chrono::milliseconds time_bucket) = 0;

  // Never throws ShardUnavailable: a down shard is reported with up=false.
  virtual std::vector<ShardStatus> shard_status() = 0;

  // Data set management (not concurrent with anything else).
  // Replace the catalog with `data`, restore stock, empty results/logs on every shard,
  // record `meta`.
  virtual void load(const Dataset& data, const StoreMeta& meta) = 0;
  // Restore seeded stock, empty results and logs on every shard; record `meta`
  // (strategy/shard count may change with a reset since no result rows remain).
  virtual void reset(const StoreMeta& meta) = 0;
  // nullopt when the store was never loaded (empty main database).
  virtual std::optional<StoreMeta> meta() = 0;

  // What the server may do with this store (asked once, at start-up).
  // True when stock() does no I/O and never blocks (an in-process counter): the HTTP
  // server may then answer it on its event loop instead of the worker pool.
  virtual bool stock_is_in_process() const = 0;
  // Fault injection (POST /admin/shards/{k}/offline|online): true when set_shard_offline()
  // works. An offline shard answers every call that needs it with ShardUnavailable, as if
  // it were down (shard_status() reports it down); bringing it back restores service.
  virtual bool can_set_shard_offline() const { return false; }
  // May run concurrently with every call but load()/reset(). Throws StoreError for a shard
  // out of range, or when can_set_shard_offline() is false.
  virtual void set_shard_offline(int shard, bool offline);

  // Read replicas (a store that reads from them: mysql with --read-from replicas): each
  // one's lag and what it answered. Empty for a store without replicas (the default).
  virtual std::vector<ReplicaStatus> replica_status() { return {}; }
};

std::string_view to_string(FailReason reason);  // "none" | "out_of_stock" | "duplicate"

}  // namespace stampede::server
