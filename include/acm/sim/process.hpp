#pragma once
// sim::Process: a simulated child process that is both awaitable and an async context manager.
//
//     acm::sim::ProcessResult r = co_await acm::sim::run_process({"echo", "hi"});   // run to the end
//
//     co_await acm::async_with(acm::sim::run_process({"yes"}), [](acm::sim::Process& p) -> acm::Task<void> {
//         auto line = co_await p.read_line();    // std::optional<std::string>; nullopt at the end
//     });                                        // aexit: terminate if still running, await the exit
//
// The simulated system knows a few commands: echo ARGS..., ls (the files on sim::disk()),
// sleep SECONDS, yes [WORD] (never ends), true, false. Anything else exits with 127. The output
// is a deterministic function of virtual time: line i is available `line_period` after line i-1.
// Every step is traced as a "process" event.
#include <algorithm>
#include <cstdlib>
#include <exception>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "acm/event_loop.hpp"
#include "acm/sim/file.hpp"
#include "acm/sleep.hpp"
#include "acm/task.hpp"
#include "acm/trace.hpp"

namespace acm::sim {

struct ProcessResult {
    int exit_code = 0;
    std::string out;  // everything written to standard output
    std::string err;  // everything written to standard error
};

class Process {
public:
    static constexpr Duration startup = std::chrono::milliseconds(5);
    static constexpr Duration line_period = std::chrono::milliseconds(10);
    static constexpr Duration shutdown = std::chrono::milliseconds(3);  // from terminate() to exit
    static constexpr int sigterm_exit_code = 143;                       // 128 + SIGTERM, as shells report it

    explicit Process(std::vector<std::string> argv) : argv_(std::move(argv)) {
        if (argv_.empty()) throw std::invalid_argument("acm::sim::Process: empty command line");
    }
    Process(Process&&) = default;
    Process& operator=(Process&&) = delete;

    // ---- the async context manager face
    Task<Process&> aenter() {
        co_await start();
        co_return *this;
    }
    // A child must not outlive its block: terminate it if needed and wait until it has gone.
    // The waiting is why this cannot be a destructor.
    Task<bool> aexit(std::exception_ptr) {
        if (running()) {
            terminate();
            co_await wait();
        }
        co_return false;
    }

    // ---- the awaitable face: `co_await run_process(...)` runs it to the end.
    auto operator co_await() && {
        pending_.emplace(run_to_end());
        return std::move(*pending_).operator co_await();
    }

    // ---- interaction
    Task<void> start() {
        if (started_) throw std::logic_error("acm::sim::Process::start(): " + command() + " was already started");
        started_ = true;
        pid_ = next_pid()++;
        plan();
        traced("start");
        co_await sleep_for(startup);
        started_at_ = now();
    }

    // The next line of standard output (without the newline), or nullopt once the process has
    // exited and every line was read.
    Task<std::optional<std::string>> read_line() {
        require_started("read_line");
        if (read_ < line_count()) {
            TimePoint due = line_time(read_);
            if (!ended_before(due)) {
                if (due > now()) co_await sleep_for(due - now());
                std::string text = line_text(read_++);
                traced("line", text);
                co_return text;
            }
        }
        // No more lines will come: wait for the exit, then report the end of the stream.
        co_await wait();
        co_return std::nullopt;
    }

    // Waits for the exit and returns the exit code.
    Task<int> wait() {
        require_started("wait");
        TimePoint end = exit_time();
        if (end == never()) {
            // Like a real `yes`: it never exits by itself. The loop's deadlock/time guards catch a
            // program that waits for it without terminating it.
            co_await sleep_for(std::chrono::hours(24 * 365));
        }
        if (end > now()) co_await sleep_for(end - now());
        if (!exit_traced_) {
            exit_traced_ = true;
            traced("exit", {}, exit_code_now());
        }
        co_return exit_code_now();
    }

    // Asks the process to stop (SIGTERM); it exits `shutdown` later with code 143.
    void terminate() {
        require_started("terminate");
        if (!running()) return;
        terminated_at_ = now();
        traced("terminate");
    }

