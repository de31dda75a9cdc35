// must fail: the body starts exactly 50 ms after the LED goes on
// must fail: frames captured at the start of the body are fully exposed
// Wrong answer: switches the LED on and enters at once, before the light has settled.
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
