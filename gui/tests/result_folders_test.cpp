#include "gui/model/result_folders.h"

#include <gtest/gtest.h>

#include "gui/tests/lab_fixture.h"

namespace stampede::gui {
namespace {

TEST(ResultFolders, TellsRunFoldersFromLabFolders) {
  testing::LabFixture lab;
  ASSERT_TRUE(lab.ok);
  EXPECT_TRUE(is_run_folder(lab.hash));
  EXPECT_FALSE(is_lab_folder(lab.hash));
  EXPECT_TRUE(is_lab_folder(lab.lab));
  EXPECT_FALSE(is_run_folder(lab.lab));
  EXPECT_EQ(run_folders_in(lab.lab), (QStringList{lab.hash, lab.range}));
  EXPECT_EQ(lab_folders_in(lab.labs), QStringList{lab.lab});
  EXPECT_EQ(lab_of_folder(lab.range), QLatin1String(testing::kLabName));
  EXPECT_EQ(lab_of_folder(lab.range + QStringLiteral("/")), QLatin1String(testing::kLabName));
  EXPECT_EQ(lab_of_folder(testing::hash_run()), QString());  // gui/tests/fixtures has no lab.json
  EXPECT_FALSE(is_lab_folder(lab.tmp.path() + QStringLiteral("/missing")));
  // A folder of run folders without lab.json (e.g. results/runs) also opens as a group.
  EXPECT_TRUE(is_lab_folder(testing::fixture("gui/tests/fixtures")));
  EXPECT_FALSE(is_lab_folder(testing::fixture("gui/model")));
}

}  // namespace
}  // namespace stampede::gui
