// The trace: JSON lines with virtual timestamps that the browser draws the timeline from. The
// format is documented in include/acm/trace.hpp and ARCHITECTURE.md; these tests hold the runtime
// to it (tests/runtime/check_trace.mjs checks a whole trace file against the same table).
#include "support.hpp"

#include <algorithm>
#include <string>

using namespace acm_test;

namespace {

struct Gate {
    acm::Task<Gate&> aenter() { co_return *this; }
    acm::Task<bool> aexit(std::exception_ptr) { co_return suppress; }
    bool suppress = false;
};

struct Refuses {
    acm::Task<Refuses&> aenter() {
        throw Boom{"no entry"};
        co_return *this;
    }
    acm::Task<bool> aexit(std::exception_ptr) { co_return false; }
};

acm::Task<void> fail_soon() {
    co_await acm::sleep_for(1ms);
    throw Boom{"worker failed"};
}

}  // namespace

TEST_CASE("a block is traced as aenter, body and aexit, each begin and end, with the manager's name, id, depth and task") {
    acm::trace::Recorder rec;
    acm::EventLoop loop;
    loop.run([]() -> acm::Task<void> {
        co_await acm::async_with(Gate{}, [](Gate&) -> acm::Task<void> { co_await acm::sleep_for(5ms); });
    }());
    const std::string loop_id = std::to_string(loop.id());
    CHECK(rec.lines() == Strings{
                             R"j({"ev":"run_begin","t_ms":0,"loop":)j" + loop_id + "}",
                             R"j({"ev":"task_spawn","t_ms":0,"task":1,"name":"main"})j",
                             R"j({"ev":"aenter_begin","t_ms":0,"cm":1,"name":"Gate","depth":0,"task":1})j",
                             R"j({"ev":"aenter_end","t_ms":0,"cm":1,"name":"Gate","depth":0,"task":1,"outcome":"ok"})j",
                             R"j({"ev":"body_begin","t_ms":0,"cm":1,"name":"Gate","depth":0,"task":1})j",
                             R"j({"ev":"timer_scheduled","t_ms":0,"timer":1,"due_ms":5,"label":"sleep_for(5ms)"})j",
                             R"j({"ev":"timer_fired","t_ms":5,"timer":1,"label":"sleep_for(5ms)"})j",
                             R"j({"ev":"body_end","t_ms":5,"cm":1,"name":"Gate","depth":0,"task":1,"outcome":"ok"})j",
                             R"j({"ev":"aexit_begin","t_ms":5,"cm":1,"name":"Gate","depth":0,"task":1})j",
                             R"j({"ev":"aexit_end","t_ms":5,"cm":1,"name":"Gate","depth":0,"task":1,"outcome":"ok","suppressed":false})j",
                             R"j({"ev":"task_done","t_ms":5,"task":1,"name":"main","outcome":"ok"})j",
                             R"j({"ev":"run_end","t_ms":5,"loop":)j" + loop_id + R"j(,"outcome":"ok"})j",
                         });
}

TEST_CASE("nested blocks are traced with growing depth; manager ids are unique in a loop and restart with each loop") {
    acm::trace::Recorder rec;
    auto nested = []() -> acm::Task<void> {
        co_await acm::async_with(Gate{}, [](Gate&) -> acm::Task<void> {
            co_await acm::async_with(Gate{}, [](Gate&) -> acm::Task<void> { co_return; });
        });
        co_await acm::async_with(Gate{}, [](Gate&) -> acm::Task<void> { co_return; });
    };
    acm::run(nested());
    Strings ids, depths;
    for (const auto& l : rec.events("aenter_begin")) {
        ids.push_back(field(l, "cm"));
        depths.push_back(field(l, "depth"));
    }
    CHECK(ids == Strings{"1", "2", "3"});
    CHECK(depths == Strings{"0", "1", "0"});
    rec.clear();
    acm::run(nested());
    CHECK(field(rec.events("aenter_begin").at(0), "cm") == "1");
}

TEST_CASE("an exception is traced as raised in the body, then propagated out of the block") {
    acm::trace::Recorder rec;
    CHECK_THROWS_AS(acm::run(acm::async_with(Gate{}, []() -> acm::Task<void> {
                        throw Boom{"it broke"};
                        co_return;
                    })),
                    Boom);
    auto exceptions = rec.events("exception");
    REQUIRE(exceptions.size() == 2);
    CHECK(field(exceptions[0], "action") == quoted("raised"));
    CHECK(field(exceptions[1], "action") == quoted("propagated"));
    for (const auto& e : exceptions) {
        CHECK(field(e, "cm") == "1");
        CHECK(field(e, "what") == quoted("it broke"));
        CHECK(field(e, "type") == quoted("acm_test::Boom"));
    }
    CHECK(field(rec.events("body_end").at(0), "outcome") == quoted("exception"));
    CHECK(field(rec.events("aexit_end").at(0), "suppressed") == "false");
    CHECK(phases(rec) == Strings{"aenter_begin", "aenter_end", "body_begin", "body_end", "aexit_begin", "aexit_end"});
    // The exception line comes before the body_end it caused.
    Strings kinds = rec.kinds();
    CHECK(std::find(kinds.begin(), kinds.end(), "exception") < std::find(kinds.begin(), kinds.end(), "body_end"));
}

