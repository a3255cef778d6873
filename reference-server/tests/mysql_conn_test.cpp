// mysql::Connection and mysql::Pool against the main instance of a real stack
// (see mysql_test_stack.h); skipped only when mariadbd is not installed.
#include "reference-server/mysql_conn.h"

#include <gtest/gtest.h>

#include <array>

#include "reference-server/tests/mysql_test_stack.h"

namespace stampede::server::mysql {
namespace {

using namespace std::chrono_literals;

class MysqlConnTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto missing = testing::missing_tools(); !missing.empty()) GTEST_SKIP() << "not installed: " << missing;
    auto* stack = testing::SuiteStack::get();
    ASSERT_NE(stack, nullptr);
    ASSERT_TRUE(testing::SuiteStack::error().empty()) << testing::SuiteStack::error();
    const auto settings = stack->settings();
    options_.endpoint = settings.main;
    options_.user = settings.user;
    options_.password = settings.password;
  }
  ConnectOptions options_;
};

TEST_F(MysqlConnTest, ValuesTravelAsParametersNeverAsSql) {
  Connection db(options_);
  db.exec("CREATE TEMPORARY TABLE probe (id BIGINT NOT NULL, text VARCHAR(255) NOT NULL)");
  const std::string hostile = "x'); DROP TABLE users; -- \\ \" ; ";
  const std::array<Param, 4> rows{std::int64_t{7}, std::string_view(hostile), std::int64_t{-8},
                                  std::string_view("")};
  EXPECT_EQ(db.execute("INSERT INTO probe(id, text) VALUES(?, ?), (?, ?)", rows), 2u);
  const std::array<Param, 1> text{std::string_view(hostile)};
  const auto found = db.query("SELECT id, CHAR_LENGTH(text) FROM probe WHERE text = ?", text, 2);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0][0], 7);
  EXPECT_EQ(found[0][1], static_cast<std::int64_t>(hostile.size()));
  const auto all = db.query("SELECT id FROM probe ORDER BY id", {}, 1);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0][0], -8);
  EXPECT_FALSE(db.query_text("SHOW TABLES LIKE 'users'").empty());  // still there
}

TEST_F(MysqlConnTest, SqlErrorsAreNotConnectionLoss) {
  Connection db(options_);
  try {
    db.query("SELECT no_such_column FROM users", {}, 1);
    FAIL() << "expected mysql::Error";
  } catch (const Error& e) {
    EXPECT_FALSE(e.connection_lost()) << e.what();
    EXPECT_EQ(e.code(), 1054u);  // ER_BAD_FIELD_ERROR
  }
  EXPECT_EQ(db.query("SELECT 41 + 1", {}, 1).at(0).at(0), 42);  // still usable
}

TEST_F(MysqlConnTest, RefusedConnectionIsConnectionLoss) {
  ConnectOptions nowhere = options_;
  nowhere.endpoint.port = 1;  // nothing listens on port 1
  try {
    Connection db(nowhere);
    FAIL() << "expected mysql::Error";
  } catch (const Error& e) {
    EXPECT_TRUE(e.connection_lost()) << e.code() << " " << e.what();
  }
}

TEST_F(MysqlConnTest, PoolIsBoundedReusesAndDiscards) {
  Pool pool(options_, 2);
  EXPECT_EQ(pool.size(), 0);  // nothing opened before use
  {
    auto a = pool.acquire();
    auto b = pool.acquire();
    EXPECT_EQ(pool.size(), 2);
    EXPECT_EQ(pool.in_use(), 2);
    try {
      pool.acquire(100ms);
      FAIL() << "a third connection should not exist";
    } catch (const Error& e) {
      EXPECT_TRUE(e.connection_lost());
    }
  }
  EXPECT_EQ(pool.in_use(), 0);
  EXPECT_EQ(pool.size(), 2);  // returned, kept idle
  {
    auto again = pool.acquire();
    EXPECT_EQ(pool.size(), 2);  // reused, not a new one
    again.discard();            // broken: closes it and every idle connection
  }
  EXPECT_EQ(pool.size(), 0);
  EXPECT_EQ(pool.acquire()->query("SELECT 1", {}, 1).at(0).at(0), 1);  // reconnects
}

}  // namespace
}  // namespace stampede::server::mysql
