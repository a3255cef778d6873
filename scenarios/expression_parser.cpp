// Recursive-descent compiler for scenario expressions (grammar in scenarios/README.md):
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/' | '%') unary)*
//   unary   := '-' unary | primary
//   primary := number | string | name | name '(' [expr (',' expr)*] ')' | '(' expr ')'
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <numeric>

#include "scenarios/expression.h"
#include "scenarios/limits.h"
#include "scenarios/suggest.h"

namespace stampede::scenarios {

namespace {

constexpr std::int64_t kMaxZipfN = 10'000'000;

struct FunctionInfo {
  std::string_view name;
  Expr::Op op;
  int min_args;
  int max_args;  // -1: unbounded
};

constexpr FunctionInfo kFunctions[] = {
    {"uniform", Expr::Op::kUniform, 2, 2},   {"uniform_real", Expr::Op::kUniformReal, 2, 2},
    {"choice", Expr::Op::kChoice, 1, -1},    {"weighted", Expr::Op::kWeighted, 2, -1},
    {"zipf", Expr::Op::kZipf, 2, 2},         {"seq", Expr::Op::kSeq, 1, 2},
    {"str", Expr::Op::kStr, 1, 1},           {"int", Expr::Op::kInt, 1, 1},
    {"float", Expr::Op::kFloat, 1, 1},
};

std::vector<std::string> function_names() {
  std::vector<std::string> out;
  for (const auto& f : kFunctions) out.emplace_back(f.name);
  return out;
}

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

// Parses one expression into an Expr's node array. Stops at the first syntax error
// (later text cannot be trusted) but reports every undefined variable it meets.
//
// Depth is bounded twice (kMaxExpressionDepth): the parser's own recursion (parentheses,
// unary minus, call arguments) and the depth of the tree it builds, which evaluation walks
// recursively (`x + x + …` is flat text but a deep tree).
class ExprParser {
 public:
  ExprParser(std::string_view text, std::size_t column_base, const Scope& scope,
             CompileState& state, std::vector<ExprError>& errors)
      : text_(text), base_(column_base), scope_(scope), state_(state), errors_(errors) {}

  Expr run() {
    const std::size_t errors_before = errors_.size();
    skip_space();
    std::int32_t root = -1;
    if (pos_ >= text_.size()) {
      fail(pos_, "empty expression");
    } else {
      root = parse_sum();
      skip_space();
      if (!failed_ && pos_ < text_.size()) fail(pos_, unexpected_here());
    }
    if (errors_.size() != errors_before) return Expr{};
    out_.root_ = root;
    return std::move(out_);
  }

