// One manager, three ways out: normal, exception, cancellation.
#include <acm/acm.hpp>

#include <iostream>
#include <stdexcept>
#include <string>

using namespace std::chrono_literals;

static double ms() { return acm::to_ms(acm::now()); }

// Names what it received in aexit(); the block's exception is never suppressed.
class Probe {
public:
    acm::Task<Probe&> aenter() {
        std::cout << ms() << " ms: aenter\n";
        co_return *this;
    }
    acm::Task<bool> aexit(std::exception_ptr e) {
        std::string what = "nullptr (normal exit)";
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const acm::Cancelled&) {
                what = "acm::Cancelled";
            } catch (const std::exception& ex) {
                what = std::string{"exception: "} + ex.what();
            }
        }
        // Outside the handlers: awaiting is allowed here.
        co_await acm::sleep_for(5ms);
        std::cout << ms() << " ms: aexit received " << what << '\n';
        co_return false;
    }
};

acm::Task<void> normal() {
    co_await acm::async_with(Probe{}, []() -> acm::Task<void> {
        co_await acm::sleep_for(10ms);
    });
}

acm::Task<void> failing() {
    co_await acm::async_with(Probe{}, []() -> acm::Task<void> {
        co_await acm::sleep_for(10ms);
        throw std::runtime_error("disk full");
    });
}

acm::Task<void> slow() {
    co_await acm::async_with(Probe{}, []() -> acm::Task<void> {
        co_await acm::sleep_for(1s);  // cancelled long before this ends
        std::cout << "never printed\n";
    });
}

acm::Task<void> canceller() {
    acm::TaskRef victim = acm::current_loop().spawn(slow());
    co_await acm::sleep_for(100ms);
    std::cout << ms() << " ms: cancelling the slow task\n";
    victim.cancel();
    co_await acm::sleep_for(50ms);  // give it time to run its aexit
    std::cout << "slow task done: " << std::boolalpha << victim.done() << '\n';
}

int main() {
    acm::run(normal());
    std::cout << "--\n";
    try {
        acm::run(failing());
    } catch (const std::exception& e) {
        std::cout << "propagated to main: " << e.what() << '\n';
    }
    std::cout << "--\n";
    acm::run(canceller());
}
