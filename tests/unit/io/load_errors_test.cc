// Every kind of bad input: copy tiny, break one thing, and check the
// LoadError names the file, the line and the bad value.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "io/scenario_loader.h"
#include "unit/io/scenario_fixture.h"

namespace rackforge::io {
namespace {

using ::testing::HasSubstr;
using testing::Joined;
using testing::LoadDiagnostics;
using testing::TempScenario;

struct BadCase {
  const char* name;     // test name
  const char* file;     // file to break
  const char* from;     // unique text in it
  const char* to;       // replacement
  const char* needle;   // unique text on the line the error must name ("" = `to`)
  const char* message;  // expected message after "file:line: "
  int count = 1;        // expected number of diagnostics (0 = do not check)
};

std::ostream& operator<<(std::ostream& os, const BadCase& c) { return os << c.name; }

class BadInput : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadInput, ReportsFileLineAndValue) {
  const BadCase& c = GetParam();
  TempScenario t;
  t.Replace(c.file, c.from, c.to);
  const std::string needle = *c.needle ? c.needle : c.to;
  const int line = t.LineOf(c.file, needle.substr(0, needle.find('\n')));
  const std::vector<Diagnostic> diagnostics = LoadDiagnostics(t.dir());
  const std::string text = Joined(diagnostics);
  const std::string expected = std::string(c.file) + ":" + std::to_string(line) + ": " + c.message;
  EXPECT_THAT(text, HasSubstr(expected));
  if (c.count > 0) {
    EXPECT_EQ(static_cast<int>(diagnostics.size()), c.count) << text;
  }
  for (const Diagnostic& d : diagnostics) EXPECT_EQ(d.file.rfind(t.dir() + "/", 0), 0u) << d.file;
}

const BadCase kCases[] = {
    // scenario.yaml
    {"HorizonNotInteger", "scenario.yaml", "horizon_weeks: 12", "horizon_weeks: 12.5", "",
     "horizon_weeks: 12.5 is not a whole number of weeks"},
    {"HorizonZero", "scenario.yaml", "horizon_weeks: 12", "horizon_weeks: 0", "", "horizon_weeks: 0 is outside 1..520"},
    {"StartWeekNotIso", "scenario.yaml", "\"2026-W01\"", "\"2026-W60\"", "",
     "start_week: '2026-W60' is not an ISO week like 2026-W01"},
    {"UnknownScenarioKey", "scenario.yaml", "name: tiny", "nmae: tiny", "", "nmae: unknown key"},
    {"OptionDemandUnparseable", "scenario.yaml", "option_demand: expected", "option_demand: sometimes", "",
     "policy.option_demand: 'sometimes' is not one of expected, all, none"},
    {"QuantitiesUnknown", "scenario.yaml", "option_demand: expected", "option_demand: expected\n  quantities: integer",
     "quantities: integer", "policy.quantities: 'integer' is not one of continuous, whole"},
    {"DomesticShareAboveOne", "scenario.yaml", "domestic_content_min: 0.3", "domestic_content_min: 1.2", "",
     "policy.domestic_content_min: 1.2 is outside 0..1"},
    {"SupplierShareNegative", "scenario.yaml", "max_supplier_share: 0.8", "max_supplier_share: -0.1", "",
     "policy.max_supplier_share: -0.1 is outside 0..1"},
    {"BudgetNegative", "scenario.yaml", "capex_budget_usd: 50000000", "capex_budget_usd: -1", "",
     "policy.capex_budget_usd: -1 is negative"},
    {"HoldingNotNumber", "scenario.yaml", "rack_holding_usd_per_week: 500", "rack_holding_usd_per_week: lots", "",
     "policy.rack_holding_usd_per_week: 'lots' is not a number"},
    {"PenaltyMissing", "scenario.yaml", "    firm: 30000\n", "", "evaluation: 50000",
     "policy.backlog_penalty_usd_per_rack_week.firm: missing (required)"},
    {"EndPenaltyNegative", "scenario.yaml", "{evaluation: 100000}", "{evaluation: 100000, firm: -1}", "",
     "policy.end_backlog_penalty_usd_per_rack.firm: -1 is negative"},
    {"EndPenaltyUnknownKind", "scenario.yaml", "{evaluation: 100000}", "{evaluation: 100000, rush: 2}", "",
     "policy.end_backlog_penalty_usd_per_rack.rush: unknown key"},
    {"PolicyMissing", "scenario.yaml", "policy:", "policies:", "", "policies: unknown key", 2},
    {"RiskStartOutsideHorizon", "scenario.yaml", "start_week: 2", "start_week: 12", "",
     "risk.start_week: 12 is outside 0..11 (horizon_weeks 12)"},
    {"TargetWeekNotInteger", "scenario.yaml", "{week: 8,", "{week: 8.5,", "",
     "target[1].week: 8.5 is not a whole number of weeks"},
    {"YamlDuplicateKey", "scenario.yaml", "name: tiny", "name: tiny\nname: again", "name: again",
     "name: key appears twice"},
    // roadmap.yaml
    {"NeededByNotInteger", "roadmap.yaml", "needed_by_week: 6", "needed_by_week: 6.5", "",
     "requirements[1].needed_by_week: 6.5 is not a whole number of weeks"},
    {"RequirementNegative", "roadmap.yaml", "max_power_kw: 150", "max_power_kw: -150", "",
     "requirements[0].max_power_kw: -150 is negative"},
    {"DuplicateRequirement", "roadmap.yaml", "id: gen-b", "id:  gen-a", "",
     "requirements[1].id: 'gen-a' is a duplicate id (first on line 3)", 2},
    // designs
    {"UnknownRequirement", "designs/beta.yaml", "meets: gen-b", "meets: gen-z", "",
     "meets: 'gen-z' is not a requirement in roadmap.yaml"},
    {"UnknownBomComponent", "designs/beta.yaml", "{component: cdu, qty: 2}", "{component: cdux, qty: 2}", "",
     "bom[2].component: 'cdux' is not a component in components.csv"},
    {"DuplicateBomComponent", "designs/beta.yaml", "{component: cdu, qty: 2}", "{component: tray-b, qty: 2}", "",
     "bom[2].component: 'tray-b' appears twice in the same bom (first on line 9)"},
    {"BomQtyNegative", "designs/beta.yaml", "qty: 4}", "qty: -4}", "", "bom[3].qty: -4 is negative"},
    {"DesignWeekNotInteger", "designs/beta.yaml", "available_from_week: 4", "available_from_week: 4.5", "",
     "available_from_week: 4.5 is not a whole number of weeks"},
    {"LastBuildOfAlphaNotInteger", "designs/alpha.yaml", "last_build_week: 11", "last_build_week: 11.5", "",
     "last_build_week: 11.5 is not a whole number of weeks"},
    {"LastBuildBeforeAvailable", "designs/beta.yaml", "available_from_week: 4",
     "available_from_week: 4\nlast_build_week: 3", "last_build_week: 3",
     "last_build_week: 3 is before available_from_week 4 (the last production week cannot precede the first)"},
    {"LastBuildNotInteger", "designs/beta.yaml", "available_from_week: 4",
     "available_from_week: 4\nlast_build_week: 6.5", "last_build_week: 6.5",
     "last_build_week: 6.5 is not a whole number of weeks"},
    {"UnknownDesignKey", "designs/beta.yaml", "test_hours: 36", "test_hrs: 36", "", "test_hrs: unknown key", 1},
    {"UnknownFrameKey", "designs/beta.yaml", "max_weight_kg: 2000", "max_weight: 2000", "",
     "frame.max_weight: unknown key"},
    {"BadDesignId", "designs/beta.yaml", "id: beta", "id: Beta", "", "id: 'Beta' is not a valid id", 0},
    // components.csv
    {"ComponentNotNumber", "components.csv", "cooling,30000,75", "cooling,30k,75", "",
     "unit_cost_usd: '30k' is not a number"},
    {"ComponentNegative", "components.csv", "5000,12.5,", "5000,-12.5,", "", "holding_usd_per_week: -12.5 is negative"},
    {"ComponentBadId", "components.csv", "frame-orv3,Open",
     "Tray C,x,compute_tray,1,0,0,0,0,0,0,0,0,0,0,0\nframe-orv3,Open", "Tray C",
     "id: 'Tray C' is not a valid id (use only a-z, 0-9, '.', '_', '-')"},
    {"ComponentDuplicate", "components.csv", "frame-orv3,Open",
     "cdu,x,cooling,1,0,0,0,0,0,0,0,0,0,0,0\nframe-orv3,Open", "cdu,x,",
     "id: 'cdu' is a duplicate id (first on line 5)"},
    {"UnknownColumn", "components.csv", "weight_kg", "weight_kgs", "", "unknown column 'weight_kgs'"},
    {"RowCellCount", "components.csv", "frame-orv3,Open Rack v3 frame,frame,5000,12.5,",
     "frame-orv3,Open Rack v3 frame,frame,5000,", "frame-orv3", "row has 14 cells but the header has 15 columns", 0},
    {"UnclosedQuote", "components.csv", "\"Compute tray B (2 CPU, 4 GPU dies)\"", "\"Compute tray B", "",
     "a quoted cell opened on line", 0},
    {"StrayQuote", "components.csv", "33 kW power shelf", "33\" kW power shelf", "", "a quote inside an unquoted cell",
     0},
    {"OnHandColumnMoved", "components.csv", "unit_cost_usd,holding", "unit_cost_usd,on_hand,holding", "",
     "on_hand: the column is no longer read here; stock is per plant in on_hand.csv (plant,component,units)", 0},
    // on_hand.csv
    {"OnHandUnknownPlant", "on_hand.csv", "tx-hou,cdu,1", "tx-dal,cdu,1", "",
     "plant: 'tx-dal' is not a plant in plants.yaml"},
    {"OnHandNegative", "on_hand.csv", "tx-hou,cdu,1", "tx-hou,cdu,-1", "", "units: -1 is negative"},
    {"OnHandDuplicate", "on_hand.csv", "tx-hou,cdu,1", "tx-hou,cdu,1\ntx-hou,cdu,3", "tx-hou,cdu,3",
     "plant, component: ('tx-hou', 'cdu') already has a row (first on line 7)"},
    // supply_lanes.csv
    {"SupplyLaneUnknownSupplier", "supply_lanes.csv", "delta-tw,tx-hou,1,50", "delta-tw,tx-hou,1,50\nacme,tx-hou,1,5",
     "acme,tx-hou", "supplier: 'acme' is not a supplier in suppliers.csv"},
    {"SupplyLaneDuplicate", "supply_lanes.csv", "delta-tw,tx-hou,1,50", "delta-tw,tx-hou,1,50\ndelta-tw,tx-hou,2,5",
     "delta-tw,tx-hou,2,5", "supplier, plant: ('delta-tw', 'tx-hou') is a duplicate supply lane (first on line 6)"},
    {"SupplyLaneTransitNotInteger", "supply_lanes.csv", "delta-tw,tx-hou,1,50", "delta-tw,tx-hou,1.5,50", "",
     "transit_weeks: 1.5 is not a whole number of weeks"},
    // suppliers.csv
    {"SupplierProbNotNumber", "suppliers.csv", "TX,4,0.003", "TX,4,high", "",
     "outage_prob_per_week: 'high' is not a number"},
    {"SupplierRecoveryNotInteger", "suppliers.csv", "OH,3,0.002", "OH,2.5,0.002", "",
     "recovery_weeks: 2.5 is not a whole number of weeks"},
    {"SupplierProbAboveOne", "suppliers.csv", "OH,3,0.002", "OH,3,1.5", "",
     "outage_prob_per_week: 1.5 is outside 0..1"},
    // offers.csv
    {"OfferUnknownSupplier", "offers.csv", "vertiv-us,cdu", "acme,cdu", "",
     "supplier: 'acme' is not a supplier in suppliers.csv"},
    {"OfferUnknownComponent", "offers.csv", "fii-tw,frame-orv3", "fii-tw,frame-orv4", "",
     "component: 'frame-orv4' is not a component in components.csv"},
    {"DuplicateOffer", "offers.csv", "fii-tw,frame-orv3,4000", "flex-us,frame-orv3,4000", "flex-us,frame-orv3,4000",
     "supplier, component: ('flex-us', 'frame-orv3') already has an offer (first on line 11)"},
    {"TariffNegative", "offers.csv", "27000,20,3,0,0.1", "27000,20,3,0,-0.1", "", "tariff_rate: -0.1 is negative"},
    {"LeadTimeNotInteger", "offers.csv", "30000,20,2,0,0", "30000,20,2.5,0,0", "",
     "lead_time_weeks: 2.5 is not a whole number of weeks"},
    {"AvailableFromNotInteger", "offers.csv", "200000,30,1,20,0", "200000,30,1,20.5,0", "",
     "available_from_week: 20.5 is not a whole number of weeks"},
    {"OfferCostMissing", "offers.csv", "flex-us,ps-33kw,4500,", "flex-us,ps-33kw,,", "",
     "unit_cost_usd: missing (required)"},
    // plants.yaml
    {"LineRateNegative", "plants.yaml", "racks_per_week: 10", "racks_per_week: -5", "",
     "plants[0].lines[0].racks_per_week: -5 is negative"},
    {"UnknownLineKey", "plants.yaml", "racks_per_week: 6", "rack_per_week: 6", "",
     "plants[0].lines[1].rack_per_week: unknown key", 2},
    {"RampFractionAboveOne", "plants.yaml", "ramp_start_fraction: 0.5\n        cost_usd_per_rack: 14000",
     "ramp_start_fraction: 1.5\n        cost_usd_per_rack: 14000", "",
     "plants[0].lines[1].ramp_start_fraction: 1.5 is outside 0..1"},
    {"RampWeeksNotInteger", "plants.yaml", "ramp_weeks: 4", "ramp_weeks: 1.5", "",
     "plants[0].lines[1].ramp_weeks: 1.5 is not a whole number of weeks"},
    {"LineStartNotInteger", "plants.yaml", "start_week: 2", "start_week: 2.5", "",
     "plants[0].lines[1].start_week: 2.5 is not a whole number of weeks"},
    {"LineUnknownDesign", "plants.yaml", "designs: [alpha]", "designs: [alpha, gamma]", "",
     "plants[0].lines[0].designs: 'gamma' is not a design in designs/*.yaml"},
    {"PlantRecoveryNotInteger", "plants.yaml", "recovery_weeks: 4", "recovery_weeks: 4.5", "",
     "plants[0].recovery_weeks: 4.5 is not a whole number of weeks"},
    {"PlantProbAboveOne", "plants.yaml", "outage_prob_per_week: 0.02", "outage_prob_per_week: 2", "",
     "plants[1].outage_prob_per_week: 2 is outside 0..1"},
    {"DuplicatePlant", "plants.yaml", "id: tx-hou", "id:  wi-mp", "",
     "plants[1].id: 'wi-mp' is a duplicate id (first on line 3)", 0},
    {"DuplicateLineAcrossPlants", "plants.yaml", "{id: tx-l1,", "{id: wi-l1,", "",
     "plants[1].lines[0].id: 'wi-l1' is a duplicate line id (first on line 10;"},
    {"ExpansionLineIdTaken", "plants.yaml", "  - id: tx-l2", "  - id:  wi-l2", "",
     "expansions[0].id: 'wi-l2' is a duplicate line id (first on line 14;", 0},
    {"DuplicateExpansion", "plants.yaml", "  - id: wi-cells", "  - id:  tx-l2", "",
     "expansions[1].id: 'tx-l2' is a duplicate id (first on line 39)", 0},
    {"ExpansionUnknownPlant", "plants.yaml", "plant: tx-hou", "plant: tx-dal", "",
     "expansions[0].plant: 'tx-dal' is not a plant in plants.yaml"},
    {"ExpansionUnknownKind", "plants.yaml", "kind: test_cells", "kind: cells", "",
     "expansions[1].kind: 'cells' is not one of line, test_cells, component_line"},
    {"ExpansionStartWeek", "plants.yaml", "    lead_time_weeks: 3\n", "    lead_time_weeks: 3\n    start_week: 5\n",
     "start_week: 5",
     "expansions[1].start_week: 5 is not allowed: an expansion starts at earliest_week + lead_time_weeks"},
    {"TestCellsWithLineField", "plants.yaml", "    cells: 2", "    cells: 2\n    racks_per_week: 4",
     "racks_per_week: 4", "expansions[1].racks_per_week: unknown key (a test_cells expansion has"},
    {"ExpansionLeadNegative", "plants.yaml", "lead_time_weeks: 4", "lead_time_weeks: -4", "",
     "expansions[0].lead_time_weeks: -4 is negative"},
    {"ExpansionEarliestNotInteger", "plants.yaml", "earliest_week: 2", "earliest_week: 2.5", "",
     "expansions[0].earliest_week: 2.5 is not a whole number of weeks"},
    {"BadLineId", "plants.yaml", "id: wi-l1", "id: WI_L1", "", "plants[0].lines[0].id: 'WI_L1' is not a valid id"},
    // sites.csv, lanes.csv
    {"DuplicateSite", "sites.csv", "lordstown-oh,Lordstown", "abilene-tx,Lordstown", "",
     "id: 'abilene-tx' is a duplicate id (first on line 2)", 0},
    {"LaneUnknownPlant", "lanes.csv", "tx-hou,abilene-tx,0,1500", "tx-dal,abilene-tx,0,1500", "",
     "plant: 'tx-dal' is not a plant in plants.yaml"},
    {"LaneUnknownSite", "lanes.csv", "wi-mp,lordstown-oh", "wi-mp,lordstown-ohio", "",
     "site: 'lordstown-ohio' is not a site in sites.csv"},
    {"DuplicateLane", "lanes.csv", "tx-hou,lordstown-oh,1,4000", "tx-hou,abilene-tx,1,4000", "",
     "plant, site: ('tx-hou', 'abilene-tx') is a duplicate lane (first on line 4)"},
    {"TransitNotInteger", "lanes.csv", "wi-mp,abilene-tx,1,5000", "wi-mp,abilene-tx,0.5,5000", "",
     "transit_weeks: 0.5 is not a whole number of weeks"},
    // demand.csv
    {"DemandUnknownSite", "demand.csv", "abilene-tx,alpha,10,12,firm,", "abilene,alpha,10,12,firm,", "",
     "site: 'abilene' is not a site in sites.csv"},
    {"DemandUnknownDesign", "demand.csv", "lordstown-oh,beta,6,4,firm,", "lordstown-oh,gamma,6,4,firm,", "",
     "design: 'gamma' is not a design in designs/*.yaml"},
    {"DemandWeekBeyondHorizon", "demand.csv", "abilene-tx,alpha,10,12", "abilene-tx,alpha,12,12", "",
     "week: 12 is outside 0..11 (horizon_weeks 12)"},
    {"DemandWeekNegative", "demand.csv", "abilene-tx,alpha,10,12", "abilene-tx,alpha,-1,12", "",
     "week: -1 is outside 0..11 (horizon_weeks 12)"},
    {"DemandWeekNotInteger", "demand.csv", "abilene-tx,alpha,10,12", "abilene-tx,alpha,2.5,12", "",
     "week: 2.5 is not a whole number of weeks"},
    {"DemandRacksNegative", "demand.csv", "abilene-tx,alpha,10,12", "abilene-tx,alpha,10,-12", "",
     "racks: -12 is negative"},
    {"DemandUnknownKind", "demand.csv", "beta,6,4,firm,", "beta,6,4,firmm,", "",
     "kind: 'firmm' is not one of evaluation, firm, option"},
    {"ProbabilityOnFirmRow", "demand.csv", "beta,6,4,firm,", "beta,6,4,firm,0.5", "",
     "probability: 0.5 given on a firm row (only option rows have a probability)"},
    {"ProbabilityOnEvaluationRow", "demand.csv", "evaluation,", "evaluation,1", "",
     "probability: 1 given on an evaluation row"},
    {"ProbabilityMissingOnOption", "demand.csv", "option,0.9", "option,", "lordstown-oh,beta,8,2",
     "probability: missing on an option row (required, 0..1)"},
    {"ProbabilityAboveOne", "demand.csv", "option,0.9", "option,1.5", "", "probability: 1.5 is outside 0..1"},
    // disruptions.yaml
    {"DisruptionUnknownPlant", "disruptions.yaml", "plant:tx-hou", "plant:tx-dal", "",
     "disruptions[0].node: 'plant:tx-dal' names no plant in plants.yaml"},
    {"DisruptionUnknownLine", "disruptions.yaml", "plant:tx-hou", "line:tx-l9", "",
     "disruptions[0].node: 'line:tx-l9' names no line in plants.yaml"},
    {"DisruptionUnknownSupplier", "disruptions.yaml", "supplier:delta-tw", "supplier:delta", "",
     "disruptions[1].node: 'supplier:delta' names no supplier in suppliers.csv"},
    {"DisruptionBadNodeKind", "disruptions.yaml", "plant:tx-hou", "factory:tx-hou", "",
     "disruptions[0].node: 'factory:tx-hou' is not plant:ID, line:ID or supplier:ID"},
    {"DisruptionStartBeyondHorizon", "disruptions.yaml", "start_week: 4", "start_week: 12", "",
     "disruptions[0].start_week: 12 is outside 0..11 (horizon_weeks 12)"},
    {"DisruptionWeeksNotInteger", "disruptions.yaml", "weeks: 2}", "weeks: 1.5}", "",
     "disruptions[0].weeks: 1.5 is not a whole number of weeks"},
    {"CapacityLossAboveOne", "disruptions.yaml", "capacity_loss: 0.5", "capacity_loss: 1.5", "",
     "disruptions[1].capacity_loss: 1.5 is outside 0..1"},
    // design_space.yaml
    {"SpaceUnknownDesign", "design_space.yaml", "design: alpha", "design: gamma", "",
     "spaces[0].design: 'gamma' is not a design in designs/*.yaml"},
    {"SpaceReplacesNotInBom", "design_space.yaml", "replaces: [cdu]", "replaces: [tray-b]", "",
     "spaces[0].slots[1].replaces: 'tray-b' is not in the bom of design 'alpha'"},
    {"SpaceUnknownComponent", "design_space.yaml", "{component: cdu, qty: 2}", "{component: cdux, qty: 2}", "",
     "spaces[0].slots[1].options[1].bom[0].component: 'cdux' is not a component in components.csv"},
    {"SpaceUnknownSlotKey", "design_space.yaml", "      - slot: cooling", "      - slot: cooling\n        note: x",
     "note: x", "spaces[0].slots[1].note: unknown key"},
    {"SpaceBadSetKey", "design_space.yaml", "set: {cooling.coolant_delta_t_c: 8}", "set: {cooling.flow: 8}", "",
     "spaces[0].slots[1].options[1].set.cooling.flow: 'cooling.flow' cannot be set"},
    {"SpaceSameComponentTwice", "design_space.yaml", "replaces: [cdu]", "replaces:  [ps-33kw]", "",
     "spaces[0].slots[1].replaces: 'ps-33kw' is already replaced by another slot (line 6)"},
    {"SpaceSameSetKeyTwoSlots", "design_space.yaml", "set: {cooling.coolant_delta_t_c: 8}",
     "set: {electrical.redundant_power_shelves: 3}", "",
     "spaces[0].slots[1].options[1].set.electrical.redundant_power_shelves: 'electrical.redundant_power_shelves' is "
     "also set by an option of slots[0]"},
    // component lines (plants.yaml) and component_boms.csv
    {"ComponentLineIdTakesRackLineId", "plants.yaml", "      - id: tx-ps", "      - id:  wi-l1", "",
     "plants[1].component_lines[0].id: 'wi-l1' is a duplicate line id (first on line 10; line ids are unique over "
     "rack lines, component lines and expansions)"},
    {"ComponentLineExpansionTakesComponentLineId", "plants.yaml", "  - id: tx-ps2", "  - id:  tx-ps", "",
     "expansions[2].id: 'tx-ps' is a duplicate line id (first on line 31;"},
    {"ComponentLineUnknownKey", "plants.yaml", "units_per_week: 40", "unit_per_week: 40", "",
     "plants[1].component_lines[0].unit_per_week: unknown key", 2},
    {"ComponentLineUnknownComponent", "plants.yaml", "components: [ps-33kw, psu-brick]",
     "components: [ps-33kw, psu-brik]", "",
     "plants[1].component_lines[0].components: 'psu-brik' is not a component in components.csv", 0},
    {"ComponentLineComponentTwice", "plants.yaml", "components: [ps-33kw, psu-brick]",
     "components: [ps-33kw, psu-brick, ps-33kw]", "",
     "plants[1].component_lines[0].components: 'ps-33kw' is listed twice"},
    {"ComponentLineRateNegative", "plants.yaml", "units_per_week: 40", "units_per_week: -40", "",
     "plants[1].component_lines[0].units_per_week: -40 is negative"},
    {"ComponentLineExpansionWithRackLineField", "plants.yaml", "    units_per_week: 20",
     "    units_per_week: 20\n    designs: [beta, alpha]", "designs: [beta, alpha]",
     "expansions[2].designs: unknown key (a component_line expansion has"},
    {"ComponentLineExpansionStartWeek", "plants.yaml", "    cost_usd_per_unit: 250",
     "    cost_usd_per_unit: 250\n    start_week: 9", "start_week: 9",
     "expansions[2].start_week: 9 is not allowed: an expansion starts at earliest_week + lead_time_weeks"},
    {"ComponentBomCycle", "component_boms.csv", "psu-brick,psu-cell,2", "psu-brick,psu-cell,2\npsu-cell,ps-33kw,1",
     "psu-cell,ps-33kw", "cycle ps-33kw -> psu-brick -> psu-cell -> ps-33kw (a component cannot be made from itself)"},
    {"ComponentBomSelfCycle", "component_boms.csv", "psu-brick,psu-cell,2", "psu-brick,psu-brick,2", "",
     "cycle psu-brick -> psu-brick"},
    {"ComponentBomDuplicatePair", "component_boms.csv", "psu-brick,psu-cell,2",
     "psu-brick,psu-cell,2\nps-33kw,psu-brick,5", "ps-33kw,psu-brick,5",
     "component, part: ('ps-33kw', 'psu-brick') already has a row (first on line 2)"},
    {"ComponentBomQtyZero", "component_boms.csv", "ps-33kw,ps-chassis,1", "ps-33kw,ps-chassis,0", "",
     "qty: 0 is not positive (a bom row uses some of the part)"},
    {"ComponentBomQtyNegative", "component_boms.csv", "ps-33kw,ps-chassis,1", "ps-33kw,ps-chassis,-1", "",
     "qty: -1 is negative"},
    {"ComponentBomQtyMissing", "component_boms.csv", "ps-33kw,ps-chassis,1", "ps-33kw,ps-chassis,", "",
     "qty: missing (required)"},
    {"ComponentBomUnknownPart", "component_boms.csv", "psu-brick,psu-cell,2", "psu-brick,psu-cel,2", "",
     "part: 'psu-cel' is not a component in components.csv"},
    {"ComponentBomUnknownComponent", "component_boms.csv", "psu-brick,psu-cell,2", "psu-brik,psu-cell,2", "",
     "component: 'psu-brik' is not a component in components.csv"},
    {"ComponentBomUnknownColumn", "component_boms.csv", "component,part,qty", "component,part,qty,note", "",
     "unknown column 'note'", 0},
};

INSTANTIATE_TEST_SUITE_P(LoadErrors, BadInput, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<BadCase>& info) { return info.param.name; });

