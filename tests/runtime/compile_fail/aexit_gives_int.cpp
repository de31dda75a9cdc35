// aexit() whose result is neither bool nor void: "suppress or not" must be a yes/no answer.
// expect: acm::async_with: co_await aexit(...) must give bool (true suppresses the exception) or void
#include <acm/async_with.hpp>

struct Door {
    acm::Task<Door&> aenter() { co_return *this; }
    acm::Task<int> aexit(std::exception_ptr) { co_return 0; }
};

acm::Task<void> walk_in() {
    co_await acm::async_with(Door{}, [](Door&) -> acm::Task<void> { co_return; });
}
