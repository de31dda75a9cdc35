// must fail: an awaitable close() is awaited: the block ends only once the close has finished
// must fail: an awaitable close() is awaited when the body throws, before the exception comes out
// must fail: an awaitable close() is awaited when the body is cancelled, before the task ends
// Wrong answer: calls close() and drops what it returns. For an acm::Task that means the close
// never runs at all: a Task starts only when it is co_awaited.
#pragma once
#include <exception>

#include <acm/acm.hpp>

template <class T>
class Closer {
public:
    explicit Closer(T& resource) : resource_(resource) {}
    acm::Task<T&> aenter() { co_return resource_; }
    acm::Task<bool> aexit(std::exception_ptr) {
        (void)resource_.close();
        co_return false;
    }

private:
    T& resource_;
};
