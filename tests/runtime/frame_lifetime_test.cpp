// No coroutine frame is ever leaked: every path that ends a task — finishing, failing, being
// cancelled, being abandoned when the loop ends, a guard stopping the loop, never being awaited —
// destroys every frame, and the awaiters in them let go of their timers and wait lists.
//
// Each coroutine here takes a FrameProbe by value, so the probe lives exactly as long as the frame.
#include "support.hpp"

#include <string>

using namespace acm_test;

namespace {

struct Holding {
    Holding() {}  // not an aggregate: see Recording in async_with_test.cpp for the g++ 12 bug
    FrameProbe probe;
    acm::Task<Holding&> aenter(FrameProbe = {}) {
        co_await acm::sleep_for(1ms);
        co_return *this;
    }
    acm::Task<bool> aexit(std::exception_ptr, FrameProbe = {}) {
        co_await acm::sleep_for(1ms);
        co_return false;
    }
};

acm::Task<void> leaf(acm::Duration d, FrameProbe = {}) { co_await acm::sleep_for(d); }

acm::Task<void> deep(acm::Duration d, FrameProbe = {}) {
    auto body = [d, p = FrameProbe{}](Holding&) -> acm::Task<void> { co_await leaf(d); };
    co_await acm::async_with(Holding{}, std::move(body));
}

acm::GeneratorManager<int> generated(acm::Duration d, FrameProbe = {}) {
    co_await acm::sleep_for(d);
    co_yield 1;
    co_await acm::sleep_for(d);
}

acm::Task<void> everything(acm::Duration d, acm::Lock& lock, FrameProbe = {}) {
    co_await acm::async_with(generated(1ms), [&](int&) -> acm::Task<void> {
        co_await acm::async_with(lock, [&]() -> acm::Task<void> { co_await deep(d); });
    });
}

}  // namespace

TEST_CASE("no frame is left after a run that finishes normally") {
    acm::Lock lock;
    acm::run(everything(10ms, lock));
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("no frame is left after a task is cancelled deep inside nested blocks") {
    acm::Lock lock;
    acm::run([&]() -> acm::Task<void> {
        auto victim = acm::current_loop().spawn(everything(1h, lock), "victim");
        co_await acm::sleep_for(50ms);
        CHECK(FrameProbe::live > 5);
        victim.cancel();
        try {
            co_await acm::join(victim);
        } catch (const acm::Cancelled&) {
        }
        CHECK(FrameProbe::live == 0);
        CHECK(acm::current_loop().pending_timers() == 0);
    }());
    CHECK_FALSE(lock.locked());
}

TEST_CASE("no frame is left by tasks still running when main finishes (they are cancelled and unwound)") {
    acm::Lock lock;
    acm::run([&]() -> acm::Task<void> {
        acm::current_loop().spawn(everything(1h, lock), "abandoned");
        acm::current_loop().spawn(leaf(1h), "sleeper");
        co_await acm::sleep_for(50ms);
    }());
    CHECK(FrameProbe::live == 0);
    CHECK_FALSE(lock.locked());  // the abandoned block's aexit ran
}

TEST_CASE("no frame is left when the loop stops on a deadlock, a time limit or a step limit") {
    acm::Lock lock;
    SUBCASE("deadlock") {
        CHECK_THROWS_AS(acm::run([&]() -> acm::Task<void> {
                            acm::current_loop().spawn(everything(1h, lock), "holder");
                            co_await acm::sleep_for(50ms);
                            co_await lock.acquire();  // the holder sleeps for an hour first
                            co_await acm::sleep_for(2h);
                        }()),
                        acm::TimeLimitExceeded);
    }
    SUBCASE("deadlock with a task waiting on a lock") {
        CHECK_THROWS_AS(acm::run([&]() -> acm::Task<void> {
                            co_await lock.acquire();
                            acm::current_loop().spawn(everything(1ms, lock), "waiter");
                            co_await acm::join(acm::current_loop().spawn(everything(1ms, lock), "second waiter"));
                        }()),
                        acm::Deadlock);
    }
    SUBCASE("step limit") {
        acm::EventLoop loop;
        loop.set_step_limit(500);
        CHECK_THROWS_AS(loop.run([&]() -> acm::Task<void> {
                            acm::current_loop().spawn(everything(1h, lock), "holder");
                            for (;;) co_await leaf(0ms);
                        }()),
                        acm::StepLimitExceeded);
    }
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("no frame is left when a timer callback's exception stops the loop") {
    acm::Lock lock;
    CHECK_THROWS_AS(acm::run([&]() -> acm::Task<void> {
                        acm::current_loop().call_later(5ms, [] { throw Boom{}; });
                        co_await everything(1h, lock);
                    }()),
                    Boom);
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("a task created but never awaited or spawned frees its frame, whatever it would have done") {
    acm::Lock lock;
    { auto never = everything(1ms, lock); }
    {
        auto never = deep(1ms);
        auto moved = std::move(never);
    }
    { auto never = generated(1ms); }
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("a task object that outlives the loop that was running it is still destroyed cleanly") {
    // The loop stops on a guard while `outside` is suspended deep inside; its frame belongs to the
    // Task object, which is destroyed only after the loop is gone.
    acm::Lock lock;
    {
        acm::Task<void> outside = everything(1h, lock);
        CHECK_THROWS_AS(acm::run([&]() -> acm::Task<void> {
                            acm::current_loop().call_later(10ms, [] { throw Boom{}; });
                            co_await outside;
                        }()),
                        Boom);
        CHECK(FrameProbe::live > 0);
    }
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("a task that outlives its loop while queued for a lock leaves the lock's queue") {
    acm::Lock lock;
    {
        acm::Task<void> waiter = everything(1ms, lock);
        CHECK_THROWS_AS(acm::run([&]() -> acm::Task<void> {
                            co_await lock.acquire();
                            co_await waiter;  // waits for our own lock: a deadlock
                        }()),
                        acm::Deadlock);
    }
    CHECK(FrameProbe::live == 0);
    // The lock is still held by the dead main task, but nobody is queued on it.
    lock.release();
    CHECK_FALSE(lock.locked());
}
