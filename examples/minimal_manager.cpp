// The smallest async context manager, and one whose entry and exit really wait.
#include <acm/acm.hpp>

#include <iostream>

using namespace std::chrono_literals;

struct Announcer {
    acm::Task<Announcer&> aenter() {
        std::cout << "Enter\n";
        co_return *this;  // the block receives the manager itself
    }
    acm::Task<bool> aexit(std::exception_ptr) {
        std::cout << "Exit\n";
        co_return false;  // never suppresses anything
    }
};

static double ms() { return acm::to_ms(acm::now()); }

// Opening and closing take time; waiting for them must not stop other tasks.
struct SlowDoor {
    acm::Task<SlowDoor&> aenter() {
        std::cout << ms() << " ms: door opening\n";
        co_await acm::sleep_for(30ms);
        std::cout << ms() << " ms: door open\n";
        co_return *this;
    }
    acm::Task<bool> aexit(std::exception_ptr) {
        std::cout << ms() << " ms: door closing\n";
        co_await acm::sleep_for(20ms);
        std::cout << ms() << " ms: door closed\n";
        co_return false;
    }
};

acm::Task<void> run_block() {
    co_await acm::async_with(Announcer{}, [](Announcer&) -> acm::Task<void> {
        std::cout << "Inside\n";
        co_return;
    });
}

acm::Task<void> heartbeat() {
    for (int i = 0; i < 6; ++i) {
        std::cout << ms() << " ms: heartbeat\n";
        co_await acm::sleep_for(10ms);
    }
}

acm::Task<void> walk_through() {
    co_await acm::async_with(SlowDoor{}, [](SlowDoor&) -> acm::Task<void> {
        std::cout << ms() << " ms: walking through\n";
        co_return;
    });
}

int main() {
    acm::run(run_block());
    std::cout << "--\n";
    acm::run(acm::gather(walk_through(), heartbeat()));
}
