// The guards: a program that can never finish stops with an exception whose message names what
// was stuck — a deadlock, virtual time running away, or too many steps — and leaves no frame behind.
#include "support.hpp"

#include <string>

using namespace acm_test;

namespace {

acm::Task<void> wait_for_lock(acm::Lock& lock, FrameProbe = {}) {
    co_await lock.acquire();
    lock.release();
}

acm::Task<void> tick_forever(acm::Duration period, FrameProbe = {}) {
    for (;;) co_await acm::sleep_for(period);
}

// Never suspends on anything the loop knows: it resumes itself through the ready queue forever.
acm::Task<void> spin(FrameProbe = {}) {
    for (;;) co_await acm::sleep_for(0ms);
}

// An awaiter from outside the runtime that nobody ever resumes.
struct Forgotten {
    bool await_ready() const noexcept { return false; }
    void await_suspend(acm::detail::coro::coroutine_handle<>) const noexcept {}
    void await_resume() const noexcept {}
};

}  // namespace

TEST_CASE("a task waiting for a lock that is never released is a deadlock naming the task and the lock") {
    acm::trace::Recorder rec;
    std::string message = what_of([] {
        acm::run([]() -> acm::Task<void> {
            acm::Lock lock{"the door"};
            co_await lock.acquire();
            co_await wait_for_lock(lock);  // our own lock, a second time
        }());
    });
    INFO(message);
    CHECK(contains(message, "deadlock"));
    CHECK(contains(message, "'main'"));
    CHECK(contains(message, "Lock::acquire(the door)"));
    auto guard = rec.events("guard");
    REQUIRE(guard.size() == 1);
    CHECK(field(guard[0], "kind") == quoted("deadlock"));
    CHECK(contains(field(guard[0], "message"), "the door"));
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("a deadlock is an acm::Deadlock, and its message names every stuck task") {
    std::string message;
    try {
        acm::run([]() -> acm::Task<void> {
            acm::Lock lock{"printer"};
            co_await lock.acquire();
            auto worker = acm::current_loop().spawn(wait_for_lock(lock), "worker");
            co_await acm::join(worker);  // main waits for worker, which waits for main's lock
        }());
    } catch (const acm::Deadlock& e) {
        message = e.what();
    }
    INFO(message);
    CHECK(contains(message, "task 'main' is waiting at join('worker')"));
    CHECK(contains(message, "task 'worker' is waiting at Lock::acquire(printer)"));
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("a task waiting on something outside the loop is reported as a deadlock too") {
    std::string message = what_of([] { acm::run([]() -> acm::Task<void> { co_await Forgotten{}; }()); });
    CHECK(contains(message, "deadlock"));
    CHECK(contains(message, "'main'"));
}

TEST_CASE("a loop that sleeps forever stops at the virtual time limit, naming the timer it was about to fire") {
    acm::trace::Recorder rec;
    std::string message;
    try {
        acm::run(tick_forever(7min));
    } catch (const acm::TimeLimitExceeded& e) {
        message = e.what();
    }
    INFO(message);
    CHECK(contains(message, "time limit"));
    CHECK(contains(message, "3600s"));
    CHECK(contains(message, "sleep_for(420s)"));
    CHECK(contains(message, "'main'"));
    auto guard = rec.events("guard");
    REQUIRE(guard.size() == 1);
    CHECK(field(guard[0], "kind") == quoted("time_limit"));
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("the time limit can be changed per loop") {
    acm::EventLoop loop;
    loop.set_time_limit(2s);
    double reached = 0;
    std::string message = what_of([&] {
        loop.run([&]() -> acm::Task<void> {
            for (;;) {
                co_await acm::sleep_for(500ms);
                reached = now_ms();
            }
        }());
    });
    CHECK(contains(message, "time limit"));
    CHECK(reached == 2000.0);
}

TEST_CASE("a loop that yields forever without time passing stops at the step limit, naming the task") {
    acm::trace::Recorder rec;
    acm::EventLoop loop;
    loop.set_step_limit(1000);
    std::string message;
    try {
        loop.run([]() -> acm::Task<void> {
            acm::current_loop().spawn(tick_forever(1s), "ticker");
            co_await acm::sleep_for(10ms);
            co_await acm::join(acm::current_loop().spawn(spin(), "spinner"));
        }());
    } catch (const acm::StepLimitExceeded& e) {
        message = e.what();
    }
    INFO(message);
    CHECK(contains(message, "step limit"));
    CHECK(contains(message, "1000"));
    CHECK(contains(message, "'spinner'"));
    CHECK(contains(message, "10ms"));  // the virtual time at which it got stuck
    CHECK(loop.steps() == 1000);
    auto guard = rec.events("guard");
    REQUIRE(guard.size() == 1);
    CHECK(field(guard[0], "kind") == quoted("step_limit"));
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("the guards do not trip on a long but finite run") {
    CHECK_NOTHROW(acm::run([]() -> acm::Task<void> {
        for (int i = 0; i < 50; ++i) co_await acm::sleep_for(1min);  // 50 min of virtual time
        for (int i = 0; i < 100'000; ++i) co_await acm::sleep_for(0ms);
    }()));
}
