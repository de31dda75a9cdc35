// must fail: the object is still open inside the body: close() is never called on the way in
// Wrong answer: closes in aenter(), so the body works with an object that is already closed.
// Counting close() calls after the block would not notice: it is still exactly one.
#pragma once
#include <exception>

#include <acm/acm.hpp>

template <class T>
class Closer {
public:
    explicit Closer(T& resource) : resource_(resource) {}
    acm::Task<T&> aenter() {
        if constexpr (acm::Awaitable<decltype(resource_.close())>)
            co_await resource_.close();
        else
            resource_.close();
        co_return resource_;
    }
    acm::Task<bool> aexit(std::exception_ptr) { co_return false; }

private:
    T& resource_;
};
