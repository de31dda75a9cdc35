// aexit() that takes no exception: it cannot be told how the block ended.
// expect: acm::async_with: the manager has no aexit(std::exception_ptr) member
#include <acm/async_with.hpp>

struct Door {
    acm::Task<Door&> aenter() { co_return *this; }
    acm::Task<bool> aexit() { co_return false; }
};

acm::Task<void> walk_in() {
    co_await acm::async_with(Door{}, [](Door&) -> acm::Task<void> { co_return; });
}
