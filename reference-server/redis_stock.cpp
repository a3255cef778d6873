#include "reference-server/redis_stock.h"

#include <hiredis/hiredis.h>

#include <exception>
#include <string_view>

namespace stampede::server {

namespace {

// KEYS[1] = stock:<c>, KEYS[2] = winners:<c>, ARGV[1] = user id.
// Returns {status, remaining}: 0 taken, 1 duplicate, 2 out of stock, 3 not loaded.
constexpr std::string_view kTakeScript = R"lua(
local left = redis.call('GET', KEYS[1])
if not left then return {3, 0} end
left = tonumber(left)
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return {1, left} end
if left <= 0 then return {2, left} end
redis.call('SADD', KEYS[2], ARGV[1])
return {0, redis.call('DECR', KEYS[1])}
)lua";

// Inverse of a successful take: only gives the unit back if the user really held it.
constexpr std::string_view kGiveBackScript = R"lua(
if redis.call('SREM', KEYS[2], ARGV[1]) == 1 then return redis.call('INCR', KEYS[1]) end
return tonumber(redis.call('GET', KEYS[1]) or '0')
)lua";

constexpr std::size_t kMembersPerCommand = 1000;

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

// A broken connection (as opposed to an error reply): worth one retry on a new one.
class IoError : public StoreError {
 public:
  using StoreError::StoreError;
};

// An error reply. Redis starts each with an upper-case code word ("NOSCRIPT No matching
// script", "ERR …"); the code is what callers decide on, kept apart from the message.
class ReplyError : public StoreError {
 public:
  ReplyError(const std::string& address, std::string_view reply)
      : StoreError("redis " + address + ": " + std::string(reply)),
        code_(reply.substr(0, reply.find(' '))) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

timeval to_timeval(std::chrono::milliseconds ms) {
  return timeval{static_cast<time_t>(ms.count() / 1000),
                 static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

}  // namespace

// One connection, borrowed for one or a few commands. A connection that had an I/O error
// is closed instead of returned.
class RedisStock::Lease {
 public:
  explicit Lease(RedisStock& owner) : owner_(owner) {
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
    if (context_ == nullptr) return;
    if (context_->err != 0 || broken_) {
      const bool io_error = context_->err != 0;
      redisFree(context_);
      // After an I/O error the idle connections are most likely dead too (restart).
      if (io_error) owner_.drop_idle();
      return;
    }
    std::lock_guard lock(owner_.mutex_);
    owner_.idle_.push_back(context_);
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  // Replies may still be pending (a pipeline failed half-way): never reuse.
  void poison() { broken_ = true; }

  Reply run(const std::vector<std::string>& argv) {
    std::vector<const char*> args;
    std::vector<size_t> lengths;
    for (const auto& a : argv) {
      args.push_back(a.data());
      lengths.push_back(a.size());
    }
    Reply reply(static_cast<redisReply*>(
        redisCommandArgv(context_, static_cast<int>(args.size()), args.data(), lengths.data())));
    return check(std::move(reply));
  }

  void append(const std::vector<std::string>& argv) {
    std::vector<const char*> args;
    std::vector<size_t> lengths;
    for (const auto& a : argv) {
      args.push_back(a.data());
      lengths.push_back(a.size());
    }
    if (redisAppendCommandArgv(context_, static_cast<int>(args.size()), args.data(),
                               lengths.data()) != REDIS_OK) {
      throw IoError("redis " + owner_.address() + ": " + context_->errstr);
    }
  }

  Reply next_reply() {
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK) raw = nullptr;
    return check(Reply(static_cast<redisReply*>(raw)));
  }

  // Runs a cached script, loading it again if Redis lost it (restart, SCRIPT FLUSH).
  Reply eval(const std::string& sha, std::string_view script, std::vector<std::string> keys,
             std::vector<std::string> args) {
    std::vector<std::string> argv{"EVALSHA", sha, std::to_string(keys.size())};
    argv.insert(argv.end(), keys.begin(), keys.end());
    argv.insert(argv.end(), args.begin(), args.end());
    try {
      return run(argv);
    } catch (const ReplyError& e) {
      if (e.code() != "NOSCRIPT") throw;
    }
    argv[0] = "EVAL";
    argv[1] = std::string(script);
    return run(argv);
  }

 private:
  Reply check(Reply reply) {
    if (!reply) {
      throw IoError("redis " + owner_.address() + ": " +
                    (context_->err != 0 ? context_->errstr : "no reply"));
    }
    if (reply->type == REDIS_REPLY_ERROR) {
      throw ReplyError(owner_.address(), std::string_view(reply->str, reply->len));
    }
    return reply;
  }

  RedisStock& owner_;
  redisContext* context_ = nullptr;
  bool broken_ = false;
};

std::string stock_prefix(const MysqlEndpoint& main) {
  return "stampede:" + main.address() + "/" + main.database + ":";
}

RedisStock::RedisStock(MysqlEndpoint endpoint, std::string prefix,
                       std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)), prefix_(std::move(prefix)), timeout_(timeout) {
  Lease lease(*this);
  auto take = lease.run({"SCRIPT", "LOAD", std::string(kTakeScript)});
  auto give = lease.run({"SCRIPT", "LOAD", std::string(kGiveBackScript)});
  if (take->type != REDIS_REPLY_STRING || give->type != REDIS_REPLY_STRING) {
    throw StoreError("redis " + address() + ": SCRIPT LOAD gave no sha");
  }
  take_sha_.assign(take->str, take->len);
  give_back_sha_.assign(give->str, give->len);
}

RedisStock::~RedisStock() {
  for (auto* context : idle_) redisFree(context);
}

redisContext* RedisStock::connect() {
  const auto tv = to_timeval(timeout_);
  redisContext* context = redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, tv);
  if (context == nullptr) throw StoreError("redis " + address() + ": out of memory");
  if (context->err != 0) {
    std::string why = context->errstr;
    redisFree(context);
    throw DependencyUnavailable(kRedisDependency, "redis " + address() + ": " + why);
  }
  redisSetTimeout(context, tv);
  return context;
}

