// A process runner: awaitable (run it to the end) and a manager (run it for a block).
#include <acm/acm.hpp>
#include <acm/sim/process.hpp>

#include <iostream>
#include <stdexcept>

using namespace std::chrono_literals;
namespace sim = acm::sim;

static double ms() { return acm::to_ms(acm::now()); }

acm::Task<void> awaitable_face() {
    // Start it, wait for the exit, collect the output: one co_await.
    sim::ProcessResult hello = co_await sim::run_process("echo", "hello", "there");
    std::cout << ms() << " ms: echo exited with " << hello.exit_code << ", output: "
              << hello.out;

    sim::ProcessResult missing = co_await sim::run_process("frobnicate");
    std::cout << ms() << " ms: frobnicate exited with " << missing.exit_code << ", error: "
              << missing.err;
}

acm::Task<void> manager_face() {
    // Read a finite process's output line by line, for as long as the block lasts.
    sim::disk()["notes.txt"] = "buy solder\n";
    sim::disk()["frames.raw"] = "";
    co_await acm::async_with(sim::run_process("ls"), [](sim::Process& p) -> acm::Task<void> {
        while (std::optional<std::string> name = co_await p.read_line()) {
            std::cout << ms() << " ms: ls says " << *name << '\n';
        }
        std::cout << ms() << " ms: ls exited with " << *p.exit_code() << '\n';
    });
}

acm::Task<void> leaving_early() {
    // `yes` never ends by itself. The block reads three lines and leaves;
    // aexit terminates the child and waits until it has gone.
    sim::Process yes = sim::run_process("yes", "tick");
    co_await acm::async_with(yes, [](sim::Process& p) -> acm::Task<void> {
        std::cout << ms() << " ms: started pid " << p.pid() << '\n';
        for (int i = 0; i < 3; ++i) {
            std::optional<std::string> line = co_await p.read_line();
            std::cout << ms() << " ms: read \"" << *line << "\"\n";
        }
        std::cout << ms() << " ms: leaving the block, child running: " << std::boolalpha
                  << p.running() << '\n';
    });
    std::cout << ms() << " ms: after the block, child running: " << yes.running()
              << ", exit code " << *yes.exit_code() << '\n';
}

acm::Task<void> failing_block() {
    // The block fails while it waits for a long job: the child is still terminated.
    sim::Process job = sim::run_process("sleep", "60");
    try {
        co_await acm::async_with(job, [](sim::Process&) -> acm::Task<void> {
            co_await acm::sleep_for(20ms);
            throw std::runtime_error("the uplink dropped");
        });
    } catch (const std::exception& e) {
        std::cout << ms() << " ms: caught \"" << e.what() << "\"; sleep running: "
                  << job.running() << ", exit code " << *job.exit_code() << '\n';
    }
}

int main() {
    acm::run(awaitable_face());
    std::cout << "--\n";
    acm::run(manager_face());
    std::cout << "--\n";
    acm::run(leaving_early());
    std::cout << "--\n";
    acm::run(failing_block());
}
