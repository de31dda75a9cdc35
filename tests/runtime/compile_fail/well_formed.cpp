// The same shapes, correct: this file must compile, so the other files fail for their own reason.
// expect: compiles
#include <acm/async_with.hpp>

struct Door {
    acm::Task<Door&> aenter() { co_return *this; }
    acm::Task<bool> aexit(std::exception_ptr) { co_return false; }
};

struct Gate {
    acm::Task<void> aenter() { co_return; }
    acm::Task<void> aexit(std::exception_ptr) { co_return; }
};

acm::Task<void> walk_in() {
    co_await acm::async_with(Door{}, [](Door&) -> acm::Task<void> { co_return; });
    co_await acm::async_with(Door{}, []() -> acm::Task<void> { co_return; });
    int n = co_await acm::async_with(Gate{}, []() -> acm::Task<int> { co_return 1; });
    (void)n;
}
