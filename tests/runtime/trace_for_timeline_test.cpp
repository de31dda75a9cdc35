// What the browser's timeline needs from the trace beyond the basic format: who asked for a
// cancellation (a task, or a timer's callback such as a timeout's deadline), and camera
// exposures that say they are exposures rather than anonymous sleeps.
#include "support.hpp"

#include <algorithm>
#include <string>

using namespace acm_test;

TEST_CASE("a cancellation asked for by a task names that task in by_task") {
    acm::trace::Recorder rec;
    acm::run([]() -> acm::Task<void> {
        auto worker = acm::current_loop().spawn([]() -> acm::Task<void> { co_await acm::sleep_for(1s); }(), "worker");
        co_await acm::sleep_for(5ms);
        worker.cancel();
        try {
            co_await acm::join(worker);
        } catch (const acm::Cancelled&) {
        }
    }());
    auto requests = rec.events("cancel_requested");
    REQUIRE(requests.size() == 1);
    CHECK(field(requests[0], "task") == "2");
    CHECK(field(requests[0], "by_task") == "1");
}

TEST_CASE("a cancellation asked for by a timer's callback has no by_task: no task was running") {
    acm::trace::Recorder rec;
    acm::run([]() -> acm::Task<void> {
        auto me = acm::current_task();
        acm::current_loop().call_later(20ms, [me]() mutable { me.cancel(); }, "deadline");
        try {
            co_await acm::sleep_for(1s);
        } catch (const acm::Cancelled&) {
        }
    }());
    auto requests = rec.events("cancel_requested");
    REQUIRE(requests.size() == 1);
    CHECK(field(requests[0], "task") == "1");
    CHECK(field(requests[0], "by_task").empty());
    // The timer that fired just before, at the same instant, is the one that asked.
    auto kinds = rec.kinds();
    auto fired = std::find(kinds.begin(), kinds.end(), "timer_fired");
    REQUIRE(fired != kinds.end());
    CHECK(*(fired + 1) == "cancel_requested");
}

TEST_CASE("a camera's exposure timer is labelled as that camera's exposure, also where a cancellation finds it") {
    acm::trace::Recorder rec;
    acm::sim::Led led;
    acm::sim::Camera camera{"csi", led};
    acm::run([&]() -> acm::Task<void> {
        auto shooter = acm::current_loop().spawn([](acm::sim::Camera& c) -> acm::Task<void> { co_await c.snapshot(); }(camera), "shooter");
        co_await acm::sleep_for(4ms);
        shooter.cancel();
        try {
            co_await acm::join(shooter);
        } catch (const acm::Cancelled&) {
        }
    }());
    Strings labels;
    for (const auto& l : rec.events("timer_scheduled")) labels.push_back(field(l, "label"));
    CHECK(labels == Strings{quoted("sleep_for(4ms)"), quoted("exposure (camera csi)")});
    auto cancelled = rec.events("cancelled");
    REQUIRE(cancelled.size() == 1);
    CHECK(field(cancelled[0], "at") == quoted("exposure (camera csi)"));
}

TEST_CASE("a plain sleep keeps its sleep_for(...) label") {
    acm::trace::Recorder rec;
    acm::run([]() -> acm::Task<void> { co_await acm::sleep_for(7ms); }());
    auto scheduled = rec.events("timer_scheduled");
    REQUIRE(scheduled.size() == 1);
    CHECK(field(scheduled[0], "label") == quoted("sleep_for(7ms)"));
}
