#include "server/api_handlers.h"

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "common/errors.h"
#include "plan/plan.h"
#include "plan/resilient.h"
#include "report/plan_report.h"
#include "report/resilient_report.h"
#include "server/analysis_jobs.h"
#include "server/api_requests.h"
#include "server/http_util.h"
#include "server/plan_extras.h"
#include "server/scenario_editor.h"
#include "store/run_store.h"

namespace rackforge::server {

namespace {

void NotFound(httplib::Response& res, const std::string& what) { SendJson(res, 404, {{"error", what}}); }

// The request's options as stored with the run (only what the caller gave).
nlohmann::json StoredOptions(const nlohmann::json& body) { return body.is_object() ? body : nlohmann::json::object(); }

}  // namespace

Api::Api(const ServerOptions& options, std::shared_ptr<spdlog::logger> log) : log_(std::move(log)) {
  catalog_ = ScenarioCatalog::Load(options.scenario_dirs, options.scenarios_dir, log_);
  store_ = store::OpenRunStore(options.db);
  JobLimits limits;
  limits.workers = options.job_workers;
  jobs_ = std::make_unique<JobManager>(limits);
}

Api::~Api() { jobs_.reset(); }

void Api::Register(httplib::Server& http) {
  using Req = const httplib::Request&;
  using Res = httplib::Response&;
  http.Get("/api/health", [this](Req q, Res r) { Health(q, r); });
  http.Get("/api/scenarios", [this](Req q, Res r) { Scenarios(q, r); });
  http.Get(R"(/api/scenarios/([^/]+))", [this](Req q, Res r) { Scenario(q, r); });
  http.Get(R"(/api/scenarios/([^/]+)/check)", [this](Req q, Res r) { Check(q, r); });
  http.Get(R"(/api/scenarios/([^/]+)/tables)", [this](Req q, Res r) { Tables(q, r); });
  http.Post("/api/scenarios", [this](Req q, Res r) { SaveScenario(q, r); });
  http.Post(R"(/api/scenarios/([^/]+)/plan)", [this](Req q, Res r) { Plan(q, r); });
  http.Post(R"(/api/scenarios/([^/]+)/risk)", [this](Req q, Res r) { Risk(q, r); });
  http.Post(R"(/api/scenarios/([^/]+)/simulate)", [this](Req q, Res r) { Simulate(q, r); });
  http.Get("/api/runs", [this](Req q, Res r) { Runs(q, r); });
  http.Get(R"(/api/runs/([^/]+))", [this](Req q, Res r) { Run(q, r); });
  http.Get(R"(/api/runs/([^/]+)/diff/([^/]+))", [this](Req q, Res r) { Diff(q, r); });
  http.Get(R"(/api/jobs/([^/]+))", [this](Req q, Res r) { Job(q, r); });
  http.Delete(R"(/api/jobs/([^/]+))", [this](Req q, Res r) { CancelJob(q, r); });
}

void Api::Health(const httplib::Request&, httplib::Response& res) const {
  SendJson(res, 200, {{"status", "ok"}, {"version", "0.1.0"}, {"scenarios", catalog_->size()}});
}

void Api::Scenarios(const httplib::Request&, httplib::Response& res) const { SendJson(res, 200, catalog_->List()); }

std::shared_ptr<const ScenarioEntry> Api::FindScenario(const httplib::Request& req, httplib::Response& res) const {
  const std::string id = req.matches[1];
  std::shared_ptr<const ScenarioEntry> entry = catalog_->Find(id);
  if (entry == nullptr) NotFound(res, "no scenario with id '" + id + "'");
  return entry;
}

void Api::Scenario(const httplib::Request& req, httplib::Response& res) const {
  if (const auto entry = FindScenario(req, res)) SendJson(res, 200, entry->detail);
}

void Api::Check(const httplib::Request& req, httplib::Response& res) const {
  if (const auto entry = FindScenario(req, res)) SendJson(res, 200, entry->check);
}

void Api::Tables(const httplib::Request& req, httplib::Response& res) const {
  if (const auto entry = FindScenario(req, res)) {
    SendJson(res, 200, {{"id", entry->id}, {"tables", ScenarioTablesJson(entry->folder)}});
  }
}

void Api::SaveScenario(const httplib::Request& req, httplib::Response& res) {
  if (catalog_->scenarios_dir().empty()) {
    return SendJson(res, 403, {{"error", "this server was started without --scenarios-dir: edited scenarios cannot "
                                         "be saved"}});
  }
  const SaveScenarioRequest request = ParseSaveScenarioRequest(ParseJsonObject(req.body));
  const std::shared_ptr<const ScenarioEntry> source = catalog_->Find(request.copy_of);
  if (source == nullptr) return NotFound(res, "copy_of: no scenario with id '" + request.copy_of + "'");
  std::lock_guard lock(save_mutex_);
  const std::filesystem::path target = std::filesystem::path(catalog_->scenarios_dir()) / request.name;
  if (const auto other = catalog_->Find(request.name)) {
    std::error_code ec;
    if (!std::filesystem::equivalent(other->folder, target, ec)) {
      return SendJson(res, 409, {{"error", "name: '" + request.name + "' is the id of another served scenario (" +
                                               other->folder + "); pick another name"}});
    }
  }
  SaveOutcome outcome;
  try {
    outcome = SaveEditedScenario(catalog_->scenarios_dir(), source->folder, source->id, request);
  } catch (const NameConflict& e) {
    return SendJson(res, 409, {{"error", e.what()}});
  }
  if (!outcome.saved()) {
    nlohmann::json problems = nlohmann::json::array();
    for (const EditProblem& p : outcome.problems) problems.push_back(ToJson(p));
    const EditProblem& first = outcome.problems.front();
    return SendJson(res, 422, {{"error", fmt::format("{} problem(s); nothing saved. First: {}{}: {}",
                                                     outcome.problems.size(), first.file,
                                                     first.line > 0 ? ":" + std::to_string(first.line) : "",
                                                     first.message)},
                               {"problems", problems}});
  }
  log_->info("scenario {} saved as a copy of {} in {}", request.name, source->id, outcome.folder.string());
  const auto saved = catalog_->Find(request.name);
  if (saved == nullptr) throw std::runtime_error("saved scenario " + request.name + " is not in the catalog");
  SendJson(res, 201, {{"id", saved->id}, {"scenario", saved->summary}});
}

void Api::StartJob(httplib::Response& res, const ScenarioEntry& entry, const std::string& kind,
                   const nlohmann::json& options, JobWork work, QuantitiesSlot quantities) {
  if (!jobs_->HasRoom()) return QueueFull(res);
  const std::string run_id = CreateRun(entry, kind, options);
  JobWork job = [this, run_id, work = std::move(work), quantities](const JobContext& context) {
    try {
      store_->StartRun(run_id);
      nlohmann::json result = work(context);
      FinishRun(run_id, result, quantities ? quantities->get() : nullptr);
      return result;
    } catch (const std::exception& e) {
      if (context.Cancelled()) {
        EndRun(run_id, context.CancelledAs());
      } else {
        log_->error("run {} failed: {}", run_id, e.what());
        FailRun(run_id, e.what());
      }
      throw;
    }
  };
  const std::optional<std::string> job_id =
      jobs_->Submit(kind, run_id, std::move(job), [this, run_id](JobStatus status) { EndRun(run_id, status); });
  if (!job_id) {  // filled up since HasRoom: the run never starts
    EndRun(run_id, JobStatus::kCancelled);
    return QueueFull(res);
  }
  SendJson(res, 202, {{"run_id", run_id}, {"job_id", *job_id}});
}

void Api::QueueFull(httplib::Response& res) const {
  res.set_header("Retry-After", "10");
  SendJson(
      res, 429,
      {{"error", fmt::format("the job queue is full ({} jobs waiting); try again later", JobLimits{}.max_queued)}});
}

void Api::Plan(const httplib::Request& req, httplib::Response& res) {
  const std::shared_ptr<const ScenarioEntry> entry = FindScenario(req, res);
  if (entry == nullptr) return;
  const nlohmann::json body = ParseJsonObject(req.body);
  const plan::PlanOptions options = ParsePlanRequest(body, entry->scenario, [this](const std::string& run_id) {
    const std::optional<nlohmann::json> run = store_->Get(run_id);
    if (!run) throw common::UsageError("baseline_run: no run with id '" + run_id + "'");
    std::optional<model::KeyedQuantities> quantities = store_->GetQuantities(run_id);
    if (!quantities) {
      throw common::UsageError("baseline_run: run " + run_id + " (" + run->value("kind", "") + ", " +
                           run->value("status", "") + ") has no stored plan quantities");
    }
    return std::move(*quantities);
  });
  std::optional<plan::ResilientOptions> resilient = ParseResilientRequest(body, entry->scenario);
  if (resilient) {
    // plan --resilient: progress after the ordinary plan, the two-stage program and the recourse LPs;
    // a cancel is seen between those stages.
    StartJob(res, *entry, "plan", StoredOptions(body), [this, entry, options, resilient](const JobContext& job) {
      job.Progress(0.05);
      plan::ResilientOptions ro = *resilient;
      ro.progress = [&job](double fraction) {
        job.ThrowIfCancelled();
        job.Progress(fraction);
      };
      const plan::ResilientResult result = plan::SolveResilient(entry->scenario, options, ro, log_.get());
      nlohmann::json out = report::ResilientToJson(entry->scenario, result);
      out.update(
          PlanExtrasJson(entry->scenario, options.disruptions.value_or(entry->scenario.disruptions), result.plan));
      return out;
    });
    return;
  }
  // The plan's quantities go into the store with its result (a later re-plan's baseline).
  auto quantities = std::make_shared<std::shared_ptr<const model::KeyedQuantities>>();
  StartJob(
      res, *entry, "plan", StoredOptions(body),
      [this, entry, options, quantities](const JobContext& job) {
        job.Progress(0.05);
        const plan::PlanResult result = plan::SolvePlan(entry->scenario, options, log_.get());
        *quantities = result.keyed;
        nlohmann::json out = report::PlanToJson(entry->scenario, result);
        out.update(PlanExtrasJson(entry->scenario, options.disruptions.value_or(entry->scenario.disruptions), result));
        return out;
      },
      quantities);
}

void Api::Risk(const httplib::Request& req, httplib::Response& res) {
  const std::shared_ptr<const ScenarioEntry> entry = FindScenario(req, res);
  if (entry == nullptr) return;
  const nlohmann::json body = ParseJsonObject(req.body);
  ParseRiskRequest(body);
  StartJob(res, *entry, "risk", StoredOptions(body),
           [this, entry](const JobContext& job) { return RiskJob(entry->scenario, job, log_.get()); });
}

void Api::Simulate(const httplib::Request& req, httplib::Response& res) {
  const std::shared_ptr<const ScenarioEntry> entry = FindScenario(req, res);
  if (entry == nullptr) return;
  const nlohmann::json body = ParseJsonObject(req.body);
  const SimulateRequest request = ParseSimulateRequest(body);
  const nlohmann::json stored = {{"runs", request.runs}, {"seed", request.seed}};
  StartJob(res, *entry, "simulate", stored, [this, entry, request](const JobContext& job) {
    return SimulateJob(entry->scenario, request, job, log_.get());
  });
}

void Api::Runs(const httplib::Request&, httplib::Response& res) {
  SendJson(res, 200, store_->List());
}

void Api::Run(const httplib::Request& req, httplib::Response& res) {
  const std::string id = req.matches[1];
  const auto run = store_->Get(id);
  if (!run) return NotFound(res, "no run with id '" + id + "'");
  SendJson(res, 200, *run);
}

void Api::Diff(const httplib::Request& req, httplib::Response& res) {
  const std::string a = req.matches[1];
  const std::string b = req.matches[2];
  for (const std::string& id : {a, b}) {
    if (!store_->Get(id)) return NotFound(res, "no run with id '" + id + "'");
  }
  SendJson(res, 200, store_->Diff(a, b));
}

void Api::Job(const httplib::Request& req, httplib::Response& res) const {
  const std::string id = req.matches[1];
  const auto job = jobs_->Get(id);
  if (!job) return NotFound(res, "no job with id '" + id + "'");
  SendJson(res, 200, job->ToJson());
}

void Api::CancelJob(const httplib::Request& req, httplib::Response& res) {
  const std::string id = req.matches[1];
  switch (jobs_->Cancel(id)) {
    case JobManager::CancelOutcome::kUnknown:
      return NotFound(res, "no job with id '" + id + "'");
    case JobManager::CancelOutcome::kAlreadyFinished:
      return SendJson(res, 409, {{"error", "job '" + id + "' has already finished"}});
    case JobManager::CancelOutcome::kCancelled:
      break;  // 200: it never runs
    case JobManager::CancelOutcome::kCancelling:
      res.status = 202;
      break;  // stops at its next check
  }
  const auto job = jobs_->Get(id);
  const int status = res.status == 202 ? 202 : 200;
  SendJson(res, status, job ? job->ToJson() : nlohmann::json{{"id", id}, {"status", "cancelled"}});
}

std::string Api::CreateRun(const ScenarioEntry& entry, const std::string& kind, const nlohmann::json& options) {
  store::NewRun run;
  run.kind = kind;
  run.scenario_id = entry.id;
  run.scenario_name = entry.scenario.name;
  run.options = options;
  run.input_hash = entry.input_hash;
  run.status = store::run_status::kQueued;
  return store_->CreateRun(run);
}

void Api::EndRun(const std::string& run_id, JobStatus status) {
  const bool cancelled = status == JobStatus::kCancelled;
  try {
    store_->FinishRun(run_id, cancelled ? store::run_status::kCancelled : store::run_status::kInterrupted,
                      {{"error", cancelled ? "cancelled" : "the server stopped before the run finished"}});
  } catch (const std::exception& e) {
    log_->error("run {}: cannot record its end: {}", run_id, e.what());
  }
}

void Api::FinishRun(const std::string& run_id, const nlohmann::json& result, const model::KeyedQuantities* quantities) {
  store_->FinishRun(run_id, store::run_status::kDone, result, quantities);
}

void Api::FailRun(const std::string& run_id, const std::string& error) { store_->FailRun(run_id, error); }

}  // namespace rackforge::server