// ---- cases that need more than one replacement -------------------------------

// psu-brick has no offer; with no component line making it, its use as a part in
// component_boms.csv (line 2) is an error there, and in a design BOM in the design file.
TEST(LoadErrors, ComponentNeitherBoughtNorMade) {
  TempScenario t;
  t.Replace("plants.yaml", "components: [ps-33kw, psu-brick]", "components: [ps-33kw]");
  t.Replace("designs/beta.yaml", "  - {component: frame-orv3, qty: 1}",
            "  - {component: frame-orv3, qty: 1}\n  - {component: psu-brick, qty: 1}");
  const std::string text = Joined(LoadDiagnostics(t.dir()));
  EXPECT_THAT(text, HasSubstr(t.dir() + "/component_boms.csv:2: part: 'psu-brick' is neither bought (no row in "
                                        "offers.csv) nor made (no component line in plants.yaml makes it)"));
  EXPECT_THAT(text,
              HasSubstr(t.dir() + "/designs/beta.yaml:" + std::to_string(t.LineOf("designs/beta.yaml", "psu-brick")) +
                        ": bom[5].component: 'psu-brick' is neither bought"));
}

// An offer that starts at or after the horizon does not make a part buyable.
TEST(LoadErrors, PartWithOnlyALateOfferIsNotBuyable) {
  TempScenario t;
  t.Replace("offers.csv", "delta-tw,psu-cell,300,400,1,0,0.1", "delta-tw,psu-cell,300,400,1,12,0.1");
  const std::vector<Diagnostic> d = LoadDiagnostics(t.dir());
  ASSERT_EQ(d.size(), 1u) << Joined(d);
  EXPECT_EQ(d[0].ToString(), t.dir() +
                                 "/component_boms.csv:4: part: 'psu-cell' is neither bought (no offer in "
                                 "offers.csv with available_from_week < horizon_weeks) nor made (no component "
                                 "line in plants.yaml makes it)");
}

