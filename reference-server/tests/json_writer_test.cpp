#include "reference-server/json_writer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace stampede::server {
namespace {

TEST(JsonWriter, WritesNestedValuesThatParseBack) {
  JsonWriter w;
  w.begin_object();
  w.key("a").value(std::int64_t{-12});
  w.key("b").begin_array().value(1).value(2).begin_object().key("c").null().end_object().end_array();
  w.key("text").value("quote \" backslash \\ newline \n tab \t bell \x07");
  w.key("ok").value(true);
  w.key("x").value(0.5);
  w.key("empty").begin_array().end_array();
  w.end_object();
  const std::string text = w.take();
  const auto j = nlohmann::json::parse(text);
  EXPECT_EQ(j["a"], -12);
  EXPECT_EQ(j["b"].size(), 3u);
  EXPECT_TRUE(j["b"][2]["c"].is_null());
  EXPECT_EQ(j["text"], "quote \" backslash \\ newline \n tab \t bell \x07");
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["x"], 0.5);
  EXPECT_TRUE(j["empty"].empty());
  EXPECT_EQ(text.substr(0, 19), R"({"a":-12,"b":[1,2,{)");
}

}  // namespace
}  // namespace stampede::server
