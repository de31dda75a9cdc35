// acm::sim::Process: a child process that is awaitable and an async context manager.
#include "support.hpp"

#include <acm/sim/process.hpp>

#include <stdexcept>

using namespace acm_test;
using acm::sim::Process;
using acm::sim::ProcessResult;

namespace {

struct Jammed : std::runtime_error {
    Jammed() : std::runtime_error("the block jammed") {}
};

Strings process_ops(const acm::trace::Recorder& rec) {
    Strings out;
    for (const auto& line : rec.events("process")) out.push_back(field(line, "op"));
    return out;
}

// Checks, after a test's loop, that no simulated child outlived it.
struct NoChildLeftBehind {
    int before = acm::sim::processes_running();
    ~NoChildLeftBehind() { CHECK_MESSAGE(acm::sim::processes_running() == before, "a child process is still running"); }
};

}  // namespace

TEST_SUITE("sim::Process") {

TEST_CASE("awaiting a process runs it to the end and gives its exit code and output") {
    NoChildLeftBehind guard;
    ProcessResult result;
    double done_ms = -1;
    acm::run([&]() -> acm::Task<void> {
        result = co_await acm::sim::run_process("echo", "hello", "there");
        done_ms = now_ms();
    }());
    CHECK(result.exit_code == 0);
    CHECK(result.out == "hello there\n");
    CHECK(result.err == "");
    CHECK(done_ms == 25);  // 5 ms to start, the line at 15 ms, the exit one period later
}

TEST_CASE("exit codes follow the shell: true 0, false 1, an unknown command 127 with a message") {
    NoChildLeftBehind guard;
    ProcessResult yes_result, no_result, missing;
    acm::run([&]() -> acm::Task<void> {
        yes_result = co_await acm::sim::run_process("true");
        no_result = co_await acm::sim::run_process("false");
        missing = co_await acm::sim::run_process("frobnicate", "--now");
    }());
    CHECK(yes_result.exit_code == 0);
    CHECK(no_result.exit_code == 1);
    CHECK(missing.exit_code == 127);
    CHECK(missing.err == "sh: frobnicate: command not found\n");
}

TEST_CASE("sleep runs for its time, and rejects an interval that is not a number as the real one does") {
    NoChildLeftBehind guard;
    double slept_ms = -1;
    ProcessResult bad;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::sim::run_process("sleep", "1.5");
        slept_ms = now_ms();
        bad = co_await acm::sim::run_process("sleep", "soon");
    }());
    CHECK(slept_ms == 1505);
    CHECK(bad.exit_code == 1);
    CHECK(contains(bad.err, "invalid time interval 'soon'"));
}

TEST_CASE("a command line built at run time can be passed as a vector") {
    NoChildLeftBehind guard;
    ProcessResult result;
    std::vector<std::string> argv{"echo", "built", "later"};
    acm::run([&]() -> acm::Task<void> { result = co_await acm::sim::run_process(argv); }());
    CHECK(result.out == "built later\n");
}

TEST_CASE("a named process can be awaited in place and inspected afterwards") {
    NoChildLeftBehind guard;
    Process ls = acm::sim::run_process("false");
    acm::run([&]() -> acm::Task<void> { co_await ls; }());
    CHECK_FALSE(ls.running());
    CHECK(ls.exit_code() == 1);
}

TEST_CASE("as a manager the process starts on entry, and the block reads each line when it is written") {
    NoChildLeftBehind guard;
    acm::sim::disk() = {{"a.txt", ""}, {"b.txt", ""}};
    Strings lines;
    std::vector<double> times;
    double body_ms = -1;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(acm::sim::run_process("ls"), [&](Process& p) -> acm::Task<void> {
            body_ms = now_ms();
            while (auto line = co_await p.read_line()) {
                lines.push_back(*line);
                times.push_back(now_ms());
            }
            CHECK(p.exit_code() == 0);
        });
    }());
    acm::sim::disk().clear();
    CHECK(body_ms == 5);
    CHECK(lines == Strings{"a.txt", "b.txt"});
    CHECK(times == std::vector<double>{15, 25});
}

