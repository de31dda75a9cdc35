// Tests for Kata 3 — Spotlight.
//
// Every test runs on a fresh event loop with a virtual clock that starts at 0 ms, so times are
// exact. The LED is acm::sim::Led: its light ramps up from 0 to full over 40 ms after on().
// The camera is acm::sim::Camera: a snapshot exposes for 10 ms, and a frame's `illumination`
// is the mean light during that exposure (1.0 = the LED fully settled).
#include <doctest/doctest.h>

#include <acm/acm.hpp>

#include <chrono>
#include <stdexcept>
#include <string>

// Angle brackets on purpose: the build chooses which spotlight.hpp is tested (yours, or the
// reference solution) with -I. A quoted include would always pick the file next to this one.
#include <spotlight.hpp>

using namespace std::chrono_literals;

namespace {

double now_ms() { return acm::to_ms(acm::now()); }

// The exception the tests throw from a body, so they can recognise it when it comes out.
struct Jammed : std::runtime_error {
    Jammed() : std::runtime_error("the body jammed") {}
};

// What happened inside a block that runs in its own task (for the cancellation tests).
struct Story {
    bool body_started = false;
    bool body_finished = false;
};

// A block whose body would hold the light for 10 s; the cancellation tests cut it short.
acm::Task<void> long_exposure(acm::sim::Led& led, Story& story) {
    co_await acm::async_with(Spotlight{led}, [&](Spotlight&) -> acm::Task<void> {
        story.body_started = true;
        co_await acm::sleep_for(10s);
        story.body_finished = true;
    });
}

// How a cancelled worker ended, seen from the task that cancelled it.
struct Ending {
    bool cancelled = false;
    double at_ms = -1;
    bool led_on_before_cancel = false;
};

// Starts long_exposure in its own task, cancels that task `after` later and waits for it.
acm::Task<Ending> cancel_long_exposure_after(acm::Duration after, acm::sim::Led& led, Story& story) {
    auto worker = acm::current_loop().spawn(long_exposure(led, story), "worker");
    co_await acm::sleep_for(after);
    Ending ending;
    ending.led_on_before_cancel = led.is_on();
    acm::trace::note("main cancels the worker");
    worker.cancel();
    try {
        co_await acm::join(worker);
    } catch (const acm::Cancelled&) {
        ending.cancelled = true;
    }
    ending.at_ms = now_ms();
    co_return ending;
}

}  // namespace

TEST_CASE("the LED is on during the body and goes off as soon as the block ends") {
    acm::sim::Led led;
    bool on_at_body_start = false, on_at_body_end = false;
    double body_ended_ms = -1, after_block_ms = -1;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(Spotlight{led}, [&](Spotlight&) -> acm::Task<void> {
            on_at_body_start = led.is_on();
            co_await acm::sleep_for(200ms);
            on_at_body_end = led.is_on();
            body_ended_ms = now_ms();
        });
        after_block_ms = now_ms();
    }());
    CHECK_MESSAGE(on_at_body_start, "the LED was off when the body started");
    CHECK_MESSAGE(on_at_body_end, "the LED was off when the body ended, 200 ms later");
    CHECK_MESSAGE(!led.is_on(), "the LED was still on after the block");
    CAPTURE(body_ended_ms);
    CAPTURE(after_block_ms);
    const double led_off_ms = led.is_on() ? -1 : acm::to_ms(led.switched_at());
    CAPTURE(led_off_ms);
    CHECK_MESSAGE(led_off_ms == body_ended_ms, "the LED should go off as the body ends");
    CHECK_MESSAGE(after_block_ms == body_ended_ms, "switching off takes no time: the block should end with its body");
}

