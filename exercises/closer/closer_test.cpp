// Tests for Kata 2 — Closer.
//
// Every test runs on a fresh event loop with a virtual clock that starts at 0 ms, so times are
// exact. Two kinds of resource stand in for the real thing:
//   Door        close() is an ordinary function: it returns void at once.
//   Connection  close() is a coroutine that takes 30 ms (a goodbye to a server): it returns an
//               acm::Task<void> that does nothing until someone co_awaits it.
// Both count their close() calls and note the virtual time, so a test can say exactly what
// happened and when.
#include <doctest/doctest.h>

#include <acm/acm.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>

// Angle brackets on purpose: the build chooses which closer.hpp is tested (yours, or the
// reference solution) with -I. A quoted include would always pick the file next to this one.
#include <closer.hpp>

using namespace std::chrono_literals;

namespace {

double now_ms() { return acm::to_ms(acm::now()); }

struct Door {
    int closes = 0;
    double closed_at_ms = -1;

    void close() {
        ++closes;
        closed_at_ms = now_ms();
    }
    bool open() const { return closes == 0; }
};

struct Connection {
    static constexpr acm::Duration goodbye = 30ms;

    int close_calls = 0;      // how often close() was called
    int closes_finished = 0;  // how often the Task it returned ran to its end
    double close_started_ms = -1;
    double closed_at_ms = -1;

    // Not a coroutine itself, so the call is counted even if nobody awaits the result.
    acm::Task<void> close() {
        ++close_calls;
        return say_goodbye();
    }
    bool open() const { return closes_finished == 0; }

private:
    acm::Task<void> say_goodbye() {
        close_started_ms = now_ms();
        co_await acm::sleep_for(goodbye);
        closed_at_ms = now_ms();
        ++closes_finished;
    }
};

// The exception the tests throw from a body, so they can recognise it when it comes out.
struct Jammed : std::runtime_error {
    Jammed() : std::runtime_error("the body jammed") {}
};

// What happened inside a block that runs in its own task (for the cancellation tests).
struct Story {
    bool body_started = false;
    bool open_in_body = false;
    bool body_finished = false;
};

// A block whose body would take 10 s; the cancellation tests cut it short.
template <class Resource>
acm::Task<void> long_job(Resource& resource, Story& story) {
    co_await acm::async_with(Closer{resource}, [&](Resource& r) -> acm::Task<void> {
        story.body_started = true;
        story.open_in_body = r.open();
        co_await acm::sleep_for(10s);
        story.body_finished = true;
    });
}

// Spawns `job` (a long_job), cancels it at 500 ms and returns whether it ended with
// acm::Cancelled. `ended_ms` gets the virtual time at which the worker had finished.
acm::Task<bool> cancel_at_500ms(acm::Task<void> job, double& ended_ms) {
    auto worker = acm::current_loop().spawn(std::move(job), "worker");
    co_await acm::sleep_for(500ms);
    acm::trace::note("main cancels the worker in the middle of its body");
    worker.cancel();
    bool cancelled = false;
    try {
        co_await acm::join(worker);
    } catch (const acm::Cancelled&) {
        cancelled = true;
    }
    ended_ms = now_ms();
    co_return cancelled;
}

}  // namespace

TEST_CASE("the body receives the object itself, not a copy") {
    Door door;
    const Door* received = nullptr;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(Closer{door}, [&](Door& d) -> acm::Task<void> {
            received = &d;
            co_return;
        });
    }());
    CHECK_MESSAGE(received == &door,
                  "aenter() should co_return the very object the Closer was given (keep a T&, not a copy)");
    CHECK_MESSAGE(door.closes == 1, "the caller's Door was closed " << door.closes << " times: exactly once expected");
}

TEST_CASE("the object is still open inside the body: close() is never called on the way in") {
    Door door;
    Connection connection;
    int door_closes_in_body = -1, connection_calls_in_body = -1;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(Closer{door}, [&](Door& d) -> acm::Task<void> {
            door_closes_in_body = d.closes;
            co_return;
        });
        co_await acm::async_with(Closer{connection}, [&](Connection& c) -> acm::Task<void> {
            connection_calls_in_body = c.close_calls;
            co_return;
        });
    }());
    CHECK_MESSAGE(door_closes_in_body == 0, "Door::close() had been called " << door_closes_in_body
                                                << " times when the body started: aenter() must not close anything");
    CHECK_MESSAGE(connection_calls_in_body == 0, "Connection::close() had been called " << connection_calls_in_body
                                                     << " times when the body started");
}

TEST_CASE("after a normal exit, close() has been called exactly once, as the body ended") {
    Door door;
    double body_ended_ms = -1, after_block_ms = -1;
    int closes_after_block = -1;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::sleep_for(100ms);
        co_await acm::async_with(Closer{door}, [&](Door&) -> acm::Task<void> {
            co_await acm::sleep_for(250ms);  // the body's own work
            body_ended_ms = now_ms();
        });
        after_block_ms = now_ms();
        closes_after_block = door.closes;
    }());
    CHECK_MESSAGE(closes_after_block == 1,
                  "right after the block, close() had been called " << closes_after_block << " times");
    CHECK_MESSAGE(door.closes == 1, "when the run was over, close() had been called "
                                        << door.closes << " times: once, by aexit(), and never again");
    CAPTURE(body_ended_ms);
    CAPTURE(door.closed_at_ms);
    CAPTURE(after_block_ms);
    CHECK_MESSAGE(door.closed_at_ms == body_ended_ms, "the body ended at 350 ms: that is when to close");
    CHECK_MESSAGE(after_block_ms == body_ended_ms, "closing a Door takes no time: the block should end at 350 ms");
}

