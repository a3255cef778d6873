// Random mutations of the shipped coupon scenario (deterministic seed): the validator must
// either accept the text or throw ScenarioError — never crash, never throw anything else.
// Accepted mutants also render a few requests, since a bad compile shows up there.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "scenarios/scenario.h"
#include "scenarios/user_session.h"

namespace stampede::scenarios {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class Mutator {
 public:
  explicit Mutator(std::uint64_t seed) : rng_(seed) {}

  // One mutant of `text` and a short description of what was done.
  std::pair<std::string, std::string> mutate(std::string text) {
    switch (below(6)) {
      case 0: {  // flip 1-4 bytes to any value
        const auto flips = 1 + below(4);
        for (std::size_t i = 0; i < flips; ++i) text[below(text.size())] = static_cast<char>(below(256));
        return {text, std::to_string(flips) + " byte flips"};
      }
      case 1: {
        const auto at = below(text.size());
        return {text.substr(0, at), "truncated at " + std::to_string(at)};
      }
      case 2: {  // duplicate a slice somewhere else
        const auto from = below(text.size());
        const auto slice = text.substr(from, 1 + below(64));
        text.insert(below(text.size()), slice);
        return {text, "duplicated \"" + slice + "\""};
      }
      case 3: {  // a long run of something that nests
        static constexpr const char* kNesting[] = {"[", "{\"a\":", "(", "-", "${(", "x+"};
        const char* what = kNesting[below(std::size(kNesting))];
        const auto count = 1000 + below(70'000);
        std::string run;
        for (std::size_t i = 0; i < count; ++i) run += what;
        text.insert(below(text.size()), run);
        return {text, std::to_string(count) + " x \"" + what + "\""};
      }
      case 4: {  // a number that overflows a double
        std::vector<std::size_t> digits;
        for (std::size_t i = 0; i < text.size(); ++i) {
          if (text[i] >= '0' && text[i] <= '9') digits.push_back(i);
        }
        const auto at = digits[below(digits.size())];
        text.insert(at + 1, "e999");
        return {text, "e999 after byte " + std::to_string(at)};
      }
      default: {  // delete a slice
        const auto from = below(text.size());
        const auto length = 1 + below(32);
        text.erase(from, length);
        return {text, "deleted " + std::to_string(length) + " bytes at " + std::to_string(from)};
      }
    }
  }

 private:
  std::size_t below(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  std::mt19937_64 rng_;
};

TEST(Mutation, CouponMutantsAreAcceptedOrRejectedNeverAnythingElse) {
  const std::string original = read_file("scenarios/coupon.json");
  ASSERT_FALSE(original.empty());
  Mutator mutator(20);
  int accepted = 0, rejected = 0;
  for (int n = 0; n < 300; ++n) {
    const auto [text, what] = mutator.mutate(original);
    SCOPED_TRACE("mutant " + std::to_string(n) + ": " + what);
    try {
      const Scenario scenario = Scenario::parse_text(text, "mutant.json");
      for (const UserClass& cls : scenario.user_classes()) {
        UserSession session(cls, Rng(1));
        RenderedRequest out;
        for (int i = 0; i < 5; ++i) session.render(session.next(), out);
      }
      ++accepted;
    } catch (const ScenarioError& e) {
      ASSERT_FALSE(e.problems().empty());
      for (const Problem& p : e.problems()) ASSERT_EQ(p.file, "mutant.json");
      ++rejected;
    } catch (const std::exception& e) {
      FAIL() << "threw something other than ScenarioError: " << e.what();
    }
  }
  // Both outcomes occur, or the mutations are too tame (or too wild) to test anything.
  EXPECT_GT(accepted, 0);
  EXPECT_GT(rejected, 0);
}

}  // namespace
}  // namespace stampede::scenarios
