// Two safe ways to give a coroutine its data: parameters, or a lambda kept alive.
#include <acm/acm.hpp>

#include <iostream>

using namespace std::chrono_literals;

static double ms() { return acm::to_ms(acm::now()); }

// WRONG, and never called: the page shows it as the mistake to avoid. The lambda is a
// temporary that dies at the end of the return statement, but the task it started runs
// later and reads `led` and `times` through the dead lambda object.
acm::TaskRef start_blinking(acm::sim::Led& led, int times) {
    return acm::current_loop().spawn([&led, times]() -> acm::Task<void> {
        for (int i = 0; i < times; ++i) {  // `times` is read after the lambda died
            led.on();
            co_await acm::sleep_for(100ms);
            led.off();
        }
    }());
}

// Fix 1: parameters are copied into the coroutine frame and live as long as it does.
// (`led` is a reference parameter: the Led itself must outlive the task; demo() sees to
// that.)
acm::Task<void> blink(acm::sim::Led& led, int times, acm::Duration period) {
    for (int i = 0; i < times; ++i) {
        led.on();
        std::cout << ms() << " ms: blink " << i + 1 << " of " << times << '\n';
        co_await acm::sleep_for(period / 2);
        led.off();
        co_await acm::sleep_for(period / 2);
    }
}

acm::Task<void> demo() {
    acm::sim::Led led{"status"};

    // The spawned task outlives this statement; everything it needs is in its frame.
    acm::TaskRef blinker = acm::current_loop().spawn(blink(led, 3, 100ms));

    // Fix 2: a named lambda object that lives in this frame until its coroutine is over.
    int reports = 2;
    auto reporter = [&reports]() -> acm::Task<void> {
        for (int i = 0; i < reports; ++i) {
            co_await acm::sleep_for(120ms);
            std::cout << ms() << " ms: report " << i + 1 << '\n';
        }
    };
    co_await reporter();  // `reporter` is still alive: we are suspended right here

    co_await acm::sleep_for(100ms);  // let the blinker finish: `led` must outlive it
    std::cout << ms() << " ms: blinker done = " << std::boolalpha << blinker.done()
              << ", led on = " << led.is_on() << '\n';
}

int main() { acm::run(demo()); }
