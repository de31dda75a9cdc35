// Tests for Kata 1 — Staller.
//
// Every test runs on a fresh event loop with a virtual clock that starts at 0 ms, so times are
// exact: "the body started at 1000 ms" means exactly 1000 ms, not "at least a second".
#include <doctest/doctest.h>

#include <acm/acm.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

// Angle brackets on purpose: the build chooses which staller.hpp is tested (yours, or the
// reference solution) with -I. A quoted include would always pick the file next to this one.
#include <staller.hpp>

using namespace std::chrono_literals;

namespace {

// The exception the tests throw from a body, so they can recognise it when it comes out.
struct Jammed : std::runtime_error {
    Jammed() : std::runtime_error("the body jammed") {}
};

// What happened inside a block that runs in its own task (for the cancellation tests).
struct Story {
    bool body_started = false;
    double body_started_ms = -1;
    bool body_finished = false;
};

// A block that stalls `amount`, then has a body that would sleep for a long time.
acm::Task<void> stalled_long_job(acm::Duration amount, Story& story) {
    co_await acm::async_with(Staller{amount}, [&story](Staller&) -> acm::Task<void> {
        story.body_started = true;
        story.body_started_ms = acm::to_ms(acm::now());
        co_await acm::sleep_for(10s);
        story.body_finished = true;
    });
}

}  // namespace

TEST_CASE("the body starts exactly the stall amount after the block is reached") {
    // Several amounts, so a hard-coded delay does not pass.
    for (acm::Duration amount : std::vector<acm::Duration>{1s, 250ms, 2500ms}) {
        const double amount_ms = acm::to_ms(amount);
        CAPTURE(amount_ms);
        double reached_ms = -1, body_ms = -1;
        acm::run([&]() -> acm::Task<void> {
            co_await acm::sleep_for(100ms);  // start the block at 100 ms, not at 0
            reached_ms = acm::to_ms(acm::now());
            co_await acm::async_with(Staller{amount}, [&](Staller&) -> acm::Task<void> {
                body_ms = acm::to_ms(acm::now());
                co_return;
            });
        }());
        INFO("the block was reached at " << reached_ms << " ms and the body started at " << body_ms
                                         << " ms: the stall should be exactly " << amount_ms << " ms");
        CHECK(body_ms - reached_ms == amount_ms);
    }
}

TEST_CASE("the body receives the Staller itself, after the stall") {
    const Staller* received = nullptr;
    double body_ms = -1;
    acm::run([&]() -> acm::Task<void> {
        Staller staller{300ms};
        co_await acm::async_with(staller, [&](Staller& s) -> acm::Task<void> {
            received = &s;
            body_ms = acm::to_ms(acm::now());
            co_return;
        });
        INFO("aenter() should end with `co_return *this;`: the body gets the manager that was entered");
        CHECK(received == &staller);
    }());
    INFO("a Staller{300ms} should start its body at 300 ms");
    CHECK(body_ms == 300.0);
}

TEST_CASE("nothing but the entry is delayed: the block ends as soon as its body ends") {
    double body_start_ms = -1, body_end_ms = -1, after_block_ms = -1;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(Staller{1s}, [&](Staller&) -> acm::Task<void> {
            body_start_ms = acm::to_ms(acm::now());
            co_await acm::sleep_for(200ms);  // the body's own work
            body_end_ms = acm::to_ms(acm::now());
        });
        after_block_ms = acm::to_ms(acm::now());
    }());
    CAPTURE(body_start_ms);
    CAPTURE(body_end_ms);
    CAPTURE(after_block_ms);
    INFO("Staller{1s}: the body should run from 1000 ms to 1200 ms");
    CHECK(body_start_ms == 1000.0);
    CHECK(body_end_ms == 1200.0);
    INFO("the statement after the block ran " << after_block_ms - body_end_ms
                                              << " ms after the body ended: aexit() should not wait");
    CHECK(after_block_ms == body_end_ms);
}

TEST_CASE("an exception thrown by the body comes out of async_with unchanged") {
    bool caught = false;
    std::string message;
    double body_ms = -1, caught_ms = -1;
    acm::run([&]() -> acm::Task<void> {
        try {
            co_await acm::async_with(Staller{500ms}, [&](Staller&) -> acm::Task<void> {
                body_ms = acm::to_ms(acm::now());
                throw Jammed{};
                co_return;
            });
        } catch (const Jammed& e) {
            caught = true;
            message = e.what();
            caught_ms = acm::to_ms(acm::now());
        }
    }());
    INFO("the body threw Jammed; a Staller must not swallow it, so aexit() should return false");
    CHECK(caught);
    CHECK(message == "the body jammed");
    INFO("the body should start after the 500 ms stall, and the exception should leave at once");
    CHECK(body_ms == 500.0);
    CHECK(caught_ms == 500.0);
}

TEST_CASE("a body cancelled from another task ends at once, and the cancellation propagates") {
    Story story;
    bool cancelled = false;
    double worker_ended_ms = -1;
    acm::run([&]() -> acm::Task<void> {
        auto worker = acm::current_loop().spawn(stalled_long_job(1s, story), "worker");
        co_await acm::sleep_for(1500ms);
        acm::trace::note("main cancels the worker in the middle of its body");
        worker.cancel();
        try {
            co_await acm::join(worker);
        } catch (const acm::Cancelled&) {
            cancelled = true;
        }
        worker_ended_ms = acm::to_ms(acm::now());
    }());
    CAPTURE(story.body_started_ms);
    INFO("Staller{1s}: the body should start at 1000 ms");
    CHECK(story.body_started);
    CHECK(story.body_started_ms == 1000.0);
    CHECK_FALSE(story.body_finished);
    INFO("the worker was cancelled at 1500 ms; it should end with acm::Cancelled at that moment");
    CHECK(cancelled);
    CHECK(worker_ended_ms == 1500.0);
}

TEST_CASE("a block cancelled during the stall never runs its body") {
    Story story;
    bool cancelled = false;
    double worker_ended_ms = -1;
    acm::run([&]() -> acm::Task<void> {
        auto worker = acm::current_loop().spawn(stalled_long_job(1s, story), "worker");
        co_await acm::sleep_for(400ms);
        acm::trace::note("main cancels the worker while it is stalling");
        worker.cancel();
        try {
            co_await acm::join(worker);
        } catch (const acm::Cancelled&) {
            cancelled = true;
        }
        worker_ended_ms = acm::to_ms(acm::now());
    }());
    INFO("the worker was cancelled at 400 ms, 600 ms before its Staller{1s} would let the body start");
    CAPTURE(story.body_started_ms);
    CHECK_FALSE(story.body_started);
    CHECK(cancelled);
    CHECK(worker_ended_ms == 400.0);
}
