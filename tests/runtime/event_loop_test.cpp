// EventLoop: virtual time, sleep_for, timers (call_at, call_later, TimerHandle), spawn, join, gather.
#include "support.hpp"

#include <stdexcept>
#include <string>
#include <vector>

using namespace acm_test;

namespace {

acm::Task<void> sleeper(acm::Duration d, Strings& log, std::string name) {
    log.push_back(name + " starts at " + std::to_string(int(now_ms())));
    co_await acm::sleep_for(d);
    log.push_back(name + " wakes at " + std::to_string(int(now_ms())));
}

acm::Task<void> failing(acm::Duration d, std::string what) {
    co_await acm::sleep_for(d);
    throw Boom{what};
}

acm::Task<void> record_name(std::string& out) {
    out = acm::current_task().name();
    co_return;
}

}  // namespace

TEST_CASE("virtual time starts at zero and sleep_for advances it by exactly the amount slept") {
    std::vector<double> seen;
    acm::run([&]() -> acm::Task<void> {
        seen.push_back(now_ms());
        co_await acm::sleep_for(250ms);
        seen.push_back(now_ms());
        co_await acm::sleep_for(2s);
        seen.push_back(now_ms());
        co_await acm::sleep_for(std::chrono::minutes(30));  // costs no wall time
        seen.push_back(now_ms());
    }());
    CHECK(seen == std::vector<double>{0, 250, 2250, 2250 + 30 * 60 * 1000});
}

TEST_CASE("every new EventLoop starts its virtual time at zero") {
    acm::run([]() -> acm::Task<void> { co_await acm::sleep_for(5s); }());
    double start = -1;
    acm::run([&]() -> acm::Task<void> {
        start = now_ms();
        co_return;
    }());
    CHECK(start == 0.0);
}

TEST_CASE("sleep_for(0ms) lets every task that is ready run first") {
    Strings log;
    acm::run([&]() -> acm::Task<void> {
        auto other = acm::current_loop().spawn(sleeper(0ms, log, "other"), "other");
        log.push_back("main yields");
        co_await acm::sleep_for(0ms);
        log.push_back("main resumes");
        co_await acm::join(other);
    }());
    CHECK(log == Strings{"main yields", "other starts at 0", "main resumes", "other wakes at 0"});
}

TEST_CASE("call_later runs its callback after the delay, at that virtual time") {
    double fired_at = -1;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::sleep_for(100ms);
        acm::current_loop().call_later(40ms, [&] { fired_at = now_ms(); });
        co_await acm::sleep_for(1s);
    }());
    CHECK(fired_at == 140.0);
}

TEST_CASE("call_at runs its callback at the given time; a time already past runs at the current time") {
    double at_500 = -1, in_the_past = -1;
    acm::run([&]() -> acm::Task<void> {
        auto& loop = acm::current_loop();
        loop.call_at(acm::TimePoint{500ms}, [&] { at_500 = now_ms(); });
        co_await acm::sleep_for(700ms);
        loop.call_at(acm::TimePoint{100ms}, [&] { in_the_past = now_ms(); });
        co_await acm::sleep_for(1ms);
    }());
    CHECK(at_500 == 500.0);
    CHECK(in_the_past == 700.0);
}

TEST_CASE("a cancelled timer never fires, and cancel() says whether it was still pending") {
    bool fired = false;
    acm::TimerHandle handle;
    bool first_cancel = false, second_cancel = true;
    acm::run([&]() -> acm::Task<void> {
        auto& loop = acm::current_loop();
        handle = loop.call_later(50ms, [&] { fired = true; });
        CHECK(handle.pending());
        CHECK(loop.pending_timers() == 1);
        co_await acm::sleep_for(10ms);
        first_cancel = handle.cancel();
        second_cancel = handle.cancel();
        CHECK(loop.pending_timers() == 0);
        co_await acm::sleep_for(100ms);
    }());
    CHECK_FALSE(fired);
    CHECK(first_cancel);
    CHECK_FALSE(second_cancel);
    CHECK(handle.cancelled());
    CHECK_FALSE(handle.fired());
    CHECK_FALSE(handle.pending());
}

TEST_CASE("a timer that already fired cannot be cancelled") {
    acm::TimerHandle handle;
    bool cancel_after_firing = true;
    acm::run([&]() -> acm::Task<void> {
        handle = acm::current_loop().call_later(5ms, [] {});
        co_await acm::sleep_for(10ms);
        cancel_after_firing = handle.cancel();
    }());
    CHECK(handle.fired());
    CHECK_FALSE(handle.cancelled());
    CHECK_FALSE(cancel_after_firing);
}

TEST_CASE("cancelling a timer releases what its callback captured at once") {
    auto resource = std::make_shared<int>(1);
    std::weak_ptr<int> watch = resource;
    acm::run([&]() -> acm::Task<void> {
        auto handle = acm::current_loop().call_later(1s, [r = std::move(resource)] { (void)r; });
        handle.cancel();
        CHECK(watch.expired());
        co_return;
    }());
}

TEST_CASE("timers due at the same instant fire in the order they were scheduled") {
    Strings order;
    acm::run([&]() -> acm::Task<void> {
        auto& loop = acm::current_loop();
        loop.call_later(30ms, [&] { order.push_back("c at 30"); });
        loop.call_later(20ms, [&] { order.push_back("a at 20"); });
        loop.call_at(acm::TimePoint{20ms}, [&] { order.push_back("b at 20"); });
        loop.call_later(10ms, [&] { order.push_back("first at 10"); });
        co_await acm::sleep_for(50ms);
    }());
    CHECK(order == Strings{"first at 10", "a at 20", "b at 20", "c at 30"});
}

