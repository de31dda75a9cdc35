#pragma once
// The trace: what the loop did, with virtual timestamps, as JSON lines.
//
// Written to the file named by the ACM_TRACE environment variable (nothing is written when it is
// unset), or collected in memory by a trace::Recorder (the runtime's own tests use that). The
// browser draws the LED, the camera frames and the timeline from these lines alone, so every fact
// it shows must be in a line: it never re-derives what the runtime knows.
//
// Format. One JSON object per line. Every line starts with "ev" (the event kind) and "t_ms" (the
// loop's virtual time in milliseconds, a number that may have a fraction; it restarts at 0 with
// each EventLoop and never goes back during a run). Ids (loop, task, cm, timer) are small
// integers; task, cm and timer ids restart with each loop. The events and their other fields:
//
//   test               name                  a doctest test case starts (src/doctest_main.cpp);
//                                            the events up to the next `test` belong to it
//   run_begin          loop                  EventLoop::run starts
//   run_end            loop, outcome, what   EventLoop::run ends; outcome "ok" or "exception",
//                                            what = the exception's message
//   task_spawn         task, name            a task was spawned (the main task is "main")
//   task_done          task, name, outcome   it finished: "ok", "exception" or "cancelled"
//   aenter_begin, body_begin, aexit_begin
//                      cm, name, depth, task a phase of an async_with block starts; cm = the
//                                            block's id, name = the manager's type, depth = 0 for
//                                            the outermost block of its task
//   aenter_end, body_end, aexit_end
//                      cm, name, depth, task, outcome, what, suppressed
//                                            the phase ends: outcome "ok" or "exception" (then
//                                            what = its message); aexit_end adds suppressed (bool)
//   exception          cm, name, type, what, action
//                                            an exception crossed a block: "raised" in the body,
//                                            "suppressed" by aexit, or "propagated" out of it
//   timer_scheduled    timer, due_ms, label  call_at, call_later or sleep_for armed a timer
//   timer_fired        timer, label
//   timer_cancelled    timer, label
//   cancel_requested   task, reason, by_task cancel() was called; by_task = the task that called
//                                            it, absent when none was running (a timer callback)
//   cancelled          task, at              acm::Cancelled was thrown where the task waited (at)
//   led                led, on, curve        an LED switched; curve = [[t_ms, level], ...] is the
//                                            light from now on (level 0..1, the last point holds)
//   capture            camera, start_ms, exposure_ms, width, height, pixels, brightness
//                                            a frame was exposed (t_ms = end of the exposure);
//                                            pixels = row-major 0..255, brightness = mean 0..1
//   guard              kind, message         a guard stopped the loop: "deadlock", "time_limit"
//                                            or "step_limit"
//   note               text                  acm::trace::note() from the program
//
// The simulated file, HTTP session and process (sim/file.hpp, sim/http.hpp, sim/process.hpp)
// add the events `file`, `http` and `process`; their fields are in ARCHITECTURE.md's table, which
// repeats this one. tests/runtime/check_trace.mjs holds a real trace to both tables.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "acm/detail/json.hpp"
#include "acm/time.hpp"

namespace acm::trace {

class Recorder;

namespace detail {

struct Sink {
    std::FILE* file = nullptr;
    bool opened = false;
    Recorder* recorder = nullptr;
    std::size_t lines = 0;
    bool truncated = false;
};

inline Sink& sink() {
    static Sink s;
    if (!s.opened) {
        s.opened = true;
        if (const char* path = std::getenv("ACM_TRACE"); path && *path) {
            s.file = std::fopen(path, "a");
            // Line buffering: a run that crashes or is stopped by the page's watchdog still
            // leaves every finished line behind for the timeline.
            if (s.file) std::setvbuf(s.file, nullptr, _IOLBF, 1 << 16);
        }
    }
    return s;
}

// The running loop publishes its clock here, so anything (an LED, a manager) can stamp an event
// without being handed the loop.
inline const TimePoint*& clock() {
    static const TimePoint* current = nullptr;
    return current;
}

// A program that loops forever while tracing would otherwise fill the learner's tab with lines.
inline constexpr std::size_t max_lines = 100000;

}  // namespace detail

// Collects trace lines in memory for as long as it lives (and then the file sink resumes).
class Recorder {
public:
    Recorder() : previous_(detail::sink().recorder) { detail::sink().recorder = this; }
    ~Recorder() { detail::sink().recorder = previous_; }
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    const std::vector<std::string>& lines() const { return lines_; }
    // Lines whose "ev" is `kind`, in order.
    std::vector<std::string> events(std::string_view kind) const {
        std::vector<std::string> out;
        std::string needle = "{\"ev\":\"" + std::string(kind) + "\"";
        for (const auto& l : lines_)
            if (l.rfind(needle, 0) == 0) out.push_back(l);
        return out;
    }
    // The sequence of event kinds, handy for asserting an order of steps.
    std::vector<std::string> kinds() const {
        std::vector<std::string> out;
        for (const auto& l : lines_) {
            auto start = l.find(':') + 2;
            out.push_back(l.substr(start, l.find('"', start) - start));
        }
        return out;
    }
    void push(std::string line) { lines_.push_back(std::move(line)); }
    void clear() { lines_.clear(); }

private:
    Recorder* previous_;
    std::vector<std::string> lines_;
};

inline bool enabled() {
    auto& s = detail::sink();
    return s.recorder || s.file;
}

inline double now_ms() {
    const TimePoint* t = detail::clock();
    return t ? to_ms(*t) : 0.0;
}

// Starts an event line: {"ev":kind,"t_ms":now, ...}. Add fields, then pass it to emit().
inline acm::detail::JsonLine event(std::string_view kind) {
    acm::detail::JsonLine line;
    line.add("ev", kind).add("t_ms", now_ms());
    return line;
}

inline void emit(const acm::detail::JsonLine& line) {
    auto& s = detail::sink();
    if (s.recorder) {
        s.recorder->push(line.str());
        return;
    }
    if (!s.file) return;
    if (s.lines >= detail::max_lines) {
        if (!s.truncated) {
            s.truncated = true;
            std::fprintf(s.file, "%s\n", event("note").add("text", "trace truncated: too many events").str().c_str());
        }
        return;
    }
    ++s.lines;
    std::fprintf(s.file, "%s\n", line.str().c_str());
}

// Marks where a doctest test case starts, so the page can show one timeline per test.
inline void begin_test(std::string_view name) {
    if (enabled()) emit(event("test").add("name", name));
}

// Free text on the timeline, from a learner's or an example's code.
inline void note(std::string_view text) {
    if (enabled()) emit(event("note").add("text", text));
}

}  // namespace acm::trace
