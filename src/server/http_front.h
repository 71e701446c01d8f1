#pragma once
// The HTTP front of `rackforge serve`: cpp-httplib's request parser and
// router behind our own connection handling, so that no request can crash,
// starve or bloat the process. cpp-httplib 0.11.4 from Debian is a compiled
// library (its CPPHTTPLIB_* limits are fixed inside libcpp-httplib.so), so
// the limits below are enforced here, in the stream every request is read
// from, and not by macros. See docs/server.md for the figures and the
// security model.

#include <httplib.h>

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace rackforge::server {

/// Limits of one HTTP connection and of the connection queue.
struct HttpLimits {
  size_t max_header_bytes = 64u << 10;  // request line + header lines; beyond: 431
  size_t max_header_lines = 100;        // header lines (request line not counted); beyond: 431
  int header_timeout_ms = 10000;        // the whole header section must arrive within this; else 408
  int read_timeout_ms = 10000;          // any single read of the body
  int request_timeout_ms = 60000;       // headers + body of one request
  int write_timeout_ms = 10000;         // any single write of the reply
  int keep_alive_timeout_ms = 5000;     // idle time between two requests of one connection
  size_t keep_alive_max_count = 1000;   // requests per connection
  size_t threads = 32;                  // connection worker threads
  size_t max_queued_connections = 256;  // accepted connections waiting for a worker; beyond: 503
  size_t max_body_bytes = 8u << 20;     // request bodies; beyond: 413
  int listen_backlog = 128;             // kernel queue of connections not yet accepted
};

/// Who may call: with a token, every /api call needs "Authorization: Bearer
/// TOKEN"; without one, requests must come from the server's own origin
/// (Host, Origin and Sec-Fetch-Site are checked, see CrossSiteRefusal).
struct HttpGuard {
  std::string host;   // the address given to --host
  std::string token;  // empty = no token
};

/// cpp-httplib's Server with bounded connections, a JSON error reply for
/// every failure (never an exception out of a handler) and the access guard
/// as pre-routing handler. Routes are added with Get/Post as usual. Handlers
/// run on `limits.threads` threads; the object is otherwise used from one
/// thread (Bind, listen_after_bind) plus stop() from any.
class HttpServer : public httplib::Server {
 public:
  HttpServer(HttpLimits limits, HttpGuard guard);
  ~HttpServer() override;

  /// Binds host:port (port 0: any free port), with SO_REUSEADDR only (a
  /// second server on a port in use fails) and TCP_NODELAY. Returns the bound
  /// port, or nullopt when binding fails.
  std::optional<int> BindTo(const std::string& host, int port);

  /// Processes raw request bytes without a socket (one or more pipelined
  /// requests, as a client would send them) and returns the raw reply bytes.
  /// Used by tests and the fuzz target; thread-safe like a connection.
  std::string HandleRaw(std::string_view request_bytes);

  /// Where internal errors (500s) are reported, e.g. the server's logger;
  /// called from handler threads. Set before serving.
  void SetErrorLog(std::function<void(const std::string&)> log) { error_log_ = std::move(log); }

  const HttpLimits& limits() const { return limits_; }

 private:
  bool process_and_close_socket(socket_t sock) override;
  // One request through cpp-httplib's parser and router; never throws.
  bool ProcessOne(httplib::Stream& stream, bool last, bool& closed);
  void InstallHandlers();
  void LogError(const std::string& message) const noexcept;

  HttpLimits limits_;
  HttpGuard guard_;
  std::function<void(const std::string&)> error_log_;
  // Connections waiting for a worker (kept by the pool, read by the streams).
  std::shared_ptr<std::atomic<size_t>> waiting_ = std::make_shared<std::atomic<size_t>>(0);
  std::atomic<int> port_{0};
};

}  // namespace rackforge::server
