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
  EXPECT_EQ(ContentTypeFor("a/b/app-1234.js"), "application/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("x.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("data.bin"), "application/octet-stream");
}

TEST(SafeDumpTest, InvalidUtf8BecomesReplacementCharacters) {
  const nlohmann::json value = {{"error", std::string("not found: /api/\xff\xfe")}, {"\xc3", 1}};
  const std::string text = SafeDump(value);
  EXPECT_TRUE(nlohmann::json::accept(text)) << text;
  EXPECT_EQ(nlohmann::json::parse(text)["error"], "not found: /api/\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(CrossSiteRefusalTest, OwnOriginAndHostsPass) {
  for (const std::string host : {"127.0.0.1:8080", "localhost:8080", "LOCALHOST:8080", "[::1]:8080", ""}) {
    EXPECT_FALSE(CrossSiteRefusal(host, "", "", true, "127.0.0.1", 8080)) << host;
  }
  EXPECT_FALSE(CrossSiteRefusal("127.0.0.1:8080", "http://127.0.0.1:8080", "same-origin", true, "127.0.0.1", 8080));
  EXPECT_FALSE(CrossSiteRefusal("box.lan:8080", "http://box.lan:8080", "", true, "box.lan", 8080));
  EXPECT_FALSE(CrossSiteRefusal("[fe80::1]:8080", "", "", true, "fe80::1", 8080));
  EXPECT_FALSE(CrossSiteRefusal("localhost", "", "", true, "127.0.0.1", 80));
  EXPECT_FALSE(CrossSiteRefusal("localhost:8080", "", "none", true, "127.0.0.1", 8080));  // typed into the bar
}

TEST(CrossSiteRefusalTest, RebindingAndCrossSiteRequestsAreRefused) {
  EXPECT_TRUE(CrossSiteRefusal("evil.example:8080", "", "", true, "127.0.0.1", 8080));     // DNS rebinding
  EXPECT_TRUE(CrossSiteRefusal("evil.example:8080", "", "", false, "127.0.0.1", 8080));    // also for the dashboard
  EXPECT_TRUE(CrossSiteRefusal("127.0.0.1:9999", "", "", true, "127.0.0.1", 8080));        // another port
  EXPECT_TRUE(CrossSiteRefusal("localhost", "", "", true, "127.0.0.1", 8080));             // no port
  EXPECT_TRUE(CrossSiteRefusal("127.0.0.1:8080", "http://evil.example", "", true, "127.0.0.1", 8080));
  EXPECT_TRUE(CrossSiteRefusal("127.0.0.1:8080", "null", "", true, "127.0.0.1", 8080));
  EXPECT_TRUE(CrossSiteRefusal("127.0.0.1:8080", "https://127.0.0.1:8080", "", true, "127.0.0.1", 8080));
  EXPECT_TRUE(CrossSiteRefusal("127.0.0.1:8080", "http://localhost:3000", "", true, "127.0.0.1", 8080));
  EXPECT_TRUE(CrossSiteRefusal("127.0.0.1:8080", "", "cross-site", true, "127.0.0.1", 8080));
  EXPECT_TRUE(CrossSiteRefusal("127.0.0.1:8080", "", "same-site", true, "127.0.0.1", 8080));
  // With a wildcard bind, only the loopback names are this server's own.
  EXPECT_TRUE(CrossSiteRefusal("0.0.0.0:8080", "", "", true, "0.0.0.0", 8080));
}

TEST(IsLoopbackHostTest, LoopbackNamesAndAddresses) {
  for (const std::string host : {"127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const std::string host : {"0.0.0.0", "::", "192.168.1.5", "box.lan", "128.0.0.1", ""}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

}  // namespace
}  // namespace rackforge::server
