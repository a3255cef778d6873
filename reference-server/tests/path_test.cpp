// Request targets taken as sent: no slash collapsing or dot-segment resolution that could
// let a disguised path reach a route a proxy rule guards; integer parsing never wraps.
#include "reference-server/path.h"

#include <gtest/gtest.h>

#include <string>

#include "reference-server/endpoint.h"

namespace stampede::server {
namespace {

TEST(PathView, SplitsSegmentsAndQuery) {
  const PathView path("/api/user/42/coupons?limit=3&x");
  ASSERT_EQ(path.size(), 4u);
  EXPECT_EQ(path[0], "api");
  EXPECT_EQ(path[1], "user");
  EXPECT_EQ(path[2], "42");
  EXPECT_EQ(path[3], "coupons");
  EXPECT_EQ(path.query(), "limit=3&x");
  EXPECT_EQ(path.param("limit"), "3");
  EXPECT_EQ(path.param("x"), "");
  EXPECT_FALSE(path.param("y"));
}

TEST(PathView, KeepsEmptySegmentsInsteadOfCollapsingSlashes) {
  const PathView doubled("//admin/reset");
  ASSERT_EQ(doubled.size(), 3u);
  EXPECT_EQ(doubled[0], "");
  EXPECT_EQ(doubled[1], "admin");
  EXPECT_EQ(doubled[2], "reset");

  const PathView inner("/admin//reset");
  ASSERT_EQ(inner.size(), 3u);
  EXPECT_EQ(inner[1], "");

  const PathView trailing("/health/");
  ASSERT_EQ(trailing.size(), 2u);
  EXPECT_EQ(trailing[0], "health");
  EXPECT_EQ(trailing[1], "");

  const PathView root("/");
  ASSERT_EQ(root.size(), 1u);
  EXPECT_EQ(root[0], "");
}

TEST(PathView, TargetsNotStartingWithASlashMatchNothing) {
  EXPECT_EQ(PathView("admin/reset").size(), PathView::kMaxSegments + 1);
  EXPECT_EQ(PathView("http://127.0.0.1/admin/reset").size(), PathView::kMaxSegments + 1);
  EXPECT_EQ(PathView("*").size(), PathView::kMaxSegments + 1);
  EXPECT_EQ(PathView("").size(), PathView::kMaxSegments + 1);
}

TEST(PathView, CountsAtMostOneSegmentPastTheLimit) {
  std::string many;
  for (int i = 0; i < 20; ++i) many += "/s";
  EXPECT_EQ(PathView(many).size(), PathView::kMaxSegments + 1);
  EXPECT_EQ(PathView("/a/b/c/d/e/f/g/h").size(), PathView::kMaxSegments);
  EXPECT_EQ(PathView("/a/b/c/d/e/f/g/h/").size(), PathView::kMaxSegments + 1);
}

TEST(ClassifyPath, RealRoutesStillMatch) {
  EXPECT_EQ(classify_path("/health"), Endpoint::health);
  EXPECT_EQ(classify_path("/metrics"), Endpoint::metrics);
  EXPECT_EQ(classify_path("/api/coupon/grab"), Endpoint::grab);
  EXPECT_EQ(classify_path("/api/user/7/coupons?limit=5"), Endpoint::user_coupons);
  EXPECT_EQ(classify_path("/api/coupon/1/stock"), Endpoint::coupon_stock);
  EXPECT_EQ(classify_path("/api/room/1/stats"), Endpoint::room_stats);
  EXPECT_EQ(classify_path("/api/room/1/orders"), Endpoint::room_orders);
  EXPECT_EQ(classify_path("/api/orders/recent?hours=1"), Endpoint::recent_orders);
  EXPECT_EQ(classify_path("/api/statistics/global"), Endpoint::global_stats);
  EXPECT_EQ(classify_path("/admin/stats"), Endpoint::admin_stats);
  EXPECT_EQ(classify_path("/admin/reset"), Endpoint::admin_reset);
  EXPECT_EQ(classify_path("/admin/reshard?to=5"), Endpoint::admin_reshard);
  EXPECT_EQ(classify_path("/admin/shards/status"), Endpoint::shards_status);
  EXPECT_EQ(classify_path("/admin/shards/2/offline"), Endpoint::admin_shard_fault);
}

// Each of these once reached, or could be mistaken for, a real route.
TEST(ClassifyPath, DisguisedAdminPathsAreNotFound) {
  for (const char* target : {"//admin/reset", "/admin//reset", "///admin/reset", "/admin/reset/",
                             "admin/reset", "/./admin/reset", "/api/../admin/reset",
                             "/admin/./reset", "/%61dmin/reset", "/ADMIN/reset",
                             "http://127.0.0.1:8000/admin/reset", "//admin/shards/1/offline",
                             "//health", "/api//coupon/grab"}) {
    EXPECT_EQ(classify_path(target), Endpoint::not_found) << target;
  }
}

TEST(ParseInt, AcceptsWholeDecimalInt64Only) {
  EXPECT_EQ(parse_int("42"), 42);
  EXPECT_EQ(parse_int("-3"), -3);
  EXPECT_EQ(parse_int("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(parse_int("-9223372036854775808"), INT64_MIN);
  for (const char* text : {"", "+1", "1x", " 1", "0x10", "1.0", "9223372036854775808",
                           "18446744073709551615", "18446744073709551616",
                           "-9223372036854775809", "99999999999999999999999999"}) {
    EXPECT_FALSE(parse_int(text)) << text;
  }
}

}  // namespace
}  // namespace stampede::server
