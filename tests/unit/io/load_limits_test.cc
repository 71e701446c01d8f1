// What the engines cannot take is refused at load time: numbers beyond
// model/limits.h, text that is not UTF-8 or has NUL bytes, ISO weeks that do
// not exist. Same style as load_errors_test.cc: copy tiny, break one thing,
// check the exact "file:line: message".
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "io/load_context.h"
#include "io/scenario_loader.h"
#include "unit/io/scenario_fixture.h"

namespace rackforge::io {
namespace {

using ::testing::HasSubstr;
using testing::Joined;
using testing::LoadDiagnostics;
using testing::TempScenario;

struct LimitCase {
  const char* name;
  const char* file;
  const char* from;
  const char* to;
  const char* needle;   // unique text on the line the error must name ("" = `to`)
  const char* message;  // expected message after "file:line: "
};

std::ostream& operator<<(std::ostream& os, const LimitCase& c) { return os << c.name; }

class OutOfRange : public ::testing::TestWithParam<LimitCase> {};

TEST_P(OutOfRange, ReportsFileLineKeyAndValue) {
  const LimitCase& c = GetParam();
  TempScenario t;
  t.Replace(c.file, c.from, c.to);
  const std::string needle = *c.needle ? c.needle : c.to;
  const int line = t.LineOf(c.file, needle);
  const std::vector<Diagnostic> d = LoadDiagnostics(t.dir());
  ASSERT_EQ(d.size(), 1u) << Joined(d);
  EXPECT_EQ(d[0].ToString(), t.dir() + "/" + c.file + ":" + std::to_string(line) + ": " + c.message);
}

#define TOO_LARGE " is too large (at most 1e12 in absolute value)"

const LimitCase kRanges[] = {
    // scenario.yaml
    {"HorizonAbove520", "scenario.yaml", "horizon_weeks: 12", "horizon_weeks: 521", "",
     "horizon_weeks: 521 is outside 1..520"},
    {"Budget", "scenario.yaml", "capex_budget_usd: 50000000", "capex_budget_usd: 1e13", "",
     "policy.capex_budget_usd: 1e13" TOO_LARGE},
    {"Penalty", "scenario.yaml", "evaluation: 50000", "evaluation: 1e25", "",
     "policy.backlog_penalty_usd_per_rack_week.evaluation: 1e25" TOO_LARGE},
    {"Holding", "scenario.yaml", "rack_holding_usd_per_week: 500", "rack_holding_usd_per_week: 2000000000000", "",
     "policy.rack_holding_usd_per_week: 2000000000000" TOO_LARGE},
    {"TargetWeek", "scenario.yaml", "{week: 8,", "{week: 100001,", "", "target[1].week: 100001 is larger than 100000"},
    {"TargetRacks", "scenario.yaml", "racks_per_week: 20}", "racks_per_week: 1e30}", "",
     "target[1].racks_per_week: 1e30" TOO_LARGE},
    // roadmap.yaml
    {"NeededBy", "roadmap.yaml", "needed_by_week: 6", "needed_by_week: 1e9", "",
     "requirements[1].needed_by_week: 1e9 is larger than 100000"},
    {"MaxPower", "roadmap.yaml", "max_power_kw: 150", "max_power_kw: 1.5e12", "",
     "requirements[0].max_power_kw: 1.5e12" TOO_LARGE},
    // designs
    {"BomQty", "designs/beta.yaml", "qty: 4}", "qty: 1e30}", "", "bom[3].qty: 1e30" TOO_LARGE},
    {"DesignWeek", "designs/beta.yaml", "available_from_week: 4", "available_from_week: 200000", "",
     "available_from_week: 200000 is larger than 100000"},
    {"FrameWeight", "designs/beta.yaml", "max_weight_kg: 2000", "max_weight_kg: 1e13", "",
     "frame.max_weight_kg: 1e13" TOO_LARGE},
    // CSV tables
    {"ComponentCost", "components.csv", "cooling,30000,75,0", "cooling,1e13,75,0", "", "unit_cost_usd: 1e13" TOO_LARGE},
    {"SupplierRecovery", "suppliers.csv", "OH,3,0.002", "OH,100001,0.002", "",
     "recovery_weeks: 100001 is larger than 100000"},
    {"OfferCapacity", "offers.csv", "fii-tw,tray-a,150000,40,2", "fii-tw,tray-a,150000,1e30,2", "",
     "capacity_per_week: 1e30" TOO_LARGE},
    {"OfferLead", "offers.csv", "fii-tw,tray-a,150000,40,2", "fii-tw,tray-a,150000,40,100001", "",
     "lead_time_weeks: 100001 is larger than 100000"},
    {"LaneCost", "lanes.csv", "wi-mp,abilene-tx,1,5000", "wi-mp,abilene-tx,1,1e13", "",
     "cost_usd_per_rack: 1e13" TOO_LARGE},
    {"LaneTransit", "lanes.csv", "wi-mp,abilene-tx,1,5000", "wi-mp,abilene-tx,100001,5000", "",
     "transit_weeks: 100001 is larger than 100000"},
    {"DemandRacks", "demand.csv", "abilene-tx,alpha,10,12", "abilene-tx,alpha,10,1e30", "", "racks: 1e30" TOO_LARGE},
    // plants.yaml
    {"LineRate", "plants.yaml", "racks_per_week: 10", "racks_per_week: 1e30", "",
     "plants[0].lines[0].racks_per_week: 1e30" TOO_LARGE},
    {"LineStart", "plants.yaml", "start_week: 2", "start_week: 100001", "",
     "plants[0].lines[1].start_week: 100001 is larger than 100000"},
    {"TestCells", "plants.yaml", "test_cells: 2", "test_cells: 1e15", "", "plants[0].test_cells: 1e15" TOO_LARGE},
    {"Capex", "plants.yaml", "capex_usd: 40000000", "capex_usd: 4e13", "", "expansions[0].capex_usd: 4e13" TOO_LARGE},
    {"Earliest", "plants.yaml", "earliest_week: 2", "earliest_week: 2147483648", "",
     "expansions[0].earliest_week: 2147483648 is larger than 100000"},
    // disruptions.yaml
    {"DisruptionWeeks", "disruptions.yaml", "weeks: 2}", "weeks: 100001}", "",
     "disruptions[0].weeks: 100001 is larger than 100000"},
    // design_space.yaml: `set` overrides go through the same checks
    {"SetNumber", "design_space.yaml", "set: {cooling.coolant_delta_t_c: 8}", "set: {cooling.coolant_delta_t_c: 1e13}",
     "", "spaces[0].slots[1].options[1].set.cooling.coolant_delta_t_c: 1e13" TOO_LARGE},
    {"SetWeek", "design_space.yaml", "set: {cooling.coolant_delta_t_c: 8}", "set: {available_from_week: 100001}", "",
     "spaces[0].slots[1].options[1].set.available_from_week: 100001 is larger than 100000"},
};

INSTANTIATE_TEST_SUITE_P(LoadLimits, OutOfRange, ::testing::ValuesIn(kRanges),
                         [](const ::testing::TestParamInfo<LimitCase>& info) { return info.param.name; });

TEST(LoadLimits, BoundaryValuesLoad) {
  TempScenario t;
  t.Replace("scenario.yaml", "horizon_weeks: 12", "horizon_weeks: 520");
  t.Replace("scenario.yaml", "capex_budget_usd: 50000000", "capex_budget_usd: 1e12");
  t.Replace("plants.yaml", "earliest_week: 2", "earliest_week: 100000");
  t.Replace("designs/beta.yaml", "max_weight_kg: 2000", "max_weight_kg: 1000000000000");
  const model::Scenario s = LoadScenario(t.dir());
  EXPECT_EQ(s.horizon_weeks, 520);
  EXPECT_EQ(s.policy.capex_budget_usd, 1e12);
  EXPECT_EQ(s.expansions[0].earliest_week, 100000);
}

TEST(LoadLimits, SummedDemandCellBeyondRange) {
  TempScenario t;
  // Each row is within range; the (site, design, week, kind) cell they sum to is not.
  t.Replace("demand.csv", "abilene-tx,alpha,3,5,firm,\nabilene-tx,alpha,3,3,firm,",
            "abilene-tx,alpha,3,900000000000,firm,\nabilene-tx,alpha,3,900000000001,firm,");
  const int line = t.LineOf("demand.csv", "900000000000,");
  const std::vector<Diagnostic> d = LoadDiagnostics(t.dir());
  ASSERT_EQ(d.size(), 1u) << Joined(d);
  EXPECT_EQ(d[0].ToString(), t.dir() + "/demand.csv:" + std::to_string(line) +
                                 ": racks: the rows of (site 'abilene-tx', design 'alpha', week 3, firm) sum to "
                                 "1.8e+12 racks, more than 1e12");
}

TEST(LoadLimits, NumbersInJsonDisruptionsUseTheSameRanges) {
  const model::Scenario s = LoadScenario(testing::TinyDir());
  const auto list = nlohmann::json::parse(R"([{"node": "plant:wi-mp", "start_week": 1, "weeks": 1e9}])");
  try {
    DisruptionsFromJson(list, s);
    FAIL();
  } catch (const common::UsageError& e) {
    EXPECT_STREQ(e.what(), "disruptions[0].weeks: 1000000000.0 is larger than 100000");
  }
}

// ---- text: UTF-8 and NUL bytes ------------------------------------------------

struct BytesCase {
  const char* name;
  const char* file;
  const char* from;
  std::string to;
  const char* needle;  // text on the bad line
  std::string message;
};

std::ostream& operator<<(std::ostream& os, const BytesCase& c) { return os << c.name; }

class BadBytes : public ::testing::TestWithParam<BytesCase> {};

TEST_P(BadBytes, ReportsLineColumnAndByteOnce) {
  const BytesCase& c = GetParam();
  TempScenario t;
  t.Replace(c.file, c.from, c.to);
  const int line = t.LineOf(c.file, c.needle);
  const std::vector<Diagnostic> d = LoadDiagnostics(t.dir());
  // One message: the file is not parsed, and what refers into it is not checked.
  ASSERT_EQ(d.size(), 1u) << Joined(d);
  EXPECT_EQ(d[0].ToString(), t.dir() + "/" + c.file + ":" + std::to_string(line) + ": " + c.message);
}

const std::string kNotUtf8 = " is not valid UTF-8 (text must be UTF-8)";
const std::string kNul = " (text must not contain NUL bytes)";

const BytesCase kBytes[] = {
    {"ScenarioName", "scenario.yaml", "name: tiny",
     "name: ti\xff"
     "ny",
     "name: ti", "byte 0xff at column 9" + kNotUtf8},
    {"ScenarioNameNul", "scenario.yaml", "name: tiny", std::string("name: ti\0ny", 11), "name: ti",
     "NUL byte at column 9" + kNul},
    {"CompanyLatin1", "suppliers.csv", "Flex,US", "Fl\xe9x,US", "flex-us", "byte 0xe9 at column 11" + kNotUtf8},
    {"CompanyNul", "suppliers.csv", "Flex,US", std::string("Flex\0,US", 8), "flex-us", "NUL byte at column 13" + kNul},
    {"ComponentNameOverlong", "components.csv", "33 kW power shelf", "33 kW \xc0\xafpower shelf", "ps-33kw",
     "byte 0xc0 at column 15" + kNotUtf8},
    {"SiteSurrogate", "sites.csv", "Stargate Abilene",
     "Stargate \xed\xa0\x80"
     "Abilene",
     "abilene-tx,", "byte 0xed at column 21" + kNotUtf8},
    {"CustomerAbove10FFFF", "sites.csv", "OpenAI / SoftBank", "OpenAI \xf4\x90\x80\x80", "lordstown-oh,",
     "byte 0xf4 at column 34" + kNotUtf8},
    {"YamlKey", "plants.yaml", "    us_state: TX", "    us_st\x80te: TX", "te: TX",
     "byte 0x80 at column 10" + kNotUtf8},
    {"DesignName", "designs/beta.yaml", "name: Beta NVL144", "name: Beta \xe2\x82", "name: Beta",
     "byte 0xe2 at column 12" + kNotUtf8},
    {"RequirementGeneration", "roadmap.yaml", "generation: GB300 NVL72", std::string("generation: GB300\0", 18),
     "generation: GB300", "NUL byte at column 22" + kNul},
    {"DisruptionsFile", "disruptions.yaml", "# What-if", "# What\xfe-if", "# What", "byte 0xfe at column 7" + kNotUtf8},
    {"DesignSpaceFile", "design_space.yaml", "slot: power", "slot: p\xc1wer", "slot: p",
     "byte 0xc1 at column 16" + kNotUtf8},
};

INSTANTIATE_TEST_SUITE_P(LoadLimits, BadBytes, ::testing::ValuesIn(kBytes),
                         [](const ::testing::TestParamInfo<BytesCase>& info) { return info.param.name; });

TEST(LoadLimits, ValidUtf8TextLoads) {
  TempScenario t;
  t.Replace("scenario.yaml", "name: tiny", "name: \"Zürich – 東京 🚀\"");
  t.Replace("suppliers.csv", "Flex,US", "Flëx Ünited,US");
  t.Write("sites.csv", "\xef\xbb\xbf" + t.Read("sites.csv"));  // a byte-order mark is valid UTF-8
  const model::Scenario s = LoadScenario(t.dir());
  EXPECT_EQ(s.name, "Zürich – 東京 🚀");
  EXPECT_EQ(s.suppliers[1].company, "Flëx Ünited");
  EXPECT_EQ(s.sites[0].id, "abilene-tx");
}

TEST(LoadLimits, TruncatedSequenceAtEndOfFile) {
  TempScenario t;
  t.Write("sites.csv", t.Read("sites.csv") + "x,\xf0\x9f\x9a");
  const std::vector<Diagnostic> d = LoadDiagnostics(t.dir());
  ASSERT_EQ(d.size(), 1u) << Joined(d);
  EXPECT_EQ(d[0].ToString(), t.dir() + "/sites.csv:4: byte 0xf0 at column 3" + kNotUtf8);
}

TEST(LoadLimits, DisruptionsTextWithBadBytes) {
  const model::Scenario s = LoadScenario(testing::TinyDir());
  try {
    ParseDisruptionsYaml("disruptions:\n  - {node: \"plant:\xff\", start_week: 1, weeks: 1}\n", "what-if.yaml", s);
    FAIL();
  } catch (const LoadError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].ToString(), "what-if.yaml:2: byte 0xff at column 19" + kNotUtf8);
  }
}

