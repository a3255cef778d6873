// "Did you mean …?" for misspelt keys, functions and variables.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stampede::scenarios {

// Edit distance counting insertions, deletions, substitutions and adjacent transpositions.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate when it is plausibly a typo of `word` (at most 1/2/3 edits for words
// of up to 4/8/more letters, and less than half the word) or a longer candidate that starts
// with it, else nullopt.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

// " — did you mean 'x'?" or "" — ready to append to a message.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace stampede::scenarios
