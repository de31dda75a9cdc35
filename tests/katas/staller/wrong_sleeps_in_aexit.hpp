// must fail: nothing but the entry is delayed: the block ends as soon as its body ends
// Wrong answer: stalls on the way out as well as on the way in.
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
    acm::Task<bool> aexit(std::exception_ptr) {
        co_await acm::sleep_for(amount_);
        co_return false;
    }

private:
    acm::Duration amount_;
};
