// Server flags as one string, split into words the way a POSIX shell splits a command line
// (`--variant w4='--workers 4'`, `--server-flags "--cache-ttl 1s"`): blanks separate words;
// single quotes keep everything up to the next single quote; double quotes keep everything
// but `\"`, `\\`, `\$` and `` \` `` (a backslash before another character stays); a backslash
// outside quotes keeps the next character. No expansion of any kind ($VAR, ~, globs).
//
// Pure; throws ShellWordsError on an unterminated quote or a trailing backslash, naming the
// character position (1-based) where the quote opened.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace stampede::lab {

class ShellWordsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::vector<std::string> split_shell_words(std::string_view text);

// One word as a shell would need it typed: unchanged when it holds only safe characters
// (letters, digits, and - _ . / : = , + @ %), else in single quotes ('it'\''s'). "" -> ''.
std::string shell_quote(std::string_view word);

// The words joined by spaces, each shell_quote()d: a command line to copy and paste.
std::string shell_join(const std::vector<std::string>& words);

}  // namespace stampede::lab
