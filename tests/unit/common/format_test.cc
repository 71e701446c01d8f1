#include "common/format.h"

#include <gtest/gtest.h>

namespace rackforge::common {
namespace {

TEST(Format, Thousands) {
  EXPECT_EQ(FormatThousands(1234567.891), "1,234,568");
  EXPECT_EQ(FormatThousands(1234567.891, 2), "1,234,567.89");
  EXPECT_EQ(FormatThousands(-1000), "-1,000");
  EXPECT_EQ(FormatThousands(999), "999");
  EXPECT_EQ(FormatThousands(-0.2), "0");
}

TEST(Format, UsdInFull) {
  EXPECT_EQ(FormatUsd(1234567), "$1,234,567");
  EXPECT_EQ(FormatUsd(-5), "-$5");
  EXPECT_EQ(FormatUsd(-0.2), "$0");
}

// The one short money format: the plan's bottleneck texts (stored results)
// and the report tables print the same text for the same amount.
TEST(Format, UsdShort) {
  EXPECT_EQ(FormatUsdShort(1.9e6), "$1.9M");
  EXPECT_EQ(FormatUsdShort(2.5e9), "$2.5B");
  EXPECT_EQ(FormatUsdShort(2.1e9), "$2.1B");
  EXPECT_EQ(FormatUsdShort(12345), "$12.3k");
  EXPECT_EQ(FormatUsdShort(123456), "$123.5k");
  EXPECT_EQ(FormatUsdShort(950), "$950");
  EXPECT_EQ(FormatUsdShort(0.25), "$0.25");
  EXPECT_EQ(FormatUsdShort(-1500), "-$1.5k");
}

TEST(Format, Percent) {
  EXPECT_EQ(FormatPercent(0.6), "60.0 %");
  EXPECT_EQ(FormatPercent(0.123, 0), "12 %");
}

}  // namespace
}  // namespace rackforge::common
