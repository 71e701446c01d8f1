#include "server/http_util.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace rackforge::server {
namespace {

namespace fs = std::filesystem;

class StaticPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("rf_static_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "dist";
    fs::create_directories(root_ / "assets");
    Write(root_ / "index.html", "<html>");
    Write(root_ / "assets" / "app.js", "js");
    Write(base_ / "secret.txt", "secret");
    fs::create_symlink(base_ / "secret.txt", root_ / "link.txt");
  }
  void TearDown() override { fs::remove_all(base_); }
  static void Write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }
  fs::path base_, root_;
};

TEST_F(StaticPathTest, ServesFilesInsideTheRoot) {
  const auto index = ResolveStaticPath(root_, "/");
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(index->filename(), "index.html");
  const auto app = ResolveStaticPath(root_, "/assets/app.js");
  ASSERT_TRUE(app.has_value());
  EXPECT_EQ(*app, fs::canonical(root_ / "assets" / "app.js"));
  EXPECT_FALSE(ResolveStaticPath(root_, "/assets/").has_value()) << "assets/ has no index.html";
}

TEST_F(StaticPathTest, RejectsTraversalAndOddSegments) {
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/assets/../index.html", "/./index.html",
                                   "//index.html", "/..", "/assets\\..\\..\\secret.txt", "index.html", ""}) {
    EXPECT_FALSE(ResolveStaticPath(root_, path).has_value()) << path;
  }
  EXPECT_FALSE(ResolveStaticPath(root_, std::string("/index.html\0x", 13)).has_value());
}

TEST_F(StaticPathTest, RejectsSymlinksLeavingTheRootAndMissingFiles) {
  EXPECT_FALSE(ResolveStaticPath(root_, "/link.txt").has_value());
  EXPECT_FALSE(ResolveStaticPath(root_, "/missing.js").has_value());
  EXPECT_FALSE(ResolveStaticPath(root_, "/assets").has_value()) << "a directory is not a file";
  EXPECT_FALSE(ResolveStaticPath(base_ / "no-such-root", "/index.html").has_value());
}

TEST(BearerTokenTest, MatchesOnlyTheExactHeader) {
  EXPECT_TRUE(BearerTokenMatches("Bearer s3cret", "s3cret"));
  EXPECT_FALSE(BearerTokenMatches("Bearer s3cre", "s3cret"));
  EXPECT_FALSE(BearerTokenMatches("Bearer s3cretx", "s3cret"));
  EXPECT_FALSE(BearerTokenMatches("bearer s3cret", "s3cret"));
  EXPECT_FALSE(BearerTokenMatches("s3cret", "s3cret"));
  EXPECT_FALSE(BearerTokenMatches("", "s3cret"));
  EXPECT_FALSE(BearerTokenMatches("Bearer ", "")) << "an empty token accepts nothing";
}

TEST(ContentTypeTest, KnownAndUnknownExtensions) {
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a/b/app-1234.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("x.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("data.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace rackforge::server
