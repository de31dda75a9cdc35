#pragma once
// Shared helpers for the runtime's own tests (not a test file itself: CMake globs *_test.cpp).
#include <doctest/doctest.h>

#include <acm/acm.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace acm_test {

using namespace std::chrono_literals;

// Counts live coroutine frames. Put one in a coroutine (as a local, or as a by-value parameter so
// that it is in the frame even before the body starts); after every path the count must be back
// to where it started, or some frame was never destroyed.
struct FrameProbe {
    static inline int live = 0;
    FrameProbe() { ++live; }
    FrameProbe(const FrameProbe&) { ++live; }
    FrameProbe(FrameProbe&&) noexcept { ++live; }
    FrameProbe& operator=(const FrameProbe&) = default;
    ~FrameProbe() { --live; }
};

// The exception the tests throw, so they can recognise it when it comes out of the runtime.
struct Boom : std::runtime_error {
    explicit Boom(const std::string& what = "boom") : std::runtime_error(what) {}
};

// Milliseconds since the running loop started, as a plain number: reads better in a failed CHECK
// than a chrono duration.
inline double now_ms() { return acm::to_ms(acm::current_loop().now()); }

// The raw JSON text of `key` in one flat trace line: "\"x\"" for strings, "12.5" for numbers,
// "true", "[...]". Empty when the key is absent. Enough for the runtime's own flat lines.
inline std::string field(std::string_view line, std::string_view key) {
    std::string needle = "\"" + std::string(key) + "\":";
    auto at = line.find(needle);
    if (at == std::string_view::npos) return {};
    auto start = at + needle.size();
    std::size_t i = start;
    int depth = 0;
    bool in_string = false;
    for (; i < line.size(); ++i) {
        char c = line[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '[' || c == '{') ++depth;
        else if (c == ']' || c == '}') {
            if (depth == 0) break;
            --depth;
        } else if (c == ',' && depth == 0) break;
    }
    return std::string(line.substr(start, i - start));
}

inline std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Only the async_with phase events, in order: the five steps without timer noise.
inline std::vector<std::string> phases(const acm::trace::Recorder& rec) {
    std::vector<std::string> out;
    for (const auto& k : rec.kinds())
        if (k.rfind("aenter_", 0) == 0 || k.rfind("body_", 0) == 0 || k.rfind("aexit_", 0) == 0) out.push_back(k);
    return out;
}

// The exception events' "action" values, in order.
inline std::vector<std::string> exception_actions(const acm::trace::Recorder& rec) {
    std::vector<std::string> out;
    for (const auto& l : rec.events("exception")) out.push_back(field(l, "action"));
    return out;
}

using Strings = std::vector<std::string>;

// Cancels the calling task `d` of virtual time from now, from a timer callback: the way an
// outside event (a timeout, a user pressing stop) reaches a task.
inline acm::TimerHandle cancel_current_task_after(acm::Duration d) {
    auto me = acm::current_task();
    return acm::current_loop().call_later(d, [me]() mutable { me.cancel(); }, "test: cancel");
}

// The message of an exception_ptr (empty for nullptr).
inline std::string message_of(std::exception_ptr e) {
    if (!e) return {};
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        return ex.what();
    } catch (...) {
        return "unknown";
    }
}

// The message of what `f()` throws as std::exception; empty if it does not throw. Lets a test
// check a message for the words a learner needs to see rather than for the exact sentence.
template <class F>
std::string what_of(F&& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

inline bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

}  // namespace acm_test

// A failed CHECK on a list of steps prints the steps, not "{?}".
namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
    static String convert(const std::vector<std::string>& v) {
        std::string out = "{";
        for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
        out += "}";
        return out.c_str();
    }
};
}  // namespace doctest
