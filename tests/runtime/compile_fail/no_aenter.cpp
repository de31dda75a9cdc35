// A manager without aenter(): the first and only error names the missing member.
// expect: acm::async_with: the manager has no aenter() member
#include <acm/async_with.hpp>

struct Door {
    acm::Task<bool> aexit(std::exception_ptr) { co_return false; }
};

acm::Task<void> walk_in() {
    co_await acm::async_with(Door{}, []() -> acm::Task<void> { co_return; });
}
