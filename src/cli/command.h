#pragma once
// Subcommand registry of the rackforge executable. Each cmd_*.cc file
// registers one subcommand with a static RegisterCommand call; main() builds
// the CLI11 app from the registry. Commands return the process exit code and
// throw io::LoadError / common::UsageError (exit 2) for bad input.

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace rackforge::cli {

/// A subcommand: `setup` adds its options to `sub` and returns the function
/// that runs it after parsing.
struct Command {
  std::string name;
  std::string description;
  std::function<std::function<int()>(CLI::App& sub)> setup;
};

/// Adds a command to the registry; returns true (for static initialisation).
bool RegisterCommand(Command command);
/// All registered commands, sorted by name.
std::vector<Command> RegisteredCommands();

}  // namespace rackforge::cli
