// Repeatable flags that also take comma-separated lists: `--tags a,b` and
// `--tags a --tags b` mean the same.
#pragma once

#include <string>
#include <vector>

namespace stampede::commands {

// Every non-empty item of every "a,b,c" text, in order.
std::vector<std::string> split_commas(const std::vector<std::string>& items);

}  // namespace stampede::commands
