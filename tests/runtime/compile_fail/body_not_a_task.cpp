// A body that is an ordinary lambda, not a coroutine returning acm::Task.
// expect: acm::async_with: the body must be a coroutine returning acm::Task<R>
#include <acm/async_with.hpp>

struct Door {
    acm::Task<Door&> aenter() { co_return *this; }
    acm::Task<bool> aexit(std::exception_ptr) { co_return false; }
};

acm::Task<void> walk_in() {
    co_await acm::async_with(Door{}, [](Door&) { return 42; });
}
