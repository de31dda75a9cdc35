#pragma once
// Kata 3 — Spotlight, reference solution.
//
// The LED is lit for exactly the length of the block, and the block starts only once the light
// has settled. Every way out leaves the LED off — including a cancellation that arrives while
// the light is still settling, when aexit() will never run.
#include <chrono>
#include <exception>

#include <acm/acm.hpp>

class Spotlight {
public:
    // The LED's light ramps up over 40 ms; 50 ms leaves a margin.
    static constexpr acm::Duration settle_time = std::chrono::milliseconds(50);

    explicit Spotlight(acm::sim::Led& led) : led_(led) {}

    acm::Task<Spotlight&> aenter() {
        led_.on();
        // From here until the end of aenter(), the LED is this function's to undo: if the
        // settle is cancelled, the block never started and aexit() will not be called.
        // C++ forbids co_await inside a catch handler, so the exception is only recorded there
        // and dealt with after it — the shape that works even when undoing has to wait.
        std::exception_ptr interrupted;
        try {
            co_await acm::sleep_for(settle_time);
        } catch (...) {
            interrupted = std::current_exception();
        }
        if (interrupted) {
            led_.off();
            std::rethrow_exception(interrupted);  // a cancellation stays a cancellation
        }
        co_return *this;
    }

    // Off on every path; the exception (or cancellation) leaving the block goes on.
    acm::Task<bool> aexit(std::exception_ptr) {
        led_.off();
        co_return false;
    }

    acm::sim::Led& led() { return led_; }

private:
    acm::sim::Led& led_;
};
