// A manager whose aexit() forgot its parameter: async_with names the missing piece.
#include <acm/acm.hpp>

struct Forgetful {
    acm::Task<Forgetful&> aenter() { co_return *this; }
    acm::Task<bool> aexit() { co_return false; }  // should be aexit(std::exception_ptr)
};

acm::Task<void> use() {
    co_await acm::async_with(Forgetful{}, [](Forgetful&) -> acm::Task<void> {  // rejected
        co_return;
    });
}
