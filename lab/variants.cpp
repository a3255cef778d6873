#include "lab/variants.h"

#include <algorithm>
#include <set>
#include <utility>

#include "lab/shell_words.h"

namespace stampede::lab {
namespace {

// A word that starts an option: "-x", "--name", "--name=value"; not a negative number ("-5", "-0.2ms").
bool is_option(std::string_view word) {
  return word.size() >= 2 && word[0] == '-' && !(word[1] >= '0' && word[1] <= '9') && word[1] != '.';
}

std::string option_name(std::string_view word) { return std::string(word.substr(0, word.find('='))); }

// The flags as options, each with the words that follow it up to the next option.
struct OptionGroup {
  std::string name;
  std::vector<std::string> words;  // the option's word and its values
};

std::vector<OptionGroup> group_options(const std::vector<std::string>& flags, std::vector<std::string>* leading) {
  std::vector<OptionGroup> groups;
  for (const std::string& word : flags) {
    if (is_option(word)) {
      groups.push_back({option_name(word), {word}});
    } else if (groups.empty()) {
      if (leading != nullptr) leading->push_back(word);
    } else {
      groups.back().words.push_back(word);
    }
  }
  return groups;
}

// The server flags the lab sets itself, and what to use instead.
struct LabOwned {
  std::string_view option;
  std::string_view instead;
};
constexpr LabOwned kLabOwned[] = {
    {"--store", "the lab's --store"},
    {"--data", "each variant gets fresh data in the lab folder"},
    {"--port", "the lab's --port-base"},
    {"--bind", "the lab's servers listen on 127.0.0.1 only"},
    {"--shards", "the lab's --shards"},
    {"--seed", "the lab's --seed, the same data set for every variant"},
    {"--users", "the data set the scenario draws its users from"},
    {"--admin-token", "the lab hands each server its own token"},
    {"--reset-on-mismatch", "the lab passes it on the MariaDB stack"},
    {"--help", "not a server setting"},
    {"-h", "not a server setting"},
};

}  // namespace

std::string variant_name_problem(std::string_view name) {
  if (name.empty()) return "a variant needs a name (NAME='server flags')";
  if (name.size() > kMaxVariantNameLength)
    return "the name '" + std::string(name) + "' is longer than " + std::to_string(kMaxVariantNameLength) +
           " characters";
  const auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  if (!alnum(name[0]) || !std::all_of(name.begin(), name.end(), [&](char c) { return alnum(c) || c == '-' || c == '_'; }))
    return "the name '" + std::string(name) +
           "' may hold letters, digits, - and _ only, starting with a letter or digit (it names a folder)";
  if (name == "logs") return "the name 'logs' is the lab's folder of server logs";
  return "";
}

std::optional<LabVariant> parse_variant(std::string_view spec, std::vector<std::string>& problems) {
  const std::size_t eq = spec.find('=');
  if (eq == std::string_view::npos) {
    problems.push_back("--variant: expected NAME='server flags' (e.g. w4='--workers 4'), got '" + std::string(spec) + "'");
    return std::nullopt;
  }
  LabVariant v{std::string(spec.substr(0, eq)), std::string(spec.substr(eq + 1)), {}};
  if (std::string why = variant_name_problem(v.name); !why.empty()) {
    problems.push_back("--variant: " + why);
    return std::nullopt;
  }
  const std::string where = "--variant " + v.name;
  try {
    v.flags = split_shell_words(v.flags_text);
  } catch (const ShellWordsError& e) {
    problems.push_back(where + ": cannot split '" + v.flags_text + "' into flags: " + e.what());
    return std::nullopt;
  }
  std::vector<std::string> own = server_flag_problems(v.flags, where);
  if (!own.empty()) {
    problems.insert(problems.end(), own.begin(), own.end());
    return std::nullopt;
  }
  return v;
}

LabVariant strategy_variant(std::string_view strategy) {
  return {std::string(strategy), "--strategy " + std::string(strategy), {"--strategy", std::string(strategy)}};
}

void check_unique_names(const std::vector<LabVariant>& variants, std::vector<std::string>& problems) {
  std::set<std::string> seen, reported;
  for (const LabVariant& v : variants)
    if (!seen.insert(v.name).second && reported.insert(v.name).second)
      problems.push_back("--variant: the name '" + v.name + "' is given twice (each variant is a folder and a column)");
}

std::vector<std::string> server_flag_problems(const std::vector<std::string>& flags, std::string_view where) {
  std::vector<std::string> problems;
  const std::string at(where);
  std::vector<std::string> leading;
  const std::vector<OptionGroup> groups = group_options(flags, &leading);
  if (!leading.empty())
    problems.push_back(at + ": expected server flags starting with --, got '" + leading.front() + "' first" +
                       (groups.empty() ? "" : " (before " + groups.front().name + ")"));
  std::set<std::string> seen;
  for (const OptionGroup& g : groups) {
    const auto owned = std::find_if(std::begin(kLabOwned), std::end(kLabOwned),
                                    [&](const LabOwned& o) { return o.option == g.name; });
    if (owned != std::end(kLabOwned))
      problems.push_back(at + ": " + g.name + " is set by the lab (" + std::string(owned->instead) + ")");
    else if (!seen.insert(g.name).second)
      problems.push_back(at + ": " + g.name + " is given twice");
  }
  return problems;
}

std::vector<std::string> merge_server_flags(const std::vector<std::string>& common, const std::vector<std::string>& own) {
  std::vector<std::string> leading;
  const std::vector<OptionGroup> own_groups = group_options(own, &leading);
  std::set<std::string> overridden;
  for (const OptionGroup& g : own_groups) overridden.insert(g.name);
  std::vector<std::string> out;
  std::vector<std::string> common_leading;
  for (const OptionGroup& g : group_options(common, &common_leading))
    if (!overridden.contains(g.name)) out.insert(out.end(), g.words.begin(), g.words.end());
  out.insert(out.begin(), common_leading.begin(), common_leading.end());
  out.insert(out.end(), own.begin(), own.end());
  return out;
}

std::optional<std::string> flag_value(const std::vector<std::string>& flags, std::string_view name) {
  std::optional<std::string> value;
  for (const OptionGroup& g : group_options(flags, nullptr)) {
    if (g.name != name) continue;
    const std::string& first = g.words.front();
    if (first.size() > g.name.size()) value = first.substr(g.name.size() + 1);
    else value = g.words.size() > 1 ? g.words[1] : "";
  }
  return value;
}

}  // namespace stampede::lab
