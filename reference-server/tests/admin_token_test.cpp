// The generated admin token and its file: random, hex, readable by the owner only from the
// first moment, replaced atomically.
#include "reference-server/admin_token.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "reference-server/tests/temp_dir.h"

namespace stampede::server {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& file) {
  std::ifstream in(file);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

mode_t mode_of(const fs::path& file) {
  struct stat st {};
  EXPECT_EQ(::stat(file.c_str(), &st), 0) << file;
  return st.st_mode & 07777;
}

// Sets the umask for one scope (the test must not depend on the caller's).
class Umask {
 public:
  explicit Umask(mode_t mask) : old_(::umask(mask)) {}
  ~Umask() { ::umask(old_); }

 private:
  mode_t old_;
};

TEST(AdminToken, GeneratedTokensAreLongRandomHex) {
  const std::string a = generate_admin_token();
  const std::string b = generate_admin_token();
  EXPECT_EQ(a.size(), 2 * kAdminTokenBytes);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos) << a;
  EXPECT_NE(a, b);
  EXPECT_FALSE(check_admin_token(a)) << "a generated token passes the --admin-token check";
}

TEST(AdminToken, FileIsReadableByItsOwnerOnly) {
  testing::TempDir dir;
  const Umask permissive(0);  // even when the umask would let everyone read
  const fs::path file = dir.path() / "data" / kAdminTokenFile;  // the folder is created
  write_admin_token_file(file, "0123456789abcdef0123");
  EXPECT_EQ(mode_of(file), 0600u);
  EXPECT_EQ(read(file), "0123456789abcdef0123\n");
}

TEST(AdminToken, ReplacesAnOlderFileAtomically) {
  testing::TempDir dir;
  const fs::path file = dir.path() / kAdminTokenFile;
  std::ofstream(file) << "old token, world readable\n";
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                            fs::perms::others_read);
  {
    const Umask strict(0277);  // would leave the owner unable to write: the mode is set exactly
    write_admin_token_file(file, "fedcba9876543210fedc");
  }
  EXPECT_EQ(mode_of(file), 0600u);
  EXPECT_EQ(read(file), "fedcba9876543210fedc\n");
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1) << "no temporary file is left behind";
}

TEST(AdminToken, AnUnwritableFolderIsAnErrorNamingIt) {
  testing::TempDir dir;
  const fs::path blocker = dir.path() / "not-a-folder";
  std::ofstream(blocker) << "x";
  try {
    write_admin_token_file(blocker / kAdminTokenFile, "0123456789abcdef0123");
    FAIL() << "expected AdminTokenError";
  } catch (const AdminTokenError& e) {
    EXPECT_NE(std::string(e.what()).find(blocker.string()), std::string::npos) << e.what();
  }
}

TEST(AdminToken, GivenTokensMustBeLongAndHeaderSafe) {
  EXPECT_FALSE(check_admin_token("0123456789abcdef"));
  EXPECT_FALSE(check_admin_token("a-long~Token!with.punctuation"));
  ASSERT_TRUE(check_admin_token("short"));
  EXPECT_NE(check_admin_token("short")->find("at least 16"), std::string::npos);
  EXPECT_TRUE(check_admin_token("0123456789 abcdef"));
  EXPECT_TRUE(check_admin_token("0123456789abcdef\n"));
  EXPECT_TRUE(check_admin_token("0123456789abcdef\xc3\xa9"));
}

// Issue 20: a token given at start left an earlier start's generated admin-token file in
// place, naming a token the server no longer accepts.
TEST(AdminToken, AGivenTokenRemovesAStaleGeneratedFile) {
  testing::TempDir dir;
  const auto generated = choose_admin_token("", AdminTokenSource::flag, dir.path());
  EXPECT_EQ(generated.source, AdminTokenSource::generated);
  EXPECT_EQ(generated.file_state, AdminTokenChoice::File::written);
  EXPECT_EQ(read(dir.path() / kAdminTokenFile), generated.token + "\n");
  EXPECT_NE(describe(generated).find("admin token written to " + (dir.path() / kAdminTokenFile).string()),
            std::string::npos)
      << describe(generated);

  const std::string given = "given-token-0123456789";
  const auto chosen = choose_admin_token(given, AdminTokenSource::environment, dir.path());
  EXPECT_EQ(chosen.token, given);
  EXPECT_EQ(chosen.source, AdminTokenSource::environment);
  EXPECT_EQ(chosen.file_state, AdminTokenChoice::File::removed_stale);
  EXPECT_FALSE(fs::exists(dir.path() / kAdminTokenFile)) << "the stale token is gone";
  const std::string said = describe(chosen);
  EXPECT_NE(said.find("STAMPEDE_SERVER_ADMIN_TOKEN"), std::string::npos) << said;
  EXPECT_NE(said.find("removed " + (dir.path() / kAdminTokenFile).string()), std::string::npos) << said;
  EXPECT_EQ(said.find(given), std::string::npos) << "never the token itself";
  EXPECT_EQ(said.find(generated.token), std::string::npos);

  // Nothing there: nothing to say about a file, and nothing is written.
  const auto again = choose_admin_token(given, AdminTokenSource::flag, dir.path());
  EXPECT_EQ(again.file_state, AdminTokenChoice::File::none);
  EXPECT_FALSE(fs::exists(dir.path() / kAdminTokenFile));
  EXPECT_NE(describe(again).find("given by --admin-token"), std::string::npos) << describe(again);
}

TEST(AdminToken, AFileHoldingTheGivenTokenStays) {
  testing::TempDir dir;
  const std::string given = "given-token-0123456789";
  write_admin_token_file(dir.path() / kAdminTokenFile, given);  // e.g. --admin-token "$(cat FILE)"
  const auto chosen = choose_admin_token(given, AdminTokenSource::config_file, dir.path());
  EXPECT_EQ(chosen.file_state, AdminTokenChoice::File::kept_same);
  EXPECT_EQ(read(dir.path() / kAdminTokenFile), given + "\n");
  EXPECT_NE(describe(chosen).find("config file (admin_token)"), std::string::npos) << describe(chosen);
}

TEST(AdminToken, AStaleFileThatCannotBeRemovedIsAnErrorNamingIt) {
  testing::TempDir dir;
  fs::create_directories(dir.path() / kAdminTokenFile / "inside");  // a folder: unlink fails
  try {
    choose_admin_token("given-token-0123456789", AdminTokenSource::flag, dir.path());
    FAIL() << "expected AdminTokenError";
  } catch (const AdminTokenError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find((dir.path() / kAdminTokenFile).string()), std::string::npos) << what;
    EXPECT_NE(what.find("--admin-token"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace stampede::server
