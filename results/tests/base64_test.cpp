#include "results/base64.h"

#include <gtest/gtest.h>

#include <random>
#include <utility>

namespace stampede::results {
namespace {

// RFC 4648 section 10, both ways.
TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    EXPECT_EQ(base64_decode(encoded), plain);
  }
}

TEST(Base64, RoundTripsAllByteValues) {
  std::mt19937 rng(3);
  for (std::size_t len = 0; len < 64; ++len) {
    std::string bytes(len, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng() & 0xff);
    ASSERT_EQ(base64_decode(base64_encode(bytes)), bytes) << "len " << len;
  }
}

TEST(Base64, RejectsMalformedText) {
  EXPECT_FALSE(base64_decode("Zm9"));        // length not a multiple of 4
  EXPECT_FALSE(base64_decode("Zm9v!A=="));   // character outside the alphabet
  EXPECT_FALSE(base64_decode("Zg==Zm9v"));   // padding before the end
  EXPECT_FALSE(base64_decode("Z=g="));       // padding inside a quad
  EXPECT_FALSE(base64_decode("Zh=="));       // non-zero bits under the padding
  EXPECT_FALSE(base64_decode("===="));
  EXPECT_FALSE(base64_decode(std::string("Zm9\0", 4)));
}

}  // namespace
}  // namespace stampede::results