void RedisStock::drop_idle() noexcept {
  std::vector<redisContext*> closing;
  {
    std::lock_guard lock(mutex_);
    closing.swap(idle_);
  }
  for (auto* context : closing) redisFree(context);
}

template <class Fn>
auto RedisStock::with_retry(Fn fn) {
  try {
    Lease lease(*this);
    return fn(lease);
  } catch (const IoError&) {
    // Idle connections were dropped: the next lease connects anew.
  }
  try {
    Lease lease(*this);
    return fn(lease);
  } catch (const IoError& e) {
    throw DependencyUnavailable(kRedisDependency, e.what());  // broken twice: Redis is down
  }
}

RedisStock::TakeResult RedisStock::take(std::int64_t coupon_id, std::int64_t user_id) {
  const auto c = std::to_string(coupon_id);
  auto reply = with_retry([&](Lease& lease) {
    return lease.eval(take_sha_, kTakeScript, {prefix_ + "stock:" + c, prefix_ + "winners:" + c},
                      {std::to_string(user_id)});
  });
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 ||
      reply->element[0]->type != REDIS_REPLY_INTEGER || reply->element[1]->type != REDIS_REPLY_INTEGER) {
    throw StoreError("redis " + address() + ": unexpected reply from the take script");
  }
  static constexpr Take kByCode[] = {Take::taken, Take::duplicate, Take::out_of_stock,
                                     Take::not_loaded};
  const auto code = reply->element[0]->integer;
  if (code < 0 || code > 3) throw StoreError("redis: take script returned " + std::to_string(code));
  return TakeResult{kByCode[code], reply->element[1]->integer};
}

void RedisStock::give_back(std::int64_t coupon_id, std::int64_t user_id) {
  const auto c = std::to_string(coupon_id);
  with_retry([&](Lease& lease) {
    return lease.eval(give_back_sha_, kGiveBackScript,
                      {prefix_ + "stock:" + c, prefix_ + "winners:" + c}, {std::to_string(user_id)});
  });
}

std::optional<std::int64_t> RedisStock::remaining(std::int64_t coupon_id) {
  auto reply = with_retry([&](Lease& lease) {
    return lease.run({"GET", prefix_ + "stock:" + std::to_string(coupon_id)});
  });
  if (reply->type == REDIS_REPLY_NIL) return std::nullopt;
  if (reply->type != REDIS_REPLY_STRING) throw StoreError("redis: GET stock: unexpected reply");
  return std::stoll(std::string(reply->str, reply->len));
}