TEST(Utf8, SequenceLengths) {
  using internal::Utf8SequenceLength;
  EXPECT_EQ(Utf8SequenceLength("a", 0), 1u);
  EXPECT_EQ(Utf8SequenceLength("\xc3\xa9", 0), 2u);          // é
  EXPECT_EQ(Utf8SequenceLength("\xe2\x80\x93", 0), 3u);      // en dash
  EXPECT_EQ(Utf8SequenceLength("\xf0\x9f\x9a\x80", 0), 4u);  // rocket
  EXPECT_EQ(Utf8SequenceLength("\xf4\x8f\xbf\xbf", 0), 4u);  // U+10FFFF
  EXPECT_EQ(Utf8SequenceLength("\xed\x9f\xbf", 0), 3u);      // U+D7FF, just below the surrogates
  EXPECT_EQ(Utf8SequenceLength("\xc0\x80", 0), 0u);          // overlong NUL
  EXPECT_EQ(Utf8SequenceLength("\xe0\x9f\xbf", 0), 0u);      // overlong 3-byte
  EXPECT_EQ(Utf8SequenceLength("\xf0\x8f\xbf\xbf", 0), 0u);  // overlong 4-byte
  EXPECT_EQ(Utf8SequenceLength("\xed\xa0\x80", 0), 0u);      // surrogate U+D800
  EXPECT_EQ(Utf8SequenceLength("\xf4\x90\x80\x80", 0), 0u);  // U+110000
  EXPECT_EQ(Utf8SequenceLength("\xf8\x88\x80\x80\x80", 0), 0u);
  EXPECT_EQ(Utf8SequenceLength("\x80", 0), 0u);
  EXPECT_EQ(Utf8SequenceLength("\xc3", 0), 0u);  // cut short
}

