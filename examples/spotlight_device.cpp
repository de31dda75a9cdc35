// Spotlight: an LED on for the length of a block, with a settle delay on entry.
#include <acm/acm.hpp>

#include <iostream>

using namespace std::chrono_literals;

static double ms() { return acm::to_ms(acm::now()); }

class Spotlight {
public:
    explicit Spotlight(acm::sim::Led& led) : led_(led) {}

    acm::Task<Spotlight&> aenter() {
        led_.on();
        std::cout << ms() << " ms: LED on, settling\n";
        // Yields to the loop: other tasks run while the light comes up.
        co_await acm::sleep_for(50ms);
        co_return *this;
    }

    acm::Task<bool> aexit(std::exception_ptr) {
        led_.off();
        std::cout << ms() << " ms: LED off\n";
        co_return false;  // never hides the block's exception
    }

private:
    acm::sim::Led& led_;
};

acm::Task<void> demo() {
    acm::sim::Led led{"white"};
    co_await acm::async_with(Spotlight{led}, [&]() -> acm::Task<void> {
        std::cout << ms() << " ms: block starts, illumination " << led.illumination()
                  << '\n';
        co_await acm::sleep_for(200ms);  // work that needs steady light
        std::cout << ms() << " ms: block ends\n";
    });
}

int main() { acm::run(demo()); }
