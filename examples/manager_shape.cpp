// The shape of an async context manager: two member functions, each one a coroutine.
#include <acm/acm.hpp>

#include <exception>
#include <iostream>

using namespace std::chrono_literals;

struct Connection {
    int id = 0;
};

class Connected {
public:
    // Awaited on the way in. What it co_returns is what the block receives.
    acm::Task<Connection&> aenter() {
        co_await acm::sleep_for(20ms);  // the handshake
        connection_.id = 7;
        co_return connection_;
    }

    // Awaited on the way out, on every path. `error` is null after a normal exit.
    // true would suppress the block's exception; false lets it continue.
    acm::Task<bool> aexit(std::exception_ptr error) {
        co_await acm::sleep_for(5ms);  // the goodbye
        const char* how = error ? "a failure" : "a normal exit";
        std::cout << acm::to_ms(acm::now()) << " ms: closed after " << how << '\n';
        connection_.id = 0;
        co_return false;
    }

private:
    Connection connection_;
};

// The runtime's concept checks the shape at compile time.
static_assert(acm::AsyncContextManager<Connected>);

acm::Task<void> demo() {
    co_await acm::async_with(Connected{}, [](Connection& c) -> acm::Task<void> {
        std::cout << acm::to_ms(acm::now()) << " ms: the block talks over connection "
                  << c.id << '\n';
        co_return;
    });
    std::cout << acm::to_ms(acm::now()) << " ms: after the block\n";
}

int main() { acm::run(demo()); }