    bool running() const { return started_ && now() < exit_time(); }
    int pid() const { return pid_; }
    const std::vector<std::string>& argv() const { return argv_; }
    std::string command() const {
        std::string s;
        for (const auto& a : argv_) s += (s.empty() ? "" : " ") + a;
        return s;
    }
    // The exit code once the process has exited.
    std::optional<int> exit_code() const {
        if (!started_ || running()) return std::nullopt;
        return exit_code_now();
    }

private:
    static int& next_pid() {
        static int pid = 100;
        return pid;
    }
    static TimePoint never() { return TimePoint::max(); }
    static TimePoint now() { return current_loop().now(); }

    // Decides what the command will print and how long it runs.
    void plan() {
        const std::string& cmd = argv_[0];
        if (cmd == "echo") {
            std::string text;
            for (std::size_t i = 1; i < argv_.size(); ++i) text += (i > 1 ? " " : "") + argv_[i];
            lines_ = {text};
        } else if (cmd == "ls") {
            for (const auto& [path, contents] : disk()) lines_.push_back(path);
        } else if (cmd == "sleep") {
            double seconds = argv_.size() > 1 ? std::strtod(argv_[1].c_str(), nullptr) : 0.0;
            run_for_ = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds));
        } else if (cmd == "yes") {
            endless_ = true;
            word_ = argv_.size() > 1 ? argv_[1] : "y";
        } else if (cmd == "true") {
        } else if (cmd == "false") {
            code_ = 1;
        } else {
            code_ = 127;
            err_ = "sh: " + cmd + ": command not found\n";
        }
    }

    std::size_t line_count() const { return endless_ ? std::numeric_limits<std::size_t>::max() : lines_.size(); }
    std::string line_text(std::size_t i) const { return endless_ ? word_ : lines_[i]; }
    TimePoint line_time(std::size_t i) const { return started_at_ + line_period * static_cast<long>(i + 1); }

    // When the process exits: after its last line (or its sleep), or shortly after terminate().
    TimePoint natural_exit() const {
        if (endless_ || !started_at_set()) return never();
        return started_at_ + std::max(run_for_, line_period * static_cast<long>(lines_.size() + 1));
    }
    TimePoint exit_time() const {
        TimePoint natural = natural_exit();
        if (terminated_at_) natural = std::min(natural, *terminated_at_ + shutdown);
        return natural;
    }
    bool started_at_set() const { return started_ && started_at_ != TimePoint::min(); }
    bool ended_before(TimePoint t) const { return exit_time() <= t; }
    int exit_code_now() const {
        if (terminated_at_ && *terminated_at_ + shutdown < natural_exit()) return sigterm_exit_code;
        return code_;
    }

    void require_started(const char* op) const {
        if (!started_ || !started_at_set())
            throw std::logic_error(std::string("acm::sim::Process::") + op + "(): " + command() + " has not been started");
    }

    void traced(const char* op, const std::string& text = {}, std::optional<int> code = std::nullopt) const {
        if (!trace::enabled()) return;
        auto line = trace::event("process").add("op", op).add("pid", pid_).add("argv", command());
        if (!text.empty()) line.add("text", text);
        if (code) line.add("code", *code);
        trace::emit(line);
    }

    Task<ProcessResult> run_to_end() {
        if (!started_) co_await start();
        ProcessResult result;
        while (auto line = co_await read_line()) result.out += *line + "\n";
        result.exit_code = co_await wait();
        result.err = err_;
        co_return result;
    }

    std::vector<std::string> argv_;
    std::vector<std::string> lines_;
    std::string word_;
    std::string err_;
    bool endless_ = false;
    Duration run_for_{0};
    int code_ = 0;
    int pid_ = 0;
    bool started_ = false;
    bool exit_traced_ = false;
    TimePoint started_at_ = TimePoint::min();
    std::optional<TimePoint> terminated_at_;
    std::size_t read_ = 0;
    std::optional<Task<ProcessResult>> pending_;
};

// asyncio.create_subprocess_exec's counterpart: await it, or pass it to async_with.
inline Process run_process(std::vector<std::string> argv) { return Process{std::move(argv)}; }

}  // namespace acm::sim
