// A manager without aexit(): the first and only error names the missing member.
// expect: acm::async_with: the manager has no aexit(std::exception_ptr) member
#include <acm/async_with.hpp>

struct Door {
    acm::Task<Door&> aenter() { co_return *this; }
};

acm::Task<void> walk_in() {
    co_await acm::async_with(Door{}, [](Door&) -> acm::Task<void> { co_return; });
}
