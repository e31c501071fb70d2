// Declared parameters, Essentia style: every tunable number of a feature extractor has
// a name, a valid range, a default and a unit in one table, so a configuration is
// checked once at construction instead of producing nonsense frames later.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "emotune/status.h"

namespace emotune::audio {

struct ParameterSpec {
  std::string_view name;
  double min;
  double max;
  double default_value;
  std::string_view unit;
  std::string_view meaning;
};

// InvalidArgument naming the extractor, the parameter and its range when `value` is
// outside it.
inline Status CheckParameter(std::string_view extractor, const ParameterSpec& spec, double value) {
  if (value >= spec.min && value <= spec.max) return Status::Ok();
  return Status::InvalidArgument(fmt::format("{}: {} = {} is outside {}..{} {}", extractor, spec.name, value,
                                             spec.min, spec.max, spec.unit));
}

// The spec called `name` in `specs`; the tables are compile-time, so a miss is a bug.
inline const ParameterSpec& Spec(std::span<const ParameterSpec> specs, std::string_view name) {
  for (const auto& s : specs)
    if (s.name == name) return s;
  return specs.front();
}

}  // namespace emotune::audio
