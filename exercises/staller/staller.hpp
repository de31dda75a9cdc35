#pragma once
// Kata 1 — Staller.
//
// Make the block wait: `async_with(Staller{amount}, body)` must start `body` exactly `amount`
// of virtual time after it is reached, delay nothing else, and let every exception through.
//
// Fill in aenter() and aexit(). They are coroutines: `co_await` what must be waited for,
// `co_return` the result. Run the tests; each failing check says what it measured.
#include <exception>

#include <acm/acm.hpp>

class Staller {
public:
    explicit Staller(acm::Duration amount) : amount_(amount) {}

    // Called when the block is entered. Its result is what the body receives.
    acm::Task<Staller&> aenter() {
        // TODO: wait here before the block starts.
        co_return *this;
    }

    // Called when the block is left, with the exception leaving it (nullptr on a normal exit).
    // Return true to swallow that exception, false to let it propagate.
    acm::Task<bool> aexit(std::exception_ptr error) {
        (void)error;
        co_return false;
    }

private:
    acm::Duration amount_;
};
