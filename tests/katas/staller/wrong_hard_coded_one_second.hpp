// must fail: the body starts exactly the stall amount after the block is reached
// Wrong answer: stalls one second whatever amount it was given (right for Staller{1s} only).
#pragma once
#include <chrono>
#include <exception>

#include <acm/acm.hpp>

class Staller {
public:
    explicit Staller(acm::Duration) {}
    acm::Task<Staller&> aenter() {
        co_await acm::sleep_for(std::chrono::seconds(1));
        co_return *this;
    }
    acm::Task<bool> aexit(std::exception_ptr) { co_return false; }
};
