// aexit() written as a plain function returning bool: async_with cannot co_await it.
// expect: acm::async_with: aexit() must return something co_await-able
#include <acm/async_with.hpp>

struct Door {
    acm::Task<Door&> aenter() { co_return *this; }
    bool aexit(std::exception_ptr) { return false; }
};

acm::Task<void> walk_in() {
    co_await acm::async_with(Door{}, [](Door&) -> acm::Task<void> { co_return; });
}
