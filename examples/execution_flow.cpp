// The five steps of async_with, each one printed with its virtual time.
#include <acm/acm.hpp>

#include <iostream>
#include <string>

using namespace std::chrono_literals;

static double ms() { return acm::to_ms(acm::now()); }

class AsyncResource {
public:
    std::string state = "initialized";

    acm::Task<AsyncResource&> aenter() {
        std::cout << ms() << " ms  step 2: aenter begins (state: " << state << ")\n";
        co_await acm::sleep_for(100ms);  // e.g. a handshake
        state = "active";
        co_return *this;
    }

    acm::Task<bool> aexit(std::exception_ptr e) {
        std::cout << ms() << " ms  step 5: aexit begins, exception: "
                  << (e ? "yes" : "none") << '\n';
        co_await acm::sleep_for(100ms);  // e.g. a flush
        state = "closed";
        co_return false;  // let any exception propagate
    }
};

acm::Task<void> demo() {
    AsyncResource resource;  // step 1: the manager (an lvalue: used by reference)
    std::cout << ms() << " ms  step 1: manager ready (state: " << resource.state << ")\n";

    co_await acm::async_with(resource, [](AsyncResource& r) -> acm::Task<void> {
        std::cout << ms() << " ms  step 3: the block received the resource (state: "
                  << r.state << ")\n";
        std::cout << ms() << " ms  step 4: the block runs\n";
        co_await acm::sleep_for(50ms);
    });

    std::cout << ms() << " ms  after the block (state: " << resource.state << ")\n";
}

int main() { acm::run(demo()); }
