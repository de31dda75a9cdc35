// acm::Lock as an async context manager: two tasks share one bus.
#include <acm/acm.hpp>

#include <iostream>
#include <stdexcept>
#include <string>

using namespace std::chrono_literals;

static double ms() { return acm::to_ms(acm::now()); }

// One bus transaction. `bus` is a reference: every caller must share the same lock.
acm::Task<void> transaction(acm::Lock& bus, std::string who, std::string what,
                            bool fails = false) {
    std::cout << ms() << " ms: " << who << " wants the bus for " << what << '\n';
    co_await acm::async_with(bus, [&]() -> acm::Task<void> {
        std::cout << ms() << " ms: " << who << " sends " << what << '\n';
        co_await acm::sleep_for(15ms);  // the device thinks; other tasks may run
        if (fails) throw std::runtime_error(who + ": no reply to " + what);
        co_await acm::sleep_for(15ms);
        std::cout << ms() << " ms: " << who << " got the reply to " << what << '\n';
    });
}

acm::Task<void> device_a(acm::Lock& bus) {
    co_await transaction(bus, "A", "read-temperature");
    try {
        co_await transaction(bus, "A", "calibrate", /*fails=*/true);
    } catch (const std::exception& e) {
        // The lock was released on the way out of the failed block: B already has it.
        std::cout << ms() << " ms: A gave up (" << e.what() << ")\n";
    }
}

acm::Task<void> device_b(acm::Lock& bus) {
    co_await transaction(bus, "B", "read-pressure");
    co_await transaction(bus, "B", "read-humidity");
}

acm::Task<void> demo() {
    acm::Lock bus;  // one lock, shared by reference
    co_await acm::gather(device_a(bus), device_b(bus));
    std::cout << ms() << " ms: all done\n";
}

int main() { acm::run(demo()); }
