#pragma once
// Test helpers: a private copy of tests/scenarios/tiny that a test can break
// in one place, and a loader call that returns the diagnostics.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "io/errors.h"

namespace rackforge::io::testing {

/// Path of the tiny scenario in the source tree.
inline std::string TinyDir() { return std::string(RACKFORGE_SOURCE_DIR) + "/tests/scenarios/tiny"; }

/// A copy of tiny in a fresh temporary folder, removed on destruction.
class TempScenario {
 public:
  TempScenario();
  ~TempScenario();
  const std::string& dir() const { return dir_; }
  std::string Read(const std::string& name) const;
  void Write(const std::string& name, const std::string& text) const;
  void Remove(const std::string& name) const;
  /// Replaces the single occurrence of `from` (fails the test if not exactly one).
  void Replace(const std::string& name, const std::string& from, const std::string& to) const;
  /// 1-based line of the single line containing `needle` (fails the test otherwise).
  int LineOf(const std::string& name, const std::string& needle) const;

 private:
  std::string dir_;
};

/// Loads the folder; returns the diagnostics of the LoadError (empty, with a
/// test failure, when it loads fine).
std::vector<Diagnostic> LoadDiagnostics(const std::string& dir);

/// All diagnostics joined, one per line.
std::string Joined(const std::vector<Diagnostic>& diagnostics);

}  // namespace rackforge::io::testing
