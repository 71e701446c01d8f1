#include "server/server.h"

#include <httplib.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "io/errors.h"
#include "server/api_handlers.h"
#include "server/http_util.h"

namespace rackforge::server {

namespace {

void SendJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

std::string DefaultMessage(int status, const httplib::Request& req) {
  switch (status) {
    case 400: return "bad request";
    case 401: return "missing or wrong bearer token";
    case 404: return "not found: " + req.method + " " + req.path;
    case 405: return "method not allowed: " + req.method + " " + req.path;
    case 413: return "request body is larger than the limit of 8 MiB";
    default: return "HTTP " + std::to_string(status);
  }
}

bool IsApiPath(const std::string& path) { return path == "/api" || path.rfind("/api/", 0) == 0; }

}  // namespace

struct Server::Impl {
  ServerOptions options;
  std::shared_ptr<spdlog::logger> log;
  std::unique_ptr<Api> api;  // scenarios, store and jobs
  httplib::Server http;
  int bound_port = -1;

  void SetUpHttp();
  void ServeStatic(const httplib::Request& req, httplib::Response& res) const;
};

void Server::Impl::SetUpHttp() {
  const int threads = std::max(2, options.http_threads);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http.set_payload_max_length(options.max_body_bytes);
  http.set_keep_alive_max_count(1000);
  http.set_read_timeout(10);

  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!IsApiPath(req.path) || options.token.empty()) return httplib::Server::HandlerResponse::Unhandled;
    if (BearerTokenMatches(req.get_header_value("Authorization"), options.token)) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    res.set_header("WWW-Authenticate", "Bearer");
    SendJson(res, 401, {{"error", DefaultMessage(401, req)}});
    return httplib::Server::HandlerResponse::Handled;
  });
  const httplib::Server::HandlerWithResponse on_error = [](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    SendJson(res, res.status, {{"error", DefaultMessage(res.status, req)}});
    return httplib::Server::HandlerResponse::Handled;
  };
  http.set_error_handler(on_error);
  http.set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    try {
      std::rethrow_exception(ep);
    } catch (const io::UsageError& e) {
      SendJson(res, 400, {{"error", e.what()}});
    } catch (const io::LoadError& e) {
      SendJson(res, 400, {{"error", e.what()}});
    } catch (const std::exception& e) {
      log->error("{} {}: {}", req.method, req.path, e.what());
      SendJson(res, 500, {{"error", std::string("internal error: ") + e.what()}});
    } catch (...) {
      SendJson(res, 500, {{"error", "internal error"}});
    }
  });
  api->Register(http);
  http.Get(R"(/api(/.*)?)", [](const httplib::Request& req, httplib::Response& res) {
    SendJson(res, 404, {{"error", DefaultMessage(404, req)}});
  });
  http.Get(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) { ServeStatic(req, res); });
}

void Server::Impl::ServeStatic(const httplib::Request& req, httplib::Response& res) const {
  const auto file = options.static_dir.empty() ? std::nullopt : ResolveStaticPath(options.static_dir, req.path);
  if (!file) {
    SendJson(res, 404, {{"error", DefaultMessage(404, req)}});
    return;
  }
  std::ifstream in(*file, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(content.str(), ContentTypeFor(*file));
}

Server::Server(ServerOptions options, std::shared_ptr<spdlog::logger> log) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->log = log ? std::move(log) : std::make_shared<spdlog::logger>("serve", std::make_shared<spdlog::sinks::null_sink_mt>());
  impl_->api = std::make_unique<Api>(impl_->options, impl_->log);
  impl_->SetUpHttp();
}

Server::~Server() {
  Stop();
  impl_->api.reset();  // joins the job workers before the HTTP server goes
}

int Server::Bind() {
  Impl& s = *impl_;
  if (s.options.port == 0) {
    s.bound_port = s.http.bind_to_any_port(s.options.host);
  } else {
    s.bound_port = s.http.bind_to_port(s.options.host, s.options.port) ? s.options.port : -1;
  }
  if (s.bound_port < 0) {
    throw io::UsageError("serve: cannot listen on " + s.options.host + ":" + std::to_string(s.options.port) +
                         " (address in use or not available)");
  }
  return s.bound_port;
}

void Server::Serve() { impl_->http.listen_after_bind(); }

void Server::Stop() { impl_->http.stop(); }

}  // namespace rackforge::server
