// String and JSON templates: substitution, escaping, typed JSON holes, errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenarios/template.h"

namespace stampede::scenarios {
namespace {

struct Fixture {
  Scope scope;
  CompileState state;
  std::vector<Value> slots{Value::of_int(42), Value::of_string("a b&c=\"d\""), Value::of_real(0.25), Value{}};
  std::vector<std::int64_t> counters = std::vector<std::int64_t>(4, 0);
  Rng rng{1};
  Fixture() {
    scope.add("id", 0);
    scope.add("text", 1);
    scope.add("ratio", 2);
    scope.add("nothing", 3);
  }
  std::string render(const std::string& text, Escape escape = Escape::kNone) {
    std::vector<ExprError> errors;
    StringTemplate t = StringTemplate::compile(text, scope, state, errors);
    EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors[0].message);
    EvalContext ctx{slots, counters, rng};
    std::string out;
    t.render(ctx, out, escape);
    return out;
  }
  std::string render_json(const nlohmann::json& doc) {
    std::vector<std::string> problems;
    JsonTemplate t = JsonTemplate::compile(doc, scope, state, [&](const std::string& p, const ExprError& e) {
      problems.push_back(p + ": " + e.message);
    });
    EXPECT_TRUE(problems.empty()) << problems[0];
    EvalContext ctx{slots, counters, rng};
    std::string out;
    t.render(ctx, out);
    return out;
  }
};

TEST(StringTemplate, SubstitutesExpressions) {
  Fixture f;
  EXPECT_EQ(f.render("/api/user/${id}/coupons"), "/api/user/42/coupons");
  EXPECT_EQ(f.render("user-${id + 1}-${ratio}"), "user-43-0.25");
  EXPECT_EQ(f.render("${id}"), "42");
  EXPECT_EQ(f.render("plain"), "plain");
  EXPECT_EQ(f.render("[${nothing}]"), "[]");  // null renders as nothing
}

TEST(StringTemplate, DollarEscapesAndBracesInStrings) {
  Fixture f;
  EXPECT_EQ(f.render("cost $5 and $${literal}"), "cost $5 and ${literal}");
  EXPECT_EQ(f.render("${'}' + id}"), "}42");
}

TEST(StringTemplate, UrlEscapingCoversLiteralsAndValues) {
  Fixture f;
  EXPECT_EQ(f.render("${text}", Escape::kUrl), "a%20b%26c%3D%22d%22");
  EXPECT_EQ(f.render("x y", Escape::kUrl), "x%20y");
  EXPECT_EQ(f.render("${id}-._~", Escape::kUrl), "42-._~");
}

TEST(StringTemplate, ErrorsCarryColumnsOfTheWholeString) {
  Fixture f;
  std::vector<ExprError> errors;
  StringTemplate::compile("/api/${idd}", f.scope, f.state, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].column, 8u);
  EXPECT_EQ(errors[0].message, "undefined variable 'idd' at column 8 — did you mean 'id'?");
  errors.clear();
  StringTemplate::compile("/api/${id", f.scope, f.state, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "unterminated '${' at column 6");
}

TEST(JsonTemplate, SingleExpressionKeepsItsType) {
  Fixture f;
  const auto body = f.render_json({{"user_id", "${id}"}, {"ratio", "${ratio}"}, {"label", "${text}"},
                                   {"none", "${nothing}"}, {"coupon_id", "${(id - 1) * 5 + 1}"}});
  const auto parsed = nlohmann::json::parse(body);
  EXPECT_TRUE(parsed["user_id"].is_number_integer());
  EXPECT_EQ(parsed["user_id"], 42);
  EXPECT_EQ(parsed["coupon_id"], 206);
  EXPECT_DOUBLE_EQ(parsed["ratio"].get<double>(), 0.25);
  EXPECT_EQ(parsed["label"], "a b&c=\"d\"");
  EXPECT_TRUE(parsed["none"].is_null());
}

TEST(JsonTemplate, MixedStringsStayStringsAndAreEscaped) {
  Fixture f;
  const auto body = f.render_json({{"name", "user-${id}"}, {"quote", "say ${text}"}});
  const auto parsed = nlohmann::json::parse(body);
  EXPECT_EQ(parsed["name"], "user-42");
  EXPECT_EQ(parsed["quote"], "say a b&c=\"d\"");
}

TEST(JsonTemplate, LiteralsNestingAndArraysPassThrough) {
  Fixture f;
  const nlohmann::json doc = {{"a", {1, "${id}", nullptr, true}}, {"b", {{"c", 2.5}, {"d", "x"}}},
                              {"e", "$${not}"}};
  const auto parsed = nlohmann::json::parse(f.render_json(doc));
  EXPECT_EQ(parsed, (nlohmann::json{{"a", {1, 42, nullptr, true}}, {"b", {{"c", 2.5}, {"d", "x"}}},
                                    {"e", "${not}"}}));
}

TEST(JsonTemplate, ReportsErrorsWithTheirPointer) {
  Fixture f;
  std::vector<std::string> problems;
  JsonTemplate::compile(nlohmann::json{{"outer", {{"list", {"ok", "${nope}"}}}}}, f.scope, f.state,
                        [&](const std::string& p, const ExprError& e) { problems.push_back(p + " " + e.message); });
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "/outer/list/1 undefined variable 'nope' at column 3");
}

}  // namespace
}  // namespace stampede::scenarios
