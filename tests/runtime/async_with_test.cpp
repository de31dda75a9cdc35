// async_with: every way out of an `async with` block — normal exit, exception, suppression,
// cancellation in the body, failure or cancellation in aenter (no aexit), an exception from aexit —
// plus what the block receives and returns, nesting, and manager lifetimes.
#include "support.hpp"

#include <optional>
#include <stdexcept>
#include <string>

using namespace acm_test;

namespace {

std::string at() { return " at " + std::to_string(int(now_ms())); }

// "Cancelled" for a cancellation, the message for anything else.
std::string what_left(std::exception_ptr e) {
    if (!e) return "nothing";
    try {
        std::rethrow_exception(e);
    } catch (const acm::Cancelled&) {
        return "Cancelled";
    } catch (const std::exception& ex) {
        return ex.what();
    }
}

// A manager that writes every step into a log and can be told to misbehave.
//
// It has a constructor on purpose: g++ 12 destroys an *aggregate* temporary with a non-trivial
// destructor twice when it is created inside a co_await expression (a compiler bug, not the
// runtime's), and these tests write `co_await acm::async_with(Recording{...}, ...)`.
struct Recording {
    explicit Recording(Strings& l, std::string n = "m", acm::Duration enter = {}, acm::Duration exit = {})
        : log(l), name(std::move(n)), enter_delay(enter), exit_delay(exit) {}
    Strings& log;
    std::string name;
    acm::Duration enter_delay;
    acm::Duration exit_delay;
    bool fail_enter = false;
    bool suppress = false;
    bool fail_exit = false;
    FrameProbe probe{};

    acm::Task<Recording&> aenter(FrameProbe = {}) {
        log.push_back(name + ".aenter" + at());
        if (enter_delay.count()) co_await acm::sleep_for(enter_delay);
        if (fail_enter) throw Boom{name + " could not enter"};
        co_return *this;
    }
    acm::Task<bool> aexit(std::exception_ptr e, FrameProbe = {}) {
        log.push_back(name + ".aexit(" + what_left(e) + ")" + at());
        if (exit_delay.count()) co_await acm::sleep_for(exit_delay);
        if (fail_exit) throw Boom{name + " failed to exit"};
        co_return suppress;
    }
};

// aexit returns void: it can never suppress.
struct VoidExit {
    Strings& log;
    acm::Task<int> aenter() { co_return 5; }
    acm::Task<void> aexit(std::exception_ptr e) {
        log.push_back("VoidExit.aexit(" + what_left(e) + ")");
        co_return;
    }
};

// aenter gives nothing: the body takes no argument.
struct Nothing {
    Strings& log;
    acm::Task<void> aenter() {
        log.push_back("enter");
        co_return;
    }
    acm::Task<bool> aexit(std::exception_ptr) {
        log.push_back("exit");
        co_return false;
    }
};

// Not a coroutine at all: aenter and aexit return hand-written awaiters.
struct ImmediateAwaiter {
    int value;
    bool await_ready() const noexcept { return true; }
    void await_suspend(acm::detail::coro::coroutine_handle<>) const noexcept {}
    int await_resume() const noexcept { return value; }
};
struct BoolAwaiter {
    bool value;
    bool await_ready() const noexcept { return true; }
    void await_suspend(acm::detail::coro::coroutine_handle<>) const noexcept {}
    bool await_resume() const noexcept { return value; }
};
struct HandWritten {
    int exits = 0;
    ImmediateAwaiter aenter() { return {11}; }
    BoolAwaiter aexit(std::exception_ptr e) {
        ++exits;
        return {e != nullptr};
    }
};

// Counts its own lifetime, to see when async_with lets go of a temporary manager.
struct Tracked {
    Strings& log;
    bool moved_from = false;
    explicit Tracked(Strings& l) : log(l) {}
    Tracked(Tracked&& o) noexcept : log(o.log) { o.moved_from = true; }
    ~Tracked() {
        if (!moved_from) log.push_back("manager destroyed" + (acm::EventLoop::running() ? at() : std::string()));
    }
    acm::Task<Tracked&> aenter() { co_return *this; }
    acm::Task<bool> aexit(std::exception_ptr) {
        co_await acm::sleep_for(5ms);
        log.push_back("aexit done" + at());
        co_return false;
    }
};

}  // namespace

