// A generator-based manager that suppresses one kind of exception, and lets others through.
#include <acm/acm.hpp>

#include <iostream>
#include <stdexcept>

using namespace std::chrono_literals;

acm::GeneratorManager<int> ignoring_timeouts() {
    std::exception_ptr failure;
    try {
        co_yield 0;
    } catch (const acm::TimeoutError& e) {
        // Handled: leave `failure` empty, so nothing is rethrown.
        std::cout << acm::to_ms(acm::now()) << " ms: ignored: " << e.what() << '\n';
    } catch (...) {
        failure = std::current_exception();
    }
    co_await acm::sleep_for(1ms);  // the teardown may await: we are outside every handler
    if (failure) std::rethrow_exception(failure);
}

acm::Task<void> demo() {
    co_await acm::async_with(ignoring_timeouts(), []() -> acm::Task<void> {
        co_await acm::sleep_for(10ms);
        throw acm::TimeoutError{"the sensor did not answer"};
    });
    std::cout << acm::to_ms(acm::now()) << " ms: carried on after the first block\n";

    try {
        co_await acm::async_with(ignoring_timeouts(), []() -> acm::Task<void> {
            throw std::invalid_argument("negative exposure");
            co_return;
        });
    } catch (const std::invalid_argument& e) {
        std::cout << acm::to_ms(acm::now()) << " ms: propagated: " << e.what() << '\n';
    }
}

int main() { acm::run(demo()); }
