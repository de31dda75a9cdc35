// Async iteration without a keyword: next() returns a task of std::optional,
// and an empty optional ends the loop.
#include <acm/acm.hpp>

#include <iostream>
#include <optional>

using namespace std::chrono_literals;

// A sensor that produces `count` samples, one every `period`.
class Sensor {
public:
    Sensor(int count, acm::Duration period) : remaining_(count), period_(period) {}

    acm::Task<std::optional<int>> next() {
        if (remaining_ == 0) co_return std::nullopt;  // the "StopAsyncIteration" case
        co_await acm::sleep_for(period_);              // other tasks run meanwhile
        --remaining_;
        co_return ++produced_ * 10;
    }

private:
    int remaining_;
    int produced_ = 0;
    acm::Duration period_;
};

acm::Task<void> consume() {
    Sensor sensor{3, 100ms};
    while (std::optional<int> sample = co_await sensor.next()) {
        std::cout << acm::to_ms(acm::now()) << " ms: sample " << *sample << '\n';
    }
    std::cout << "sensor exhausted at " << acm::to_ms(acm::now()) << " ms\n";
}

int main() { acm::run(consume()); }
