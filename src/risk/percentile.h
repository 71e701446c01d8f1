#pragma once
// Nearest-rank percentiles (DESIGN.md "Monte Carlo").

#include <cstdint>
#include <vector>

namespace rackforge::risk {

/// The rank of percentile q (0 < q <= 100) among n values: ceil(q * n / 100), at least 1.
int64_t NearestRank(int32_t percent, int64_t n);

/// The ceil(q*N/100)-th smallest of `values` (reorders them). Throws std::invalid_argument when empty.
double NearestRankPercentile(std::vector<double>& values, int32_t percent);

}  // namespace rackforge::risk
