// Test helper: the committed webhook payload fixtures in tests/github/fixtures,
// named "<event>.<variant>.json" (the event name is the part before the first
// dot). Located relative to this header, so tests run from any directory.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace opz::github::testing {

inline std::filesystem::path fixtures_dir() {
  return std::filesystem::path(__FILE__).parent_path() / "fixtures";
}

// The raw bytes of one fixture; empty when the file is missing.
inline std::string read_fixture(const std::string& file_name) {
  std::ifstream in(fixtures_dir() / file_name, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline std::string fixture_event_name(const std::string& file_name) {
  return file_name.substr(0, file_name.find('.'));
}

inline std::vector<std::string> fixture_names() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(fixtures_dir())) {
    if (e.path().extension() == ".json") names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace opz::github::testing