// A component made by an expansion component line only counts as made.
TEST(LoadErrors, MadeByAnExpansionLineIsEnough) {
  TempScenario t;
  t.Replace("plants.yaml", "components: [ps-33kw, psu-brick]", "components: [ps-33kw]");
  t.Replace("plants.yaml", "    components: [ps-33kw]\n    units_per_week: 20",
            "    components: [psu-brick]\n    units_per_week: 20");
  EXPECT_NO_THROW(LoadScenario(t.dir()));
}

TEST(LoadErrors, MissingRequiredFile) {
  TempScenario t;
  t.Remove("lanes.csv");
  const std::vector<Diagnostic> d = LoadDiagnostics(t.dir());
  ASSERT_EQ(d.size(), 1u) << Joined(d);
  EXPECT_EQ(d[0].ToString(), t.dir() + "/lanes.csv: required file is missing");
}

// transfers.csv: every bad row names its line; the (from, to, component)
// duplicate check is the one shared with on_hand/supply_lanes/lanes.
TEST(LoadErrors, TransferRows) {
  TempScenario t;
  t.Write("transfers.csv",
          "from_plant,to_plant,component,transit_weeks,cost_usd_per_unit\n"
          "wi-mp,tx-hou,ps-33kw,1,10\n"   // 2: fine
          "wi-mp,wi-mp,cdu,1,10\n"        // 3: from = to
          "wi-mp,tx-hou,ps-33kw,2,5\n"    // 4: duplicate of 2
          "wi-mp,tx-dal,cdu,1,10\n"       // 5: unknown plant
          "tx-hou,wi-mp,nope,1,10\n"      // 6: unknown component
          "tx-hou,wi-mp,cdu,1.5,10\n"     // 7: transit not whole
          "tx-hou,wi-mp,cdu,1,-3\n"       // 8: negative cost
          "tx-hou,wi-mp,ps-33kw,0,0\n");  // 9: fine (same pair, other component)
  const std::vector<Diagnostic> d = LoadDiagnostics(t.dir());
  const std::string text = Joined(d);
  const std::string f = t.dir() + "/transfers.csv:";
  EXPECT_THAT(text, HasSubstr(f + "3: to_plant: 'wi-mp' is the from_plant (a transfer moves parts between two plants)"));
  EXPECT_THAT(text, HasSubstr(f + "4: from_plant, to_plant, component: ('wi-mp', 'tx-hou', 'ps-33kw') is a duplicate "
                                  "transfer (first on line 2)"));
  EXPECT_THAT(text, HasSubstr(f + "5: to_plant: 'tx-dal' is not a plant in plants.yaml"));
  EXPECT_THAT(text, HasSubstr(f + "6: component: 'nope' is not a component in components.csv"));
  EXPECT_THAT(text, HasSubstr(f + "7: transit_weeks: 1.5 is not a whole number of weeks"));
  EXPECT_THAT(text, HasSubstr(f + "8: cost_usd_per_unit: -3 is negative"));
  EXPECT_EQ(d.size(), 6u) << text;
}