TEST_CASE("pending_timers counts timers that have neither fired nor been cancelled") {
    acm::run([]() -> acm::Task<void> {
        auto& loop = acm::current_loop();
        CHECK(loop.pending_timers() == 0);
        auto a = loop.call_later(10ms, [] {});
        auto b = loop.call_later(20ms, [] {});
        CHECK(loop.pending_timers() == 2);
        b.cancel();
        CHECK(loop.pending_timers() == 1);
        co_await acm::sleep_for(15ms);  // a fired; the sleep's own timer fired too
        CHECK(loop.pending_timers() == 0);
    }());
}

TEST_CASE("an exception thrown by a timer callback stops the run and comes out of run()") {
    CHECK_THROWS_WITH_AS(acm::run([]() -> acm::Task<void> {
                             acm::current_loop().call_later(10ms, [] { throw Boom{"callback failed"}; });
                             co_await acm::sleep_for(1s);
                         }()),
                         "callback failed", Boom);
}

TEST_CASE("a spawned task starts at the loop's next step and runs alongside the spawner") {
    Strings log;
    acm::run([&]() -> acm::Task<void> {
        auto worker = acm::current_loop().spawn(sleeper(30ms, log, "worker"), "worker");
        log.push_back("main spawned");
        co_await acm::sleep_for(10ms);
        log.push_back("main at " + std::to_string(int(now_ms())));
        co_await acm::join(worker);
        log.push_back("main joined at " + std::to_string(int(now_ms())));
    }());
    CHECK(log == Strings{"main spawned", "worker starts at 0", "main at 10", "worker wakes at 30", "main joined at 30"});
}

TEST_CASE("join rethrows the exception of the task it waited for") {
    std::string caught;
    acm::run([&]() -> acm::Task<void> {
        auto t = acm::current_loop().spawn(failing(20ms, "worker broke"), "worker");
        try {
            co_await acm::join(t);
        } catch (const Boom& e) {
            caught = e.what();
        }
        CHECK(t.done());
        CHECK(t.error());
    }());
    CHECK(caught == "worker broke");
}

TEST_CASE("join on a task that already finished returns at once") {
    double joined_at = -1;
    acm::run([&]() -> acm::Task<void> {
        Strings log;
        auto t = acm::current_loop().spawn(sleeper(10ms, log, "quick"), "quick");
        co_await acm::sleep_for(100ms);
        CHECK(t.done());
        co_await acm::join(t);
        joined_at = now_ms();
    }());
    CHECK(joined_at == 100.0);
}

TEST_CASE("gather runs its tasks concurrently: it takes as long as the slowest, not the sum") {
    Strings log;
    double done_at = -1;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::gather(sleeper(30ms, log, "a"), sleeper(10ms, log, "b"), sleeper(20ms, log, "c"));
        done_at = now_ms();
    }());
    CHECK(done_at == 30.0);
    CHECK(log == Strings{"a starts at 0", "b starts at 0", "c starts at 0", "b wakes at 10", "c wakes at 20", "a wakes at 30"});
}

TEST_CASE("gather waits for every task, then rethrows the first failure in argument order") {
    Strings log;
    std::string caught;
    double caught_at = -1;
    acm::run([&]() -> acm::Task<void> {
        try {
            co_await acm::gather(failing(30ms, "first argument"), failing(10ms, "second argument"),
                                 sleeper(50ms, log, "slow"));
        } catch (const Boom& e) {
            caught = e.what();
            caught_at = now_ms();
        }
    }());
    CHECK(caught == "first argument");
    CHECK(caught_at == 50.0);
    CHECK(log.back() == "slow wakes at 50");
}

TEST_CASE("tasks still running when main finishes are cancelled, and their managers still exit") {
    Strings log;
    int result = acm::run([&]() -> acm::Task<int> {
        acm::current_loop().spawn(
            [](Strings& log) -> acm::Task<void> {
                try {
                    co_await acm::sleep_for(1h);
                    log.push_back("background finished");
                } catch (const acm::Cancelled&) {
                    log.push_back("background cancelled at " + std::to_string(int(now_ms())));
                    throw;
                }
            }(log),
            "background");
        co_await acm::sleep_for(20ms);
        co_return 7;
    }());
    CHECK(result == 7);
    CHECK(log == Strings{"background cancelled at 20"});
}

TEST_CASE("current_task() is the task whose code is running") {
    std::string in_main, in_worker;
    acm::run([&]() -> acm::Task<void> {
        co_await record_name(in_main);
        co_await acm::join(acm::current_loop().spawn(record_name(in_worker), "worker"));
    }());
    CHECK(in_main == "main");
    CHECK(in_worker == "worker");
}

TEST_CASE("a spawned task without a name gets one from its number") {
    std::string name;
    acm::run([&]() -> acm::Task<void> { co_await acm::join(acm::current_loop().spawn(record_name(name))); }());
    CHECK(name == "task 2");
}

TEST_CASE("starting a loop inside a running loop is refused with a message") {
    std::string message;
    acm::run([&]() -> acm::Task<void> {
        message = what_of([] { acm::run([]() -> acm::Task<void> { co_return; }()); });
        co_return;
    }());
    CHECK(contains(message, "already running"));
    CHECK(contains(message, "co_await"));
}

TEST_CASE("asking for the loop outside a run says that no loop is running") {
    CHECK(contains(what_of([] { acm::current_loop(); }), "no EventLoop is running"));
    CHECK(contains(what_of([] { acm::now(); }), "no EventLoop is running"));
}
