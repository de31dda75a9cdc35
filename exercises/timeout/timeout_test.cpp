// Tests for Kata 4 — Timeout.
//
// Every test runs on a fresh event loop with a virtual clock that starts at 0 ms, so times are
// exact: "cancelled at the deadline" means at that very millisecond, not "about then".
// The tests name their Timeout (`Timeout t{...}; async_with(t, ...)`) so they can ask
// t.expired() after the block.
#include <doctest/doctest.h>

#include <acm/acm.hpp>

#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>

// Angle brackets on purpose: the build chooses which timeout.hpp is tested (yours, or the
// reference solution) with -I. A quoted include would always pick the file next to this one.
#include <timeout.hpp>

using namespace std::chrono_literals;

namespace {

double now_ms() { return acm::to_ms(acm::now()); }

std::size_t pending_timers() { return acm::current_loop().pending_timers(); }

// The exception the tests throw from a body, so they can recognise it when it comes out.
struct Jammed : std::runtime_error {
    Jammed() : std::runtime_error("the body jammed") {}
};

// Awaits `block` (the task of an async_with, or of a coroutine lambda) and names what came out
// of it, so a failed check reads `"acm::Cancelled" == "acm::TimeoutError"` rather than "the test
// threw an exception". It takes a task rather than a callable, and the tests hand it the block
// itself rather than wrap it in another lambda: each template instance and coroutine lambda is
// more code for the page's compiler, which compiles this file on every Run.
acm::Task<std::string> what_comes_out(acm::Task<void> block) {
    try {
        co_await std::move(block);
    } catch (const acm::TimeoutError&) {
        co_return "acm::TimeoutError";
    } catch (const acm::Cancelled&) {
        co_return "acm::Cancelled";
    } catch (const Jammed&) {
        co_return "Jammed";
    } catch (const std::exception& e) {
        co_return std::string("another exception: ") + e.what();
    }
    co_return "nothing";
}

// Sleeps `amount` the plain way, and says whether a cancellation cut it short: used after a
// block, to prove that no cancellation meant for the block is still on its way.
acm::Task<bool> sleep_undisturbed(acm::Duration amount) {
    try {
        co_await acm::sleep_for(amount);
    } catch (const acm::Cancelled&) {
        co_return false;
    }
    co_return true;
}

// A wait that a cancellation cannot cut short, like a command to a device that must run to
// the end once sent. A cancellation requested meanwhile is not delivered here; it stays
// pending until the task's next co_await.
struct UninterruptibleWait {
    acm::Duration amount;

    bool await_ready() const noexcept { return false; }
    template <class Frame>  // std::coroutine_handle, or std::experimental's on older libc++
    void await_suspend(Frame frame) {
        auto& loop = acm::current_loop();
        // Resumed through the loop on behalf of the same task, like the runtime's own waits,
        // but without registering as something a cancellation may interrupt.
        auto* task = loop.current_control();
        loop.call_later(amount, [&loop, frame, task] { loop.post(frame, task); }, "uninterruptible wait");
    }
    void await_resume() const noexcept {}
};

}  // namespace

TEST_CASE("a slow body is cancelled exactly at the deadline, and acm::TimeoutError comes out") {
    Timeout timeout{200ms};
    std::string outcome;
    bool expired_in_body = true, body_finished = false;
    double outcome_ms = -1;
    std::size_t timers_left = 99;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::sleep_for(100ms);  // enter the block at 100 ms: the deadline is at 300 ms
        outcome = co_await what_comes_out(acm::async_with(timeout, [&](Timeout& t) -> acm::Task<void> {
            expired_in_body = t.expired();
            co_await acm::sleep_for(1s);  // far too slow
            body_finished = true;
        }));
        outcome_ms = now_ms();
        timers_left = pending_timers();
    }());
    CHECK_MESSAGE(!expired_in_body, "expired() was already true when the body started");
    CHECK_MESSAGE(outcome == "acm::TimeoutError", "what came out of the block when its 200 ms were up");
    CHECK_MESSAGE(outcome_ms == 300.0, "the block was entered at 100 ms with a 200 ms timeout; it ended at "
                                           << outcome_ms << " ms instead of at the deadline, 300 ms");
    CHECK_MESSAGE(!body_finished, "the body ran to its end: it should have been cancelled in its 1 s sleep");
    CHECK_MESSAGE(timeout.expired(), "expired() should be true once the deadline has fired");
    CHECK_MESSAGE(timers_left == 0, timers_left << " timer(s) still pending after the block");
}

