// must fail: an exception thrown by the body comes out of async_with unchanged
// must fail: a body cancelled from another task ends at once, and the cancellation propagates
// Wrong answer: returns true from aexit(), which swallows every exception and cancellation.
#pragma once
#include <exception>

#include <acm/acm.hpp>

class Staller {
public:
    explicit Staller(acm::Duration amount) : amount_(amount) {}
    acm::Task<Staller&> aenter() {
        co_await acm::sleep_for(amount_);
        co_return *this;
    }
    acm::Task<bool> aexit(std::exception_ptr) { co_return true; }

private:
    acm::Duration amount_;
};
