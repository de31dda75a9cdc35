// must fail: the LED is on during the body and goes off as soon as the block ends
// Wrong answer: lets the LED "cool down" for 50 ms before switching it off, which delays the
// statement after the block and keeps the light on after the body is done.
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
        std::exception_ptr interrupted;
        try {
            co_await acm::sleep_for(settle_time);
        } catch (...) {
            interrupted = std::current_exception();
        }
        if (interrupted) {
            led_.off();
            std::rethrow_exception(interrupted);
        }
        co_return *this;
    }
    acm::Task<bool> aexit(std::exception_ptr error) {
        (void)error;
        co_await acm::sleep_for(settle_time);
        led_.off();
        co_return false;
    }
    acm::sim::Led& led() { return led_; }

private:
    acm::sim::Led& led_;
};
