// must fail: a block cancelled while the light settles never runs its body, and the LED is off afterwards
// Wrong answer: the device page's version. A cancellation during the settle leaves aenter()
// with the LED on, and aexit() never runs because the block never started.
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
        co_await acm::sleep_for(settle_time);
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
