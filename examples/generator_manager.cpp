// A generator-based manager: setup, co_yield once, teardown -- on every path.
#include <acm/acm.hpp>

#include <iostream>
#include <stdexcept>
#include <string>

using namespace std::chrono_literals;

static double ms() { return acm::to_ms(acm::now()); }

struct Resource {
    std::string status;
};

// `name` and `forgive` are parameters, so they live in the coroutine frame for the whole
// block (a lambda's captures would not).
acm::GeneratorManager<Resource&> opened(std::string name, bool forgive) {
    // Setup: the aenter half. It may await.
    co_await acm::sleep_for(100ms);
    Resource resource{"active"};
    std::cout << ms() << " ms: " << name << " set up\n";

    std::exception_ptr failure;  // null: the block finished normally
    try {
        co_yield resource;  // the block runs here; its exception is rethrown here
    } catch (const std::out_of_range& e) {
        if (forgive) {
            std::cout << ms() << " ms: " << name << " forgives: " << e.what() << '\n';
        } else {
            failure = std::current_exception();
        }
    } catch (...) {
        failure = std::current_exception();  // only remember: no co_await in a handler
    }

    // Teardown: the aexit half, outside every handler, so it may await.
    co_await acm::sleep_for(100ms);
    resource.status = "closed";
    const char* how = failure ? "after a failure" : "cleanly";
    std::cout << ms() << " ms: " << name << " torn down (" << how << ")\n";
    if (failure) std::rethrow_exception(failure);  // not rethrowing would suppress
}

acm::Task<void> demo() {
    co_await acm::async_with(opened("first", false), [](Resource& r) -> acm::Task<void> {
        std::cout << ms() << " ms: block sees status " << r.status << '\n';
        co_return;
    });

    try {
        co_await acm::async_with(opened("second", false), [](Resource&) -> acm::Task<void> {
            co_await acm::sleep_for(10ms);
            throw std::runtime_error("checksum mismatch");
        });
    } catch (const std::exception& e) {
        std::cout << ms() << " ms: caught after teardown: " << e.what() << '\n';
    }

    co_await acm::async_with(opened("third", true), [](Resource&) -> acm::Task<void> {
        throw std::out_of_range("sample 12 of 10");
        co_return;
    });
    std::cout << ms() << " ms: the third block's exception was suppressed\n";
}

int main() { acm::run(demo()); }
