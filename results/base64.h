// Base64 (RFC 4648, standard alphabet, '=' padding): the text armour around encoded
// histograms so they sit in JSON strings.
//
// Decoding is strict: the length must be a multiple of 4, only alphabet characters, padding
// only at the very end, and unused trailing bits must be zero, so every byte string has
// exactly one accepted encoding. Malformed input gives std::nullopt; nothing throws.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stampede::results {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace stampede::results