TEST_CASE("a fast body keeps its result, expired() stays false, and no timer is left behind") {
    Timeout timeout{1s};
    int result = 0;
    double after_block_ms = -1;
    std::size_t timers_left = 99;
    bool undisturbed = false;
    acm::run([&]() -> acm::Task<void> {
        result = co_await acm::async_with(timeout, [&](Timeout&) -> acm::Task<int> {
            co_await acm::sleep_for(200ms);
            co_return 42;
        });
        after_block_ms = now_ms();
        timers_left = pending_timers();
        // Past the deadline: a timer left armed would fire now and cancel this task.
        undisturbed = co_await sleep_undisturbed(2s);
    }());
    CHECK_MESSAGE(result == 42, "the body's result should come out of the block");
    CHECK_MESSAGE(after_block_ms == 200.0, "the body took 200 ms; the block should end then");
    CHECK_MESSAGE(timers_left == 0, timers_left << " timer(s) still pending right after the block: cancel the "
                                                   "deadline's timer in aexit()");
    CHECK_MESSAGE(undisturbed, "the task was cancelled 1 s after it entered the block, long after the block "
                               "had ended: the deadline's timer was left armed");
    CHECK_MESSAGE(!timeout.expired(), "expired() is true, but the body finished 800 ms before its deadline");
}

TEST_CASE("an exception from the body comes out unchanged, not as a timeout") {
    Timeout timeout{1s};
    std::string outcome;
    double outcome_ms = -1;
    std::size_t timers_left = 99;
    acm::run([&]() -> acm::Task<void> {
        outcome = co_await what_comes_out(acm::async_with(timeout, [&](Timeout&) -> acm::Task<void> {
            co_await acm::sleep_for(100ms);
            throw Jammed{};
        }));
        outcome_ms = now_ms();
        timers_left = pending_timers();
    }());
    CHECK_MESSAGE(outcome == "Jammed", "the body threw Jammed at 100 ms, well before its deadline: that very "
                                       "exception should leave the block");
    CHECK(outcome_ms == 100.0);
    CHECK_MESSAGE(!timeout.expired(), "expired() is true, but the deadline was 900 ms away");
    CHECK_MESSAGE(timers_left == 0, timers_left << " timer(s) still pending after the block");
}

TEST_CASE("a cancellation from another task comes out unchanged, not as a timeout") {
    Timeout timeout{1s};
    std::string outcome;
    double worker_ended_ms = -1;
    std::size_t timers_left = 99;
    acm::run([&]() -> acm::Task<void> {
        auto worker = acm::current_loop().spawn(
            [](Timeout& t) -> acm::Task<void> {
                co_await acm::async_with(t, [](Timeout&) -> acm::Task<void> { co_await acm::sleep_for(10s); });
            }(timeout),
            "worker");
        co_await acm::sleep_for(300ms);
        acm::trace::note("main cancels the worker, long before its deadline");
        worker.cancel();
        outcome = co_await what_comes_out([&]() -> acm::Task<void> { co_await acm::join(worker); }());
        worker_ended_ms = now_ms();
        timers_left = pending_timers();
    }());
    CHECK_MESSAGE(outcome == "acm::Cancelled", "main cancelled the worker at 300 ms, 700 ms before the deadline: "
                                               "that is not a timeout, so acm::Cancelled should come out");
    CHECK(worker_ended_ms == 300.0);
    CHECK_MESSAGE(!timeout.expired(), "expired() is true, but the deadline never came");
    CHECK_MESSAGE(timers_left == 0, timers_left << " timer(s) still pending after the block");
}

TEST_CASE("nested timeouts: when the inner deadline comes first, only the inner block times out") {
    Timeout outer{1s}, inner{200ms};
    std::string inner_outcome, outer_outcome;
    double inner_ended_ms = -1, outer_ended_ms = -1;
    std::size_t timers_left = 99;
    acm::run([&]() -> acm::Task<void> {
        outer_outcome = co_await what_comes_out(acm::async_with(outer, [&](Timeout&) -> acm::Task<void> {
            inner_outcome = co_await what_comes_out(
                acm::async_with(inner, [](Timeout&) -> acm::Task<void> { co_await acm::sleep_for(10s); }));
            inner_ended_ms = now_ms();
            co_await acm::sleep_for(100ms);  // the outer block carries on after the inner one
        }));
        outer_ended_ms = now_ms();
        timers_left = pending_timers();
    }());
    CHECK_MESSAGE(inner_outcome == "acm::TimeoutError", "what came out of the inner block (200 ms timeout)");
    CHECK(inner_ended_ms == 200.0);
    CHECK_MESSAGE(inner.expired(), "the inner Timeout's deadline fired, so its expired() should be true");
    CHECK_MESSAGE(outer_outcome == "nothing", "what came out of the outer block (1 s timeout, body done at 300 ms)");
    CHECK(outer_ended_ms == 300.0);
    CHECK_MESSAGE(!outer.expired(), "the outer Timeout's expired() is true, but its deadline never came");
    CHECK_MESSAGE(timers_left == 0, timers_left << " timer(s) still pending after both blocks");
}

