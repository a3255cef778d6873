// The in-process read cache: fields under keys, expiry a TTL after a key's first store
// (on an injected clock: no sleeping), invalidation of a whole key, clear.
#include "reference-server/read_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace stampede::server {
namespace {

using namespace std::chrono_literals;

class MemoryCacheTest : public ::testing::Test {
 protected:
  std::chrono::steady_clock::time_point now_{std::chrono::steady_clock::time_point{} + 1h};
  MemoryCache cache_{1s, [this] { return now_; }};
};

TEST_F(MemoryCacheTest, MissThenHitPerField) {
  EXPECT_FALSE(cache_.get("user:1", "limit=50"));
  cache_.put("user:1", "limit=50", "fifty");
  cache_.put("user:1", "limit=10", "ten");
  EXPECT_EQ(cache_.get("user:1", "limit=50"), "fifty");
  EXPECT_EQ(cache_.get("user:1", "limit=10"), "ten");
  EXPECT_FALSE(cache_.get("user:1", "limit=5"));
  EXPECT_FALSE(cache_.get("user:2", "limit=50"));
  cache_.put("user:1", "limit=10", "ten again");
  EXPECT_EQ(cache_.get("user:1", "limit=10"), "ten again");
}

TEST_F(MemoryCacheTest, AKeyExpiresATtlAfterItsFirstStoreSoNoFieldOutlivesIt) {
  cache_.put("stock:6", "-", "a");
  now_ += 600ms;
  cache_.put("stock:6", "x", "b");  // younger field, same key: expires with the key
  EXPECT_EQ(cache_.get("stock:6", "-"), "a");
  now_ += 399ms;
  EXPECT_EQ(cache_.get("stock:6", "x"), "b");
  now_ += 1ms;  // 1 s after the first store
  EXPECT_FALSE(cache_.get("stock:6", "-"));
  EXPECT_FALSE(cache_.get("stock:6", "x"));
  cache_.put("stock:6", "-", "c");  // a new TTL from now
  now_ += 999ms;
  EXPECT_EQ(cache_.get("stock:6", "-"), "c");
  EXPECT_FALSE(cache_.get("stock:6", "x")) << "the expired key's fields are gone";
}

TEST_F(MemoryCacheTest, InvalidateDropsEveryFieldOfTheKeysOnly) {
  cache_.put("user:1", "limit=50", "a");
  cache_.put("user:1", "limit=10", "b");
  cache_.put("room:2", "-", "c");
  cache_.put("stock:7", "-", "d");
  const std::vector<std::string> keys{"user:1", "room:2", "stock:404"};
  cache_.invalidate(keys);
  EXPECT_FALSE(cache_.get("user:1", "limit=50"));
  EXPECT_FALSE(cache_.get("user:1", "limit=10"));
  EXPECT_FALSE(cache_.get("room:2", "-"));
  EXPECT_EQ(cache_.get("stock:7", "-"), "d");
  cache_.clear();
  EXPECT_FALSE(cache_.get("stock:7", "-"));
  EXPECT_EQ(cache_.keys(), 0u);
}

TEST_F(MemoryCacheTest, ExpiredKeysAreSweptAsStoresGoOn) {
  for (int i = 0; i < 20'000; ++i) cache_.put("k" + std::to_string(i), "-", "v");
  now_ += 2s;
  // Each of the 16 stripes sweeps every 4,096 stores: 80,000 more reach every stripe.
  for (int i = 0; i < 80'000; ++i) cache_.put("n" + std::to_string(i), "-", "v");
  EXPECT_EQ(cache_.keys(), 80'000u) << "the first 20,000 expired and were swept";
}

}  // namespace
}  // namespace stampede::server
