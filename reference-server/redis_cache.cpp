#include "reference-server/redis_cache.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <memory>

namespace stampede::server {

namespace {

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

constexpr std::size_t kKeysPerUnlink = 500;

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

timeval to_timeval(std::chrono::milliseconds ms) {
  return timeval{static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

}  // namespace

// One connection for one call; one that failed is closed (with the idle ones: after a
// failure they are most likely dead too) and the cache rests.
class RedisCache::Lease {
 public:
  explicit Lease(RedisCache& owner) : owner_(owner) {
    owner.check_not_resting();
    {
      std::lock_guard lock(owner.mutex_);
      if (!owner.idle_.empty()) {
        context_ = owner.idle_.back();
        owner.idle_.pop_back();
      }
    }
    if (context_ == nullptr) context_ = owner.connect();
  }
  ~Lease() {
    if (failed_) {
      redisFree(context_);
      owner_.drop_idle();
      return;
    }
    std::lock_guard lock(owner_.mutex_);
    owner_.idle_.push_back(context_);
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  void append(const std::vector<std::string_view>& argv) {
    std::vector<const char*> args;
    std::vector<size_t> lengths;
    for (const auto a : argv) {
      args.push_back(a.data());
      lengths.push_back(a.size());
    }
    if (redisAppendCommandArgv(context_, static_cast<int>(args.size()), args.data(), lengths.data()) != REDIS_OK) {
      fail(context_->errstr);
    }
  }

  Reply reply() {
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
      fail(context_->err != 0 ? context_->errstr : "no reply");
    }
    Reply r(static_cast<redisReply*>(raw));
    if (r->type == REDIS_REPLY_ERROR) fail(std::string(r->str, r->len));
    return r;
  }

  Reply run(const std::vector<std::string_view>& argv) {
    append(argv);
    return reply();
  }

 private:
  [[noreturn]] void fail(const std::string& why) {
    failed_ = true;
    owner_.rest();
    throw CacheUnavailable("redis " + owner_.address() + ": " + why);
  }

  RedisCache& owner_;
  redisContext* context_ = nullptr;
  bool failed_ = false;
};

RedisCache::RedisCache(MysqlEndpoint endpoint, std::string prefix, std::chrono::nanoseconds ttl,
                       std::chrono::milliseconds timeout, std::chrono::milliseconds retry_after)
    : endpoint_(std::move(endpoint)), prefix_(std::move(prefix)), ttl_(ttl), timeout_(timeout),
      retry_after_(retry_after) {}

RedisCache::~RedisCache() {
  for (auto* context : idle_) redisFree(context);
}

void RedisCache::check_not_resting() const {
  const auto until = resting_until_ns_.load(std::memory_order_relaxed);
  if (until != 0 && steady_ns() < until) {
    throw CacheUnavailable("redis " + address() + ": not asked again yet after a failure");
  }
}

void RedisCache::rest() noexcept {
  resting_until_ns_.store(steady_ns() + std::chrono::nanoseconds(retry_after_).count(), std::memory_order_relaxed);
}

redisContext* RedisCache::connect() {
  const auto tv = to_timeval(timeout_);
  redisContext* context = redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, tv);
  if (context == nullptr || context->err != 0) {
    const std::string why = context != nullptr ? context->errstr : "out of memory";
    if (context != nullptr) redisFree(context);
    rest();
    throw CacheUnavailable("redis " + address() + ": " + why);
  }
  redisSetTimeout(context, tv);
  return context;
}

void RedisCache::drop_idle() noexcept {
  std::vector<redisContext*> closing;
  {
    std::lock_guard lock(mutex_);
    closing.swap(idle_);
  }
  for (auto* context : closing) redisFree(context);
}

std::optional<std::string> RedisCache::get(std::string_view key, std::string_view field) {
  const std::string full = prefix_ + std::string(key);
  Lease lease(*this);
  const Reply r = lease.run({"HGET", full, field});
  if (r->type != REDIS_REPLY_STRING) return std::nullopt;
  return std::string(r->str, r->len);
}

void RedisCache::put(std::string_view key, std::string_view field, std::string_view value) {
  const std::string full = prefix_ + std::string(key);
  const std::string ttl_ms = std::to_string(std::max<std::int64_t>(
      1, std::chrono::duration_cast<std::chrono::milliseconds>(ttl_).count()));
  Lease lease(*this);
  lease.append({"HSET", full, field, value});
  lease.append({"PEXPIRE", full, ttl_ms, "NX"});
  lease.reply();
  lease.reply();
}

void RedisCache::invalidate(std::span<const std::string> keys) {
  if (keys.empty()) return;
  std::vector<std::string> full;
  for (const auto& key : keys) full.push_back(prefix_ + key);
  std::vector<std::string_view> argv{"DEL"};
  argv.insert(argv.end(), full.begin(), full.end());
  Lease lease(*this);
  lease.run(argv);
}

void RedisCache::clear() {
  Lease lease(*this);
  const std::string pattern = prefix_ + "*";
  std::string cursor = "0";
  do {
    const Reply r = lease.run({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2) return;
    cursor.assign(r->element[0]->str, r->element[0]->len);
    const redisReply* found = r->element[1];
    for (std::size_t i = 0; i < found->elements; i += kKeysPerUnlink) {
      std::vector<std::string_view> argv{"UNLINK"};
      for (std::size_t j = i; j < found->elements && j < i + kKeysPerUnlink; ++j) {
        argv.emplace_back(found->element[j]->str, found->element[j]->len);
      }
      lease.run(argv);
    }
  } while (cursor != "0");
}

}  // namespace stampede::server
