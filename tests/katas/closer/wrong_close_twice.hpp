// must fail: after a normal exit, close() has been called exactly once, as the body ended
// Wrong answer: closes in aexit() and, belt and braces, again in the destructor (the RAII reflex).
#pragma once
#include <exception>

#include <acm/acm.hpp>

template <class T>
class Closer {
public:
    explicit Closer(T& resource) : resource_(resource) {}
    ~Closer() {
        if constexpr (!acm::Awaitable<decltype(resource_.close())>) resource_.close();
    }
    acm::Task<T&> aenter() { co_return resource_; }
    acm::Task<bool> aexit(std::exception_ptr) {
        if constexpr (acm::Awaitable<decltype(resource_.close())>)
            co_await resource_.close();
        else
            resource_.close();
        co_return false;
    }

private:
    T& resource_;
};
