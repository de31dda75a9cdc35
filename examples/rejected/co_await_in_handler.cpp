// Python's `finally:` may await; C++ has no finally, and a catch handler may not co_await.
#include <acm/acm.hpp>

acm::Task<void> release(int& resource);

acm::GeneratorManager<int&> guarded() {
    int resource = 42;
    try {
        co_yield resource;
    } catch (...) {
        co_await release(resource);  // rejected: no co_await inside a handler
        throw;
    }
    co_await release(resource);
}