TEST_CASE("a suppressed exception is traced as raised, then suppressed, and aexit_end says suppressed") {
    acm::trace::Recorder rec;
    acm::run(acm::async_with(Gate{true}, []() -> acm::Task<void> {
        throw Boom{"it broke"};
        co_return;
    }));
    CHECK(exception_actions(rec) == Strings{"\"raised\"", "\"suppressed\""});
    CHECK(field(rec.events("aexit_end").at(0), "suppressed") == "true");
}

TEST_CASE("a failed aenter is traced on aenter_end, and no body or aexit follows") {
    acm::trace::Recorder rec;
    CHECK_THROWS_AS(acm::run(acm::async_with(Refuses{}, []() -> acm::Task<void> { co_return; })), Boom);
    CHECK(phases(rec) == Strings{"aenter_begin", "aenter_end"});
    auto end = rec.events("aenter_end").at(0);
    CHECK(field(end, "outcome") == quoted("exception"));
    CHECK(field(end, "what") == quoted("no entry"));
}

TEST_CASE("an exception from aexit is traced on aexit_end and as propagated") {
    struct BadExit {
        acm::Task<void> aenter() { co_return; }
        acm::Task<bool> aexit(std::exception_ptr) {
            throw Boom{"exit failed"};
            co_return false;
        }
    };
    acm::trace::Recorder rec;
    CHECK_THROWS_AS(acm::run(acm::async_with(BadExit{}, []() -> acm::Task<void> { co_return; })), Boom);
    auto end = rec.events("aexit_end").at(0);
    CHECK(field(end, "outcome") == quoted("exception"));
    CHECK(field(end, "what") == quoted("exit failed"));
    CHECK(field(end, "suppressed") == "false");
    CHECK(exception_actions(rec) == Strings{"\"propagated\""});
}

TEST_CASE("timers are traced when scheduled (with due time and label), fired or cancelled") {
    acm::trace::Recorder rec;
    acm::run([]() -> acm::Task<void> {
        auto& loop = acm::current_loop();
        auto keep = loop.call_later(20ms, [] {}, "keep me");
        auto drop = loop.call_later(30ms, [] {}, "drop me");
        co_await acm::sleep_for(1500us);
        drop.cancel();
        co_await acm::sleep_for(50ms);
    }());
    auto scheduled = rec.events("timer_scheduled");
    REQUIRE(scheduled.size() == 4);
    CHECK(field(scheduled[0], "label") == quoted("keep me"));
    CHECK(field(scheduled[0], "due_ms") == "20");
    CHECK(field(scheduled[2], "label") == quoted("sleep_for(1.5ms)"));
    CHECK(field(scheduled[2], "due_ms") == "1.5");
    CHECK(field(scheduled[3], "t_ms") == "1.5");

    auto cancelled = rec.events("timer_cancelled");
    REQUIRE(cancelled.size() == 1);
    CHECK(field(cancelled[0], "timer") == "2");
    CHECK(field(cancelled[0], "label") == quoted("drop me"));
    Strings fired;
    for (const auto& l : rec.events("timer_fired")) fired.push_back(field(l, "label") + "@" + field(l, "t_ms"));
    CHECK(fired == Strings{"\"sleep_for(1.5ms)\"@1.5", "\"keep me\"@20", "\"sleep_for(50ms)\"@51.5"});
}

TEST_CASE("tasks are traced when spawned and when done, with how they ended") {
    acm::trace::Recorder rec;
    acm::run([]() -> acm::Task<void> {
        auto& loop = acm::current_loop();
        auto ok = loop.spawn([]() -> acm::Task<void> { co_return; }(), "fine");
        auto bad = loop.spawn(fail_soon(), "broken");
        auto stopped = loop.spawn([]() -> acm::Task<void> { co_await acm::sleep_for(1s); }(), "stopped");
        co_await acm::sleep_for(10ms);
        stopped.cancel();
        co_await acm::sleep_for(10ms);
    }());
    Strings done;
    for (const auto& l : rec.events("task_done")) done.push_back(field(l, "name") + " " + field(l, "outcome"));
    CHECK(done == Strings{R"j("fine" "ok")j", R"j("broken" "exception")j", R"j("stopped" "cancelled")j", R"j("main" "ok")j"});
    CHECK(rec.events("task_spawn").size() == 4);
}

TEST_CASE("run_end says how the run ended: ok, or the exception that left it") {
    acm::trace::Recorder rec;
    CHECK_THROWS_AS(acm::run(fail_soon()), Boom);
    auto end = rec.events("run_end");
    REQUIRE(end.size() == 1);
    CHECK(field(end[0], "outcome") == quoted("exception"));
    CHECK(field(end[0], "what") == quoted("worker failed"));
    CHECK(field(end[0], "loop") == field(rec.events("run_begin").at(0), "loop"));
}

TEST_CASE("text in the trace is escaped, so every line stays one valid JSON object") {
    acm::trace::Recorder rec;
    acm::trace::note("say \"hi\"\\ then\nnew line\ttab\x01");
    REQUIRE(rec.lines().size() == 1);
    CHECK(rec.lines()[0] == R"j({"ev":"note","t_ms":0,"text":"say \"hi\"\\ then\nnew line\ttab\u0001"})j");
}

TEST_CASE("a Recorder collects lines only while it lives, and nested recorders restore the outer one") {
    acm::trace::Recorder outer;
    acm::trace::note("one");
    {
        acm::trace::Recorder inner;
        acm::trace::note("two");
        CHECK(inner.lines().size() == 1);
    }
    acm::trace::note("three");
    CHECK(outer.kinds() == Strings{"note", "note"});
    CHECK(field(outer.lines()[1], "text") == quoted("three"));
}
