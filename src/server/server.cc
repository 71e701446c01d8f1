#include "server/server.h"

#include <httplib.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/errors.h"
#include "server/api_handlers.h"
#include "server/http_front.h"
#include "server/http_util.h"

namespace rackforge::server {

namespace {

HttpLimits LimitsFor(const ServerOptions& options) {
  HttpLimits limits;
  limits.threads = static_cast<size_t>(std::max(2, options.http_threads));
  limits.max_body_bytes = options.max_body_bytes;
  return limits;
}

}  // namespace

struct Server::Impl {
  explicit Impl(ServerOptions o, std::shared_ptr<spdlog::logger> l)
      : options(std::move(o)), log(std::move(l)), http(LimitsFor(options), HttpGuard{options.host, options.token}) {}

  ServerOptions options;
  std::shared_ptr<spdlog::logger> log;
  std::unique_ptr<Api> api;  // scenarios, store and jobs
  HttpServer http;
  int bound_port = -1;

  void SetUpHttp();
  void ServeStatic(const httplib::Request& req, httplib::Response& res) const;
};

void Server::Impl::SetUpHttp() {
  http.SetErrorLog([log = log](const std::string& message) { log->error("{}", message); });
  api->Register(http);
  http.Get(R"(/api(/.*)?)", [](const httplib::Request& req, httplib::Response& res) {
    SendJson(res, 404, {{"error", "not found: GET " + req.path}});
  });
  http.Get(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) { ServeStatic(req, res); });
}

void Server::Impl::ServeStatic(const httplib::Request& req, httplib::Response& res) const {
  const auto file = options.static_dir.empty() ? std::nullopt : ResolveStaticPath(options.static_dir, req.path);
  if (!file) {
    SendJson(res, 404, {{"error", "not found: GET " + req.path}});
    return;
  }
  std::ifstream in(*file, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy", kDashboardCsp);
  res.set_header("X-Frame-Options", "DENY");
  res.set_content(content.str(), ContentTypeFor(*file));
}

Server::Server(ServerOptions options, std::shared_ptr<spdlog::logger> log)
    : impl_(std::make_unique<Impl>(std::move(options),
                                   log ? std::move(log)
                                       : std::make_shared<spdlog::logger>(
                                             "serve", std::make_shared<spdlog::sinks::null_sink_mt>()))) {
  impl_->api = std::make_unique<Api>(impl_->options, impl_->log);
  impl_->SetUpHttp();
}

Server::~Server() {
  Stop();
  impl_->api.reset();  // joins the job workers before the HTTP server goes
}

int Server::Bind() {
  Impl& s = *impl_;
  const std::optional<int> port = s.http.BindTo(s.options.host, s.options.port);
  s.bound_port = port.value_or(-1);
  if (!port) {
    throw common::UsageError("serve: cannot listen on " + s.options.host + ":" + std::to_string(s.options.port) +
                         " (address in use or not available)");
  }
  return s.bound_port;
}

void Server::Serve() { impl_->http.listen_after_bind(); }

void Server::Stop() { impl_->http.stop(); }

std::string Server::HandleRaw(const std::string& request_bytes) { return impl_->http.HandleRaw(request_bytes); }

}  // namespace rackforge::server
