#include "server/api_requests.h"

#include <cmath>
#include <memory>
#include <set>

#include "common/errors.h"
#include "io/scenario_loader.h"
#include "model/limits.h"

namespace rackforge::server {

namespace {

void RejectUnknownKeys(const nlohmann::json& body, const std::set<std::string>& known) {
  for (const auto& [key, value] : body.items()) {
    if (known.count(key) == 0) {
      std::string list;
      for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
      throw common::UsageError("unknown key '" + key + "' (known: " + (list.empty() ? "none" : list) + ")");
    }
  }
}

// An integer-valued JSON number in [min, max], else a UsageError naming the key.
int64_t IntegerIn(const nlohmann::json& body, const std::string& key, int64_t min, int64_t max) {
  const nlohmann::json& value = body.at(key);
  if (!value.is_number_integer() && !(value.is_number_float() && value.get<double>() == static_cast<int64_t>(value.get<double>()))) {
    throw common::UsageError(key + ": " + value.dump() + " is not an integer");
  }
  const int64_t n = value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)
                        ? INT64_MAX
                        : (value.is_number_float() ? static_cast<int64_t>(value.get<double>()) : value.get<int64_t>());
  if (n < min || n > max) {
    throw common::UsageError(key + ": " + value.dump() + " is outside " + std::to_string(min) + ".." + std::to_string(max));
  }
  return n;
}

}  // namespace

