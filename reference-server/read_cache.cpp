#include "reference-server/read_cache.h"

#include <algorithm>

namespace stampede::server {

namespace {

constexpr std::size_t kPutsPerSweep = 4096;

}  // namespace

MemoryCache::MemoryCache(std::chrono::nanoseconds ttl, Clock clock) : ttl_(ttl), clock_(std::move(clock)) {}

std::chrono::steady_clock::time_point MemoryCache::now() const {
  return clock_ ? clock_() : std::chrono::steady_clock::now();
}

MemoryCache::Stripe& MemoryCache::stripe_of(std::string_view key) {
  return stripes_[std::hash<std::string_view>{}(key) % kStripes];
}

std::optional<std::string> MemoryCache::get(std::string_view key, std::string_view field) {
  Stripe& stripe = stripe_of(key);
  const auto at = now();
  std::lock_guard lock(stripe.mutex);
  const auto it = stripe.entries.find(std::string(key));
  if (it == stripe.entries.end()) return std::nullopt;
  if (it->second.expires <= at) {
    stripe.entries.erase(it);
    return std::nullopt;
  }
  for (const auto& [name, value] : it->second.fields) {
    if (name == field) return value;
  }
  return std::nullopt;
}

void MemoryCache::put(std::string_view key, std::string_view field, std::string_view value) {
  Stripe& stripe = stripe_of(key);
  const auto at = now();
  std::lock_guard lock(stripe.mutex);
  if (++stripe.puts_since_sweep >= kPutsPerSweep) {
    stripe.puts_since_sweep = 0;
    std::erase_if(stripe.entries, [&](const auto& entry) { return entry.second.expires <= at; });
  }
  Entry& entry = stripe.entries[std::string(key)];
  if (entry.fields.empty() || entry.expires <= at) {  // new, or expired: the TTL starts now
    entry.fields.clear();
    entry.expires = at + ttl_;
  }
  for (auto& [name, old] : entry.fields) {
    if (name == field) {
      old.assign(value);
      return;
    }
  }
  entry.fields.emplace_back(std::string(field), std::string(value));
}

void MemoryCache::invalidate(std::span<const std::string> keys) {
  for (const auto& key : keys) {
    Stripe& stripe = stripe_of(key);
    std::lock_guard lock(stripe.mutex);
    stripe.entries.erase(key);
  }
}

void MemoryCache::clear() {
  for (auto& stripe : stripes_) {
    std::lock_guard lock(stripe.mutex);
    stripe.entries.clear();
  }
}

std::size_t MemoryCache::keys() const {
  std::size_t n = 0;
  for (const auto& stripe : stripes_) {
    std::lock_guard lock(stripe.mutex);
    n += stripe.entries.size();
  }
  return n;
}

}  // namespace stampede::server
