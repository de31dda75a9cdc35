// aenter() written as a plain function returning the manager: async_with cannot co_await it.
// expect: acm::async_with: aenter() must return something co_await-able
#include <acm/async_with.hpp>

struct Door {
    Door& aenter() { return *this; }
    acm::Task<bool> aexit(std::exception_ptr) { co_return false; }
};

acm::Task<void> walk_in() {
    co_await acm::async_with(Door{}, [](Door&) -> acm::Task<void> { co_return; });
}