TEST_CASE("a normal exit runs aenter, the body, then aexit with no exception") {
    Strings log;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(Recording{log, "m", 100ms, 20ms}, [&](Recording&) -> acm::Task<void> {
            log.push_back("body" + at());
            co_await acm::sleep_for(50ms);
            log.push_back("body ends" + at());
        });
        log.push_back("after the block" + at());
    }());
    CHECK(log == Strings{"m.aenter at 0", "body at 100", "body ends at 150", "m.aexit(nothing) at 150", "after the block at 170"});
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("the body receives what aenter() gives: the manager itself, a value, or nothing") {
    Strings log;
    acm::run([&]() -> acm::Task<void> {
        Recording named{log};
        co_await acm::async_with(named, [&](Recording& m) -> acm::Task<void> {
            CHECK(&m == &named);
            co_return;
        });
        co_await acm::async_with(VoidExit{log}, [&](int& v) -> acm::Task<void> {
            CHECK(v == 5);
            co_return;
        });
        co_await acm::async_with(Nothing{log}, [&]() -> acm::Task<void> {
            log.push_back("body");
            co_return;
        });
        // A body may also ignore what aenter gives.
        co_await acm::async_with(named, [&]() -> acm::Task<void> { co_return; });
    }());
    CHECK(log == Strings{"m.aenter at 0", "m.aexit(nothing) at 0", "VoidExit.aexit(nothing)", "enter", "body", "exit",
                         "m.aenter at 0", "m.aexit(nothing) at 0"});
}

