// BodyLimits (the run's shared budget), BodyAllowance (a worker's share) and ResponseBody
// (one body as it arrives): what is refused, what is reserved, and that it all comes back.
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "generator/http/body_limits.h"
#include "generator/http/response_body.h"

namespace stampede::http {
namespace {

constexpr std::uint64_t kKiB = 1024, kMiB = 1024 * kKiB;

TEST(BodyLimits, TakesUpToItsLimitAndNamesTheFlagsInItsTexts) {
  BodyLimits limits(8 * kMiB, 1 * kMiB);
  EXPECT_EQ(limits.too_large_text(), "response body too large (--max-body 8MiB)");
  EXPECT_EQ(limits.over_memory_text(), "response bodies over the memory limit (--max-body-memory 1MiB)");
  EXPECT_TRUE(limits.take(600 * kKiB));
  EXPECT_FALSE(limits.take(600 * kKiB)) << "would pass the limit: nothing taken";
  EXPECT_EQ(limits.in_use(), 600 * kKiB);
  EXPECT_TRUE(limits.take(424 * kKiB)) << "exactly up to the limit";
  EXPECT_FALSE(limits.take(1));
  limits.give(1 * kMiB);
  EXPECT_EQ(limits.in_use(), 0u);
  EXPECT_EQ(limits.peak(), 1 * kMiB);
}

TEST(BodyLimits, ThreadsTakingAtOnceNeverPassTheLimit) {
  BodyLimits limits(kMiB, 100 * kKiB);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 20'000; ++i)
        if (limits.take(7 * kKiB)) limits.give(7 * kKiB);
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(limits.in_use(), 0u);
  EXPECT_LE(limits.peak(), 100 * kKiB);
}

TEST(BodyAllowance, TakesWholeBlocksKeepsAFewAndGivesTheRestBack) {
  BodyLimits limits(64 * kMiB, 4 * kMiB);
  {
    BodyAllowance allowance(limits);
    EXPECT_TRUE(allowance.reserve(1000));
    EXPECT_EQ(limits.in_use(), BodyAllowance::kBlock) << "one block from the shared counter";
    EXPECT_TRUE(allowance.reserve(1000));
    EXPECT_EQ(limits.in_use(), BodyAllowance::kBlock) << "the second from the spare";
    EXPECT_TRUE(allowance.reserve(3 * kMiB));
    allowance.release(3 * kMiB + 2000);
    EXPECT_LE(limits.in_use(), 2 * BodyAllowance::kBlock) << "an idle worker keeps at most two blocks";
    // What a block would round up to no longer fits; exactly what is needed still does.
    EXPECT_TRUE(allowance.reserve(4 * kMiB - 1));
    EXPECT_FALSE(allowance.reserve(2));
    allowance.release(4 * kMiB - 1);
  }
  EXPECT_EQ(limits.in_use(), 0u) << "an allowance gives everything back when it goes";
}

TEST(ResponseBody, KeepsWhatItIsAskedToWithinTheLimits) {
  BodyLimits limits(100 * kKiB, kMiB);
  BodyAllowance allowance(limits);
  ResponseBody body;
  body.start(&allowance, BodyUse::kKeep);
  EXPECT_TRUE(body.append("hello "));
  EXPECT_TRUE(body.append("world"));
  EXPECT_EQ(body.kept(), "hello world");
  EXPECT_EQ(body.received(), 11u);
  EXPECT_GT(limits.in_use(), 0u);
  body.release();
  EXPECT_EQ(body.kept(), "");
  EXPECT_EQ(body.received(), 0u);

  body.start(&allowance, BodyUse::kCount);
  const std::string piece(40 * kKiB, 'x');
  EXPECT_TRUE(body.append(piece));
  EXPECT_TRUE(body.append(piece));
  EXPECT_EQ(body.kept(), "") << "counted, not kept";
  EXPECT_EQ(body.received(), 80 * kKiB);
  EXPECT_FALSE(body.append(piece)) << "over --max-body, kept or not";
  EXPECT_EQ(body.refusal(), ResponseBody::Refusal::kTooLarge);
  EXPECT_EQ(body.refusal_error().kind, ErrorKind::kProtocol);
  EXPECT_EQ(body.refusal_error().text, "response body too large (--max-body 100KiB)");
  EXPECT_FALSE(body.append("x")) << "a refused body takes nothing more";
  body.release();

  body.start(&allowance, BodyUse::kKeep);
  EXPECT_FALSE(body.expect(100 * kKiB + 1)) << "an announced length over the limit is refused at once";
  EXPECT_EQ(body.refusal(), ResponseBody::Refusal::kTooLarge);
}

TEST(ResponseBody, AKeptBodyReservesWhatItHoldsAndGivesItBack) {
  BodyLimits limits(64 * kMiB, 2 * kMiB);
  BodyAllowance allowance(limits);
  ResponseBody first, second;
  first.start(&allowance, BodyUse::kKeep);
  EXPECT_TRUE(first.expect(1536 * kKiB));
  EXPECT_GE(limits.in_use(), 1536 * kKiB) << "the announced length, reserved at once";
  second.start(&allowance, BodyUse::kKeep);
  EXPECT_FALSE(second.expect(kMiB)) << "1.5 + 1 MiB is over the 2 MiB budget";
  EXPECT_EQ(second.refusal(), ResponseBody::Refusal::kOverMemory);
  EXPECT_EQ(second.refusal_error().kind, ErrorKind::kEngineLimit);
  EXPECT_EQ(second.refusal_error().text, "response bodies over the memory limit (--max-body-memory 2MiB)");

  // A body of unannounced length grows its reservation as it grows, up to what is left.
  ResponseBody third;
  third.start(&allowance, BodyUse::kKeep);
  const std::string piece(100 * kKiB, 'x');
  int pieces = 0;
  while (third.append(piece)) ++pieces;
  EXPECT_GE(pieces, 3);
  EXPECT_LE(pieces, 5);
  EXPECT_EQ(third.refusal(), ResponseBody::Refusal::kOverMemory);
  EXPECT_LE(limits.in_use(), 2 * kMiB);

  first.release();
  second.release();
  third.release();
  EXPECT_LE(limits.in_use(), 2 * BodyAllowance::kBlock) << "all back, but the allowance's spare";
  ResponseBody fourth;
  fourth.start(&allowance, BodyUse::kKeep);
  EXPECT_TRUE(fourth.expect(1536 * kKiB)) << "the memory came back";
}

TEST(ResponseBody, WithoutAnAllowanceTheDefaultSizeLimitAppliesAndNoMemoryLimit) {
  ResponseBody body;
  body.start(nullptr, BodyUse::kKeep);
  EXPECT_TRUE(body.expect(kDefaultMaxBodyBytes));
  EXPECT_FALSE(body.append(std::string(1, 'x')) && body.expect(kDefaultMaxBodyBytes + 1));
  body.start(nullptr, BodyUse::kKeep);
  EXPECT_FALSE(body.expect(kDefaultMaxBodyBytes + 1));
  EXPECT_EQ(body.refusal_error().text, "response body too large");
}

TEST(ResponseBody, MovingKeepsTheReservationInOnePlace) {
  BodyLimits limits(kMiB, kMiB);
  BodyAllowance allowance(limits);
  {
    ResponseBody a;
    a.start(&allowance, BodyUse::kKeep);
    ASSERT_TRUE(a.append(std::string(300 * kKiB, 'x')));
    ResponseBody b(std::move(a));
    EXPECT_EQ(b.received(), 300 * kKiB);
    ResponseBody c;
    c = std::move(b);
    EXPECT_EQ(c.kept().size(), 300 * kKiB);
  }
  BodyAllowance other(limits);
  EXPECT_TRUE(other.reserve(kMiB - 2 * BodyAllowance::kBlock)) << "nothing reserved twice or lost";
  other.release(kMiB - 2 * BodyAllowance::kBlock);
}

}  // namespace
}  // namespace stampede::http