TEST(LoadErrors, MissingDesignsFolder) {
  TempScenario t;
  t.Remove("designs/alpha.yaml");
  t.Remove("designs/beta.yaml");
  const std::string text = Joined(LoadDiagnostics(t.dir()));
  EXPECT_THAT(text, HasSubstr("designs/: no design files (designs/*.yaml) found"));
}

TEST(LoadErrors, MissingRequiredColumn) {
  TempScenario t;
  t.Write("offers.csv",
          "supplier,component,unit_cost_usd,lead_time_weeks\n"
          "fii-tw,tray-a,150000,2\n");
  const std::string text = Joined(LoadDiagnostics(t.dir()));
  EXPECT_THAT(text, HasSubstr("offers.csv:1: required column 'capacity_per_week' is missing"));
}

TEST(LoadErrors, MissingRequiredYamlField) {
  TempScenario t;
  t.Replace("designs/alpha.yaml", "meets: gen-a\n", "");
  const int line = t.LineOf("designs/alpha.yaml", "id: alpha");
  const std::vector<Diagnostic> d = LoadDiagnostics(t.dir());
  ASSERT_EQ(d.size(), 1u) << Joined(d);
  EXPECT_EQ(d[0].ToString(), t.dir() + "/designs/alpha.yaml:" + std::to_string(line) + ": meets: missing (required)");
}

