// must fail: the body receives the object itself, not a copy
// Wrong answer: stores a copy of the object, so the body gets the copy and the copy is closed;
// the caller's object stays open.
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
        co_return false;
    }

private:
    T resource_;
};
