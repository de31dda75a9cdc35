// must fail: a body that throws still closes the object, and the exception comes out unchanged
// must fail: a body cancelled from another task still closes the object, and the cancellation propagates
// Wrong answer: closes on every path, then returns true, which swallows the block's exception.
#pragma once
#include <exception>

#include <acm/acm.hpp>

template <class T>
class Closer {
public:
    explicit Closer(T& resource) : resource_(resource) {}
    acm::Task<T&> aenter() { co_return resource_; }
    acm::Task<bool> aexit(std::exception_ptr) {
        if constexpr (acm::Awaitable<decltype(resource_.close())>)
            co_await resource_.close();
        else
            resource_.close();
        co_return true;
    }

private:
    T& resource_;
};