TEST(LoadErrors, DuplicateDesignIdAcrossFiles) {
  TempScenario t;
  t.Write("designs/gamma.yaml", t.Read("designs/alpha.yaml"));
  const int line = t.LineOf("designs/gamma.yaml", "id: alpha");
  const std::string text = Joined(LoadDiagnostics(t.dir()));
  EXPECT_THAT(text, HasSubstr("designs/gamma.yaml:" + std::to_string(line) +
                              ": id: 'alpha' is already the id of another design file"));
}

TEST(LoadErrors, BomComponentWithoutOffers) {
  TempScenario t;
  t.Replace("offers.csv", "fii-tw,cable-cart,8000,100,1,0,0.25\n", "");
  const std::vector<Diagnostic> d = LoadDiagnostics(t.dir());
  ASSERT_EQ(d.size(), 2u) << Joined(d);
  const std::string text = Joined(d);
  EXPECT_THAT(text, HasSubstr("designs/alpha.yaml:" + std::to_string(t.LineOf("designs/alpha.yaml", "cable-cart")) +
                              ": bom[3].component: 'cable-cart' is neither bought (no row in offers.csv) nor made"));
  EXPECT_THAT(text, HasSubstr("designs/beta.yaml:" + std::to_string(t.LineOf("designs/beta.yaml", "cable-cart")) +
                              ": bom[3].component: 'cable-cart' is neither bought (no row in offers.csv) nor made"));
}