TEST_CASE("the body starts exactly 50 ms after the LED goes on") {
    acm::sim::Led led;
    double reached_ms = -1, body_started_ms = -1, led_on_ms = -1;
    bool on_in_body = false;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::sleep_for(100ms);  // enter the block at 100 ms, not at 0
        reached_ms = now_ms();
        co_await acm::async_with(Spotlight{led}, [&](Spotlight&) -> acm::Task<void> {
            body_started_ms = now_ms();
            on_in_body = led.is_on();
            led_on_ms = acm::to_ms(led.switched_at());
            co_return;
        });
    }());
    CAPTURE(reached_ms);
    CAPTURE(led_on_ms);
    CAPTURE(body_started_ms);
    REQUIRE_MESSAGE(on_in_body, "the LED was off when the body started");
    CHECK_MESSAGE(led_on_ms == reached_ms, "the LED should go on as the block is entered, at 100 ms");
    CHECK_MESSAGE(body_started_ms - led_on_ms == 50.0,
                  "the body started " << body_started_ms - led_on_ms
                                      << " ms after the LED went on: the light needs exactly 50 ms to settle first");
}

TEST_CASE("frames captured at the start of the body are fully exposed") {
    acm::sim::Led led;
    acm::sim::Camera camera{"camera", led};
    acm::sim::Frame first, later;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(Spotlight{led}, [&](Spotlight&) -> acm::Task<void> {
            first = co_await camera.snapshot();
            co_await acm::sleep_for(500ms);  // the light has long settled by now
            later = co_await camera.snapshot();
        });
    }());
    const double first_light = first.illumination;
    const double first_brightness = first.brightness();
    const double later_brightness = later.brightness();
    CAPTURE(first_light);
    CAPTURE(first_brightness);
    CAPTURE(later_brightness);
    CHECK_MESSAGE(first_light == doctest::Approx(1.0),
                  "the first frame got " << first_light * 100
                                         << " % of the full light: the body started before the LED had settled");
    CHECK_MESSAGE(first_brightness == doctest::Approx(later_brightness),
                  "the first frame should be as bright as one taken 500 ms later");
}

TEST_CASE("an exception from the body comes out unchanged, and the LED is off afterwards") {
    acm::sim::Led led;
    bool caught = false, on_in_body = false;
    std::string message;
    acm::run([&]() -> acm::Task<void> {
        try {
            co_await acm::async_with(Spotlight{led}, [&](Spotlight&) -> acm::Task<void> {
                on_in_body = led.is_on();
                co_await acm::sleep_for(100ms);
                throw Jammed{};
            });
        } catch (const Jammed& e) {
            caught = true;
            message = e.what();
        }
    }());
    CHECK_MESSAGE(on_in_body, "the LED was off when the body started");
    CHECK_MESSAGE(caught, "Jammed did not come out of async_with: aexit() should return false, not swallow it");
    CHECK(message == "the body jammed");
    CHECK_MESSAGE(!led.is_on(), "the body threw at 150 ms and the LED was still on afterwards");
}

TEST_CASE("a body cancelled from another task ends with acm::Cancelled, and the LED is off afterwards") {
    acm::sim::Led led;
    Story story;
    const Ending ending = acm::run(cancel_long_exposure_after(500ms, led, story));
    CHECK_MESSAGE(story.body_started, "the body never started");
    CHECK_FALSE(story.body_finished);
    CHECK_MESSAGE(ending.led_on_before_cancel, "the LED was off in the middle of the body, at 500 ms");
    CAPTURE(ending.at_ms);
    CHECK_MESSAGE(ending.cancelled, "the worker should end with acm::Cancelled, not carry on");
    CHECK(ending.at_ms == 500.0);
    CHECK_MESSAGE(!led.is_on(), "the worker was cancelled at 500 ms, in its body, and the LED was left on");
}

TEST_CASE("a block cancelled while the light settles never runs its body, and the LED is off afterwards") {
    acm::sim::Led led;
    Story story;
    const Ending ending = acm::run(cancel_long_exposure_after(20ms, led, story));
    CHECK_MESSAGE(ending.led_on_before_cancel, "the LED should be on while its light settles (it was off at 20 ms)");
    CHECK_MESSAGE(!story.body_started, "the body ran although the worker was cancelled 20 ms into the 50 ms settle");
    CAPTURE(ending.at_ms);
    CHECK_MESSAGE(ending.cancelled, "the worker should end with acm::Cancelled: aenter() must not swallow it");
    CHECK(ending.at_ms == 20.0);
    CHECK_MESSAGE(!led.is_on(),
                  "the worker was cancelled 20 ms into the settle and the LED was left on: aexit() does not "
                  "run when aenter() did not finish, so aenter() has to switch it off itself");
}
