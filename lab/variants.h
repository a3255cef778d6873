// The lab's variants (issue 16): each a name and the stampede-server flags that make it,
// e.g. `--variant w4='--workers 4'`. The lab starts one server per variant with the lab's
// own flags (store, data, port, seed, shards, …; server_args in lab.cpp), then `--server-flags`
// (every variant), then the variant's flags, the variant's winning where both give an option
// (the server refuses an option given twice). Variant names become the run folders, the
// report's columns and the live output's prefix.
//
// Pure functions; problems are returned as text naming the flag they come from.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stampede::lab {

struct LabVariant {
  std::string name;                // [A-Za-z0-9][A-Za-z0-9_-]*, at most kMaxVariantNameLength
  std::string flags_text;          // as typed after NAME=
  std::vector<std::string> flags;  // flags_text split like a shell would (shell_words.h)

  bool operator==(const LabVariant&) const = default;
};

inline constexpr std::size_t kMaxVariantNameLength = 40;

// The server's default sharding strategy (stampede-server --help): a variant's strategy
// when neither its flags nor --server-flags give --strategy.
inline constexpr std::string_view kServerDefaultStrategy = "hash";

// Why `name` cannot name a variant (it names a folder of the lab, a column and a prefix), or
// "" when it can.
std::string variant_name_problem(std::string_view name);

// "NAME=server flags" (the value of one --variant). nullopt, with one message per problem
// appended to `problems` (each starting "--variant …: "), when the text is not of that form,
// the name is unusable, the flags do not split (an unclosed quote) or hold what the lab sets
// itself (lab_owned_flag_problems). Empty flags are allowed: the server's defaults.
std::optional<LabVariant> parse_variant(std::string_view spec, std::vector<std::string>& problems);

// `--strategies hash,range` is shorthand for `--variant hash='--strategy hash' --variant range=…`.
LabVariant strategy_variant(std::string_view strategy);

// Names given twice, each reported once ("--variant: the name 'w4' is given twice").
void check_unique_names(const std::vector<LabVariant>& variants, std::vector<std::string>& problems);

// Problems with server flags given to the lab (`where`: "--variant w4", "--server-flags"): a
// word before the first option (e.g. "hash" for "--strategy hash"), an option given twice,
// or one the lab sets itself (--store, --data, --port, --bind, --shards, --seed, --users,
// --admin-token, --reset-on-mismatch, --help), each with the lab flag to use instead.
std::vector<std::string> server_flag_problems(const std::vector<std::string>& flags, std::string_view where);

// `common` followed by `own`, where an option of `common` that `own` also gives is left out
// with its values ("--workers 4 --cache memory" + "--workers 16" -> "--cache memory --workers 16").
std::vector<std::string> merge_server_flags(const std::vector<std::string>& common, const std::vector<std::string>& own);

// The value of option `name` ("--strategy") in `flags`, as "--strategy range" or
// "--strategy=range"; nullopt when absent, "" when it has no value.
std::optional<std::string> flag_value(const std::vector<std::string>& flags, std::string_view name);

}  // namespace stampede::lab
