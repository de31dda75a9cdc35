// Cancellation as in asyncio: TaskRef::cancel() makes the task's current (or next) suspension
// point throw acm::Cancelled, whatever kind of suspension point it is, and the runtime never
// swallows it.
#include "support.hpp"

#include <stdexcept>
#include <string>

using namespace acm_test;

namespace {

// Runs `inner`, logging whether it finished or how it was interrupted, and lets the exception go on.
acm::Task<void> logged(Strings& log, std::string name, acm::Task<void> inner) {
    try {
        co_await std::move(inner);
        log.push_back(name + " finished at " + std::to_string(int(now_ms())));
    } catch (const acm::Cancelled&) {
        log.push_back(name + " cancelled at " + std::to_string(int(now_ms())));
        throw;
    }
}

acm::Task<void> sleep_long(FrameProbe = {}) { co_await acm::sleep_for(10s); }

// Cancels `victim` after `delay`, then reports how the victim ended.
acm::Task<std::string> cancel_after(acm::TaskRef victim, acm::Duration delay) {
    co_await acm::sleep_for(delay);
    victim.cancel();
    try {
        co_await acm::join(victim);
    } catch (const acm::Cancelled&) {
        co_return "Cancelled at " + std::to_string(int(now_ms()));
    } catch (const std::exception& e) {
        co_return std::string("another exception: ") + e.what();
    }
    co_return "finished normally";
}

acm::Task<void> level3(Strings& log) { co_await logged(log, "level 3", sleep_long()); }
acm::Task<void> level2(Strings& log) { co_await logged(log, "level 2", level3(log)); }
acm::Task<void> level1(Strings& log) { co_await logged(log, "level 1", level2(log)); }

acm::Task<void> snap(acm::sim::Camera& camera, bool& got_frame) {
    co_await camera.snapshot();
    got_frame = true;
}

acm::Task<void> acquire(acm::Lock& lock) { co_await lock.acquire(); }
acm::Task<void> join_of(acm::TaskRef other) { co_await acm::join(other); }

acm::Task<void> lock_and_sleep(acm::Lock& lock, Strings& log) {
    co_await logged(log, "waiter", acquire(lock));
    log.push_back("waiter got the lock");
    lock.release();
}

acm::Task<void> join_task(acm::TaskRef other, Strings& log) { co_await logged(log, "joiner", join_of(other)); }

}  // namespace

