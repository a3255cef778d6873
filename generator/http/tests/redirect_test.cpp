// follow_redirect: targets (absolute same-origin, path, relative), other origins refused,
// the method rules browsers apply (303 -> GET, POST after 301/302 -> GET, 307/308 kept).
#include <gtest/gtest.h>

#include "generator/http/redirect.h"

namespace stampede::http {
namespace {

scenarios::RenderedRequest post(std::string target) {
  scenarios::RenderedRequest r;
  r.method = "POST";
  r.target = std::move(target);
  r.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: text/html"};
  r.body = "a=1";
  return r;
}

TEST(Redirect, Statuses) {
  for (long s : {301L, 302L, 303L, 307L, 308L}) EXPECT_TRUE(is_redirect(s)) << s;
  for (long s : {200L, 300L, 304L, 305L, 400L}) EXPECT_FALSE(is_redirect(s)) << s;
}

TEST(Redirect, SeeOtherBecomesGetWithoutBody) {
  auto r = post("/login");
  EXPECT_FALSE(follow_redirect(r, 303, "/home?x=1", "http://127.0.0.1:8080"));
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/home?x=1");
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(r.headers, std::vector<std::string>{"Accept: text/html"});
}

TEST(Redirect, TemporaryAndPermanentKeepTheMethod) {
  for (long s : {307L, 308L}) {
    auto r = post("/a/b");
    EXPECT_FALSE(follow_redirect(r, s, "c?d", "http://h"));
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/a/c?d");
    EXPECT_EQ(r.body, "a=1");
  }
  auto r = post("/x");
  EXPECT_FALSE(follow_redirect(r, 302, "http://H:80/y#frag", "http://h"));
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/y");
}

TEST(Redirect, OtherOriginsAreNotFollowed) {
  auto r = post("/x");
  EXPECT_EQ(follow_redirect(r, 302, "https://elsewhere.example/y", "http://h"),
            "redirect to another origin (not followed): https://elsewhere.example");
  EXPECT_EQ(follow_redirect(r, 302, "//cdn.example/y", "http://h"),
            "redirect to another origin (not followed): //cdn.example/y");
  EXPECT_EQ(follow_redirect(r, 302, "", "http://h"), "redirect without a Location");
  EXPECT_EQ(r.target, "/x");
}

}  // namespace
}  // namespace stampede::http
