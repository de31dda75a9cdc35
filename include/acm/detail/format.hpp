#pragma once
// Durations written the way a learner wrote them: 50ms, 2s, 1.5s.
#include <cstdio>
#include <string>

#include "acm/time.hpp"

namespace acm::detail {

inline std::string format_duration(Duration d) {
    char buf[48];
    double ms = to_ms(d);
    if (ms != 0 && ms > -1 && ms < 1)
        std::snprintf(buf, sizeof buf, "%gus", ms * 1000);
    else if (ms >= 1000 || ms <= -1000)
        std::snprintf(buf, sizeof buf, "%gs", ms / 1000);
    else
        std::snprintf(buf, sizeof buf, "%gms", ms);
    return buf;
}

}  // namespace acm::detail
