#pragma once
// Virtual time. Sleeping two seconds costs no wall time and every run is reproducible.
#include <chrono>

namespace acm {

using Duration = std::chrono::nanoseconds;

// The clock of the running EventLoop; it starts at zero for every loop.
struct VirtualClock {
    using duration = Duration;
    using rep = duration::rep;
    using period = duration::period;
    using time_point = std::chrono::time_point<VirtualClock, Duration>;
    static constexpr bool is_steady = true;
    static time_point now();  // defined in event_loop.hpp: it asks the current loop
};

using TimePoint = VirtualClock::time_point;

inline double to_ms(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
inline double to_ms(TimePoint t) { return to_ms(t.time_since_epoch()); }

}  // namespace acm
