// Writing a file through an async context manager: opened on entry, closed on every exit.
#include <acm/acm.hpp>
#include <acm/sim/file.hpp>

#include <iostream>
#include <stdexcept>

namespace sim = acm::sim;
using acm::sim::File;

static double ms() { return acm::to_ms(acm::now()); }

acm::Task<void> write_greeting() {
    co_await acm::async_with(sim::open("example.txt", "w"), [](File& f) -> acm::Task<void> {
        std::cout << ms() << " ms: opened " << f.path() << '\n';
        co_await f.write("Hello, world!\n");
        std::cout << ms() << " ms: wrote, " << f.buffered() << " bytes still buffered\n";
    });
    std::cout << ms() << " ms: closed; on disk: " << sim::disk()["example.txt"];
}

acm::Task<void> write_log_that_fails() {
    try {
        co_await acm::async_with(sim::open("log.txt", "w"), [](File& f) -> acm::Task<void> {
            co_await f.write("starting capture\n");
            throw std::runtime_error("camera not found");
        });
    } catch (const std::exception& e) {
        std::cout << ms() << " ms: the block failed: " << e.what() << '\n';
    }
    std::cout << ms() << " ms: open files: " << sim::open_files() << '\n';

    // The first write was flushed by the close in aexit, so it can be read back.
    std::string text = co_await acm::async_with(
        sim::open("log.txt", "r"),
        [](File& log) -> acm::Task<std::string> { co_return co_await log.read(); });
    std::cout << ms() << " ms: log.txt says: " << text;
}

int main() {
    acm::run(write_greeting());
    std::cout << "--\n";
    acm::run(write_log_that_fails());
}
