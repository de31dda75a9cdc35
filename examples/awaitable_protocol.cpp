// The co_await protocol written by hand: an awaiter with await_ready,
// await_suspend and await_resume, and a type that provides operator co_await.
#include <acm/acm.hpp>

#include <iostream>

using namespace std::chrono_literals;

// Resumes the awaiting coroutine after `delay` of (virtual) time.
class After {
public:
    explicit After(acm::Duration delay) : delay_(delay) {}

    // Never ready at once: the point is to wait.
    bool await_ready() const noexcept { return delay_ <= acm::Duration::zero(); }

    // The coroutine is already suspended here; give its handle to a timer. A template, so
    // it takes std::coroutine_handle<> and also the std::experimental one that Emscripten
    // 3.1.6's library still has.
    template <class Handle>
    void await_suspend(Handle waiting) {
        // mutable: in that older library resume() is not a const member.
        acm::current_loop().call_later(delay_, [waiting]() mutable { waiting.resume(); });
    }

    // The value of the whole `co_await After{...}` expression: when it woke up.
    double await_resume() const { return acm::to_ms(acm::now()); }

private:
    acm::Duration delay_;
};

// Not an awaiter itself: operator co_await says how to wait for it,
// the same role __await__ plays in Python.
struct Reading {
    int value;
    acm::Duration latency;

    auto operator co_await() const {
        struct Awaiter : After {
            int value;
            int await_resume() const { return value; }
        };
        return Awaiter{After{latency}, value};
    }
};

acm::Task<void> demo() {
    double woke = co_await After{20ms};
    std::cout << "first wait ended at " << woke << " ms\n";
    woke = co_await After{30ms};
    std::cout << "second wait ended at " << woke << " ms\n";

    int celsius = co_await Reading{21, 5ms};
    std::cout << "reading " << celsius << " arrived at " << acm::to_ms(acm::now())
              << " ms\n";
}

int main() { acm::run(demo()); }