void RedisStock::load(const std::vector<CouponStock>& stock) {
  with_retry([&](Lease& lease) { load_with(lease, stock); return 0; });
}

void RedisStock::load_with(Lease& lease, const std::vector<CouponStock>& stock) {
  auto old = lease.run({"SMEMBERS", prefix_ + "coupons"});
  std::size_t sent = 0;
  lease.poison();  // until every reply is read, the connection is out of step
  auto send = [&](std::vector<std::string> argv) {
    lease.append(argv);
    ++sent;
  };
  send({"MULTI"});
  send({"DEL", prefix_ + "loaded", prefix_ + "coupons"});
  if (old->type == REDIS_REPLY_ARRAY) {
    for (std::size_t i = 0; i < old->elements; ++i) {
      const std::string c(old->element[i]->str, old->element[i]->len);
      send({"DEL", prefix_ + "stock:" + c, prefix_ + "winners:" + c});
    }
  }
  for (const auto& coupon : stock) {
    const auto c = std::to_string(coupon.coupon_id);
    send({"DEL", prefix_ + "stock:" + c, prefix_ + "winners:" + c});
    send({"SET", prefix_ + "stock:" + c, std::to_string(coupon.remaining)});
    send({"SADD", prefix_ + "coupons", c});
    for (std::size_t i = 0; i < coupon.winners.size(); i += kMembersPerCommand) {
      std::vector<std::string> argv{"SADD", prefix_ + "winners:" + c};
      for (std::size_t j = i; j < coupon.winners.size() && j < i + kMembersPerCommand; ++j) {
        argv.push_back(std::to_string(coupon.winners[j]));
      }
      send(std::move(argv));
    }
  }
  send({"SET", prefix_ + "loaded", "1"});
  send({"EXEC"});
  // Read every reply (QUEUED ... then the EXEC array); an error anywhere throws, never as
  // an IoError: a half-sent load is not retried.
  std::exception_ptr first_error;
  for (std::size_t i = 0; i < sent; ++i) {
    try {
      lease.next_reply();
    } catch (const IoError& e) {
      if (!first_error) first_error = std::make_exception_ptr(DependencyUnavailable(kRedisDependency, e.what()));
    } catch (const StoreError& e) {
      if (!first_error) first_error = std::make_exception_ptr(StoreError(e.what()));
    }
  }
  if (first_error) std::rethrow_exception(first_error);
}

std::vector<RedisStock::Tally> RedisStock::tallies(const std::vector<std::int64_t>& coupon_ids) {
  return with_retry([&](Lease& lease) {
    lease.poison();  // until every reply is read, the connection is out of step
    for (const auto id : coupon_ids) {
      const auto c = std::to_string(id);
      lease.append({"GET", prefix_ + "stock:" + c});
      lease.append({"SCARD", prefix_ + "winners:" + c});
    }
    std::vector<Tally> out;
    out.reserve(coupon_ids.size());
    for (const auto id : coupon_ids) {
      Tally tally;
      tally.coupon_id = id;
      auto stock = lease.next_reply();
      if (stock->type == REDIS_REPLY_STRING) tally.remaining = std::stoll(std::string(stock->str, stock->len));
      auto winners = lease.next_reply();
      if (winners->type == REDIS_REPLY_INTEGER) tally.winners = winners->integer;
      out.push_back(tally);
    }
    return out;
  });
}

bool RedisStock::loaded() {
  auto reply = with_retry([&](Lease& lease) { return lease.run({"EXISTS", prefix_ + "loaded"}); });
  return reply->type == REDIS_REPLY_INTEGER && reply->integer == 1;
}

bool RedisStock::try_lock(std::chrono::milliseconds ttl) {
  auto reply = with_retry([&](Lease& lease) {
    return lease.run({"SET", prefix_ + "lock", "1", "NX", "PX", std::to_string(ttl.count())});
  });
  return reply->type == REDIS_REPLY_STATUS;
}

void RedisStock::unlock() {
  with_retry([&](Lease& lease) { return lease.run({"DEL", prefix_ + "lock"}); });
}

}  // namespace stampede::server