TEST_CASE("a child still running when the block ends is terminated, and the block ends only once it has exited") {
    NoChildLeftBehind guard;
    acm::trace::Recorder rec;
    Process yes = acm::sim::run_process("yes");
    double left_ms = -1, after_ms = -1;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(yes, [&](Process& p) -> acm::Task<void> {
            CHECK(co_await p.read_line() == std::optional<std::string>{"y"});
            left_ms = now_ms();
        });
        after_ms = now_ms();
    }());
    CHECK(left_ms == 15);
    CHECK(after_ms == 18);  // terminate(), then 3 ms until the exit
    CHECK_FALSE(yes.running());
    CHECK(yes.exit_code() == Process::sigterm_exit_code);
    CHECK(process_ops(rec) == Strings{"\"start\"", "\"line\"", "\"terminate\"", "\"exit\""});
}

TEST_CASE("a child that already exited is not terminated on the way out") {
    NoChildLeftBehind guard;
    acm::trace::Recorder rec;
    Process echo = acm::sim::run_process("echo", "hi");
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(echo, [&](Process& p) -> acm::Task<void> { co_await p.wait(); });
    }());
    CHECK(echo.exit_code() == 0);
    CHECK(process_ops(rec) == Strings{"\"start\"", "\"exit\""});
}

TEST_CASE("a block that throws terminates the child before the exception leaves the block") {
    NoChildLeftBehind guard;
    Process job = acm::sim::run_process("sleep", "60");
    bool running_when_caught = true;
    acm::run([&]() -> acm::Task<void> {
        try {
            co_await acm::async_with(job, [](Process&) -> acm::Task<void> {
                co_await acm::sleep_for(20ms);
                throw Jammed{};
            });
        } catch (const Jammed&) {
            running_when_caught = job.running();
        }
    }());
    CHECK_FALSE(running_when_caught);
    CHECK(job.exit_code() == Process::sigterm_exit_code);
}

TEST_CASE("a block cancelled while it waits for the child terminates the child") {
    NoChildLeftBehind guard;
    Process job = acm::sim::run_process("sleep", "60");
    CHECK_THROWS_AS(acm::run([&]() -> acm::Task<void> {
                        co_await acm::async_with(job, [](Process& p) -> acm::Task<void> {
                            cancel_current_task_after(100ms);
                            co_await p.wait();
                            FAIL("wait() finished although it was cancelled");
                        });
                    }()),
                    acm::Cancelled);
    CHECK_FALSE(job.running());
    CHECK(job.exit_code() == Process::sigterm_exit_code);
}

TEST_CASE("a block cancelled in the middle of reading a line terminates the child") {
    NoChildLeftBehind guard;
    Process yes = acm::sim::run_process("yes");
    CHECK_THROWS_AS(acm::run([&]() -> acm::Task<void> {
                        co_await acm::async_with(yes, [](Process& p) -> acm::Task<void> {
                            cancel_current_task_after(4ms);  // the first line comes at 15 ms
                            co_await p.read_line();
                            FAIL("the line arrived although the read was cancelled");
                        });
                    }()),
                    acm::Cancelled);
    CHECK_FALSE(yes.running());
}

TEST_CASE("cancelling the start kills the half-started child, since aexit will not run") {
    NoChildLeftBehind guard;
    acm::trace::Recorder rec;
    Process yes = acm::sim::run_process("yes");
    bool block_ran = false;
    CHECK_THROWS_AS(acm::run([&]() -> acm::Task<void> {
                        cancel_current_task_after(2ms);  // starting takes 5 ms
                        co_await acm::async_with(yes, [&](Process&) -> acm::Task<void> {
                            block_ran = true;
                            co_return;
                        });
                    }()),
                    acm::Cancelled);
    CHECK_FALSE(block_ran);
    CHECK_FALSE(yes.running());
    CHECK(yes.exit_code() == Process::sigkill_exit_code);
    CHECK(process_ops(rec) == Strings{"\"start\"", "\"exit\""});
}

