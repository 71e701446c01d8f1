// `rackforge serve SCENARIO_DIR... [--scenarios-dir DIR] [--port P] [--host H]
// [--db FILE|URL] [--token T] [--web-dir DIR]`: the HTTP API and the dashboard. Stops on
// SIGINT / SIGTERM after running jobs finish.
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/command.h"
#include "common/errors.h"
#include "server/http_util.h"
#include "server/server.h"

namespace rackforge::cli {
namespace {

struct ServeArgs {
  server::ServerOptions options;
  std::string web_dir;
};

// --web-dir, else $RACKFORGE_WEB_DIST, else the source tree's web/dist.
std::string WebDir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("RACKFORGE_WEB_DIST"); env != nullptr && *env != '\0') return env;
  return std::string(RACKFORGE_SOURCE_DIR) + "/web/dist";
}

int RunServe(ServeArgs args) {
  if (args.options.token.empty()) {
    if (const char* env = std::getenv("RACKFORGE_TOKEN"); env != nullptr) args.options.token = env;
  }
  if (args.options.token.empty() && !server::IsLoopbackHost(args.options.host)) {
    spdlog::warn("--host {} is reachable from other machines and no --token is set: anyone who can reach it can "
                 "run jobs and read every stored run (set --token or RACKFORGE_TOKEN)",
                 args.options.host);
  }
  args.options.static_dir = WebDir(args.web_dir);
  if (!std::filesystem::is_regular_file(args.options.static_dir + "/index.html")) {
    spdlog::warn("no dashboard at {} (run `npm run build` in web/); serving the API only", args.options.static_dir);
  }
  // Block the stop signals in every thread; one thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  server::Server server(args.options, spdlog::default_logger());
  const int port = server.Bind();
  spdlog::info("serving {} scenario folder(s){} on http://{}:{}/{}", args.options.scenario_dirs.size(),
               args.options.scenarios_dir.empty() ? "" : " and the scenarios in " + args.options.scenarios_dir,
               args.options.host, port,
               args.options.token.empty() ? "" : " (bearer token required on /api)");
  std::thread watcher([&server, stop_signals] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    spdlog::info("signal {}: stopping", signal_number);
    server.Stop();
  });
  server.Serve();
  pthread_kill(watcher.native_handle(), SIGTERM);  // wakes the watcher if Serve ended otherwise
  watcher.join();
  return 0;
}

const bool kRegistered = RegisterCommand(
    {"serve", "HTTP API and web dashboard over one or more scenarios", [](CLI::App& sub) -> std::function<int()> {
       auto args = std::make_shared<ServeArgs>();
       sub.add_option("scenarios", args->options.scenario_dirs,
                      "scenario folders (id = folder name); at least one, or --scenarios-dir");
       sub.add_option("--port", args->options.port, "TCP port (0 = any free port)")
           ->capture_default_str()
           ->check(CLI::Range(0, 65535));
       sub.add_option("--host", args->options.host, "address to bind")->capture_default_str();
       sub.add_option("--db", args->options.db, "run store: SQLite file or postgresql:// URL")->capture_default_str();
       sub.add_option("--token", args->options.token, "bearer token required on every /api call (or RACKFORGE_TOKEN)");
       sub.add_option("--scenarios-dir", args->options.scenarios_dir,
                      "folder of scenario folders: each is served, new and changed ones without a restart, and the "
                      "dashboard saves edited copies here");
       sub.add_option("--web-dir", args->web_dir, "built dashboard folder (default: web/dist of the source tree)");
       sub.add_option("--threads", args->options.http_threads, "HTTP handler threads")
           ->capture_default_str()
           ->check(CLI::Range(2, 256));
       return [args] { return RunServe(*args); };
     }});

}  // namespace
}  // namespace rackforge::cli
