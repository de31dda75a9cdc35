#pragma once
// sim::Led: a simulated LED whose light takes a few tens of milliseconds to come up.
//
// Illumination rises linearly from 0 to 1 over `ramp` (40 ms) after on(), and drops to 0 at
// once on off(). Each switch is traced with the illumination curve from that moment on, so the
// browser draws the glow from the trace alone.
#include <string>
#include <utility>
#include <vector>

#include "acm/event_loop.hpp"
#include "acm/time.hpp"
#include "acm/trace.hpp"

namespace acm::sim {

class Led {
public:
    static constexpr Duration default_ramp = std::chrono::milliseconds(40);

    explicit Led(std::string name = "led", Duration ramp = default_ramp) : name_(std::move(name)), ramp_(ramp) {}

    void on() {
        if (lit_) return;
        lit_ = true;
        switched_at_ = clock();
        ++switch_count_;
        traced();
    }
    void off() {
        if (!lit_) return;
        lit_ = false;
        switched_at_ = clock();
        ++switch_count_;
        traced();
    }
    bool is_on() const { return lit_; }

    // 0 (dark) .. 1 (settled) at virtual time `t`.
    double illumination_at(TimePoint t) const {
        if (!lit_ || t < switched_at_) return 0.0;
        if (ramp_.count() <= 0) return 1.0;
        const double rising = static_cast<double>((t - switched_at_).count()) / static_cast<double>(ramp_.count());
        // Not std::min: <algorithm> would add 1.6 MB to the page's precompiled header.
        return rising < 1.0 ? rising : 1.0;
    }
    double illumination() const { return illumination_at(clock()); }

    // When the light becomes steady (meaningful while on).
    TimePoint settled_at() const { return switched_at_ + ramp_; }
    TimePoint switched_at() const { return switched_at_; }
    Duration ramp() const { return ramp_; }
    int switch_count() const { return switch_count_; }
    const std::string& name() const { return name_; }

private:
    static TimePoint clock() {
        auto* loop = EventLoop::running();
        return loop ? loop->now() : TimePoint{};
    }
    void traced() const {
        if (!trace::enabled()) return;
        double t = to_ms(switched_at_);
        std::vector<std::pair<double, double>> curve;
        if (lit_) {
            curve = {{t, 0.0}, {t + to_ms(ramp_), 1.0}};
        } else {
            curve = {{t, 0.0}};
        }
        trace::emit(trace::event("led").add("led", name_).add("on", lit_).add("curve", curve));
    }

    std::string name_;
    Duration ramp_;
    bool lit_ = false;
    TimePoint switched_at_{};
    int switch_count_ = 0;
};

}  // namespace acm::sim
