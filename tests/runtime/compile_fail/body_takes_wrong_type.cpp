// A body whose parameter is not what aenter() gives (a Window, where the block receives a Door).
// expect: acm::async_with: the body must be callable with what aenter() gives
#include <acm/async_with.hpp>

struct Window {};

struct Door {
    acm::Task<Door&> aenter() { co_return *this; }
    acm::Task<bool> aexit(std::exception_ptr) { co_return false; }
};

acm::Task<void> walk_in() {
    co_await acm::async_with(Door{}, [](Window&) -> acm::Task<void> { co_return; });
}
