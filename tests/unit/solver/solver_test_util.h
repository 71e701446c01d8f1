#pragma once
// Helpers for the solver tests: run the standalone `cbc` and `glpsol` on an
// MPS file and read their objective values (independent cross-checks).

#include <array>
#include <cstdio>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <unistd.h>
#include <cstdlib>

namespace rackforge::testing {

/// Runs a shell command and returns its stdout.
inline std::string RunCommand(const std::string& command) {
  std::array<char, 4096> buffer{};
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return out;
  while (fgets(buffer.data(), buffer.size(), pipe.get()) != nullptr) out += buffer.data();
  return out;
}

/// Objective reported by `cbc FILE solve`, nullopt when absent.
inline std::optional<double> CbcObjective(const std::string& mps_path) {
  const std::string out = RunCommand("cbc " + mps_path + " solve 2>&1");
  // MILP: "Objective value:    -20.00000000"; LP: "Optimal - objective value -3". Take the last.
  static const std::regex re(R"([Oo]bjective value:?\s*([-+]?[0-9][-+0-9.eE]*))");
  std::optional<double> value;
  for (auto it = std::sregex_iterator(out.begin(), out.end(), re); it != std::sregex_iterator(); ++it) {
    value = std::stod((*it)[1]);
  }
  return value;
}

/// Objective reported by `glpsol --freemps FILE -o OUT` ("Objective:  obj = X"), nullopt when absent.
inline std::optional<double> GlpsolObjective(const std::string& mps_path) {
  const std::string report = mps_path + ".glpsol.txt";
  RunCommand("glpsol --freemps " + mps_path + " -o " + report + " 2>&1");
  const std::string out = RunCommand("cat " + report);
  std::smatch m;
  static const std::regex re(R"(Objective:\s*\S+\s*=\s*([-+0-9.eE]+))");
  if (!std::regex_search(out, m, re)) return std::nullopt;
  return std::stod(m[1]);
}

/// A fresh path under the test temp dir.
inline std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/rackforge-" + std::to_string(::getpid()) + "-" + name;
}

}  // namespace rackforge::testing
