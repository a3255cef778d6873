// Templates and expressions: the bytes as a template string (`"path": "/api/${...}"`, a
// header, a query value) or a bare expression (`"on_start": {"x": "..."}`), compiled by the
// scenarios' parser and rendered the way a user session does, against variables holding
// what captures can bring in (int64 extremes, huge reals, strings, unset).
//
// Input: the first byte picks the form (template with no escaping / URL escaping / JSON
// escaping, or a bare expression); the rest is the text. Compile errors are expected;
// a crash or a sanitizer report at compile or render time is a bug.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/expression.h"
#include "scenarios/template.h"

namespace {

using namespace stampede::scenarios;

struct Variables {
  Scope scope;
  std::vector<Value> values;
  Variables() {
    add("user_id", Value::of_int(42));
    add("room", Value::of_int(-3));
    add("name", Value::of_string("a b&c\"d\\e/\xc3\xa9"));
    add("unset", Value{});
    add("big", Value::of_int(std::numeric_limits<std::int64_t>::max()));
    add("small", Value::of_int(std::numeric_limits<std::int64_t>::min()));
    add("huge", Value::of_real(1.7e308));
    add("numeric", Value::of_string("-9223372036854775808"));
  }
  void add(std::string name, Value value) {
    scope.add(std::move(name), static_cast<int>(values.size()));
    values.push_back(std::move(value));
  }
};

const Variables& variables() {
  static const Variables vars;
  return vars;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t form = data[0] % 4;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const Variables& vars = variables();

  CompileState state;
  std::vector<ExprError> errors;
  Expr expr;
  StringTemplate tmpl;
  if (form == 3) {
    expr = Expr::compile(text, 1, vars.scope, state, errors);
  } else {
    tmpl = StringTemplate::compile(text, vars.scope, state, errors);
  }
  if (!errors.empty()) return 0;

  std::vector<Value> slots = vars.values;
  std::vector<std::int64_t> counters(static_cast<std::size_t>(state.next_counter), 0);
  Rng rng(7);
  EvalContext ctx{slots, counters, rng};
  std::string out;
  for (int i = 0; i < 3; ++i) {  // seq() counters move, random draws differ
    out.clear();
    if (form == 3) {
      if (expr.valid()) append_text(expr.eval(ctx), out);
    } else {
      const Escape escape = form == 0 ? Escape::kNone : form == 1 ? Escape::kUrl : Escape::kJson;
      tmpl.render(ctx, out, escape);
      if (tmpl.is_single_expression()) append_json(tmpl.eval_single(ctx), out);
    }
  }
  return 0;
}