TEST_CASE("nested timeouts: when the outer deadline comes first, its cancellation passes through the inner block") {
    Timeout outer{200ms}, inner{1s};
    std::string left_inner = "nothing", outer_outcome;
    double outer_ended_ms = -1;
    std::size_t timers_left = 99;
    acm::run([&]() -> acm::Task<void> {
        outer_outcome = co_await what_comes_out(acm::async_with(outer, [&](Timeout&) -> acm::Task<void> {
            try {
                co_await acm::async_with(inner, [](Timeout&) -> acm::Task<void> { co_await acm::sleep_for(10s); });
            } catch (const acm::Cancelled&) {
                left_inner = "acm::Cancelled";
                throw;
            } catch (const acm::TimeoutError&) {
                left_inner = "acm::TimeoutError";
                throw;
            }
        }));
        outer_ended_ms = now_ms();
        timers_left = pending_timers();
    }());
    CHECK_MESSAGE(left_inner == "acm::Cancelled",
                  "what left the inner block (1 s timeout) when the outer deadline fired at 200 ms: the cancellation "
                  "is the outer Timeout's, so the inner one must let it through unchanged");
    CHECK_MESSAGE(outer_outcome == "acm::TimeoutError", "what came out of the outer block (200 ms timeout)");
    CHECK(outer_ended_ms == 200.0);
    CHECK_MESSAGE(outer.expired(), "the outer Timeout's deadline fired, so its expired() should be true");
    CHECK_MESSAGE(!inner.expired(), "the inner Timeout's expired() is true, but its deadline never came");
    CHECK_MESSAGE(timers_left == 0, timers_left << " timer(s) still pending after both blocks");
}

TEST_CASE("a deadline at the very moment the body would finish still wins: the block times out") {
    Timeout timeout{300ms};
    std::string outcome;
    bool body_finished = false;
    double outcome_ms = -1;
    acm::run([&]() -> acm::Task<void> {
        outcome = co_await what_comes_out(acm::async_with(timeout, [&](Timeout&) -> acm::Task<void> {
            co_await acm::sleep_for(300ms);  // due at the same moment as the deadline, armed after it
            body_finished = true;
        }));
        outcome_ms = now_ms();
    }());
    CHECK_MESSAGE(outcome == "acm::TimeoutError",
                  "the deadline and the end of the body's 300 ms sleep fall on the same millisecond; the deadline "
                  "was armed first, so it fires first and the block times out");
    CHECK_MESSAGE(!body_finished, "the body went on after its sleep: the deadline should have cancelled it");
    CHECK(outcome_ms == 300.0);
    CHECK(timeout.expired());
}

TEST_CASE("a deadline that fires as an uninterruptible body finishes: the block completes and no cancellation leaks out") {
    Timeout timeout{100ms};
    std::string outcome;
    bool body_finished = false, undisturbed = false;
    double after_block_ms = -1, after_sleep_ms = -1;
    acm::run([&]() -> acm::Task<void> {
        outcome = co_await what_comes_out(acm::async_with(timeout, [&](Timeout&) -> acm::Task<void> {
            // Ends at 100 ms, just after the deadline fired; the cancellation cannot reach it.
            co_await UninterruptibleWait{100ms};
            body_finished = true;
        }));
        after_block_ms = now_ms();
        undisturbed = co_await sleep_undisturbed(10ms);
        after_sleep_ms = now_ms();
    }());
    CHECK_MESSAGE(body_finished, "the body should finish: nothing could interrupt it");
    CHECK_MESSAGE(outcome == "nothing", "the body completed, so the block has nothing to report: a TimeoutError "
                                        "is only for a block that the deadline actually cancelled");
    CHECK(after_block_ms == 100.0);
    CHECK_MESSAGE(timeout.expired(), "the deadline fired at 100 ms, so expired() should be true");
    CHECK_MESSAGE(undisturbed, "a 10 ms sleep after the block was cancelled: the deadline's cancellation was still "
                               "pending when the block ended. Withdraw it in aexit() (TaskRef::uncancel())");
    CHECK(after_sleep_ms == 110.0);
}