TEST(LoadErrors, IgnoredOfferCountsAsRowButIsValidated) {
  TempScenario t;
  // flex-us/tray-b (week 20 >= H) is left out of the scenario but still checked.
  t.Replace("offers.csv", "flex-us,tray-b,200000,30,1,20,0", "flex-us,tray-b,-200000,30,1,20,0");
  const int line = t.LineOf("offers.csv", "-200000");
  const std::vector<Diagnostic> d = LoadDiagnostics(t.dir());
  ASSERT_EQ(d.size(), 1u) << Joined(d);
  EXPECT_EQ(d[0].ToString(), t.dir() + "/offers.csv:" + std::to_string(line) + ": unit_cost_usd: -200000 is negative");
}

TEST(LoadErrors, EmptyOptionList) {
  TempScenario t;
  t.Write("design_space.yaml",
          "spaces:\n"
          "  - design: alpha\n"
          "    slots:\n"
          "      - slot: power\n"
          "        replaces: [ps-33kw]\n"
          "        options: []\n");
  const std::vector<Diagnostic> d = LoadDiagnostics(t.dir());
  ASSERT_EQ(d.size(), 1u) << Joined(d);
  EXPECT_EQ(d[0].ToString(),
            t.dir() + "/design_space.yaml:6: spaces[0].slots[0].options: empty list (a slot needs options)");
}

