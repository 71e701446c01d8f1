// rackforge: thin command-line shell over the library.
#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "io/errors.h"

namespace rackforge::cli {

namespace {
std::vector<Command>& Registry() {
  static std::vector<Command> registry;
  return registry;
}
}  // namespace

bool RegisterCommand(Command command) {
  Registry().push_back(std::move(command));
  return true;
}

std::vector<Command> RegisteredCommands() {
  std::vector<Command> commands = Registry();
  std::sort(commands.begin(), commands.end(), [](const Command& a, const Command& b) { return a.name < b.name; });
  return commands;
}

}  // namespace rackforge::cli

int main(int argc, char** argv) {
  using namespace rackforge;
  spdlog::set_default_logger(spdlog::stderr_color_mt("rackforge"));
  spdlog::set_pattern("%^%l%$: %v");
  CLI::App app{"rackforge: co-design AI data-center racks and plan their US manufacturing"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "rackforge 0.1.0");
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "debug log on stderr, including the LP/MILP solver's own log");
  std::function<int()> run;
  std::vector<std::unique_ptr<std::function<int()>>> runners;
  for (const cli::Command& command : cli::RegisteredCommands()) {
    CLI::App* sub = app.add_subcommand(command.name, command.description);
    auto runner = std::make_unique<std::function<int()>>(command.setup(*sub));
    std::function<int()>* target = runner.get();
    sub->callback([&run, target] { run = *target; });
    runners.push_back(std::move(runner));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  spdlog::cfg::load_env_levels();  // SPDLOG_LEVEL=debug works too
  if (verbose) spdlog::set_level(spdlog::level::debug);
  try {
    return run ? run() : 2;
  } catch (const io::LoadError& e) {
    for (const io::Diagnostic& d : e.diagnostics()) std::cerr << d.ToString() << "\n";
    std::cerr << e.diagnostics().size() << (e.diagnostics().size() == 1 ? " error" : " errors") << "; nothing written\n";
    return 2;
  } catch (const common::UsageError& e) {
    std::cerr << "rackforge: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "rackforge: internal error: " << e.what() << "\n";
    return 3;
  }
}
