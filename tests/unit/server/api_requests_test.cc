// Request body parsing: depth, ranges and bad bytes are usage errors (400),
// never crashes or other exceptions.
#include "server/api_requests.h"

#include <gtest/gtest.h>

#include <string>

#include "io/errors.h"

namespace rackforge::server {
namespace {

std::string ErrorOf(const std::string& body) {
  try {
    (void)ParseJsonObject(body);
  } catch (const io::UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(ParseJsonObjectTest, DeepNestingIsRejectedWithoutRecursion) {
  // 300 000 levels: a recursive parser or serializer would overflow the stack.
  const std::string deep = "{\"disruptions\":" + std::string(300000, '[') + std::string(300000, ']') + "}";
  EXPECT_EQ(ErrorOf(deep), "body nests deeper than 32 levels");
  std::string objects = "{\"disruptions\":";
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  objects += "1" + std::string(100001, '}');
  EXPECT_EQ(ErrorOf(objects), "body nests deeper than 32 levels");
  // 32 levels (the body object included) are fine.
  const std::string ok = "{\"a\":" + std::string(30, '[') + std::string(30, ']') + "}";
  EXPECT_EQ(ErrorOf(ok), "");
}

TEST(ParseJsonObjectTest, NumbersOutsideTheModelRangeAre400) {
  EXPECT_EQ(ErrorOf(R"({"domestic": 1e13})"), "domestic: 10000000000000.0 is outside -1e12..1e12");
  EXPECT_EQ(ErrorOf(R"({"x": [1, -2e12]})"), "x: -2000000000000.0 is outside -1e12..1e12");
  EXPECT_EQ(ErrorOf(R"({"x": 18446744073709551615})"), "x: 18446744073709551615 is outside -1e12..1e12");
  EXPECT_NE(ErrorOf(R"({"domestic": 1e400})").find("body has a number outside -1e12..1e12"), std::string::npos);
  EXPECT_EQ(ErrorOf(R"({"x": 1e12, "y": -1e12})"), "");
  EXPECT_EQ(ErrorOf(R"({"seed": 9223372036854775807})"), "");  // seeds have their own range
}

TEST(ParseJsonObjectTest, InvalidUtf8AndSyntaxErrorsAreUsageErrors) {
  EXPECT_NE(ErrorOf("{\"option_demand\": \"\xff\xfe\"}").find("body is not valid JSON"), std::string::npos);
  EXPECT_NE(ErrorOf("{\"a\": \"\xc3\"}").find("body is not valid JSON"), std::string::npos);
  EXPECT_NE(ErrorOf("{").find("body is not valid JSON"), std::string::npos);
  EXPECT_EQ(ErrorOf("[1]"), "body must be a JSON object, got array");
  EXPECT_EQ(ErrorOf(""), "");
}

}  // namespace
}  // namespace rackforge::server
