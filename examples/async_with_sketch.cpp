// What async_with does, written out: the five steps without the trace and the checks.
#include <acm/acm.hpp>

#include <exception>
#include <iostream>
#include <stdexcept>

using namespace std::chrono_literals;

template <class Manager, class Body>
acm::Task<void> async_with_sketch(Manager& manager, Body body) {
    auto&& value = co_await manager.aenter();  // step 2 (and step 3 below)

    std::exception_ptr error;  // null means "finished normally"
    try {
        co_await body(value);  // step 4
    } catch (...) {
        error = std::current_exception();  // remember it; do not await here
    }

    bool suppressed = co_await manager.aexit(error);  // step 5, outside the handler
    if (error && !suppressed) {
        std::rethrow_exception(error);
    }
}

struct Door {
    acm::Task<Door&> aenter() {
        std::cout << acm::to_ms(acm::now()) << " ms: opening\n";
        co_await acm::sleep_for(30ms);
        co_return *this;
    }
    acm::Task<bool> aexit(std::exception_ptr error) {
        const char* how = error ? "a failure" : "a normal exit";
        std::cout << acm::to_ms(acm::now()) << " ms: closing after " << how << '\n';
        co_await acm::sleep_for(20ms);
        co_return false;
    }
};

acm::Task<void> demo() {
    Door door;
    co_await async_with_sketch(door, [](Door&) -> acm::Task<void> {
        std::cout << acm::to_ms(acm::now()) << " ms: walking through\n";
        co_return;
    });
    try {
        co_await async_with_sketch(door, [](Door&) -> acm::Task<void> {
            throw std::runtime_error("tripped on the threshold");
            co_return;
        });
    } catch (const std::exception& e) {
        std::cout << acm::to_ms(acm::now()) << " ms: caught: " << e.what() << '\n';
    }
}

int main() { acm::run(demo()); }