TEST_CASE("a task cancelled while it sleeps gets acm::Cancelled at that moment, and its timer is gone") {
    Strings log;
    std::string outcome;
    acm::run([&]() -> acm::Task<void> {
        auto& loop = acm::current_loop();
        auto worker = loop.spawn(logged(log, "sleeper", sleep_long()), "sleeper");
        outcome = co_await cancel_after(worker, 1s);
        CHECK(loop.pending_timers() == 0);
    }());
    CHECK(log == Strings{"sleeper cancelled at 1000"});
    CHECK(outcome == "Cancelled at 1000");
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("a task cancelled while it waits for a lock leaves without the lock") {
    Strings log;
    std::string outcome;
    acm::run([&]() -> acm::Task<void> {
        acm::Lock lock;
        co_await lock.acquire();
        auto waiter = acm::current_loop().spawn(lock_and_sleep(lock, log), "waiter");
        outcome = co_await cancel_after(waiter, 50ms);
        CHECK(lock.locked());  // still ours
        lock.release();
        CHECK_FALSE(lock.locked());  // and nobody is left queued for it
    }());
    CHECK(log == Strings{"waiter cancelled at 50"});
    CHECK(outcome == "Cancelled at 50");
}

TEST_CASE("a task cancelled while it joins another stops waiting; the other task goes on") {
    Strings log;
    std::string outcome;
    acm::run([&]() -> acm::Task<void> {
        auto& loop = acm::current_loop();
        auto long_job = loop.spawn(logged(log, "long job", []() -> acm::Task<void> { co_await acm::sleep_for(300ms); }()), "long job");
        auto joiner = loop.spawn(join_task(long_job, log), "joiner");
        outcome = co_await cancel_after(joiner, 100ms);
        co_await acm::join(long_job);
    }());
    CHECK(log == Strings{"joiner cancelled at 100", "long job finished at 300"});
    CHECK(outcome == "Cancelled at 100");
}

TEST_CASE("a task cancelled during a camera exposure gets no frame") {
    acm::sim::Led led;
    acm::sim::Camera camera{"camera", led};
    bool got_frame = false;
    std::string outcome;
    acm::run([&]() -> acm::Task<void> {
        auto shooter = acm::current_loop().spawn(snap(camera, got_frame), "shooter");
        outcome = co_await cancel_after(shooter, 4ms);  // the exposure takes 10 ms
    }());
    CHECK(outcome == "Cancelled at 4");
    CHECK_FALSE(got_frame);
    CHECK(camera.captures() == 0);
}

TEST_CASE("a cancellation reaches the innermost await of nested tasks and passes out through every level") {
    Strings log;
    std::string outcome;
    acm::run([&]() -> acm::Task<void> {
        auto worker = acm::current_loop().spawn(level1(log), "worker");
        outcome = co_await cancel_after(worker, 250ms);
    }());
    CHECK(log == Strings{"level 3 cancelled at 250", "level 2 cancelled at 250", "level 1 cancelled at 250"});
    CHECK(outcome == "Cancelled at 250");
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("a cancellation that arrives after the wake-up but before the task resumes is still delivered") {
    // Two tasks join the same task; when it finishes both are woken in join order. The first
    // one to run cancels the second, which is already woken but has not resumed yet.
    Strings log;
    acm::run([&]() -> acm::Task<void> {
        auto& loop = acm::current_loop();
        auto target = loop.spawn([]() -> acm::Task<void> { co_await acm::sleep_for(10ms); }(), "target");
        acm::TaskRef second;
        auto first = loop.spawn(
            [](acm::TaskRef target, acm::TaskRef& second, Strings& log) -> acm::Task<void> {
                co_await acm::join(target);
                log.push_back("first cancels second");
                CHECK(second.cancel());
            }(target, second, log),
            "first");
        second = loop.spawn(join_task(target, log), "second");
        co_await acm::sleep_for(1ms);  // both are now waiting on target
        co_await acm::join(first);
        CHECK_THROWS_AS(co_await acm::join(second), acm::Cancelled);
    }());
    CHECK(log == Strings{"first cancels second", "joiner cancelled at 10"});
}

TEST_CASE("a task that cancels itself is interrupted at its next suspension point, without waiting") {
    Strings log;
    acm::run([&]() -> acm::Task<void> {
        auto self = acm::current_task();
        self.cancel();
        log.push_back("still running after cancel()");
        try {
            co_await acm::sleep_for(1s);
            log.push_back("slept");
        } catch (const acm::Cancelled&) {
            log.push_back("Cancelled at " + std::to_string(int(now_ms())));
        }
        // Delivered once: the task may choose to carry on, and later awaits work normally.
        co_await acm::sleep_for(5ms);
        log.push_back("carried on until " + std::to_string(int(now_ms())));
    }());
    CHECK(log == Strings{"still running after cancel()", "Cancelled at 0", "carried on until 5"});
}

TEST_CASE("catch (const std::runtime_error&) does not swallow a cancellation") {
    Strings log;
    acm::run([&]() -> acm::Task<void> {
        auto worker = acm::current_loop().spawn(
            [](Strings& log) -> acm::Task<void> {
                try {
                    co_await acm::sleep_for(1s);
                } catch (const std::runtime_error&) {
                    log.push_back("swallowed as a runtime_error");
                }
                log.push_back("went on after the cancel");
            }(log),
            "worker");
        log.push_back(co_await cancel_after(worker, 10ms));
    }());
    CHECK(log == Strings{"Cancelled at 10"});
}

TEST_CASE("cancel() on a finished task does nothing and returns false") {
    acm::run([]() -> acm::Task<void> {
        auto t = acm::current_loop().spawn([]() -> acm::Task<void> { co_return; }(), "quick");
        co_await acm::join(t);
        CHECK_FALSE(t.cancel());
        CHECK_FALSE(t.cancel_pending());
        CHECK_FALSE(t.error());
    }());
}

TEST_CASE("a task cancelled before it started never runs its code") {
    bool ran = false;
    acm::run([&]() -> acm::Task<void> {
        auto t = acm::current_loop().spawn(
            [](bool& ran) -> acm::Task<void> {
                ran = true;
                co_return;
            }(ran),
            "never started");
        CHECK(t.cancel());
        CHECK_THROWS_AS(co_await acm::join(t), acm::Cancelled);
    }());
    CHECK_FALSE(ran);
}

TEST_CASE("uncancel() withdraws a cancellation that has not been delivered yet") {
    double woke_at = -1;
    acm::run([&]() -> acm::Task<void> {
        auto self = acm::current_task();
        self.cancel();
        CHECK(self.cancel_pending());
        CHECK(self.uncancel());
        CHECK_FALSE(self.uncancel());
        co_await acm::sleep_for(30ms);
        woke_at = now_ms();
    }());
    CHECK(woke_at == 30.0);
}

TEST_CASE("cancelling the task that awaits gather cancels every gathered task, then raises Cancelled") {
    Strings log;
    std::string outcome;
    acm::run([&]() -> acm::Task<void> {
        auto gatherer = acm::current_loop().spawn(
            logged(log, "gather",
                   acm::gather(logged(log, "a", sleep_long()), logged(log, "b", sleep_long()))),
            "gatherer");
        outcome = co_await cancel_after(gatherer, 40ms);
    }());
    CHECK(log == Strings{"a cancelled at 40", "b cancelled at 40", "gather cancelled at 40"});
    CHECK(outcome == "Cancelled at 40");
    CHECK(FrameProbe::live == 0);
}

TEST_CASE("cancelling the main task makes run() raise acm::Cancelled") {
    CHECK_THROWS_AS(acm::run([]() -> acm::Task<void> {
                        cancel_current_task_after(100ms);
                        co_await acm::sleep_for(1s);
                    }()),
                    acm::Cancelled);
}

TEST_CASE("a cancel request is traced with its reason, and the delivery with what the task was awaiting") {
    acm::trace::Recorder rec;
    acm::run([]() -> acm::Task<void> {
        auto worker = acm::current_loop().spawn(sleep_long(), "worker");
        co_await acm::sleep_for(10ms);
        worker.cancel("the user pressed stop");
        try {
            co_await acm::join(worker);
        } catch (const acm::Cancelled&) {
        }
    }());
    auto requested = rec.events("cancel_requested");
    auto delivered = rec.events("cancelled");
    REQUIRE(requested.size() == 1);
    REQUIRE(delivered.size() == 1);
    CHECK(field(requested[0], "task") == "2");
    CHECK(field(requested[0], "reason") == quoted("the user pressed stop"));
    CHECK(field(delivered[0], "task") == "2");
    CHECK(field(delivered[0], "at") == quoted("sleep_for(10s)"));
    CHECK(field(delivered[0], "t_ms") == "10");
}
