// Expression compilation and evaluation: arithmetic typing, functions, folding, errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenarios/expression.h"

namespace stampede::scenarios {
namespace {

using ::testing::HasSubstr;

// Compiles `text` with variables `room` (slot 0) and `name` (slot 1) in scope.
struct Fixture {
  Scope scope;
  CompileState state;
  std::vector<Value> slots{Value::of_int(3), Value::of_string("bob")};
  std::vector<std::int64_t> counters = std::vector<std::int64_t>(8, 0);
  Rng rng{7};
  Fixture() {
    scope.add("room", 0);
    scope.add("name", 1);
  }
  Expr compile(const std::string& text) {
    std::vector<ExprError> errors;
    Expr e = Expr::compile(text, 1, scope, state, errors);
    EXPECT_TRUE(errors.empty()) << text << ": " << (errors.empty() ? "" : errors[0].message);
    return e;
  }
  Value eval(const std::string& text) {
    EvalContext ctx{slots, counters, rng};
    return compile(text).eval(ctx);
  }
  std::string error(const std::string& text) {
    std::vector<ExprError> errors;
    Expr e = Expr::compile(text, 1, scope, state, errors);
    EXPECT_FALSE(e.valid());
    return errors.empty() ? std::string("(no error)") : errors[0].message;
  }
};

TEST(Expression, IntegerArithmeticStaysInteger) {
  Fixture f;
  const Value v = f.eval("(room - 1) * 5 + 2");
  EXPECT_EQ(v.type, Value::Type::kInt);
  EXPECT_EQ(v.i, 12);
  EXPECT_EQ(f.eval("7 / 2").i, 3);
  EXPECT_EQ(f.eval("-7 / 2").i, -3);  // truncates toward zero, like C
  EXPECT_EQ(f.eval("7 % 3").i, 1);
  EXPECT_EQ(f.eval("-room").i, -3);
  EXPECT_EQ(f.eval("2 + 3 * 4").i, 14);
  EXPECT_EQ(f.eval("(2 + 3) * 4").i, 20);
  EXPECT_EQ(f.eval("10 - 2 - 3").i, 5);  // left-associative
}

TEST(Expression, RealArithmeticWhenEitherSideIsReal) {
  Fixture f;
  const Value v = f.eval("7 / 2.0");
  EXPECT_EQ(v.type, Value::Type::kReal);
  EXPECT_DOUBLE_EQ(v.d, 3.5);
  EXPECT_DOUBLE_EQ(f.eval("room * 0.5").d, 1.5);
  EXPECT_DOUBLE_EQ(f.eval("1e3").d, 1000.0);
}

TEST(Expression, StringsConcatenateAndConvert) {
  Fixture f;
  EXPECT_EQ(f.eval("'user-' + room").s, "user-3");
  EXPECT_EQ(f.eval("name + \"!\"").s, "bob!");
  EXPECT_EQ(f.eval("str(room * 2)").s, "6");
  EXPECT_EQ(f.eval("int('42') + 1").i, 43);
  EXPECT_EQ(f.eval("int(3.9)").i, 3);
  const Value real = f.eval("float(room)");
  EXPECT_EQ(real.type, Value::Type::kReal);
  EXPECT_DOUBLE_EQ(real.d, 3.0);
}

TEST(Expression, ConstantsAreFoldedAtCompileTime) {
  Fixture f;
  EXPECT_TRUE(f.compile("(1 + 2) * 3").is_constant());
  EXPECT_EQ(f.compile("(1 + 2) * 3").constant().i, 9);
  EXPECT_FALSE(f.compile("room + 1").is_constant());
  EXPECT_FALSE(f.compile("uniform(1, 2)").is_constant());
}

TEST(Expression, RuntimeDivisionByZeroGivesZero) {
  Fixture f;
  f.slots[0] = Value::of_int(0);
  EXPECT_EQ(f.eval("10 / room").i, 0);
  EXPECT_EQ(f.eval("10 % room").i, 0);
}

TEST(Expression, HotRoomCouponStaysInItsRoom) {
  Fixture f;
  const Expr room = f.compile("uniform(1, 5)");
  const Expr coupon = f.compile("(room - 1) * 5 + uniform(1, 5)");
  EvalContext ctx{f.slots, f.counters, f.rng};
  std::set<std::int64_t> coupons_seen;
  for (int i = 0; i < 20000; ++i) {
    f.slots[0] = room.eval(ctx);
    const std::int64_t r = f.slots[0].i;
    ASSERT_GE(r, 1);
    ASSERT_LE(r, 5);
    const std::int64_t c = coupon.eval(ctx).i;
    ASSERT_GE(c, (r - 1) * 5 + 1) << "room " << r;
    ASSERT_LE(c, r * 5) << "room " << r;
    coupons_seen.insert(c);
  }
  EXPECT_EQ(coupons_seen.size(), 25u);  // every hot-room coupon 1..25 is reachable
}

TEST(Expression, SeqCountsPerCallSite) {
  Fixture f;
  const Expr a = f.compile("seq(10, 5)");
  const Expr b = f.compile("seq(1)");
  EvalContext ctx{f.slots, f.counters, f.rng};
  EXPECT_EQ(a.eval(ctx).i, 10);
  EXPECT_EQ(a.eval(ctx).i, 15);
  EXPECT_EQ(b.eval(ctx).i, 1);
  EXPECT_EQ(a.eval(ctx).i, 20);
  EXPECT_EQ(b.eval(ctx).i, 2);
  EXPECT_EQ(f.state.next_counter, 2);
}

TEST(Expression, ReferencedSlotsListsVariables) {
  Fixture f;
  auto slots = f.compile("room + str(name)").referenced_slots();
  std::sort(slots.begin(), slots.end());
  EXPECT_EQ(slots, (std::vector<int>{0, 1}));
}

TEST(Expression, SyntaxErrorsGiveTheColumn) {
  Fixture f;
  EXPECT_EQ(f.error("1 +"), "unexpected end of expression at column 4");
  EXPECT_EQ(f.error("1 2"), "unexpected '2' at column 3");
  EXPECT_EQ(f.error("(1 + 2"), "expected ')' at column 7");
  EXPECT_EQ(f.error(""), "empty expression at column 1");
  EXPECT_EQ(f.error("'abc"), "unterminated string at column 1");
  EXPECT_EQ(f.error("99999999999999999999"), "integer '99999999999999999999' out of range at column 1");
}

TEST(Expression, ColumnsAreRelativeToTheSourceString) {
  Fixture f;
  std::vector<ExprError> errors;
  Expr::compile("1 +", 8, f.scope, f.state, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].column, 11u);
  EXPECT_THAT(errors[0].message, HasSubstr("at column 11"));
}

TEST(Expression, UnknownNamesSuggestTheClosest) {
  Fixture f;
  EXPECT_EQ(f.error("unifrom(1, 5)"), "unknown function 'unifrom' at column 1 — did you mean 'uniform'?");
  EXPECT_EQ(f.error("rom + 1"), "undefined variable 'rom' at column 1 — did you mean 'room'?");
  EXPECT_EQ(f.error("frobnicate(1)"), "unknown function 'frobnicate' at column 1");
}

TEST(Expression, ReportsEveryUndefinedVariable) {
  Fixture f;
  std::vector<ExprError> errors;
  Expr::compile("a + b", 1, f.scope, f.state, errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors[0].message, HasSubstr("'a' at column 1"));
  EXPECT_THAT(errors[1].message, HasSubstr("'b' at column 5"));
}

TEST(Expression, FunctionArgumentsAreChecked) {
  Fixture f;
  EXPECT_EQ(f.error("uniform(1)"), "uniform() takes 2 arguments, got 1 at column 1");
  EXPECT_EQ(f.error("uniform(5, 1)"), "uniform() needs low <= high at column 9");
  EXPECT_EQ(f.error("uniform(1.5, 3)"), "uniform() expects integers (use uniform_real for reals) at column 9");
  EXPECT_EQ(f.error("weighted('a', 1, 'b')"), "weighted() takes value, weight pairs, got 3 arguments at column 1");
  EXPECT_EQ(f.error("weighted('a', room)"), "weighted() weights must be constant numbers >= 0 at column 15");
  EXPECT_EQ(f.error("weighted('a', 0)"), "weighted() weights must sum to > 0 at column 15");
  EXPECT_EQ(f.error("zipf(0, 1)"), "zipf() n must be a constant integer in [1, 10000000] at column 6");
  EXPECT_EQ(f.error("zipf(10, -1)"), "zipf() s must be a constant number >= 0 at column 10");
  EXPECT_EQ(f.error("seq(room)"), "seq() takes constant integers at column 5");
  EXPECT_EQ(f.error("choice()"), "choice() takes at least 1 argument, got 0 at column 1");
  EXPECT_EQ(f.error("1 / 0"), "division by zero at column 3");
  EXPECT_EQ(f.error("'a' * 2"), "cannot apply '*' to a string at column 5");
  EXPECT_EQ(f.error("-'a'"), "cannot apply '-' to a string at column 1");
}

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

TEST(Expression, DepthLimitCountsParenthesesMinusSignsAndTreeLevels) {
  Fixture f;
  const std::string too_deep = "expression nested deeper than 256 levels";
  // The expression itself is level 1; each parenthesis or minus sign adds one.
  EXPECT_EQ(f.eval(std::string(255, '(') + "room" + std::string(255, ')')).i, 3);
  EXPECT_THAT(f.error(std::string(256, '(') + "room" + std::string(256, ')')), HasSubstr(too_deep));
  EXPECT_EQ(f.eval(std::string(255, '-') + "room").i, -3);
  EXPECT_THAT(f.error(std::string(256, '-') + "room"), HasSubstr(too_deep));
  // `room + room + …` is flat text but a tree one level deeper per term.
  EXPECT_EQ(f.eval("room" + repeat(" + room", 255)).i, 3 * 256);
  EXPECT_THAT(f.error("room" + repeat(" + room", 256)), HasSubstr(too_deep));
  EXPECT_THAT(f.error("uniform(1, " + std::string(300, '(') + "2" + std::string(300, ')') + ")"),
              HasSubstr(too_deep + " (the limit; split it into variables) at column 267"));
}

TEST(Expression, HugeInputsFailWithoutCrashing) {
  Fixture f;
  EXPECT_THAT(f.error(std::string(50'000, '(') + "1" + std::string(50'000, ')')),
              HasSubstr("nested deeper than 256 levels"));
  EXPECT_THAT(f.error(std::string(100'000, '-') + "1"), HasSubstr("nested deeper than 256 levels"));
  EXPECT_THAT(f.error("1e999"), HasSubstr("number '1e999' out of range"));
}

TEST(Expression, ConstantChainsFoldWhateverTheirLength) {
  // Folded as they are parsed, so a long constant chain is one node, not a deep tree.
  Fixture f;
  const Value v = f.eval("1" + repeat(" + 1", 99'999));
  EXPECT_EQ(v.type, Value::Type::kInt);
  EXPECT_EQ(v.i, 100'000);
  EXPECT_TRUE(f.compile("2 * (3 + 4) - -1" + repeat(" + 0", 1000)).is_constant());
  EXPECT_EQ(f.eval("room * (2 + 3) - (10 / 2)").i, 10);  // folding keeps the variable parts
}

}  // namespace
}  // namespace stampede::scenarios
