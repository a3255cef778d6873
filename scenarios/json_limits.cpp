#include "scenarios/json_limits.h"

#include <optional>
#include <string>
#include <vector>

#include "scenarios/limits.h"
#include "scenarios/scenario.h"
#include "scenarios/template.h"

namespace stampede::scenarios {

namespace {

using json = nlohmann::json;

// Pointers to problems thousands of levels down are shortened: the first levels say where
// the value is, the rest is noise.
constexpr std::size_t kPointerLevelsShown = 24;

// nlohmann's exception ids (typed, so no message matching): 406 is a number that
// overflows a double; everything else the SAX parser reports is a syntax error.
constexpr int kNumberOverflowId = 406;

std::string depth_message() {
  return "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels (the limit for arrays and objects)";
}

// One open array or object while scanning: what the next value inside it will be called.
struct Level {
  bool array = false;
  std::size_t index = 0;  // arrays: index of the next element
  std::string key;        // objects: the key just read
};

std::string pointer_of(const std::vector<Level>& levels) {
  std::string out;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (i == kPointerLevelsShown) return out + "/…";
    out += '/';
    out += levels[i].array ? std::to_string(levels[i].index) : pointer_token(levels[i].key);
  }
  return out;
}

// A SAX handler that builds nothing: it follows the JSON pointer of the current value and
// stops at the first value past the depth limit or the first error.
class LimitScanner {
 public:
  explicit LimitScanner(std::string_view text) : text_(text) {}

  bool null() { return scalar(); }
  bool boolean(bool) { return scalar(); }
  bool number_integer(json::number_integer_t) { return scalar(); }
  bool number_unsigned(json::number_unsigned_t) { return scalar(); }
  bool number_float(json::number_float_t, const json::string_t&) { return scalar(); }
  bool string(json::string_t&) { return scalar(); }
  bool binary(json::binary_t&) { return scalar(); }
  bool start_object(std::size_t) { return open(false); }
  bool key(json::string_t& k) {
    levels_.back().key = k;
    return true;
  }
  bool end_object() { return close(); }
  bool start_array(std::size_t) { return open(true); }
  bool end_array() { return close(); }

  bool parse_error(std::size_t position, const std::string& token, const json::exception& e) {
    if (e.id == kNumberOverflowId) {
      // Where the number starts: the parser reports the position just after it.
      const std::size_t start = position >= token.size() ? position - token.size() : 0;
      std::size_t line = 1, column = 1;
      for (std::size_t i = 0; i < start && i < text_.size(); ++i) {
        if (text_[i] == '\n') {
          ++line;
          column = 1;
        } else {
          ++column;
        }
      }
      problem_path_ = pointer_of(levels_);
      problem_ = "number out of range at line " + std::to_string(line) + ", column " + std::to_string(column) +
                 ": " + token + " (a number must fit a double, about ±1.8e308)";
    } else {
      // e.what() is "[json.exception.parse_error.101] parse error at line L, column C: …".
      std::string message = e.what();
      if (auto pos = message.find("] "); pos != std::string::npos) message.erase(0, pos + 2);
      problem_path_ = "";
      problem_ = "invalid JSON: " + message;
    }
    return false;
  }

  const std::optional<std::string>& problem() const { return problem_; }
  const std::string& problem_path() const { return problem_path_; }

 private:
  bool scalar() {
    if (!levels_.empty()) ++levels_.back().index;
    return true;
  }
  bool open(bool array) {
    if (levels_.size() >= kMaxJsonDepth) {
      problem_path_ = pointer_of(levels_);
      problem_ = depth_message();
      return false;
    }
    levels_.push_back({array, 0, {}});
    return true;
  }
  bool close() {
    levels_.pop_back();
    return scalar();
  }

  std::string_view text_;
  std::vector<Level> levels_;
  std::optional<std::string> problem_;
  std::string problem_path_;
};

}  // namespace

json parse_json_within_limits(std::string_view text, const std::string& file) {
  LimitScanner scanner(text);
  json::sax_parse(text, &scanner);
  if (scanner.problem()) throw ScenarioError({{file, scanner.problem_path(), *scanner.problem()}});
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    // The scan above accepted the text, so this is not expected; still the file's problem.
    throw ScenarioError({{file, "", std::string("invalid JSON: ") + e.what()}});
  }
}

void check_json_depth(const json& doc, const std::string& file) {
  if (!doc.is_structured()) return;
  struct Open {
    const json* node;
    json::const_iterator at;  // the child being looked at
    std::size_t index;        // its position, for arrays
  };
  std::vector<Open> open{{&doc, doc.cbegin(), 0}};
  while (!open.empty()) {
    Open& top = open.back();
    if (top.at == top.node->cend()) {
      open.pop_back();
      if (!open.empty()) {
        ++open.back().at;
        ++open.back().index;
      }
      continue;
    }
    const json& child = *top.at;
    if (!child.is_structured()) {
      ++top.at;
      ++top.index;
      continue;
    }
    if (open.size() >= kMaxJsonDepth) {
      std::vector<Level> levels;
      for (const Open& o : open) {
        levels.push_back({o.node->is_array(), o.index, o.node->is_object() ? o.at.key() : std::string()});
      }
      throw ScenarioError({{file, pointer_of(levels), depth_message()}});
    }
    open.push_back({&child, child.cbegin(), 0});
  }
}

bool json_text_nested_deeper_than(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

}  // namespace stampede::scenarios