TEST(Utf8, QuoteIsAlwaysValidText) {
  EXPECT_EQ(internal::Quote("a\xff"
                            "b\x01"
                            "c"),
            "'a\\xffb\\x01c'");
  EXPECT_EQ(internal::Quote("\xc3\xa9t\xc3\xa9"), "'\xc3\xa9t\xc3\xa9'");  // valid text kept as is
  std::string long_text;
  for (int i = 0; i < 100; ++i) long_text += "\xc3\xa9";  // 200 bytes, the cut falls on a character boundary
  const std::string quoted = internal::Quote(long_text);
  EXPECT_TRUE(internal::IsCleanText(quoted)) << quoted;
  EXPECT_THAT(quoted, HasSubstr("..."));
  EXPECT_TRUE(internal::IsCleanText(internal::Quote("\xe2\x82\xff\x00z")));
}

// ---- ISO weeks ---------------------------------------------------------------

TEST(LoadLimits, NonexistentIsoWeek) {
  TempScenario t;
  t.Replace("scenario.yaml", "\"2026-W01\"", "\"2027-W53\"");
  const int line = t.LineOf("scenario.yaml", "2027-W53");
  const std::vector<Diagnostic> d = LoadDiagnostics(t.dir());
  ASSERT_EQ(d.size(), 1u) << Joined(d);
  EXPECT_EQ(d[0].ToString(), t.dir() + "/scenario.yaml:" + std::to_string(line) +
                                 ": start_week: '2027-W53' does not exist (2027 has 52 ISO weeks)");
}

TEST(LoadLimits, IsoWeek53ExistsOnlyInLongYears) {
  // 53-week years: those starting on a Thursday, and leap years starting on a Wednesday.
  const char* long_years[] = {"2004", "2009", "2015", "2020", "2026", "2032", "2037", "1976", "1998"};
  const char* short_years[] = {"2021", "2024", "2025", "2027", "2028", "2100", "2000", "0000"};
  for (const char* year : long_years) {
    TempScenario t;
    t.Replace("scenario.yaml", "\"2026-W01\"", std::string("\"") + year + "-W53\"");
    EXPECT_EQ(LoadScenario(t.dir()).start_week, std::string(year) + "-W53");
  }
  for (const char* year : short_years) {
    TempScenario t;
    t.Replace("scenario.yaml", "\"2026-W01\"", std::string("\"") + year + "-W53\"");
    EXPECT_THAT(Joined(LoadDiagnostics(t.dir())), HasSubstr(std::string(year) + " has 52 ISO weeks")) << year;
  }
}

}  // namespace
}  // namespace rackforge::io