TEST(LoadErrors, MalformedYamlReportsParserLine) {
  TempScenario t;
  t.Replace("plants.yaml", "    designs: [beta]\n", "    designs: [beta\n");
  const std::vector<Diagnostic> d = LoadDiagnostics(t.dir());
  const std::string text = Joined(d);
  ASSERT_FALSE(d.empty());
  bool found = false;
  for (const Diagnostic& x : d) {
    if (x.file == t.dir() + "/plants.yaml" && x.message.rfind("malformed YAML: ", 0) == 0) {
      found = true;
      // yaml-cpp stops at the token after the unclosed flow list.
      EXPECT_GE(x.line, t.LineOf("plants.yaml", "designs: [beta"));
    }
  }
  EXPECT_TRUE(found) << text;
}

TEST(LoadErrors, DeepNestingIsRefusedNotRecursed) {
  TempScenario t;
  t.Write("roadmap.yaml", "requirements: " + std::string(100000, '[') + "\n");
  const std::vector<Diagnostic> d = LoadDiagnostics(t.dir());
  ASSERT_FALSE(d.empty());
  EXPECT_THAT(Joined(d), HasSubstr("roadmap.yaml:1: YAML nesting deeper than 64 levels"));
}

TEST(LoadErrors, AliasBombIsBounded) {
  TempScenario t;
  // Each level doubles the number of design_space items visited: 2^40 without a budget.
  std::string text = "a0: &a0 {design: alpha, slots: []}\n";
  for (int i = 1; i <= 40; ++i) {
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) + ", *a" +
            std::to_string(i - 1) + "]\n";
  }
  text += "spaces: [*a40, *a40]\n";
  t.Write("design_space.yaml", text);
  const std::string joined = Joined(LoadDiagnostics(t.dir()));
  EXPECT_THAT(joined, HasSubstr("design_space.yaml"));
}

