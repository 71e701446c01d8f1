#include "risk/percentile.h"

#include <algorithm>
#include <stdexcept>

namespace rackforge::risk {

int64_t NearestRank(int32_t percent, int64_t n) {
  if (percent <= 0 || percent > 100) throw std::invalid_argument("percentile must be in 1..100");
  const int64_t rank = (static_cast<int64_t>(percent) * n + 99) / 100;
  return std::max<int64_t>(rank, 1);
}

double NearestRankPercentile(std::vector<double>& values, int32_t percent) {
  if (values.empty()) throw std::invalid_argument("percentile of no values");
  const int64_t rank = NearestRank(percent, static_cast<int64_t>(values.size()));
  auto nth = values.begin() + (rank - 1);
  std::nth_element(values.begin(), nth, values.end());
  return *nth;
}

}  // namespace rackforge::risk
