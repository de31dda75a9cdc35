// acm::Lock, the asyncio.Lock of the course: one holder at a time, first come first served,
// usable with async_with, and a cancelled waiter never takes the lock with it.
#include "support.hpp"

#include <stdexcept>
#include <string>

using namespace acm_test;

namespace {

std::string at() { return " at " + std::to_string(int(now_ms())); }

// Holds the lock for `hold` inside an async_with block, logging when it gets in and out.
acm::Task<void> use(acm::Lock& lock, std::string name, acm::Duration hold, Strings& log, int& inside) {
    co_await acm::async_with(lock, [&](acm::Lock&) -> acm::Task<void> {
        ++inside;
        log.push_back(name + " in" + at() + (inside > 1 ? " (not alone!)" : ""));
        co_await acm::sleep_for(hold);
        log.push_back(name + " out" + at());
        --inside;
    });
}

}  // namespace

TEST_CASE("the lock lets one task in at a time") {
    Strings log;
    int inside = 0;
    acm::run([&]() -> acm::Task<void> {
        acm::Lock lock;
        co_await acm::gather(use(lock, "a", 10ms, log, inside), use(lock, "b", 10ms, log, inside),
                             use(lock, "c", 10ms, log, inside));
        CHECK_FALSE(lock.locked());
    }());
    CHECK(log == Strings{"a in at 0", "a out at 10", "b in at 10", "b out at 20", "c in at 20", "c out at 30"});
}

TEST_CASE("waiters get the lock in the order they asked, and a latecomer cannot barge in") {
    Strings log;
    int inside = 0;
    acm::run([&]() -> acm::Task<void> {
        auto& loop = acm::current_loop();
        acm::Lock lock;
        co_await lock.acquire();
        auto second = loop.spawn(use(lock, "second", 1ms, log, inside), "second");
        co_await acm::sleep_for(1ms);
        auto third = loop.spawn(use(lock, "third", 1ms, log, inside), "third");
        co_await acm::sleep_for(1ms);
        lock.release();  // handed straight to "second"...
        auto latecomer = loop.spawn(use(lock, "latecomer", 1ms, log, inside), "latecomer");  // ...so this one queues
        co_await acm::join(second);
        co_await acm::join(third);
        co_await acm::join(latecomer);
    }());
    CHECK(log == Strings{"second in at 2", "second out at 3", "third in at 3", "third out at 4", "latecomer in at 4",
                         "latecomer out at 5"});
}

TEST_CASE("a free lock is taken at once, without letting other tasks run first") {
    Strings log;
    acm::run([&]() -> acm::Task<void> {
        acm::Lock lock;
        acm::current_loop().spawn([](Strings& log) -> acm::Task<void> {
            log.push_back("other task ran");
            co_return;
        }(log));
        co_await lock.acquire();
        log.push_back("lock taken");
        CHECK(lock.locked());
        lock.release();
        co_await acm::sleep_for(0ms);
    }());
    CHECK(log == Strings{"lock taken", "other task ran"});
}

TEST_CASE("a task cancelled while queued for the lock leaves the queue; the next waiter still gets it") {
    Strings log;
    int inside = 0;
    acm::run([&]() -> acm::Task<void> {
        auto& loop = acm::current_loop();
        acm::Lock lock;
        co_await lock.acquire();
        auto doomed = loop.spawn(use(lock, "doomed", 1ms, log, inside), "doomed");
        auto patient = loop.spawn(use(lock, "patient", 1ms, log, inside), "patient");
        co_await acm::sleep_for(5ms);
        doomed.cancel();
        co_await acm::sleep_for(5ms);
        lock.release();
        co_await acm::join(patient);
        CHECK_THROWS_AS(co_await acm::join(doomed), acm::Cancelled);
        CHECK_FALSE(lock.locked());
    }());
    CHECK(log == Strings{"patient in at 10", "patient out at 11"});
}

TEST_CASE("a task handed the lock but cancelled before it could run passes the lock on") {
    Strings log;
    int inside = 0;
    acm::run([&]() -> acm::Task<void> {
        auto& loop = acm::current_loop();
        acm::Lock lock;
        co_await lock.acquire();
        auto doomed = loop.spawn(use(lock, "doomed", 1ms, log, inside), "doomed");
        auto patient = loop.spawn(use(lock, "patient", 1ms, log, inside), "patient");
        co_await acm::sleep_for(5ms);
        // In one step: the lock goes to "doomed" (woken, not yet running), then "doomed" is cancelled.
        lock.release();
        doomed.cancel();
        co_await acm::join(patient);
        CHECK_THROWS_AS(co_await acm::join(doomed), acm::Cancelled);
        CHECK_FALSE(lock.locked());
    }());
    CHECK(log == Strings{"patient in at 5", "patient out at 6"});
}

TEST_CASE("used with async_with, the lock is released however the block ends") {
    acm::run([]() -> acm::Task<void> {
        acm::Lock lock;
        try {
            co_await acm::async_with(lock, [&](acm::Lock& l) -> acm::Task<void> {
                CHECK(l.locked());
                throw Boom{};
                co_return;
            });
        } catch (const Boom&) {
        }
        CHECK_FALSE(lock.locked());

        auto holder = acm::current_loop().spawn(
            acm::async_with(lock, []() -> acm::Task<void> { co_await acm::sleep_for(1s); }), "holder");
        co_await acm::sleep_for(10ms);
        CHECK(lock.locked());
        holder.cancel();
        CHECK_THROWS_AS(co_await acm::join(holder), acm::Cancelled);
        CHECK_FALSE(lock.locked());
    }());
}

TEST_CASE("releasing a lock that is not held is an error that says so") {
    acm::Lock lock;
    CHECK(contains(what_of([&] { lock.release(); }), "not locked"));
}