nlohmann::json ParseJsonObject(const std::string& body) {
  if (body.empty()) return nlohmann::json::object();
  // The callback sees every event before the value joins the document, so
  // depth and ranges are checked while parsing (nlohmann's parser keeps its
  // own stack on the heap: nothing here recurses).
  std::string key;
  const nlohmann::json::parser_callback_t check = [&key](int depth, nlohmann::json::parse_event_t event,
                                                        nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if ((event == Event::object_start || event == Event::array_start) && depth >= kMaxJsonDepth) {
      throw common::UsageError("body nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    }
    if (event == Event::key) key = parsed.get<std::string>();
    if (event == Event::value && parsed.is_number() && !(key == "seed" && parsed.is_number_integer())) {
      const double x = parsed.get<double>();
      if (!(std::fabs(x) <= model::kMaxAbsNumber)) {
        throw common::UsageError((key.empty() ? std::string("body") : key) + ": " + parsed.dump() +
                             " is outside -1e12..1e12");
      }
    }
    return true;
  };
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(body, check);
  } catch (const nlohmann::json::out_of_range& e) {  // 1e400: a number the parser cannot hold
    throw common::UsageError(std::string("body has a number outside -1e12..1e12: ") + e.what());
  } catch (const nlohmann::json::exception& e) {
    throw common::UsageError(std::string("body is not valid JSON: ") + e.what());
  }
  if (!parsed.is_object()) throw common::UsageError("body must be a JSON object, got " + std::string(parsed.type_name()));
  return parsed;
}

namespace {

/// baseline_run, freeze_weeks and change_penalty_usd of a plan request.
std::shared_ptr<const plan::BaselineRequest> ParseBaseline(const nlohmann::json& body, const model::Scenario& scenario,
                                                           const BaselineLookup& lookup) {
  if (!body.contains("baseline_run")) {
    for (const char* key : {"freeze_weeks", "change_penalty_usd"}) {
      if (body.contains(key)) throw common::UsageError(std::string(key) + ": needs baseline_run (a stored run id)");
    }
    return nullptr;
  }
  const nlohmann::json& run = body["baseline_run"];
  std::string run_id;
  if (run.is_string()) {
    run_id = run.get<std::string>();
  } else if (run.is_number_integer()) {
    run_id = std::to_string(IntegerIn(body, "baseline_run", 1, INT64_MAX));
  } else {
    throw common::UsageError("baseline_run: " + run.dump() + " is not a run id");
  }
  if (!body.contains("freeze_weeks")) {
    throw common::UsageError("freeze_weeks: required with baseline_run (0..horizon weeks fixed to the stored run)");
  }
  auto request = std::make_shared<plan::BaselineRequest>();
  request->run_id = run_id;
  request->freeze_weeks = static_cast<int32_t>(IntegerIn(body, "freeze_weeks", 0, scenario.horizon_weeks));
  if (body.contains("change_penalty_usd")) {
    const nlohmann::json& value = body["change_penalty_usd"];
    if (!value.is_number() || !(value.get<double>() >= 0)) {
      throw common::UsageError("change_penalty_usd: " + value.dump() + " is not an amount >= 0");
    }
    request->change_penalty_usd = value.get<double>();
  }
  if (!lookup) throw common::UsageError("baseline_run: this server cannot read stored runs");
  request->stored = lookup(run_id);
  return request;
}

}  // namespace

plan::PlanOptions ParsePlanRequest(const nlohmann::json& body, const model::Scenario& scenario,
                                   const BaselineLookup& lookup) {
  RejectUnknownKeys(body, {"domestic", "option_demand", "disruptions", "baseline_run", "freeze_weeks",
                           "change_penalty_usd", "resilient", "contingencies"});
  plan::PlanOptions options;
  options.quantities = scenario.policy.quantities;  // a plan honours policy.quantities, as `rackforge plan` does
  if (body.contains("domestic")) {
    const nlohmann::json& value = body["domestic"];
    if (!value.is_number()) throw common::UsageError("domestic: " + value.dump() + " is not a number");
    const double share = value.get<double>();
    if (!(share >= 0 && share <= 1)) throw common::UsageError("domestic: " + value.dump() + " is outside 0..1");
    options.domestic_content_min = share;
  }
  if (body.contains("option_demand")) {
    const nlohmann::json& value = body["option_demand"];
    const auto mode = value.is_string() ? model::ParseOptionDemandMode(value.get<std::string>()) : std::nullopt;
    if (!mode) throw common::UsageError("option_demand: " + value.dump() + " is not one of expected, all, none");
    options.option_demand = mode;
  }
  if (body.contains("disruptions")) {
    if (!body["disruptions"].is_array()) {
      throw common::UsageError("disruptions: " + body["disruptions"].dump() + " is not a list");
    }
    options.disruptions = io::DisruptionsFromJson(body["disruptions"], scenario);
  }
  options.baseline = ParseBaseline(body, scenario, lookup);
  return options;
}

std::optional<plan::ResilientOptions> ParseResilientRequest(const nlohmann::json& body,
                                                            const model::Scenario& scenario) {
  bool resilient = false;
  if (body.contains("resilient")) {
    const nlohmann::json& value = body["resilient"];
    if (!value.is_boolean()) throw common::UsageError("resilient: " + value.dump() + " is not true or false");
    resilient = value.get<bool>();
  }
  if (!resilient) {
    if (body.contains("contingencies")) {
      throw common::UsageError("contingencies: " + body["contingencies"].dump() + " needs \"resilient\": true");
    }
    return std::nullopt;
  }
  if (body.contains("baseline_run")) {
    throw common::UsageError("resilient: true cannot be combined with baseline_run (the resilient plan has no frozen weeks)");
  }
  plan::ResilientOptions options;
  options.threads = 1;  // a job runs on one of the server's workers
  if (!body.contains("contingencies")) return options;
  const nlohmann::json& value = body["contingencies"];
  std::string text;
  if (value.is_string()) {
    text = value.get<std::string>();
  } else if (value.is_array() && !value.empty()) {
    for (const nlohmann::json& name : value) {
      if (!name.is_string()) throw common::UsageError("contingencies: " + name.dump() + " is not a node name");
      text += (text.empty() ? "" : ",") + name.get<std::string>();
    }
  } else {
    throw common::UsageError("contingencies: " + value.dump() +
                         " is not plants, lines, suppliers, all or a list of plant:ID, line:ID, supplier:ID");
  }
  // The engine's messages start with the CLI's option name; the API's key is "contingencies".
  auto rename = [](const common::UsageError& e) {
    std::string message = e.what();
    const std::string cli = "--contingencies";
    if (message.rfind(cli, 0) == 0) message = "contingencies" + message.substr(cli.size());
    return common::UsageError(message);
  };
  try {
    options.contingencies = plan::ParseContingencySpec(text);
    // Named nodes are checked now (400 before a run is created); sets need the ordinary plan.
    plan::ResolveContingencies(scenario, plan::PlanResult{}, options.contingencies);
  } catch (const common::UsageError& e) {
    throw rename(e);
  }
  return options;
}

SimulateRequest ParseSimulateRequest(const nlohmann::json& body) {
  RejectUnknownKeys(body, {"runs", "seed"});
  SimulateRequest request;
  if (body.contains("runs")) request.runs = IntegerIn(body, "runs", 1, 1000000);
  if (body.contains("seed")) request.seed = static_cast<uint64_t>(IntegerIn(body, "seed", 0, INT64_MAX));
  return request;
}

void ParseRiskRequest(const nlohmann::json& body) { RejectUnknownKeys(body, {}); }

}  // namespace rackforge::server
