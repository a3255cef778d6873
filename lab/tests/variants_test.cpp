// The lab's variants as typed: shell-like splitting of server flags, NAME='flags', names,
// flags the lab sets itself, --server-flags merged under a variant's own, and which seed
// checks apply to what the variants vary. Tables of inputs and what must come out.
#include "lab/variants.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "lab/shell_words.h"
#include "lab/variant_checks.h"

namespace stampede::lab {
namespace {

using Words = std::vector<std::string>;

TEST(ShellWords, SplitLikeAShell) {
  const struct {
    std::string text;
    Words words;
  } cases[] = {
      {"", {}},
      {"   \t ", {}},
      {"--workers 4", {"--workers", "4"}},
      {"  --workers   4  ", {"--workers", "4"}},
      {"--cache redis --cache-ttl 1s", {"--cache", "redis", "--cache-ttl", "1s"}},
      {"--config 'my settings.json'", {"--config", "my settings.json"}},
      {"--config \"my settings.json\"", {"--config", "my settings.json"}},
      {"--config my\\ settings.json", {"--config", "my settings.json"}},
      {"--a 'it'\\''s'", {"--a", "it's"}},
      {"--a \"say \\\"hi\\\" \\\\ \\n\"", {"--a", "say \"hi\" \\ \\n"}},
      {"--a ''", {"--a", ""}},
      {"--a=\"x y\"", {"--a=x y"}},
      {"'--strategy'range", {"--strategyrange"}},
      {"--shard-latency 0.2ms-2ms", {"--shard-latency", "0.2ms-2ms"}},
  };
  for (const auto& c : cases) EXPECT_EQ(split_shell_words(c.text), c.words) << "[" << c.text << "]";
}

TEST(ShellWords, UnclosedQuotesAndATrailingBackslashAreNamed) {
  const struct {
    std::string text;
    std::string message;
  } cases[] = {
      {"--config 'x", "the single quote at character 10 is not closed"},
      {"--a \"x y", "the double quote at character 5 is not closed"},
      {"--a x\\", "a backslash at the end"},
  };
  for (const auto& c : cases) {
    try {
      split_shell_words(c.text);
      ADD_FAILURE() << "no error for [" << c.text << "]";
    } catch (const ShellWordsError& e) {
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    }
  }
}

TEST(ShellWords, QuoteAndJoinGiveBackTheSameWords) {
  const Words words{"stampede-server", "--data", "/tmp/a lab/.data/w4", "--x", "it's", "", "--port", "0"};
  EXPECT_EQ(shell_join(words), "stampede-server --data '/tmp/a lab/.data/w4' --x 'it'\\''s' '' --port 0");
  EXPECT_EQ(split_shell_words(shell_join(words)), words);
}

TEST(Variants, NameEqualsFlags) {
  const struct {
    std::string spec;
    LabVariant variant;
  } cases[] = {
      {"w4=--workers 4", {"w4", "--workers 4", {"--workers", "4"}}},
      {"cache=--cache memory --cache-ttl 1s", {"cache", "--cache memory --cache-ttl 1s", {"--cache", "memory", "--cache-ttl", "1s"}}},
      {"base=", {"base", "", {}}},  // the server's defaults
      {"q=--config 'a b.json'", {"q", "--config 'a b.json'", {"--config", "a b.json"}}},
      {"eq=--x=a=b", {"eq", "--x=a=b", {"--x=a=b"}}},  // the first = separates the name
      {"Hot_Room-2=--strategy range", {"Hot_Room-2", "--strategy range", {"--strategy", "range"}}},
  };
  for (const auto& c : cases) {
    std::vector<std::string> problems;
    const auto v = parse_variant(c.spec, problems);
    ASSERT_TRUE(v.has_value()) << c.spec << ": " << (problems.empty() ? "" : problems.front());
    EXPECT_EQ(*v, c.variant) << c.spec;
    EXPECT_TRUE(problems.empty()) << c.spec;
  }
}

TEST(Variants, BadSpecsAreNamed) {
  const struct {
    std::string spec;
    std::string message;
  } cases[] = {
      {"--workers 4", "--variant: expected NAME='server flags' (e.g. w4='--workers 4'), got '--workers 4'"},
      {"w4", "--variant: expected NAME='server flags'"},
      {"=--workers 4", "--variant: a variant needs a name"},
      {"w 4=--workers 4", "--variant: the name 'w 4' may hold letters, digits, - and _ only"},
      {"../x=--workers 4", "the name '../x' may hold letters, digits, - and _ only"},
      {".data=", "the name '.data' may hold"},
      {"-w=", "the name '-w' may hold"},
      {"logs=", "the name 'logs' is the lab's folder of server logs"},
      {std::string(41, 'a') + "=", "is longer than 40 characters"},
      {"w4=--config 'x", "--variant w4: cannot split '--config 'x' into flags: the single quote at character 10 is not closed"},
      {"w4=4 --workers", "--variant w4: expected server flags starting with --, got '4' first (before --workers)"},
      {"w4=hash", "--variant w4: expected server flags starting with --, got 'hash' first"},
      {"w4=--workers 4 --workers 8", "--variant w4: --workers is given twice"},
      {"w4=--port 9000", "--variant w4: --port is set by the lab (the lab's --port-base)"},
      {"w4=--data=/tmp/x", "--variant w4: --data is set by the lab"},
      {"w4=--shards 3", "--variant w4: --shards is set by the lab (the lab's --shards)"},
      {"w4=--store mysql", "--variant w4: --store is set by the lab (the lab's --store)"},
      {"w4=--bind 0.0.0.0", "--variant w4: --bind is set by the lab (the lab's servers listen on 127.0.0.1 only)"},
      {"w4=--admin-token x", "--admin-token is set by the lab"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> problems;
    EXPECT_FALSE(parse_variant(c.spec, problems).has_value()) << c.spec;
    ASSERT_FALSE(problems.empty()) << c.spec;
    EXPECT_NE(problems.front().find(c.message), std::string::npos) << c.spec << "\n" << problems.front();
  }
}

TEST(Variants, NamesMustBeUniqueEachReportedOnce) {
  std::vector<LabVariant> variants{strategy_variant("hash"), {"w4", "", {}}, strategy_variant("hash"),
                                   strategy_variant("hash"), {"W4", "", {}}};
  std::vector<std::string> problems;
  check_unique_names(variants, problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "--variant: the name 'hash' is given twice (each variant is a folder and a column)");
}

TEST(Variants, AVariantsOwnFlagsWinOverTheSharedOnes) {
  const struct {
    Words common, own, merged;
  } cases[] = {
      {{}, {}, {}},
      {{"--workers", "4"}, {}, {"--workers", "4"}},
      {{}, {"--workers", "4"}, {"--workers", "4"}},
      {{"--workers", "4", "--cache", "memory"}, {"--workers", "16"}, {"--cache", "memory", "--workers", "16"}},
      {{"--workers=4"}, {"--workers", "16"}, {"--workers", "16"}},
      {{"--range-starts", "10", "20", "30", "--threads", "2"}, {"--range-starts", "5", "6", "7"},
       {"--threads", "2", "--range-starts", "5", "6", "7"}},
      {{"--reset-on-mismatch"}, {"--strategy", "range"}, {"--reset-on-mismatch", "--strategy", "range"}},
      {{"--shard-latency", "-1ms"}, {}, {"--shard-latency", "-1ms"}},  // a negative value stays a value
  };
  for (const auto& c : cases) EXPECT_EQ(merge_server_flags(c.common, c.own), c.merged);
}

TEST(Variants, FlagValues) {
  EXPECT_EQ(flag_value({"--workers", "4", "--strategy", "range"}, "--strategy"), "range");
  EXPECT_EQ(flag_value({"--strategy=time"}, "--strategy"), "time");
  EXPECT_EQ(flag_value({"--strategy"}, "--strategy"), "");
  EXPECT_EQ(flag_value({"--strategy-x", "a"}, "--strategy"), std::nullopt);
  EXPECT_EQ(flag_value({}, "--strategy"), std::nullopt);
}

TEST(VariantChecks, ShownOnlyWhereTheVariantsDiffer) {
  const struct {
    std::vector<VariantServer> servers;
    bool strategy_variants;
    Words applied;
  } cases[] = {
      // --strategies: the study's checks, even for one strategy
      {{{"hash", {"--strategy", "hash"}}}, true, {"--strategy"}},
      {{{"hash", {"--strategy", "hash"}}, {"range", {"--strategy", "range"}}}, true, {"--strategy"}},
      // --variant: only what differs (a variant without the flag has the server's default)
      {{{"w4", {"--workers", "4"}}, {"w16", {"--workers", "16"}}}, false, {}},
      {{{"a", {}}, {"b", {"--strategy", "hash"}}}, false, {}},
      {{{"a", {}}, {"b", {"--strategy", "range"}}}, false, {"--strategy"}},
      {{{"a", {"--strategy", "range", "--workers", "4"}}, {"b", {"--strategy", "range"}}}, false, {}},
      {{{"off", {}}, {"on", {"--cache", "memory"}}}, false, {"--cache"}},
      {{{"off", {"--cache", "off"}}, {"on", {"--cache", "off"}}}, false, {}},
      {{{"p", {"--read-from", "primary"}}, {"r", {"--read-from", "replicas", "--strategy", "range"}}}, false,
       {"--strategy", "--read-from"}},
      {{{"s", {}}, {"q", {"--write-path", "queue"}}}, false, {"--write-path"}},
  };
  for (const auto& c : cases) {
    reporters::Comparison comparison;  // no runs: each family with checks adds its section with a note
    EXPECT_EQ(add_checks_that_apply(comparison, c.servers, c.strategy_variants), c.applied);
    const auto with_checks = static_cast<std::size_t>(
        std::count_if(c.applied.begin(), c.applied.end(), [](const std::string& f) { return f != "--write-path"; }));
    EXPECT_EQ(comparison.check_sections.size(), with_checks) << "every family but the queue's has checks";
    for (const auto& section : comparison.check_sections) EXPECT_FALSE(section.note.empty()) << section.id;
  }
}

}  // namespace
}  // namespace stampede::lab