TEST(LoadErrors, EmptyYamlFile) {
  TempScenario t;
  t.Write("roadmap.yaml", "# nothing here\n");
  const std::vector<Diagnostic> d = LoadDiagnostics(t.dir());
  ASSERT_EQ(d.size(), 1u) << Joined(d);
  EXPECT_EQ(d[0].ToString(), t.dir() + "/roadmap.yaml: the file is empty (expected a mapping of keys)");
}

TEST(LoadErrors, ProblemsAreCappedWithACount) {
  TempScenario t;
  std::string lanes = "plant,site,transit_weeks,cost_usd_per_rack\n";
  for (int i = 0; i < 1500; ++i) lanes += "wi-mp,abilene-tx,-1,0\n";
  t.Write("lanes.csv", lanes);
  const std::vector<Diagnostic> d = LoadDiagnostics(t.dir());
  ASSERT_EQ(d.size(), 1001u);
  EXPECT_EQ(d[0].ToString(), t.dir() + "/lanes.csv:2: transit_weeks: -1 is negative");
  EXPECT_EQ(d[1000].ToString(), "(scenario): 500 more problems not shown");
}

TEST(LoadErrors, ErrorsInSeveralFilesAreAllReported) {
  TempScenario t;
  t.Replace("plants.yaml", "racks_per_week: 10", "racks_per_week: -5");
  t.Replace("offers.csv", "vertiv-us,cdu", "acme,cdu");
  t.Replace("demand.csv", "abilene-tx,alpha,10,12", "abilene-tx,alpha,12,12");
  t.Replace("designs/beta.yaml", "qty: 4}", "qty: -4}");
  t.Replace("scenario.yaml", "max_supplier_share: 0.8", "max_supplier_share: -0.1");
  t.Remove("sites.csv");
  const std::vector<Diagnostic> d = LoadDiagnostics(t.dir());
  const std::string text = Joined(d);
  EXPECT_THAT(text, HasSubstr("plants.yaml:" + std::to_string(t.LineOf("plants.yaml", "-5")) +
                              ": plants[0].lines[0].racks_per_week: -5 is negative"));
  EXPECT_THAT(text, HasSubstr("offers.csv:8: supplier: 'acme' is not a supplier in suppliers.csv"));
  EXPECT_THAT(text, HasSubstr("demand.csv:8: week: 12 is outside 0..11"));
  EXPECT_THAT(text, HasSubstr("designs/beta.yaml:" + std::to_string(t.LineOf("designs/beta.yaml", "-4")) +
                              ": bom[3].qty: -4 is negative"));
  EXPECT_THAT(text, HasSubstr("scenario.yaml:" + std::to_string(t.LineOf("scenario.yaml", "-0.1")) +
                              ": policy.max_supplier_share: -0.1 is outside 0..1"));
  EXPECT_THAT(text, HasSubstr("sites.csv: required file is missing"));
  // With sites.csv missing, site references are not checked (no cascade of errors).
  EXPECT_EQ(d.size(), 6u) << text;
}

TEST(LoadErrors, NotAFolder) {
  try {
    LoadScenario("/nonexistent/rackforge/scenario");
    FAIL();
  } catch (const LoadError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].ToString(),
              "/nonexistent/rackforge/scenario: is not a scenario folder (no such directory)");
  }
}

}  // namespace
}  // namespace rackforge::io
