// must fail: an exception from the body comes out unchanged, and the LED is off afterwards
// must fail: a body cancelled from another task ends with acm::Cancelled, and the LED is off afterwards
// Wrong answer: returns true from aexit(), which swallows the exception and the cancellation.
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
        led_.off();
        co_return true;
    }
    acm::sim::Led& led() { return led_; }

private:
    acm::sim::Led& led_;
};
