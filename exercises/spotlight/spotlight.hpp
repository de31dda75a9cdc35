#pragma once
// Kata 3 — Spotlight.
//
// `async_with(Spotlight{led}, body)` lights the LED for the length of the block:
//   - switch the LED on, wait 50 ms for its light to settle (it ramps up over 40 ms), then
//     let the body run — under steady light, so camera frames taken in the body are bright;
//   - switch it off when the block is left, however it is left;
//   - and if the task is cancelled *during* the 50 ms settle, the block never starts, so
//     aexit() is not called: aenter() itself must leave the LED off before the cancellation
//     goes on.
// Never swallow an exception or a cancellation.
//
// Run the tests; each failing check says what it measured. The simulation panel shows the LED,
// the camera frames and a timeline of each test.
#include <chrono>
#include <exception>

#include <acm/acm.hpp>

class Spotlight {
public:
    static constexpr acm::Duration settle_time = std::chrono::milliseconds(50);

    explicit Spotlight(acm::sim::Led& led) : led_(led) {}

    // Called when the block is entered. Its result is what the body receives.
    acm::Task<Spotlight&> aenter() {
        // TODO: switch the LED on and let it settle — and clean up if that wait is cancelled.
        co_return *this;
    }

    // Called when the block is left, with the exception leaving it (nullptr on a normal exit).
    // Return true to swallow that exception, false to let it propagate.
    acm::Task<bool> aexit(std::exception_ptr error) {
        (void)error;
        // TODO: switch the LED off.
        co_return false;
    }

    acm::sim::Led& led() { return led_; }

private:
    acm::sim::Led& led_;
};
