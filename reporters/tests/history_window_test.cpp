#include "reporters/history_window.h"

#include <gtest/gtest.h>

namespace stampede::reporters {
namespace {

results::HistoryPoint point(double elapsed_s, std::uint64_t a_requests, std::uint64_t a_failures,
                            std::uint64_t b_requests) {
  results::HistoryPoint p;
  p.elapsed_s = elapsed_s;
  p.interval_s = 1;
  if (a_requests) p.endpoints.push_back({"GET", "a", a_requests, a_failures, 0, {}, {}, 0});
  if (b_requests) p.endpoints.push_back({"POST", "b", b_requests, 0, 0, {}, {}, 0});
  return p;
}

TEST(WindowBegin, CoversTheLastTenSeconds) {
  std::vector<results::HistoryPoint> h;
  for (int s = 1; s <= 15; ++s) h.push_back(point(s, 1, 0, 0));
  EXPECT_EQ(window_begin(h, 0), 0u);
  EXPECT_EQ(window_begin(h, 9), 0u);   // (0, 10] holds points 1..10
  EXPECT_EQ(window_begin(h, 14), 5u);  // (5, 15] holds points 6..15
}

TEST(WindowRates, SumsOneEndpointOrAll) {
  std::vector<results::HistoryPoint> h;
  for (int s = 1; s <= 20; ++s) h.push_back(point(s, 10 + s, s % 2, 3));
  // Last ten points are elapsed 11..20: a has sum(21..30) = 255 requests, 5 failures.
  const auto a = current_rates(h, EndpointKey{"a", "GET"});
  EXPECT_DOUBLE_EQ(a.seconds, 10);
  EXPECT_EQ(a.requests, 255u);
  EXPECT_EQ(a.failures, 5u);
  EXPECT_DOUBLE_EQ(a.requests_per_s(), 25.5);
  EXPECT_DOUBLE_EQ(a.failures_per_s(), 0.5);
  const auto all = current_rates(h);
  EXPECT_EQ(all.requests, 255u + 30u);
  const auto none = current_rates(h, EndpointKey{"a", "POST"});
  EXPECT_EQ(none.requests, 0u);
}

TEST(WindowRates, ShortHistoryUsesWhatThereIs) {
  std::vector<results::HistoryPoint> h = {point(1, 4, 0, 0), point(2, 6, 0, 0)};
  const auto r = current_rates(h);
  EXPECT_DOUBLE_EQ(r.seconds, 2);
  EXPECT_DOUBLE_EQ(r.requests_per_s(), 5);
  EXPECT_EQ(current_rates({}).requests, 0u);
  EXPECT_DOUBLE_EQ(current_rates({}).requests_per_s(), 0);
}

}  // namespace
}  // namespace stampede::reporters
