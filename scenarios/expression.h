// Expressions of the scenario language: literals, variables, + - * / %, unary minus,
// parentheses and the distribution functions (uniform, uniform_real, choice, weighted,
// zipf, seq) plus str/int/float. See scenarios/README.md for the language.
//
// An expression is compiled once, at load time, into a flat node array with variables
// resolved to slots, constants folded and per-call-site tables (zipf CDF, weighted CDF)
// precomputed. Evaluation never parses and never fails: runtime oddities (division by zero,
// arithmetic on a non-numeric captured string) have documented results instead.
//
// Thread-safety: a compiled Expr is immutable; evaluate concurrently with distinct
// EvalContexts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/user_session.h"
#include "scenarios/value.h"

namespace stampede::scenarios {

// Variable names visible to an expression, each bound to a slot of the user's state.
class Scope {
 public:
  void add(std::string name, int slot) { vars_.emplace_back(std::move(name), slot); }
  std::optional<int> find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  std::vector<std::pair<std::string, int>> vars_;
};

// Per-user-class compile state: hands out seq() counter ids.
struct CompileState {
  int next_counter = 0;
};

// A compile error. `column` is 1-based within the string the expression came from.
struct ExprError {
  std::size_t column = 0;
  std::string message;
};

// What an expression reads and writes while it runs (one per user session).
struct EvalContext {
  std::vector<Value>& slots;
  std::vector<std::int64_t>& counters;  // seq() calls made so far, per call site
  Rng& rng;
};

class Expr {
 public:
  Value eval(EvalContext& ctx) const { return eval_node(root_, ctx); }
  bool valid() const { return root_ >= 0; }
  bool is_constant() const;
  const Value& constant() const;  // only when is_constant()
  std::vector<int> referenced_slots() const;  // variables read, for dependency ordering

  // Compiles `text`; `column_base` is the column (1-based) of text[0] in its source string.
  // On error returns an invalid Expr and appends to `errors`.
  static Expr compile(std::string_view text, std::size_t column_base, const Scope& scope,
                      CompileState& state, std::vector<ExprError>& errors);

  enum class Op : std::uint8_t {
    kConst, kVar, kNeg, kAdd, kSub, kMul, kDiv, kMod,
    kUniform, kUniformReal, kChoice, kWeighted, kZipf, kSeq, kStr, kInt, kFloat
  };
  struct Node {
    Op op = Op::kConst;
    std::vector<std::int32_t> args;              // child node indices
    Value constant;                              // kConst
    int slot = -1;                               // kVar
    int counter = -1;                            // kSeq
    std::int64_t seq_start = 0, seq_step = 1;    // kSeq
    std::shared_ptr<const std::vector<double>> cdf;  // kWeighted / kZipf, ends at 1.0
  };

 private:
  friend class ExprParser;
  Value eval_node(std::int32_t index, EvalContext& ctx) const;
  std::vector<Node> nodes_;
  std::int32_t root_ = -1;
};

// Index into `cdf` (ascending, last element 1.0) for a uniform draw u in [0, 1).
std::size_t sample_cdf(const std::vector<double>& cdf, double u);

}  // namespace stampede::scenarios