 private:
  // --- helpers ---------------------------------------------------------------------------
  void fail(std::size_t at, std::string message) {
    if (failed_) return;
    failed_ = true;
    errors_.push_back({base_ + at, std::move(message) + " at column " + std::to_string(base_ + at)});
  }
  void note(std::size_t at, std::string message) {  // non-fatal (keeps parsing)
    errors_.push_back({base_ + at, std::move(message)});
  }
  std::string unexpected_here() const {
    if (pos_ >= text_.size()) return "unexpected end of expression";
    return "unexpected '" + std::string(1, text_[pos_]) + "'";
  }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool accept(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::int32_t add(Expr::Node node) {
    std::size_t depth = 1;
    for (auto a : node.args) depth = std::max(depth, depth_[static_cast<std::size_t>(a)] + 1);
    if (depth > kMaxExpressionDepth) fail(pos_, too_deep());
    out_.nodes_.push_back(std::move(node));
    depth_.push_back(depth);
    return static_cast<std::int32_t>(out_.nodes_.size() - 1);
  }
  static std::string too_deep() {
    return "expression nested deeper than " + std::to_string(kMaxExpressionDepth) +
           " levels (the limit; split it into variables)";
  }
  // Counts one level of the parser's recursion for as long as it lives.
  class Nesting {
   public:
    explicit Nesting(ExprParser& p) : p_(p) {
      if (++p_.nesting_ > kMaxExpressionDepth) p_.fail(p_.pos_, too_deep());
    }
    ~Nesting() { --p_.nesting_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    ExprParser& p_;
  };
  std::int32_t add_const(Value v) {
    Expr::Node n;
    n.op = Expr::Op::kConst;
    n.constant = std::move(v);
    return add(std::move(n));
  }
  const Expr::Node& node(std::int32_t i) const { return out_.nodes_[i]; }
  bool is_const(std::int32_t i) const { return i >= 0 && node(i).op == Expr::Op::kConst; }
  bool is_string(std::int32_t i) const {
    if (i < 0) return false;
    const auto& n = node(i);
    return (n.op == Expr::Op::kConst && n.constant.type == Value::Type::kString) ||
           n.op == Expr::Op::kStr;
  }

  // Folds a node whose arguments are all constants and whose result is deterministic.
  // Nodes are appended in post-order, so everything from the first argument on belongs to
  // this node's subtree and is unreachable once it is folded: drop it, so long constant
  // chains (`1 + 1 + …`) take one node instead of three per term.
  std::int32_t fold(std::int32_t i) {
    if (failed_) return i;
    const auto& n = node(i);
    for (auto a : n.args) {
      if (!is_const(a)) return i;
    }
    std::vector<Value> no_slots;
    std::vector<std::int64_t> no_counters;
    Rng rng(0);
    EvalContext ctx{no_slots, no_counters, rng};
    Value v = out_.eval_node(i, ctx);
    if (!n.args.empty()) {
      const auto first = static_cast<std::size_t>(*std::min_element(n.args.begin(), n.args.end()));
      out_.nodes_.resize(first);
      depth_.resize(first);
    }
    return add_const(std::move(v));
  }

  // --- grammar ---------------------------------------------------------------------------
  std::int32_t parse_sum() {
    const Nesting level(*this);
    if (failed_) return -1;
    std::int32_t left = parse_term();
    while (!failed_) {
      skip_space();
      const std::size_t at = pos_;
      Expr::Op op;
      if (accept('+')) {
        op = Expr::Op::kAdd;
      } else if (accept('-')) {
        op = Expr::Op::kSub;
      } else {
        break;
      }
      std::int32_t right = parse_term();
      left = binary(op, left, right, at);
    }
    return left;
  }

  std::int32_t parse_term() {
    std::int32_t left = parse_unary();
    while (!failed_) {
      skip_space();
      const std::size_t at = pos_;
      Expr::Op op;
      if (accept('*')) {
        op = Expr::Op::kMul;
      } else if (accept('/')) {
        op = Expr::Op::kDiv;
      } else if (accept('%')) {
        op = Expr::Op::kMod;
      } else {
        break;
      }
      std::int32_t right = parse_unary();
      left = binary(op, left, right, at);
    }
    return left;
  }

  std::int32_t binary(Expr::Op op, std::int32_t left, std::int32_t right, std::size_t at) {
    if (failed_ || left < 0 || right < 0) return -1;
    if (op != Expr::Op::kAdd && (is_string(left) || is_string(right))) {
      const char sym = op == Expr::Op::kSub ? '-' : op == Expr::Op::kMul ? '*'
                     : op == Expr::Op::kDiv ? '/' : '%';
      fail(at, std::string("cannot apply '") + sym + "' to a string");
      return -1;
    }
    if ((op == Expr::Op::kDiv || op == Expr::Op::kMod) && is_const(right) &&
        node(right).constant.is_number() && node(right).constant.as_real() == 0.0) {
      fail(at, "division by zero");
      return -1;
    }
    Expr::Node n;
    n.op = op;
    n.args = {left, right};
    return fold(add(std::move(n)));
  }

  std::int32_t parse_unary() {
    skip_space();
    const std::size_t at = pos_;
    if (accept('-')) {
      const Nesting level(*this);
      if (failed_) return -1;
      std::int32_t operand = parse_unary();
      if (failed_ || operand < 0) return -1;
      if (is_string(operand)) {
        fail(at, "cannot apply '-' to a string");
        return -1;
      }
      Expr::Node n;
      n.op = Expr::Op::kNeg;
      n.args = {operand};
      return fold(add(std::move(n)));
    }
    return parse_primary();
  }

  std::int32_t parse_primary() {
    skip_space();
    if (pos_ >= text_.size()) {
      fail(pos_, "unexpected end of expression");
      return -1;
    }
    const char c = text_[pos_];
    if (c == '(') {
      ++pos_;
      std::int32_t inner = parse_sum();
      if (failed_) return -1;
      if (!accept(')')) fail(pos_, "expected ')'");
      return inner;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return parse_number();
    if (c == '"' || c == '\'') return parse_string();
    if (is_ident_start(c)) return parse_name();
    fail(pos_, unexpected_here());
    return -1;
  }

  std::int32_t parse_number() {
    const std::size_t start = pos_;
    bool real = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (std::isdigit(static_cast<unsigned char>(c))) {
        ++pos_;
      } else if (c == '.') {
        real = true;
        ++pos_;
      } else if ((c == 'e' || c == 'E') && pos_ + 1 < text_.size()) {
        real = true;
        ++pos_;
        if (text_[pos_] == '+' || text_[pos_] == '-') ++pos_;
      } else {
        break;
      }
    }
    const std::string_view digits = text_.substr(start, pos_ - start);
    const char* end = digits.data() + digits.size();
    if (!real) {
      std::int64_t v = 0;
      auto [ptr, ec] = std::from_chars(digits.data(), end, v);
      if (ec == std::errc{} && ptr == end) return add_const(Value::of_int(v));
      fail(start, "integer '" + std::string(digits) + "' out of range");
      return -1;
    }
    double v = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), end, v);
    if (ec == std::errc::result_out_of_range && ptr == end) {
      fail(start, "number '" + std::string(digits) + "' out of range (a double holds about ±1.8e308)");
      return -1;
    }
    if (ec != std::errc{} || ptr != end) {
      fail(start, "malformed number '" + std::string(digits) + "'");
      return -1;
    }
    return add_const(Value::of_real(v));
  }

