// Templates: strings with ${expr} substitutions, and JSON bodies whose string values may
// be templates. Compiled once at load time; rendering appends to a caller-owned buffer.
//
// Rules (see scenarios/README.md):
//  - In a string, each ${expr} is replaced by the expression's value as text; "$${" is a
//    literal "${"; a lone "$" is literal.
//  - In a JSON template, a string value that is exactly one "${expr}" keeps the value's
//    type (a number stays a number); any other string with substitutions stays a string.
//    Object keys are literal.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenarios/expression.h"

namespace stampede::scenarios {

enum class Escape { kNone, kUrl, kJson };

class StringTemplate {
 public:
  // Errors carry columns relative to `text` (1-based).
  static StringTemplate compile(std::string_view text, const Scope& scope, CompileState& state,
                                std::vector<ExprError>& errors);

  // Appends the rendered text to `out`, escaping literal and substituted parts alike.
  void render(EvalContext& ctx, std::string& out, Escape escape = Escape::kNone) const;

  bool is_literal() const { return exprs_.empty(); }
  // True when the whole template is a single "${expr}" (typed substitution in JSON).
  bool is_single_expression() const { return parts_.size() == 1 && parts_[0].expr >= 0; }
  Value eval_single(EvalContext& ctx) const { return exprs_.front().eval(ctx); }
  const std::string& source() const { return source_; }

 private:
  struct Part {
    std::string literal;  // used when expr < 0
    int expr = -1;        // index into exprs_
  };
  std::vector<Part> parts_;
  std::vector<Expr> exprs_;
  std::string source_;
};

// A JSON document with template strings, pre-serialised into literal chunks and holes.
class JsonTemplate {
 public:
  // `on_error(json_pointer_suffix, error)` is called for each problem, with the pointer of
  // the offending string relative to `doc` (e.g. "/user/id").
  template <typename OnError>
  static JsonTemplate compile(const nlohmann::json& doc, const Scope& scope, CompileState& state,
                              OnError&& on_error) {
    JsonTemplate t;
    std::vector<std::pair<std::string, ExprError>> errors;
    t.build(doc, "", scope, state, errors);
    for (auto& [pointer, error] : errors) on_error(pointer, error);
    return t;
  }

  void render(EvalContext& ctx, std::string& out) const;

 private:
  struct Chunk {
    std::string literal;
    int hole = -1;  // index into holes_, rendered after `literal`
  };
  void build(const nlohmann::json& node, const std::string& pointer, const Scope& scope,
             CompileState& state, std::vector<std::pair<std::string, ExprError>>& errors);
  void emit(std::string_view text);
  std::vector<Chunk> chunks_;
  std::vector<StringTemplate> holes_;
};

// Escapes a JSON pointer reference token ("~" -> "~0", "/" -> "~1").
std::string pointer_token(std::string_view key);

}  // namespace stampede::scenarios
