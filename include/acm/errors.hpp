#pragma once
// Every exception type the runtime throws, in one place a learner can look them up.
#include <exception>
#include <stdexcept>
#include <string>

namespace acm {

// Thrown at a task's suspension point when someone cancelled it (asyncio.CancelledError).
// Deliberately not a std::runtime_error, so `catch (const std::runtime_error&)` in a body
// or a manager does not swallow a cancellation by accident.
struct Cancelled : std::exception {
    const char* what() const noexcept override { return "acm::Cancelled: the task was cancelled"; }
};

// Raised by a timeout when its deadline passed (asyncio.TimeoutError).
struct TimeoutError : std::runtime_error {
    using std::runtime_error::runtime_error;
    TimeoutError() : std::runtime_error("acm::TimeoutError: the deadline passed") {}
};

// A guard stopped the loop because the program could never finish on its own.
struct GuardError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// No task can run and no timer is pending, but the main task has not finished.
struct Deadlock : GuardError {
    using GuardError::GuardError;
};
// Virtual time ran past the loop's limit (a loop that sleeps forever).
struct TimeLimitExceeded : GuardError {
    using GuardError::GuardError;
};
// Too many resumptions without finishing (a loop that yields forever at the same instant).
struct StepLimitExceeded : GuardError {
    using GuardError::GuardError;
};

// aexit() suppressed an exception, but the block was supposed to produce a value.
// A body returning std::optional<R> opts in to suppression: async_with then yields std::nullopt.
struct SuppressedWithoutValue : std::logic_error {
    using std::logic_error::logic_error;
};

}  // namespace acm