TEST_CASE("an exception from the body reaches aexit and propagates when aexit returns false") {
    Strings log;
    std::string caught;
    acm::run([&]() -> acm::Task<void> {
        try {
            co_await acm::async_with(Recording{log}, [&](Recording&) -> acm::Task<void> {
                co_await acm::sleep_for(10ms);
                throw Boom{"body failed"};
            });
            log.push_back("after the block");
        } catch (const Boom& e) {
            caught = e.what();
        }
    }());
    CHECK(log == Strings{"m.aenter at 0", "m.aexit(body failed) at 10"});
    CHECK(caught == "body failed");
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("aexit returning true suppresses the body's exception and the code after the block runs") {
    Strings log;
    acm::run([&]() -> acm::Task<void> {
        Recording m{log};
        m.suppress = true;
        co_await acm::async_with(m, [&](Recording&) -> acm::Task<void> {
            throw Boom{"ignored"};
            log.push_back("rest of the body");
            co_return;
        });
        log.push_back("after the block");
    }());
    CHECK(log == Strings{"m.aenter at 0", "m.aexit(ignored) at 0", "after the block"});
}

TEST_CASE("aexit returning true after a normal exit changes nothing") {
    Strings log;
    int got = 0;
    acm::run([&]() -> acm::Task<void> {
        Recording m{log};
        m.suppress = true;
        got = co_await acm::async_with(m, [&](Recording&) -> acm::Task<int> { co_return 3; });
    }());
    CHECK(got == 3);
}

TEST_CASE("an aexit returning void never suppresses") {
    Strings log;
    CHECK_THROWS_WITH_AS(acm::run([&]() -> acm::Task<void> {
                             co_await acm::async_with(VoidExit{log}, [&](int&) -> acm::Task<void> {
                                 throw Boom{"kept"};
                                 co_return;
                             });
                         }()),
                         "kept", Boom);
    CHECK(log == Strings{"VoidExit.aexit(kept)"});
}

TEST_CASE("a body cancelled mid-way still runs aexit, which receives acm::Cancelled, and the cancellation propagates") {
    Strings log;
    bool cancelled = false;
    acm::run([&]() -> acm::Task<void> {
        auto worker = acm::current_loop().spawn(
            [](Strings& log) -> acm::Task<void> {
                co_await acm::async_with(Recording{log, "m", 0ms, 30ms}, [&](Recording&) -> acm::Task<void> {
                    log.push_back("body" + at());
                    co_await acm::sleep_for(1s);
                    log.push_back("body finished");
                });
                log.push_back("after the block");
            }(log),
            "worker");
        co_await acm::sleep_for(200ms);
        worker.cancel();
        try {
            co_await acm::join(worker);
        } catch (const acm::Cancelled&) {
            cancelled = true;
            log.push_back("worker ended" + at());
        }
    }());
    CHECK(cancelled);
    // aexit's own sleep is not cut short: the cancellation was delivered once, in the body.
    CHECK(log == Strings{"m.aenter at 0", "body at 0", "m.aexit(Cancelled) at 200", "worker ended at 230"});
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("if aenter throws, neither the body nor aexit runs and the exception propagates") {
    Strings log;
    std::string caught;
    acm::run([&]() -> acm::Task<void> {
        Recording m{log, "m", 10ms};
        m.fail_enter = true;
        try {
            co_await acm::async_with(m, [&](Recording&) -> acm::Task<void> {
                log.push_back("body");
                co_return;
            });
        } catch (const Boom& e) {
            caught = e.what();
        }
    }());
    CHECK(log == Strings{"m.aenter at 0"});
    CHECK(caught == "m could not enter");
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("if aenter is cancelled, neither the body nor aexit runs and the cancellation propagates") {
    Strings log;
    bool cancelled = false;
    acm::run([&]() -> acm::Task<void> {
        auto worker = acm::current_loop().spawn(
            [](Strings& log) -> acm::Task<void> {
                co_await acm::async_with(Recording{log, "m", 500ms}, [&](Recording&) -> acm::Task<void> {
                    log.push_back("body");
                    co_return;
                });
            }(log),
            "worker");
        co_await acm::sleep_for(100ms);
        worker.cancel();
        try {
            co_await acm::join(worker);
        } catch (const acm::Cancelled&) {
            cancelled = true;
        }
    }());
    CHECK(cancelled);
    CHECK(log == Strings{"m.aenter at 0"});
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("an exception thrown by aexit replaces the body's exception") {
    Strings log;
    std::string caught;
    acm::run([&]() -> acm::Task<void> {
        Recording m{log};
        m.fail_exit = true;
        try {
            co_await acm::async_with(m, [&](Recording&) -> acm::Task<void> {
                throw Boom{"from the body"};
                co_return;
            });
        } catch (const Boom& e) {
            caught = e.what();
        }
    }());
    CHECK(log == Strings{"m.aenter at 0", "m.aexit(from the body) at 0"});
    CHECK(caught == "m failed to exit");
}

TEST_CASE("an exception thrown by aexit after a normal exit leaves the block") {
    Strings log;
    Recording m{log};
    m.fail_exit = true;
    CHECK_THROWS_WITH_AS(acm::run(acm::async_with(m, [](Recording&) -> acm::Task<int> { co_return 1; })),
                         "m failed to exit", Boom);
}

TEST_CASE("a cancellation that arrives while aexit is awaiting interrupts aexit") {
    Strings log;
    std::string outcome;
    acm::run([&]() -> acm::Task<void> {
        auto worker = acm::current_loop().spawn(
            acm::async_with(Recording{log, "m", 0ms, 100ms}, [](Recording&) -> acm::Task<void> { co_return; }),
            "worker");
        co_await acm::sleep_for(50ms);
        worker.cancel();
        try {
            co_await acm::join(worker);
        } catch (const acm::Cancelled&) {
            outcome = "Cancelled" + at();
        }
    }());
    CHECK(log == Strings{"m.aenter at 0", "m.aexit(nothing) at 0"});
    CHECK(outcome == "Cancelled at 50");
}

TEST_CASE("async_with gives back what the body returns, a value or a reference") {
    Strings log;
    int target = 0;
    acm::run([&]() -> acm::Task<void> {
        int v = co_await acm::async_with(Recording{log}, [](Recording&) -> acm::Task<int> { co_return 42; });
        CHECK(v == 42);
        int& r = co_await acm::async_with(Recording{log}, [&](Recording&) -> acm::Task<int&> { co_return target; });
        CHECK(&r == &target);
        std::string s = co_await acm::async_with(Nothing{log}, []() -> acm::Task<std::string> { co_return "text"; });
        CHECK(s == "text");
    }());
}

TEST_CASE("suppressing an exception from a body that must return a value raises SuppressedWithoutValue, which says what happened") {
    Strings log;
    std::string message;
    acm::run([&]() -> acm::Task<void> {
        Recording m{log};
        m.suppress = true;
        try {
            co_await acm::async_with(m, [](Recording&) -> acm::Task<int> {
                throw Boom{"no reading"};
                co_return 0;
            });
        } catch (const acm::SuppressedWithoutValue& e) {
            message = e.what();
        }
    }());
    INFO(message);
    CHECK(contains(message, "Recording"));       // the manager
    CHECK(contains(message, "suppressed"));      // what it did
    CHECK(contains(message, "no reading"));      // to which exception
    CHECK(contains(message, "std::optional"));   // and how to allow it
}

TEST_CASE("a body returning std::optional opts in to suppression: the block gives std::nullopt") {
    Strings log;
    std::optional<int> suppressed_result = 99, normal_result;
    acm::run([&]() -> acm::Task<void> {
        Recording m{log};
        m.suppress = true;
        suppressed_result = co_await acm::async_with(m, [](Recording&) -> acm::Task<std::optional<int>> {
            throw Boom{"no reading"};
            co_return 1;
        });
        normal_result = co_await acm::async_with(m, [](Recording&) -> acm::Task<std::optional<int>> { co_return 2; });
    }());
    CHECK_FALSE(suppressed_result.has_value());
    CHECK(normal_result == std::optional<int>{2});
}

TEST_CASE("nested managers enter outside-in and exit inside-out, on a normal exit and on an exception") {
    Strings log;
    auto nested = [&](bool fail) -> acm::Task<void> {
        co_await acm::async_with(Recording{log, "outer"}, [&](Recording&) -> acm::Task<void> {
            co_await acm::async_with(Recording{log, "middle"}, [&](Recording&) -> acm::Task<void> {
                co_await acm::async_with(Recording{log, "inner"}, [&](Recording&) -> acm::Task<void> {
                    log.push_back("body");
                    if (fail) throw Boom{"deep"};
                    co_return;
                });
            });
        });
    };
    acm::run(nested(false));
    CHECK(log == Strings{"outer.aenter at 0", "middle.aenter at 0", "inner.aenter at 0", "body",
                         "inner.aexit(nothing) at 0", "middle.aexit(nothing) at 0", "outer.aexit(nothing) at 0"});
    log.clear();
    CHECK_THROWS_AS(acm::run(nested(true)), Boom);
    CHECK(log == Strings{"outer.aenter at 0", "middle.aenter at 0", "inner.aenter at 0", "body",
                         "inner.aexit(deep) at 0", "middle.aexit(deep) at 0", "outer.aexit(deep) at 0"});
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("an inner manager that suppresses hides the exception from the outer one") {
    Strings log;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(Recording{log, "outer"}, [&](Recording&) -> acm::Task<void> {
            Recording inner{log, "inner"};
            inner.suppress = true;
            co_await acm::async_with(inner, [&](Recording&) -> acm::Task<void> {
                throw Boom{"handled inside"};
                co_return;
            });
        });
    }());
    CHECK(log == Strings{"outer.aenter at 0", "inner.aenter at 0", "inner.aexit(handled inside) at 0", "outer.aexit(nothing) at 0"});
}

TEST_CASE("a temporary manager lives until its aexit has finished") {
    Strings log;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(Tracked{log}, [&](Tracked&) -> acm::Task<void> {
            log.push_back("body");
            co_return;
        });
        log.push_back("after the block");
    }());
    CHECK(log == Strings{"body", "aexit done at 5", "manager destroyed at 5", "after the block"});
}

TEST_CASE("a named manager is used in place, so its state can be inspected after the block") {
    HandWritten m;
    int received = 0;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(m, [&](int& v) -> acm::Task<void> {
            received = v;
            co_return;
        });
    }());
    CHECK(received == 11);
    CHECK(m.exits == 1);
}

TEST_CASE("a manager whose aenter and aexit are hand-written awaiters, not coroutines, works too") {
    HandWritten m;
    std::string after;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(m, [](int&) -> acm::Task<void> {
            throw Boom{"suppressed by a plain awaiter"};
            co_return;
        });
        after = "ran";
    }());
    CHECK(after == "ran");
    CHECK(m.exits == 1);
}

TEST_CASE("the body's lambda and what it captured stay alive for the whole block") {
    std::string seen;
    Strings log;
    acm::run([&]() -> acm::Task<void> {
        std::string label = "captured by value";
        // The lambda is a temporary of this statement, which ends before the block runs. (Its
        // own statement also sidesteps g++ 12 destroying a lambda with a std::string capture
        // twice when it is written inside a co_await expression.)
        acm::Task<void> block = acm::async_with(Nothing{log}, [label, &seen]() -> acm::Task<void> {
            co_await acm::sleep_for(10ms);
            seen = label;
        });
        co_await block;
    }());
    CHECK(seen == "captured by value");
}
