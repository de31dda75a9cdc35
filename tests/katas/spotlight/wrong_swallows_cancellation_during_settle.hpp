// must fail: a block cancelled while the light settles never runs its body, and the LED is off afterwards
// Wrong answer: undoes the LED when the settle is cancelled, but forgets to rethrow, so the
// cancellation is lost and the body runs in the dark.
#pragma once
#include <chrono>
#include <exception>

#include <acm/acm.hpp>

class Spotlight {
public:
    static constexpr acm::Duration settle_time = std::chrono::milliseconds(50);
    explicit Spotlight(acm::sim::Led& led) : led_(led) {}
    acm::Task<Spotlight&> aenter() {
        led_.on();
        try {
            co_await acm::sleep_for(settle_time);
        } catch (...) {
            led_.off();
        }
        co_return *this;
    }
    acm::Task<bool> aexit(std::exception_ptr error) {
        (void)error;
        led_.off();
        co_return false;
    }
    acm::sim::Led& led() { return led_; }

private:
    acm::sim::Led& led_;
};
