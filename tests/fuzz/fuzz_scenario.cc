// libFuzzer target over the scenario loader's in-memory entry points.
// Input: a first line naming a file, then its text. The named file replaces
// (or joins) the files of tests/scenarios/tiny and the whole scenario is
// loaded, so cross-file resolution is fuzzed too. Special names:
//   @disruptions  -> ParseDisruptionsYaml against tiny
//   @json         -> DisruptionsFromJson against tiny
// The only acceptable outcomes are a Scenario, io::LoadError or common::UsageError.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/scenario_loader.h"

namespace {

using rackforge::io::LoadError;
using rackforge::io::ScenarioTexts;
using rackforge::common::UsageError;

const ScenarioTexts& Tiny() {
  static const ScenarioTexts texts = [] {
    ScenarioTexts t = rackforge::io::ReadScenarioFolder(RACKFORGE_TINY_DIR);
    t.folder.clear();
    return t;
  }();
  return texts;
}

const rackforge::model::Scenario& TinyScenario() {
  static const rackforge::model::Scenario s = rackforge::io::LoadScenarioFromTexts(Tiny());
  return s;
}

void Run(const std::string& name, const std::string& text) {
  if (name == "@disruptions") {
    rackforge::io::ParseDisruptionsYaml(text, "what-if.yaml", TinyScenario());
    return;
  }
  if (name == "@json") {
    const nlohmann::json list = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!list.is_discarded()) rackforge::io::DisruptionsFromJson(list, TinyScenario());
    return;
  }
  ScenarioTexts texts = Tiny();
  texts.files[name] = text;
  rackforge::io::LoadScenarioFromTexts(texts);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  TinyScenario();  // fails loudly if tiny itself does not load
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t eol = input.find('\n');
  if (eol == std::string::npos || eol > 64) return 0;
  try {
    Run(input.substr(0, eol), input.substr(eol + 1));
  } catch (const LoadError& e) {
    if (e.diagnostics().empty()) __builtin_trap();  // a LoadError must say why
  } catch (const UsageError&) {
  }
  return 0;
}
