#include "scenarios/template.h"

namespace stampede::scenarios {

namespace {

void append_escaped(std::string_view text, std::string& out, Escape escape) {
  switch (escape) {
    case Escape::kNone: out += text; break;
    case Escape::kUrl: append_url_encoded(text, out); break;
    case Escape::kJson: append_json_escaped(text, out); break;
  }
}

// End of the expression that starts at `from` (index of the closing '}'), skipping braces
// inside quoted strings; npos when unterminated.
std::size_t find_close(std::string_view text, std::size_t from) {
  char quote = 0;
  for (std::size_t i = from; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '}') {
      return i;
    }
  }
  return std::string_view::npos;
}

}  // namespace

StringTemplate StringTemplate::compile(std::string_view text, const Scope& scope,
                                       CompileState& state, std::vector<ExprError>& errors) {
  StringTemplate t;
  t.source_ = std::string(text);
  std::string literal;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      literal += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      literal += text[i++];
      continue;
    }
    const std::size_t close = find_close(text, i + 2);
    if (close == std::string_view::npos) {
      errors.push_back({i + 1, "unterminated '${' at column " + std::to_string(i + 1)});
      return t;
    }
    if (!literal.empty()) t.parts_.push_back({std::move(literal), -1});
    literal.clear();
    Expr e = Expr::compile(text.substr(i + 2, close - i - 2), i + 3, scope, state, errors);
    t.parts_.push_back({{}, static_cast<int>(t.exprs_.size())});
    t.exprs_.push_back(std::move(e));
    i = close + 1;
  }
  if (!literal.empty()) t.parts_.push_back({std::move(literal), -1});
  return t;
}

void StringTemplate::render(EvalContext& ctx, std::string& out, Escape escape) const {
  for (const Part& part : parts_) {
    if (part.expr < 0) {
      append_escaped(part.literal, out, escape);
      continue;
    }
    const Value v = exprs_[static_cast<std::size_t>(part.expr)].eval(ctx);
    if (escape == Escape::kNone) {
      append_text(v, out);
    } else if (v.type == Value::Type::kString) {
      append_escaped(v.s, out, escape);
    } else {
      append_text(v, out);  // numbers need no escaping
    }
  }
}

std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

void JsonTemplate::emit(std::string_view text) {
  if (chunks_.empty() || chunks_.back().hole >= 0) chunks_.push_back({});
  chunks_.back().literal += text;
}

void JsonTemplate::build(const nlohmann::json& node, const std::string& pointer,
                         const Scope& scope, CompileState& state,
                         std::vector<std::pair<std::string, ExprError>>& errors) {
  if (node.is_object()) {
    emit("{");
    bool first = true;
    for (const auto& [key, value] : node.items()) {
      if (!first) emit(",");
      first = false;
      emit(nlohmann::json(key).dump());
      emit(":");
      build(value, pointer + "/" + pointer_token(key), scope, state, errors);
    }
    emit("}");
    return;
  }
  if (node.is_array()) {
    emit("[");
    for (std::size_t i = 0; i < node.size(); ++i) {
      if (i > 0) emit(",");
      build(node[i], pointer + "/" + std::to_string(i), scope, state, errors);
    }
    emit("]");
    return;
  }
  if (!node.is_string() || node.get_ref<const std::string&>().find("${") == std::string::npos) {
    emit(node.dump());
    return;
  }
  std::vector<ExprError> found;
  StringTemplate t = StringTemplate::compile(node.get_ref<const std::string&>(), scope, state, found);
  for (auto& e : found) errors.emplace_back(pointer, std::move(e));
  if (!found.empty()) return;
  if (t.is_literal()) {  // only "$${" escapes: render once, keep as a literal string
    std::string plain;
    std::vector<Value> no_slots;
    std::vector<std::int64_t> no_counters;
    Rng rng;
    EvalContext ctx{no_slots, no_counters, rng};
    t.render(ctx, plain);
    emit(nlohmann::json(plain).dump());
    return;
  }
  const bool typed = t.is_single_expression();
  if (!typed) emit("\"");
  if (chunks_.empty() || chunks_.back().hole >= 0) chunks_.push_back({});
  chunks_.back().hole = static_cast<int>(holes_.size());
  holes_.push_back(std::move(t));
  if (!typed) emit("\"");
}

void JsonTemplate::render(EvalContext& ctx, std::string& out) const {
  for (const Chunk& c : chunks_) {
    out += c.literal;
    if (c.hole < 0) continue;
    const StringTemplate& t = holes_[static_cast<std::size_t>(c.hole)];
    if (t.is_single_expression()) {
      append_json(t.eval_single(ctx), out);
    } else {
      t.render(ctx, out, Escape::kJson);
    }
  }
}

}  // namespace stampede::scenarios