TEST_CASE("a body that throws still closes the object, and the exception comes out unchanged") {
    Door door;
    bool caught = false;
    std::string message;
    acm::run([&]() -> acm::Task<void> {
        try {
            co_await acm::async_with(Closer{door}, [&](Door&) -> acm::Task<void> {
                co_await acm::sleep_for(50ms);
                throw Jammed{};
            });
        } catch (const Jammed& e) {
            caught = true;
            message = e.what();
        }
    }());
    CAPTURE(door.closed_at_ms);
    CHECK_MESSAGE(door.closes == 1, "the body threw Jammed at 50 ms; close() was called " << door.closes << " times");
    CHECK(door.closed_at_ms == 50.0);
    CHECK_MESSAGE(caught, "Jammed did not come out of async_with: aexit() should return false, not swallow it");
    CHECK(message == "the body jammed");
}

TEST_CASE("a body cancelled from another task still closes the object, and the cancellation propagates") {
    Door door;
    Story story;
    double worker_ended_ms = -1;
    const bool cancelled = acm::run(cancel_at_500ms(long_job(door, story), worker_ended_ms));
    CHECK(story.body_started);
    CHECK(story.open_in_body);
    CHECK_FALSE(story.body_finished);
    CAPTURE(door.closed_at_ms);
    CHECK_MESSAGE(door.closes == 1, "the worker was cancelled at 500 ms in the middle of its body; close() was called "
                                        << door.closes << " times");
    CHECK(door.closed_at_ms == 500.0);
    CAPTURE(worker_ended_ms);
    CHECK_MESSAGE(cancelled, "the worker should end with acm::Cancelled, not carry on as if nothing happened");
    CHECK(worker_ended_ms == 500.0);
}

TEST_CASE("an awaitable close() is awaited: the block ends only once the close has finished") {
    Connection connection;
    double body_ended_ms = -1, after_block_ms = -1;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(Closer{connection}, [&](Connection&) -> acm::Task<void> {
            co_await acm::sleep_for(200ms);
            body_ended_ms = now_ms();
        });
        after_block_ms = now_ms();
    }());
    CHECK_MESSAGE(connection.close_calls == 1,
                  "Connection::close() was called " << connection.close_calls << " times: once expected");
    CHECK_MESSAGE(connection.closes_finished == 1,
                  "the Task that close() returned ran to its end " << connection.closes_finished
                      << " times: an acm::Task starts nothing until it is co_awaited");
    CAPTURE(body_ended_ms);
    CAPTURE(connection.close_started_ms);
    CAPTURE(connection.closed_at_ms);
    CAPTURE(after_block_ms);
    CHECK_MESSAGE(connection.close_started_ms == body_ended_ms, "the goodbye should start as the body ends, at 200 ms");
    CHECK_MESSAGE(after_block_ms == body_ended_ms + 30.0,
                  "the goodbye takes 30 ms: the statement after the block should run at 230 ms, once the "
                  "connection is closed");
}

TEST_CASE("an awaitable close() is awaited when the body throws, before the exception comes out") {
    Connection connection;
    bool caught = false;
    double caught_ms = -1;
    acm::run([&]() -> acm::Task<void> {
        try {
            co_await acm::async_with(Closer{connection}, [&](Connection&) -> acm::Task<void> {
                co_await acm::sleep_for(100ms);
                throw Jammed{};
            });
        } catch (const Jammed&) {
            caught = true;
            caught_ms = now_ms();
        }
    }());
    CHECK_MESSAGE(connection.close_calls == 1, "close() was called " << connection.close_calls << " times");
    CHECK_MESSAGE(connection.closes_finished == 1,
                  "the goodbye Task ran to its end " << connection.closes_finished << " times");
    CAPTURE(caught_ms);
    CHECK_MESSAGE(caught, "Jammed did not come out of async_with");
    CHECK_MESSAGE(caught_ms == 130.0,
                  "the body threw at 100 ms: the exception should come out after the 30 ms goodbye, at 130 ms");
}

TEST_CASE("an awaitable close() is awaited when the body is cancelled, before the task ends") {
    Connection connection;
    Story story;
    double worker_ended_ms = -1;
    const bool cancelled = acm::run(cancel_at_500ms(long_job(connection, story), worker_ended_ms));
    CHECK(story.body_started);
    CHECK(story.open_in_body);
    CHECK_FALSE(story.body_finished);
    CHECK_MESSAGE(connection.close_calls == 1, "the worker was cancelled at 500 ms; close() was called "
                                                   << connection.close_calls << " times");
    CHECK_MESSAGE(connection.closes_finished == 1,
                  "the goodbye Task ran to its end " << connection.closes_finished << " times");
    CAPTURE(connection.closed_at_ms);
    CAPTURE(worker_ended_ms);
    CHECK(connection.closed_at_ms == 530.0);
    CHECK_MESSAGE(cancelled, "the worker should end with acm::Cancelled");
    CHECK_MESSAGE(worker_ended_ms == 530.0, "the worker should end once the 30 ms goodbye is over, at 530 ms");
}
