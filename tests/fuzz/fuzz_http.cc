// libFuzzer target over the HTTP layer of `rackforge serve`, without
// sockets: arbitrary bytes (method, path, headers, body; several pipelined
// requests) go through HttpServer::HandleRaw, i.e. cpp-httplib's parser and
// router behind our stream limits, the access guard (token or Host/Origin,
// chosen by the first input byte), the error and exception handlers, and
// the API's body parsers (ParseJsonObject, ParsePlanRequest against
// tests/scenarios/tiny, ParseSimulateRequest, ParseRiskRequest) on routes
// shaped like the API's. The handlers echo ids and bodies through SendJson,
// so every reply byte passes the serializer. Jobs, the run store and the
// solvers are not part of this target (they are covered by the unit tests).
// Acceptable outcomes: any reply that starts with "HTTP/1.1 " (or none, when
// the request line is unreadable) whose JSON bodies are valid JSON.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/errors.h"
#include "io/scenario_loader.h"
#include "server/api_requests.h"
#include "server/http_front.h"
#include "server/http_util.h"

namespace {

using rackforge::server::HttpServer;
using rackforge::server::SendJson;

const rackforge::model::Scenario& Tiny() {
  static const rackforge::model::Scenario s = rackforge::io::LoadScenario(RACKFORGE_TINY_DIR);
  return s;
}

void AddRoutes(HttpServer& http) {
  using Req = const httplib::Request&;
  using Res = httplib::Response&;
  const auto echo = [](Req req, Res res) {
    nlohmann::json ids = nlohmann::json::array();
    for (size_t i = 1; i < req.matches.size(); ++i) ids.push_back(req.matches[i].str());
    SendJson(res, 200, {{"ids", ids}, {"path", req.path}});
  };
  http.Get("/api/health", echo);
  http.Get("/api/scenarios", echo);
  http.Get(R"(/api/scenarios/([^/]+))", echo);
  http.Get(R"(/api/scenarios/([^/]+)/check)", echo);
  http.Get("/api/runs", echo);
  http.Get(R"(/api/runs/([^/]+))", echo);
  http.Get(R"(/api/runs/([^/]+)/diff/([^/]+))", echo);
  http.Get(R"(/api/jobs/([^/]+))", echo);
  http.Post(R"(/api/scenarios/([^/]+)/plan)", [](Req req, Res res) {
    const nlohmann::json body = rackforge::server::ParseJsonObject(req.body);
    (void)rackforge::server::ParsePlanRequest(body, Tiny());
    SendJson(res, 202, {{"options", body}, {"id", req.matches[1].str()}});
  });
  http.Post(R"(/api/scenarios/([^/]+)/simulate)", [](Req req, Res res) {
    const auto request = rackforge::server::ParseSimulateRequest(rackforge::server::ParseJsonObject(req.body));
    SendJson(res, 202, {{"runs", request.runs}, {"seed", request.seed}});
  });
  http.Post(R"(/api/scenarios/([^/]+)/risk)", [](Req req, Res res) {
    rackforge::server::ParseRiskRequest(rackforge::server::ParseJsonObject(req.body));
    SendJson(res, 202, {{"id", req.matches[1].str()}});
  });
  http.Get(R"(/api(/.*)?)", [](Req req, Res res) { SendJson(res, 404, {{"error", "not found: GET " + req.path}}); });
  http.Get(R"(/.*)", [](Req req, Res res) {
    const auto file = rackforge::server::ResolveStaticPath(RACKFORGE_TINY_DIR, req.path);
    if (!file) return SendJson(res, 404, {{"error", "not found: GET " + req.path}});
    res.set_content(file->string(), "text/plain");
  });
}

HttpServer& Server(bool with_token) {
  static HttpServer* servers[2] = {nullptr, nullptr};  // leaked on purpose: libFuzzer exits without teardown
  HttpServer*& server = servers[with_token ? 1 : 0];
  if (server == nullptr) {
    rackforge::server::HttpLimits limits;
    limits.max_body_bytes = 1u << 16;
    server = new HttpServer(limits, {"127.0.0.1", with_token ? "tok" : ""});
    AddRoutes(*server);
  }
  return *server;
}

// Every reply starts with a status line; every JSON reply (Content-Length
// framed) is valid JSON. A reply to HEAD announces a length but has no
// body, so after a HEAD anywhere in the input only the first status line
// is checked.
void CheckReplies(const std::string& raw, const std::string& out) {
  if (out.empty()) return;
  if (out.compare(0, 9, "HTTP/1.1 ") != 0) __builtin_trap();
  if (raw.find("HEAD") != std::string::npos) return;
  size_t at = 0;
  while (at < out.size()) {
    if (out.compare(at, 9, "HTTP/1.1 ") != 0) __builtin_trap();
    const size_t head_end = out.find("\r\n\r\n", at);
    if (head_end == std::string::npos) __builtin_trap();
    const std::string head = out.substr(at, head_end - at);
    const size_t cl = head.find("Content-Length: ");
    const size_t length = cl == std::string::npos ? 0 : std::stoul(head.substr(cl + 16));
    const std::string body = out.substr(head_end + 4, length);
    if (head.find("Content-Type: application/json") != std::string::npos && !nlohmann::json::accept(body)) {
      __builtin_trap();
    }
    at = head_end + 4 + length;
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  Tiny();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool with_token = (data[0] & 1) != 0;
  const std::string raw(reinterpret_cast<const char*>(data) + 1, size - 1);
  CheckReplies(raw, Server(with_token).HandleRaw(raw));
  return 0;
}
