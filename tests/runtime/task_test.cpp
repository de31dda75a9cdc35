// acm::Task<T>: lazy, move-only coroutines for T, T& and void, with exceptions that reach the awaiter.
#include "support.hpp"

#include <memory>
#include <stdexcept>
#include <string>

using namespace acm_test;

namespace {

acm::Task<int> forty_two(FrameProbe = {}) { co_return 42; }

acm::Task<int> add_after(acm::Duration d, int a, int b, FrameProbe = {}) {
    co_await acm::sleep_for(d);
    co_return a + b;
}

acm::Task<int&> larger_of(int& a, int& b) {
    co_await acm::sleep_for(1ms);
    co_return a > b ? a : b;
}

acm::Task<void> mark(bool& ran, FrameProbe = {}) {
    ran = true;
    co_return;
}

acm::Task<std::unique_ptr<std::string>> boxed(std::string s) { co_return std::make_unique<std::string>(std::move(s)); }

// No default constructor: a promise that default-constructs its value would not compile.
struct Reading {
    explicit Reading(int v) : value(v) {}
    int value;
};
acm::Task<Reading> read_sensor() { co_return Reading{17}; }

acm::Task<int> fails_after(acm::Duration d, FrameProbe = {}) {
    co_await acm::sleep_for(d);
    throw Boom{"sensor unplugged"};
}

acm::Task<int> middle(FrameProbe = {}) { co_return 1 + co_await fails_after(5ms); }
acm::Task<int> outer(FrameProbe = {}) { co_return 1 + co_await middle(); }

acm::Task<long> count_up(long n) {
    long sum = 0;
    for (long i = 0; i < n; ++i) sum += co_await forty_two();
    co_return sum;
}

acm::Task<int> nested(int depth) {
    if (depth == 0) co_return 0;
    co_return 1 + co_await nested(depth - 1);
}

}  // namespace

TEST_CASE("a Task<int> gives its co_returned value to the coroutine that awaits it") {
    int got = 0;
    acm::run([&]() -> acm::Task<void> { got = co_await add_after(10ms, 2, 3); }());
    CHECK(got == 5);
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("EventLoop::run returns the main task's value") {
    CHECK(acm::run(add_after(1s, 40, 2)) == 42);
    acm::EventLoop loop;
    CHECK(loop.run(forty_two()) == 42);
}

TEST_CASE("a Task<T&> hands back a reference to the very object, not a copy") {
    int a = 3, b = 9;
    int* got = nullptr;
    acm::run([&]() -> acm::Task<void> {
        int& r = co_await larger_of(a, b);
        got = &r;
        r = 100;
    }());
    CHECK(got == &b);
    CHECK(b == 100);
    int& from_run = acm::run(larger_of(a, b));
    CHECK(&from_run == &b);
}

TEST_CASE("a Task<void> runs to its end when awaited") {
    bool ran = false;
    acm::run([&]() -> acm::Task<void> { co_await mark(ran); }());
    CHECK(ran);
}

TEST_CASE("a Task does nothing until it is awaited: creating one runs none of its code") {
    bool ran = false;
    acm::run([&]() -> acm::Task<void> {
        acm::Task<void> later = mark(ran);
        co_await acm::sleep_for(10ms);
        CHECK_FALSE(ran);
        co_await std::move(later);
        CHECK(ran);
    }());
    CHECK(ran);
}

TEST_CASE("a Task can return a move-only value and a type without a default constructor") {
    std::unique_ptr<std::string> box;
    int reading = 0;
    acm::run([&]() -> acm::Task<void> {
        box = co_await boxed("hello");
        reading = (co_await read_sensor()).value;
    }());
    REQUIRE(box);
    CHECK(*box == "hello");
    CHECK(reading == 17);
}

TEST_CASE("an exception thrown in a Task reaches the coroutine that awaits it, through every level") {
    std::string caught;
    double caught_ms = -1;
    acm::run([&]() -> acm::Task<void> {
        try {
            co_await outer();
        } catch (const Boom& e) {
            caught = e.what();
            caught_ms = now_ms();
        }
    }());
    CHECK(caught == "sensor unplugged");
    CHECK(caught_ms == 5.0);
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("EventLoop::run rethrows the exception that left the main task") {
    CHECK_THROWS_WITH_AS(acm::run(outer()), "sensor unplugged", Boom);
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("a Task destroyed without ever being awaited frees its frame") {
    bool ran = false;
    {
        acm::Task<void> never = mark(ran);
        CHECK(FrameProbe::live == 1);
    }
    CHECK(FrameProbe::live == 0);
    CHECK_FALSE(ran);
    {
        // Also inside a loop: a task created by a coroutine and dropped.
        acm::run([&]() -> acm::Task<void> {
            auto dropped = add_after(1s, 1, 1);
            co_await acm::sleep_for(1ms);
        }());
    }
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("a Task replaced by move-assignment frees the frame it held") {
    bool first = false, second = false;
    acm::Task<void> t = mark(first);
    t = mark(second);
    CHECK(FrameProbe::live == 1);
    acm::run(std::move(t));
    CHECK(second);
    CHECK_FALSE(first);
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("a Task awaited by name lives until the Task object goes away") {
    int got = 0;
    acm::run([&]() -> acm::Task<void> {
        acm::Task<int> named = add_after(1ms, 20, 22);
        got = co_await named;
        CHECK(named.valid());
        CHECK(FrameProbe::live == 1);  // the finished frame still belongs to `named`
    }());
    CHECK(got == 42);
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("awaiting an empty or moved-from Task is a clear error, not a crash") {
    std::string message;
    acm::run([&]() -> acm::Task<void> {
        acm::Task<int> t = forty_two();
        acm::Task<int> stolen = std::move(t);
        try {
            co_await t;
        } catch (const std::logic_error& e) {
            message = e.what();
        }
        co_await stolen;
    }());
    CHECK(contains(message, "moved-from"));
}

TEST_CASE("a Task gives its result once: awaiting it again, or from two places at once, is a clear error") {
    std::string again, twice;
    acm::run([&]() -> acm::Task<void> {
        acm::Task<int> t = forty_two();
        co_await t;
        try {
            co_await t;
        } catch (const std::logic_error& e) {
            again = e.what();
        }

        acm::Task<int> slow = add_after(10ms, 1, 2);
        auto& loop = acm::current_loop();
        auto first = loop.spawn([](acm::Task<int>& t) -> acm::Task<void> { co_await t; }(slow), "first");
        auto second = loop.spawn([](acm::Task<int>& t) -> acm::Task<void> { co_await t; }(slow), "second");
        co_await acm::join(first);
        try {
            co_await acm::join(second);
        } catch (const std::logic_error& e) {
            twice = e.what();
        }
    }());
    CHECK(contains(again, "already awaited"));
    CHECK(contains(twice, "already being awaited"));
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("hundreds of thousands of awaits in a row keep the stack flat") {
    // Resuming through the loop instead of on the stack: a chain of awaits must not grow the
    // stack (the Emscripten build crashed after ~200k with symmetric transfer).
    CHECK(acm::run(count_up(300'000)) == 42L * 300'000);
}

TEST_CASE("tasks can nest a thousand levels deep") { CHECK(acm::run(nested(1000)) == 1000); }
