// Evaluation of compiled expressions. Runs on the hot path: no parsing, no lookups by
// name, no exceptions. Integer arithmetic wraps (two's complement) instead of overflowing.
#include "scenarios/expression.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace stampede::scenarios {

namespace {

// A string operand of an arithmetic operator: integers stay integers ("12" -> 12), other
// numbers become reals, anything else is 0.
Value numeric(const Value& v) {
  if (v.is_number()) return v;
  if (v.type == Value::Type::kString) {
    std::int64_t i = 0;
    const char* end = v.s.data() + v.s.size();
    auto [ptr, ec] = std::from_chars(v.s.data(), end, i);
    if (ec == std::errc{} && ptr == end && !v.s.empty()) return Value::of_int(i);
    return Value::of_real(v.as_real());
  }
  return Value::of_int(0);
}

std::int64_t wrap(std::uint64_t v) { return static_cast<std::int64_t>(v); }

Value arithmetic(Expr::Op op, const Value& a_in, const Value& b_in) {
  const Value a = numeric(a_in);
  const Value b = numeric(b_in);
  if (a.type == Value::Type::kInt && b.type == Value::Type::kInt) {
    const auto ua = static_cast<std::uint64_t>(a.i), ub = static_cast<std::uint64_t>(b.i);
    switch (op) {
      case Expr::Op::kAdd: return Value::of_int(wrap(ua + ub));
      case Expr::Op::kSub: return Value::of_int(wrap(ua - ub));
      case Expr::Op::kMul: return Value::of_int(wrap(ua * ub));
      case Expr::Op::kDiv:
        if (b.i == 0) return Value::of_int(0);
        if (b.i == -1) return Value::of_int(wrap(0 - ua));
        return Value::of_int(a.i / b.i);
      case Expr::Op::kMod:
        if (b.i == 0 || b.i == -1) return Value::of_int(0);
        return Value::of_int(a.i % b.i);
      default: break;
    }
    return Value{};
  }
  const double x = a.as_real(), y = b.as_real();
  switch (op) {
    case Expr::Op::kAdd: return Value::of_real(x + y);
    case Expr::Op::kSub: return Value::of_real(x - y);
    case Expr::Op::kMul: return Value::of_real(x * y);
    case Expr::Op::kDiv: return Value::of_real(y == 0 ? 0.0 : x / y);
    case Expr::Op::kMod: return Value::of_real(y == 0 ? 0.0 : std::fmod(x, y));
    default: break;
  }
  return Value{};
}

}  // namespace

std::optional<int> Scope::find(std::string_view name) const {
  // Later definitions win, so a capture may rebind an on_start variable's slot name.
  for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
    if (it->first == name) return it->second;
  }
  return std::nullopt;
}

std::vector<std::string> Scope::names() const {
  std::vector<std::string> out;
  for (const auto& [name, slot] : vars_) out.push_back(name);
  return out;
}

std::size_t sample_cdf(const std::vector<double>& cdf, double u) {
  auto it = std::upper_bound(cdf.begin(), cdf.end(), u);
  if (it == cdf.end()) --it;
  return static_cast<std::size_t>(it - cdf.begin());
}

bool Expr::is_constant() const {
  return root_ >= 0 && nodes_[root_].op == Op::kConst;
}

const Value& Expr::constant() const { return nodes_[root_].constant; }

std::vector<int> Expr::referenced_slots() const {
  // Walk from the root: folded-away nodes stay in the array but are unreachable.
  std::vector<int> out;
  if (root_ < 0) return out;
  std::vector<std::int32_t> stack{root_};
  while (!stack.empty()) {
    const Node& n = nodes_[static_cast<std::size_t>(stack.back())];
    stack.pop_back();
    if (n.op == Op::kVar) out.push_back(n.slot);
    stack.insert(stack.end(), n.args.begin(), n.args.end());
  }
  return out;
}

Value Expr::eval_node(std::int32_t index, EvalContext& ctx) const {
  const Node& n = nodes_[static_cast<std::size_t>(index)];
  switch (n.op) {
    case Op::kConst: return n.constant;
    case Op::kVar: return ctx.slots[static_cast<std::size_t>(n.slot)];
    case Op::kNeg: {
      const Value v = numeric(eval_node(n.args[0], ctx));
      if (v.type == Value::Type::kInt) return Value::of_int(wrap(0 - static_cast<std::uint64_t>(v.i)));
      return Value::of_real(-v.d);
    }
    case Op::kAdd: {
      Value a = eval_node(n.args[0], ctx);
      Value b = eval_node(n.args[1], ctx);
      if (a.type == Value::Type::kString || b.type == Value::Type::kString) {
        std::string joined;
        append_text(a, joined);
        append_text(b, joined);
        return Value::of_string(std::move(joined));
      }
      return arithmetic(n.op, a, b);
    }
    case Op::kSub:
    case Op::kMul:
    case Op::kDiv:
    case Op::kMod:
      return arithmetic(n.op, eval_node(n.args[0], ctx), eval_node(n.args[1], ctx));
    case Op::kUniform: {
      std::int64_t lo = eval_node(n.args[0], ctx).as_int();
      std::int64_t hi = eval_node(n.args[1], ctx).as_int();
      if (lo > hi) std::swap(lo, hi);
      return Value::of_int(ctx.rng.uniform_int(lo, hi));
    }
    case Op::kUniformReal: {
      double lo = eval_node(n.args[0], ctx).as_real();
      double hi = eval_node(n.args[1], ctx).as_real();
      if (lo > hi) std::swap(lo, hi);
      return Value::of_real(ctx.rng.uniform_real(lo, hi));
    }
    case Op::kChoice: {
      const auto last = static_cast<std::int64_t>(n.args.size()) - 1;
      return eval_node(n.args[static_cast<std::size_t>(ctx.rng.uniform_int(0, last))], ctx);
    }
    case Op::kWeighted:
      return eval_node(n.args[sample_cdf(*n.cdf, ctx.rng.uniform_real(0.0, 1.0))], ctx);
    case Op::kZipf:
      return Value::of_int(
          static_cast<std::int64_t>(sample_cdf(*n.cdf, ctx.rng.uniform_real(0.0, 1.0))) + 1);
    case Op::kSeq: {
      std::int64_t& calls = ctx.counters[static_cast<std::size_t>(n.counter)];
      const auto value = static_cast<std::uint64_t>(n.seq_start) +
                         static_cast<std::uint64_t>(calls) * static_cast<std::uint64_t>(n.seq_step);
      ++calls;
      return Value::of_int(wrap(value));
    }
    case Op::kStr: {
      Value v = eval_node(n.args[0], ctx);
      if (v.type == Value::Type::kString) return v;
      std::string text;
      append_text(v, text);
      return Value::of_string(std::move(text));
    }
    case Op::kInt: return Value::of_int(eval_node(n.args[0], ctx).as_int());
    case Op::kFloat: return Value::of_real(eval_node(n.args[0], ctx).as_real());
  }
  return Value{};
}

}  // namespace stampede::scenarios
