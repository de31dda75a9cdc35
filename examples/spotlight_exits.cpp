// The LED goes off on every way out of the block: normal, exception, cancellation.
#include <acm/acm.hpp>

#include <iostream>
#include <stdexcept>

using namespace std::chrono_literals;

static double ms() { return acm::to_ms(acm::now()); }

// Names the way the block ended, for the printout.
static const char* describe(std::exception_ptr e) {
    if (!e) return "normal exit";
    try {
        std::rethrow_exception(e);
    } catch (const acm::Cancelled&) {
        return "cancelled";
    } catch (...) {
        return "exception";
    }
}

class Spotlight {
public:
    explicit Spotlight(acm::sim::Led& led) : led_(led) {}
    acm::Task<Spotlight&> aenter() {
        led_.on();
        co_await acm::sleep_for(50ms);
        co_return *this;
    }
    acm::Task<bool> aexit(std::exception_ptr e) {
        led_.off();
        std::cout << ms() << " ms: LED off (" << describe(e) << ")\n";
        co_return false;
    }

private:
    acm::sim::Led& led_;
};

acm::Task<void> lit_work(acm::sim::Led& led, bool fail) {
    co_await acm::async_with(Spotlight{led}, [fail]() -> acm::Task<void> {
        co_await acm::sleep_for(100ms);
        if (fail) throw std::runtime_error("focus motor stalled");
    });
}

acm::Task<void> demo() {
    acm::sim::Led led{"white"};

    co_await lit_work(led, false);

    try {
        co_await lit_work(led, true);
    } catch (const std::exception& e) {
        std::cout << ms() << " ms: caught: " << e.what() << '\n';
    }

    // Cancel a task while its block is running (the settle is long over at +80 ms).
    acm::TaskRef worker = acm::current_loop().spawn(lit_work(led, false));
    co_await acm::sleep_for(80ms);
    std::cout << ms() << " ms: cancelling the worker\n";
    worker.cancel();
    co_await acm::sleep_for(1ms);
    std::cout << ms() << " ms: LED is " << (led.is_on() ? "on" : "off") << '\n';
}

int main() { acm::run(demo()); }
