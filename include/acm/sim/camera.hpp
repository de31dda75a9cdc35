#pragma once
// sim::Camera: co_await camera.snapshot() exposes a small grayscale frame for 10 ms of virtual
// time. The frame's brightness is the scene scaled by the light that fell on it during the
// exposure (averaged over the exposure window), so a frame shot while the LED was still
// ramping up is visibly darker.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "acm/sleep.hpp"
#include "acm/sim/led.hpp"
#include "acm/task.hpp"
#include "acm/trace.hpp"

namespace acm::sim {

struct Frame {
    TimePoint taken_at{};  // end of the exposure
    Duration exposure{};
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;  // row-major, 0..255
    double illumination = 0;           // mean light level during the exposure, 0..1

    // Mean pixel value scaled to 0..1.
    double brightness() const {
        if (pixels.empty()) return 0.0;
        double sum = 0;
        for (auto p : pixels) sum += p;
        return sum / (255.0 * static_cast<double>(pixels.size()));
    }
};

class Camera {
public:
    static constexpr int width = 32;
    static constexpr int height = 24;
    static constexpr Duration default_exposure = std::chrono::milliseconds(10);
    // Light that reaches the sensor with the LED off: a dim room.
    static constexpr double ambient = 0.06;

    explicit Camera(std::string name = "camera") : name_(std::move(name)) {}
    Camera(std::string name, const Led& light, Duration exposure = default_exposure)
        : name_(std::move(name)), light_(&light), exposure_(exposure) {}

    void set_light(const Led& light) { light_ = &light; }
    int captures() const { return captures_; }
    const std::string& name() const { return name_; }

    // Takes `exposure` of virtual time; cancellable like any sleep.
    Task<Frame> snapshot() {
        const TimePoint start = current_loop().now();
        co_await sleep_for(exposure_, "exposure (camera " + name_ + ")");
        const TimePoint end = current_loop().now();
        Frame f;
        f.taken_at = end;
        f.exposure = exposure_;
        f.width = width;
        f.height = height;
        f.illumination = mean_light(start, end);
        f.pixels = expose(f.illumination);
        ++captures_;
        if (trace::enabled())
            trace::emit(trace::event("capture")
                            .add("camera", name_)
                            .add("start_ms", to_ms(start))
                            .add("exposure_ms", to_ms(exposure_))
                            .add("width", width)
                            .add("height", height)
                            .add("pixels", f.pixels)
                            .add("brightness", f.brightness()));
        co_return f;
    }

private:
    // The LED's state cannot change during the exposure without the task being resumed, and
    // only this task is suspended in it; sampling the ramp is exact enough for a teaching sim.
    double mean_light(TimePoint start, TimePoint end) const {
        if (!light_) return ambient;
        constexpr int samples = 20;
        double sum = 0;
        for (int i = 0; i < samples; ++i) {
            auto t = start + (end - start) * (2 * i + 1) / (2 * samples);
            sum += light_->illumination_at(t);
        }
        const double light = ambient + (1.0 - ambient) * sum / samples;
        // Not std::min or std::clamp (below): <algorithm> would add 1.6 MB to the page's
        // precompiled header.
        return light < 1.0 ? light : 1.0;
    }

    // A fixed scene — a bright disc on a soft gradient — scaled by the light. Deterministic,
    // so frames compare equal across runs and toolchains.
    static std::vector<std::uint8_t> expose(double light) {
        std::vector<std::uint8_t> px(static_cast<std::size_t>(width * height));
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x) {
                int dx = x - width / 2, dy = y - height / 2;
                double scene = 150 + 60.0 * y / height;
                if (dx * dx + dy * dy < 49) scene = 250;
                double v = scene * light;
                px[static_cast<std::size_t>(y * width + x)] = static_cast<std::uint8_t>(v < 0.0 ? 0.0 : v > 255.0 ? 255.0 : v);
            }
        return px;
    }

    std::string name_;
    const Led* light_ = nullptr;
    Duration exposure_ = default_exposure;
    int captures_ = 0;
};

}  // namespace acm::sim
