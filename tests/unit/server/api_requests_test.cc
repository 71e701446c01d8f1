// Request body parsing: depth, ranges and bad bytes are usage errors (400),
// never crashes or other exceptions.
#include "server/api_requests.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/errors.h"

namespace rackforge::server {
namespace {

std::string ErrorOf(const std::string& body) {
  try {
    (void)ParseJsonObject(body);
  } catch (const common::UsageError& e) {
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

// baseline_run (string or integer) is resolved by the lookup; freeze_weeks and change_penalty_usd
// reach the engine's options; without baseline_run the plan is an ordinary one.
TEST(ParsePlanRequestTest, BaselineKeysReachThePlanOptions) {
  model::Scenario scenario;
  scenario.horizon_weeks = 12;
  std::vector<std::string> asked;
  const BaselineLookup lookup = [&asked](const std::string& run_id) {
    asked.push_back(run_id);
    model::KeyedQuantities q;
    q.start_week = "2026-W01";
    q.weeks = 12;
    q.family(model::QuantityFamily::kMake)["l,g"] = {"2026-W01", "2026-W12", {{"2026-W02", 4.0}}};
    return q;
  };
  const plan::PlanOptions options = ParsePlanRequest(
      nlohmann::json::parse(R"({"baseline_run": 7, "freeze_weeks": 3, "change_penalty_usd": 2500})"), scenario, lookup);
  ASSERT_TRUE(options.baseline != nullptr);
  EXPECT_EQ(asked, std::vector<std::string>{"7"});
  EXPECT_EQ(options.baseline->run_id, "7");
  EXPECT_EQ(options.baseline->freeze_weeks, 3);
  EXPECT_EQ(options.baseline->change_penalty_usd, 2500.0);
  EXPECT_EQ(options.baseline->stored.family(model::QuantityFamily::kMake).at("l,g").at("2026-W02"), 4.0);
  const plan::PlanOptions by_string =
      ParsePlanRequest(nlohmann::json::parse(R"({"baseline_run": "12", "freeze_weeks": 0})"), scenario, lookup);
  ASSERT_TRUE(by_string.baseline != nullptr);
  EXPECT_EQ(by_string.baseline->run_id, "12");
  EXPECT_FALSE(by_string.baseline->change_penalty_usd.has_value());
  EXPECT_TRUE(ParsePlanRequest(nlohmann::json::object(), scenario, lookup).baseline == nullptr);
  auto error = [&](const char* body) {
    try {
      (void)ParsePlanRequest(nlohmann::json::parse(body), scenario, lookup);
    } catch (const common::UsageError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error(R"({"baseline_run": 7, "freeze_weeks": 13})"), "freeze_weeks: 13 is outside 0..12");
  EXPECT_EQ(error(R"({"baseline_run": 7, "freeze_weeks": 1.5})"), "freeze_weeks: 1.5 is not an integer");
  EXPECT_EQ(error(R"({"baseline_run": 0, "freeze_weeks": 1})"), "baseline_run: 0 is outside 1..9223372036854775807");
  EXPECT_EQ(error(R"({"change_penalty_usd": 5})"), "change_penalty_usd: needs baseline_run (a stored run id)");
  EXPECT_EQ(error(R"({"baseline_run": 7, "freeze_weeks": 1, "change_penalty_usd": "x"})"),
            "change_penalty_usd: \"x\" is not an amount >= 0");
  asked.clear();
  EXPECT_EQ(error(R"({"baseline_run": 7, "freeze_weeks": 99})"), "freeze_weeks: 99 is outside 0..12");
  EXPECT_TRUE(asked.empty());  // options are checked before the store is read
}

}  // namespace
}  // namespace rackforge::server