  std::int32_t parse_string() {
    const std::size_t start = pos_;
    const char quote = text_[pos_++];
    std::string value;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
      value += text_[pos_++];
    }
    if (pos_ >= text_.size()) {
      fail(start, "unterminated string");
      return -1;
    }
    ++pos_;
    return add_const(Value::of_string(std::move(value)));
  }

  std::int32_t parse_name() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
    // A record's field: "account.user" (a data row taken with next(), scenarios/README.md).
    while (pos_ + 1 < text_.size() && text_[pos_] == '.' && is_ident_start(text_[pos_ + 1])) {
      ++pos_;
      while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
    }
    const std::string name(text_.substr(start, pos_ - start));
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '(') {
      ++pos_;
      return parse_call(name, start);
    }
    if (auto slot = scope_.find(name)) {
      Expr::Node n;
      n.op = Expr::Op::kVar;
      n.slot = *slot;
      return add(std::move(n));
    }
    note(start, "undefined variable '" + name + "' at column " + std::to_string(base_ + start) +
                    did_you_mean(name, scope_.names()));
    return add_const(Value{});  // keep parsing to find further problems
  }

  std::int32_t parse_call(const std::string& name, std::size_t start) {
    const FunctionInfo* fn = nullptr;
    for (const auto& f : kFunctions) {
      if (f.name == name) fn = &f;
    }
    std::vector<std::int32_t> args;
    std::vector<std::size_t> arg_columns;
    if (!accept(')')) {
      do {
        skip_space();
        arg_columns.push_back(pos_);
        args.push_back(parse_sum());
        if (failed_) return -1;
      } while (accept(','));
      if (!accept(')')) {
        fail(pos_, "expected ',' or ')' in call to '" + name + "'");
        return -1;
      }
    }
    if (fn == nullptr) {
      fail(start, "unknown function '" + name + "'");
      errors_.back().message += did_you_mean(name, function_names());
      return -1;
    }
    const int n = static_cast<int>(args.size());
    if (n < fn->min_args || (fn->max_args >= 0 && n > fn->max_args)) {
      std::string expected = fn->min_args == fn->max_args ? std::to_string(fn->min_args)
                             : fn->max_args < 0 ? "at least " + std::to_string(fn->min_args)
                             : std::to_string(fn->min_args) + " or " + std::to_string(fn->max_args);
      fail(start, name + "() takes " + expected + " argument" + (fn->min_args == 1 && fn->max_args != 2 ? "" : "s") +
                      ", got " + std::to_string(n));
      return -1;
    }
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (args[i] < 0) return add_const(Value{});  // undefined variable already reported
    }
    Expr::Node node_out;
    node_out.op = fn->op;
    switch (fn->op) {
      case Expr::Op::kUniform:
      case Expr::Op::kUniformReal:
        for (std::size_t i = 0; i < 2; ++i) {
          if (is_string(args[i])) return fail_arg(arg_columns[i], name, "expects numbers");
        }
        if (fn->op == Expr::Op::kUniform) {
          for (std::size_t i = 0; i < 2; ++i) {
            if (is_const(args[i]) && node(args[i]).constant.type == Value::Type::kReal) {
              return fail_arg(arg_columns[i], name, "expects integers (use uniform_real for reals)");
            }
          }
        }
        if (is_const(args[0]) && is_const(args[1]) &&
            node(args[0]).constant.as_real() > node(args[1]).constant.as_real()) {
          return fail_arg(arg_columns[0], name, "needs low <= high");
        }
        node_out.args = args;
        break;
      case Expr::Op::kWeighted: {
        if (n % 2 != 0) {
          fail(start, "weighted() takes value, weight pairs, got " + std::to_string(n) + " arguments");
          return -1;
        }
        std::vector<double> weights;
        for (int i = 0; i < n; i += 2) {
          const auto w = args[i + 1];
          if (!is_const(w) || !node(w).constant.is_number() || node(w).constant.as_real() < 0) {
            return fail_arg(arg_columns[i + 1], name, "weights must be constant numbers >= 0");
          }
          node_out.args.push_back(args[i]);
          weights.push_back(node(w).constant.as_real());
        }
        const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
        if (!(total > 0)) return fail_arg(arg_columns[1], name, "weights must sum to > 0");
        auto cdf = std::make_shared<std::vector<double>>();
        double running = 0;
        for (double w : weights) cdf->push_back((running += w) / total);
        cdf->back() = 1.0;
        node_out.cdf = std::move(cdf);
        break;
      }
      case Expr::Op::kZipf: {
        if (!is_const(args[0]) || node(args[0]).constant.type != Value::Type::kInt ||
            node(args[0]).constant.i < 1 || node(args[0]).constant.i > kMaxZipfN) {
          return fail_arg(arg_columns[0], name, "n must be a constant integer in [1, 10000000]");
        }
        if (!is_const(args[1]) || !node(args[1]).constant.is_number() ||
            node(args[1]).constant.as_real() < 0) {
          return fail_arg(arg_columns[1], name, "s must be a constant number >= 0");
        }
        const std::int64_t count = node(args[0]).constant.i;
        const double s = node(args[1]).constant.as_real();
        auto cdf = std::make_shared<std::vector<double>>(static_cast<std::size_t>(count));
        double running = 0;
        for (std::int64_t k = 1; k <= count; ++k) {
          running += 1.0 / std::pow(static_cast<double>(k), s);
          (*cdf)[static_cast<std::size_t>(k - 1)] = running;
        }
        for (auto& c : *cdf) c /= running;
        cdf->back() = 1.0;
        node_out.cdf = std::move(cdf);
        break;
      }
      case Expr::Op::kSeq:
        for (std::size_t i = 0; i < args.size(); ++i) {
          if (!is_const(args[i]) || node(args[i]).constant.type != Value::Type::kInt) {
            return fail_arg(arg_columns[i], name, "takes constant integers");
          }
        }
        node_out.seq_start = node(args[0]).constant.i;
        node_out.seq_step = args.size() > 1 ? node(args[1]).constant.i : 1;
        node_out.counter = state_.next_counter++;
        break;
      case Expr::Op::kStr:
      case Expr::Op::kInt:
      case Expr::Op::kFloat: {
        node_out.args = args;
        return fold(add(std::move(node_out)));
      }
      default:
        node_out.args = args;
        break;
    }
    return add(std::move(node_out));
  }

  std::int32_t fail_arg(std::size_t at, const std::string& fn, const std::string& what) {
    fail(at, fn + "() " + what);
    return -1;
  }

  std::string_view text_;
  std::size_t base_;
  const Scope& scope_;
  CompileState& state_;
  std::vector<ExprError>& errors_;
  std::size_t pos_ = 0;
  bool failed_ = false;
  std::size_t nesting_ = 0;
  std::vector<std::size_t> depth_;  // per node of out_: levels of its subtree
  Expr out_;
};

Expr Expr::compile(std::string_view text, std::size_t column_base, const Scope& scope,
                   CompileState& state, std::vector<ExprError>& errors) {
  return ExprParser(text, column_base, scope, state, errors).run();
}

}  // namespace stampede::scenarios
