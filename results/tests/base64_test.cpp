#include "results/base64.h"

#include <gtest/gtest.h>

#include <random>

namespace stampede::results {
namespace {

TEST(Base64, Rfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_decode("Zm9vYmE="), "fooba");
  EXPECT_EQ(base64_decode("Zm9vYg=="), "foob");
  EXPECT_EQ(base64_decode(""), "");
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
