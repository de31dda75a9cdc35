// must fail: the body starts exactly the stall amount after the block is reached
// Wrong answer: calls sleep_for without co_await. That only builds the awaitable and drops it,
// so nothing waits.
#pragma once
#include <exception>

#include <acm/acm.hpp>

class Staller {
public:
    explicit Staller(acm::Duration amount) : amount_(amount) {}
    acm::Task<Staller&> aenter() {
        acm::sleep_for(amount_);
        co_return *this;
    }
    acm::Task<bool> aexit(std::exception_ptr) { co_return false; }

private:
    acm::Duration amount_;
};
