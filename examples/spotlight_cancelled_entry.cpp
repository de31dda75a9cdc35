// The gap in the naive Spotlight: cancelled during the settle, the LED stays on.
#include <acm/acm.hpp>

#include <iostream>

using namespace std::chrono_literals;

static double ms() { return acm::to_ms(acm::now()); }

// Exactly the device page's manager. aenter() switches the LED on, then awaits.
class NaiveSpotlight {
public:
    explicit NaiveSpotlight(acm::sim::Led& led) : led_(led) {}
    acm::Task<NaiveSpotlight&> aenter() {
        led_.on();
        co_await acm::sleep_for(50ms);  // a cancellation arriving here escapes aenter()
        co_return *this;
    }
    acm::Task<bool> aexit(std::exception_ptr) {
        led_.off();  // only reached if aenter() completed
        co_return false;
    }

private:
    acm::sim::Led& led_;
};

acm::Task<void> lit_work(acm::sim::Led& led) {
    co_await acm::async_with(NaiveSpotlight{led}, []() -> acm::Task<void> {
        std::cout << "never printed: the block does not start\n";
        co_return;
    });
}

acm::Task<void> demo() {
    acm::sim::Led led{"white"};
    acm::TaskRef worker = acm::current_loop().spawn(lit_work(led));
    co_await acm::sleep_for(20ms);  // the worker is in the middle of its settle
    std::cout << ms() << " ms: cancelling the worker during the settle\n";
    worker.cancel();
    co_await acm::sleep_for(100ms);
    std::cout << ms() << " ms: worker done = " << std::boolalpha << worker.done() << '\n';
    const char* state = led.is_on() ? "still ON: leaked" : "off";
    std::cout << ms() << " ms: LED is " << state << '\n';
}

int main() { acm::run(demo()); }
