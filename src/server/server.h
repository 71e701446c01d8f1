#pragma once
// `rackforge serve`: the HTTP JSON API and the dashboard's static files.
// Scenarios are loaded at construction and rescanned on request (new and
// changed folders, see scenario_catalog.h), each shared read-only; plans,
// risk sweeps and simulations run as background jobs; request handlers run
// on a thread pool, so many readers are served while a job runs.

#include <memory>
#include <string>
#include <vector>

namespace spdlog {
class logger;
}

namespace rackforge::server {

struct ServerOptions {
  std::vector<std::string> scenario_dirs;  // scenario folders; id = folder name
  std::string scenarios_dir;  // folder of scenario folders, rescanned; edited copies are saved here ("" = none)
  std::string host = "127.0.0.1";
  int port = 8080;                   // 0 = any free port (see Server::Bind)
  std::string db = "rackforge.db";  // SQLite file or postgresql:// URL
  std::string token;                 // empty = no authentication
  std::string static_dir;            // the built dashboard (web/dist); empty = no static files
  int http_threads = 64;             // connection worker threads (see docs/server.md)
  int job_workers = 1;  // background job threads. Keep 1: CBC 2.10 gives wrong answers when two
                        // branch-and-bound searches run in one process at once (seen in testing)
  size_t max_body_bytes = 8u << 20;  // larger request bodies get 413
};

class Server {
 public:
  /// Loads the scenarios (throws io::LoadError / common::UsageError), opens the
  /// run store (throws on failure) and sets up the routes. Does not bind.
  explicit Server(ServerOptions options, std::shared_ptr<spdlog::logger> log = nullptr);
  /// Stops listening and waits for running jobs to finish.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds host:port (port 0: any free port) and returns the bound port.
  /// Throws std::runtime_error when binding fails.
  int Bind();
  /// Serves requests until Stop(); blocks. Call after Bind().
  void Serve();
  /// Makes Serve() return (thread-safe; callable from a signal-watching thread).
  void Stop();
  /// Answers raw HTTP request bytes without a socket, through the same
  /// limits, guard and routes as a connection (tests). Returns the raw reply.
  /// Before Bind() the guard knows no port: requests must then carry no Host.
  std::string HandleRaw(const std::string& request_bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rackforge::server