TEST_CASE("terminating a child while another task reads from it ends the reader's stream") {
    NoChildLeftBehind guard;
    Process yes = acm::sim::run_process("yes");
    Strings lines;
    bool ended = false;
    acm::run([&]() -> acm::Task<void> {
        co_await yes.start();
        auto reader = acm::current_loop().spawn([](Process& p, Strings& out, bool& end) -> acm::Task<void> {
            while (auto line = co_await p.read_line()) out.push_back(*line);
            end = true;
        }(yes, lines, ended));
        co_await acm::sleep_for(15ms);  // now 20 ms: the line of 15 ms was read, the one due at 25 ms is awaited
        yes.terminate();
        co_await acm::join(reader);
    }());
    CHECK(lines == Strings{"y"});
    CHECK(ended);
    CHECK(yes.exit_code() == Process::sigterm_exit_code);
}

TEST_CASE("waiting for a child that never exits is a deadlock whose message names the child") {
    NoChildLeftBehind guard;
    std::string message = what_of([] {
        acm::run([]() -> acm::Task<void> {
            Process yes = acm::sim::run_process("yes", "forever");
            co_await yes.start();
            co_await yes.wait();  // nobody will ever terminate it
        }());
    });
    CHECK(contains(message, "deadlock"));
    CHECK(contains(message, "Process::wait()"));
    CHECK(contains(message, "yes forever"));
}

TEST_CASE("a process destroyed while it runs is killed at once: a destructor cannot wait for it") {
    NoChildLeftBehind guard;
    acm::trace::Recorder rec;
    acm::run([]() -> acm::Task<void> {
        Process yes = acm::sim::run_process("yes");
        co_await yes.start();
    }());
    auto last = rec.events("process").back();
    CHECK(field(last, "op") == "\"exit\"");
    CHECK(field(last, "code") == "137");
    CHECK(contains(field(last, "text"), "~Process"));
}

TEST_CASE("process events carry the pid, the command line, each line's text and the exit code") {
    NoChildLeftBehind guard;
    acm::trace::Recorder rec;
    int pid = 0;
    acm::run([&]() -> acm::Task<void> {
        Process p = acm::sim::run_process("echo", "a b");
        co_await p;
        pid = p.pid();
    }());
    auto events = rec.events("process");
    REQUIRE(events.size() == 3);
    for (const auto& e : events) {
        CHECK(field(e, "pid") == std::to_string(pid));
        CHECK(field(e, "argv") == "\"echo a b\"");
    }
    CHECK(field(events[1], "text") == "\"a b\"");
    CHECK(field(events[1], "t_ms") == "15");
    CHECK(field(events[2], "code") == "0");
    CHECK(field(events[2], "t_ms") == "25");
}

TEST_CASE("mistakes get messages that say what went wrong") {
    NoChildLeftBehind guard;
    CHECK(contains(what_of([] { Process p{{}}; }), "command line is empty"));
    acm::run([]() -> acm::Task<void> {
        Process p = acm::sim::run_process("yes");
        CHECK_THROWS_WITH_AS(co_await p.read_line(), doctest::Contains("has not been started"), std::logic_error);
        co_await p.start();
        CHECK_THROWS_WITH_AS(co_await p.start(), doctest::Contains("already started"), std::logic_error);
        CHECK_THROWS_WITH_AS(Process{std::move(p)}, doctest::Contains("cannot be moved"), std::logic_error);
        p.terminate();
        CHECK(co_await p.wait() == Process::sigterm_exit_code);
    }());
}

}  // TEST_SUITE
