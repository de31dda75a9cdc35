// Frames taken before the light settles are dark; inside Spotlight every frame is even.
#include <acm/acm.hpp>

#include <cstdio>
#include <iostream>

using namespace std::chrono_literals;

// The device page's manager: LED on, settle, block, LED off.
class Spotlight {
public:
    explicit Spotlight(acm::sim::Led& led) : led_(led) {}
    acm::Task<Spotlight&> aenter() {
        led_.on();
        co_await acm::sleep_for(50ms);  // the LED needs 40 ms to reach full light
        co_return *this;
    }
    acm::Task<bool> aexit(std::exception_ptr) {
        led_.off();
        co_return false;
    }

private:
    acm::sim::Led& led_;
};

static void report(const acm::sim::Frame& frame) {
    std::printf("  frame taken at %5.1f ms: %dx%d, brightness %.2f\n",
                acm::to_ms(frame.taken_at), frame.width, frame.height, frame.brightness());
}

acm::Task<void> demo() {
    acm::sim::Led led{"white"};
    acm::sim::Camera camera{"csi", led};

    std::printf("without settling:\n");
    led.on();
    report(co_await camera.snapshot());  // the light is still ramping up
    led.off();
    co_await acm::sleep_for(100ms);  // let the lamp go dark again

    std::printf("inside Spotlight:\n");
    co_await acm::async_with(Spotlight{led}, [&]() -> acm::Task<void> {
        for (int i = 0; i < 4; ++i) {
            report(co_await camera.snapshot());
            co_await acm::sleep_for(20ms);  // e.g. hand the frame to an uplink
        }
    });
    std::printf("after the block the LED is %s\n", led.is_on() ? "on" : "off");
}

int main() { acm::run(demo()); }
