// GeneratorManager: the @asynccontextmanager of the course. Setup, co_yield once, teardown; the
// block's exception is rethrown at the co_yield; not rethrowing suppresses; yielding twice or
// never is a clear error.
#include "support.hpp"

#include <stdexcept>
#include <string>

using namespace acm_test;

namespace {

std::string at() { return " at " + std::to_string(int(now_ms())); }

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

struct Connection {
    std::string peer;
    bool open = true;
};

// What the generator does with an exception from the block.
enum class OnError { propagate, suppress, replace };

acm::GeneratorManager<Connection&> connected(Strings& log, std::string peer, OnError on_error = OnError::propagate,
                                             FrameProbe = {}) {
    log.push_back("connect to " + peer + at());
    co_await acm::sleep_for(10ms);
    Connection c{peer};
    std::exception_ptr error;
    try {
        co_yield c;
    } catch (...) {
        error = std::current_exception();  // no co_await in a handler: remember it, clean up below
        log.push_back("the block raised " + what_left(error));
    }
    co_await acm::sleep_for(5ms);
    c.open = false;
    log.push_back("closed " + peer + at());
    if (error && on_error == OnError::propagate) std::rethrow_exception(error);
    if (error && on_error == OnError::replace) throw Boom{"closing failed"};
}

acm::GeneratorManager<int> counter_from(int start) {
    co_yield start + 1;
}

acm::GeneratorManager<int> failing_setup(Strings& log, FrameProbe = {}) {
    co_await acm::sleep_for(3ms);
    throw Boom{"cannot connect"};
    log.push_back("unreachable");
    co_yield 0;
}

acm::GeneratorManager<int> never_yields(FrameProbe = {}) {
    co_await acm::sleep_for(1ms);
    co_return;
    co_yield 0;  // makes this a generator manager; never reached
}

acm::GeneratorManager<int> yields_twice(Strings& log, FrameProbe = {}) {
    co_yield 1;
    log.push_back("teardown yields again");
    co_yield 2;
    log.push_back("unreachable");
}

}  // namespace

TEST_CASE("setup runs on entry, the block gets the yielded object, teardown runs on exit") {
    Strings log;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(connected(log, "camera"), [&](Connection& c) -> acm::Task<void> {
            log.push_back("block uses " + c.peer + (c.open ? " (open)" : " (closed)") + at());
            co_await acm::sleep_for(20ms);
        });
        log.push_back("after the block" + at());
    }());
    CHECK(log == Strings{"connect to camera at 0", "block uses camera (open) at 10", "closed camera at 35", "after the block at 35"});
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("a generator manager can yield a value as well as a reference") {
    int got = 0;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(counter_from(41), [&](int& v) -> acm::Task<void> {
            got = v;
            co_return;
        });
    }());
    CHECK(got == 42);
}

TEST_CASE("the block's exception is rethrown at the co_yield and propagates when the generator rethrows it") {
    Strings log;
    std::string caught;
    acm::run([&]() -> acm::Task<void> {
        try {
            co_await acm::async_with(connected(log, "camera"), [&](Connection&) -> acm::Task<void> {
                throw Boom{"bad frame"};
                co_return;
            });
        } catch (const Boom& e) {
            caught = e.what() + at();
        }
    }());
    CHECK(log == Strings{"connect to camera at 0", "the block raised bad frame", "closed camera at 15"});
    CHECK(caught == "bad frame at 15");
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("a generator that does not rethrow suppresses the block's exception") {
    Strings log;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(connected(log, "camera", OnError::suppress), [&](Connection&) -> acm::Task<void> {
            throw Boom{"bad frame"};
            co_return;
        });
        log.push_back("after the block" + at());
    }());
    CHECK(log == Strings{"connect to camera at 0", "the block raised bad frame", "closed camera at 15", "after the block at 15"});
}

TEST_CASE("a generator that throws a different exception replaces the block's") {
    Strings log;
    CHECK_THROWS_WITH_AS(acm::run(acm::async_with(connected(log, "camera", OnError::replace),
                                                  [](Connection&) -> acm::Task<void> {
                                                      throw Boom{"bad frame"};
                                                      co_return;
                                                  })),
                         "closing failed", Boom);
    CHECK(log == Strings{"connect to camera at 0", "the block raised bad frame", "closed camera at 15"});
}

TEST_CASE("an exception during setup propagates, and neither the block nor the teardown runs") {
    Strings log;
    bool block_ran = false;
    CHECK_THROWS_WITH_AS(acm::run(acm::async_with(failing_setup(log),
                                                  [&](int&) -> acm::Task<void> {
                                                      block_ran = true;
                                                      co_return;
                                                  })),
                         "cannot connect", Boom);
    CHECK_FALSE(block_ran);
    CHECK(log.empty());
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("a generator that finishes without co_yield is a clear error, and the block never runs") {
    bool block_ran = false;
    std::string message = what_of([&] {
        acm::run(acm::async_with(never_yields(), [&](int&) -> acm::Task<void> {
            block_ran = true;
            co_return;
        }));
    });
    CHECK(contains(message, "GeneratorManager"));
    CHECK(contains(message, "without co_yield"));
    CHECK_FALSE(block_ran);
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("a generator that yields a second time is a clear error") {
    Strings log;
    std::string message = what_of([&] {
        acm::run(acm::async_with(yields_twice(log), [&](int&) -> acm::Task<void> { co_return; }));
    });
    CHECK(contains(message, "GeneratorManager"));
    CHECK(contains(message, "more than once"));
    CHECK(log == Strings{"teardown yields again"});
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("a cancelled block reaches the generator as acm::Cancelled at the co_yield; teardown still awaits") {
    Strings log;
    bool cancelled = false;
    acm::run([&]() -> acm::Task<void> {
        auto worker = acm::current_loop().spawn(
            acm::async_with(connected(log, "camera"), [](Connection&) -> acm::Task<void> { co_await acm::sleep_for(1s); }),
            "worker");
        co_await acm::sleep_for(100ms);
        worker.cancel();
        try {
            co_await acm::join(worker);
        } catch (const acm::Cancelled&) {
            cancelled = true;
            log.push_back("worker ended" + at());
        }
    }());
    CHECK(cancelled);
    CHECK(log == Strings{"connect to camera at 0", "the block raised Cancelled", "closed camera at 105", "worker ended at 105"});
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("a cancellation during setup stops the entry: no block, no teardown") {
    Strings log;
    bool cancelled = false;
    acm::run([&]() -> acm::Task<void> {
        auto worker = acm::current_loop().spawn(
            acm::async_with(connected(log, "camera"), [&](Connection&) -> acm::Task<void> {
                log.push_back("block");
                co_return;
            }),
            "worker");
        co_await acm::sleep_for(4ms);
        worker.cancel();
        try {
            co_await acm::join(worker);
        } catch (const acm::Cancelled&) {
            cancelled = true;
        }
    }());
    CHECK(cancelled);
    CHECK(log == Strings{"connect to camera at 0"});
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("nested generator managers tear down in reverse order") {
    Strings log;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(connected(log, "A"), [&](Connection&) -> acm::Task<void> {
            co_await acm::async_with(connected(log, "B"), [&](Connection&) -> acm::Task<void> {
                log.push_back("inside both" + at());
                co_return;
            });
        });
    }());
    CHECK(log == Strings{"connect to A at 0", "connect to B at 10", "inside both at 20", "closed B at 25", "closed A at 30"});
}
