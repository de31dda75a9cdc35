#pragma once
// sim::File: a simulated file with asynchronous open/write/read/close, in the manner of
// aiofiles. Usable directly or as an async context manager:
//
//     co_await acm::async_with(acm::sim::open("log.txt", "w"), [](acm::sim::File& f) -> acm::Task<void> {
//         co_await f.write("hello\n");
//     });
//
// Files live on a simulated disk (sim::disk(), a map from path to contents) shared by the whole
// program. Every operation costs a little virtual time, as on a real disk, and writes are
// buffered: they reach the disk on flush() or close(). Each operation is traced as a "file" event.
#include <exception>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>

#include "acm/sleep.hpp"
#include "acm/task.hpp"
#include "acm/trace.hpp"

namespace acm::sim {

// The simulated disk: path -> contents. Tests may clear() it between cases.
inline std::map<std::string, std::string>& disk() {
    static std::map<std::string, std::string> contents;
    return contents;
}

namespace detail {
inline int& open_files_count() {
    static int count = 0;
    return count;
}
}  // namespace detail

// Files opened and not yet closed, across the program: the simulated descriptor table. Tests
// use it to check that a block released its file on every way out.
inline int open_files() { return detail::open_files_count(); }

// Virtual time each file operation takes; a test or an example may pass other values.
struct FileLatency {
    Duration open = std::chrono::milliseconds(2);
    Duration write = std::chrono::milliseconds(1);
    Duration read = std::chrono::milliseconds(1);
    Duration flush = std::chrono::milliseconds(3);
};

class File {
public:
    using Latency = FileLatency;

    // mode: "r" (read; the file must exist), "w" (create or truncate), "a" (create or append).
    explicit File(std::string path, std::string mode = "r", Latency latency = {})
        : path_(std::move(path)), mode_(std::move(mode)), latency_(latency) {
        if (mode_ != "r" && mode_ != "w" && mode_ != "a")
            throw std::invalid_argument("acm::sim::File: mode must be \"r\", \"w\" or \"a\", not \"" + mode_ + "\"");
    }
    File(File&& other) noexcept
        : path_(std::move(other.path_)),
          mode_(std::move(other.mode_)),
          latency_(other.latency_),
          open_(std::exchange(other.open_, false)),
          buffer_(std::move(other.buffer_)),
          read_pos_(other.read_pos_) {}
    File& operator=(File&&) = delete;
    ~File() {
        // A destructor cannot await a flush, so what is still buffered is lost — which is why
        // the closing belongs in aexit(), not here.
        if (open_) {
            traced("close", buffer_.size(), "closed by ~File without flushing: buffered data lost");
            release();
        }
    }

    // The async context manager protocol: open on entry, close (and so flush) on every exit.
    Task<File&> aenter() {
        co_await open();
        co_return *this;
    }
    Task<bool> aexit(std::exception_ptr) {
        if (open_) co_await close();
        co_return false;  // a file never hides the block's exception
    }

    Task<void> open() {
        if (open_) throw std::logic_error("acm::sim::File::open(): " + path_ + " is already open");
        co_await sleep_for(latency_.open);
        auto& d = disk();
        if (mode_ == "r" && !d.count(path_)) {
            traced("open", 0, "no such file");
            throw std::runtime_error("acm::sim::File: no such file: " + path_);
        }
        if (mode_ == "w") d[path_].clear();
        if (mode_ == "a") d[path_];  // creates an empty file if needed
        open_ = true;
        ++detail::open_files_count();
        read_pos_ = 0;
        traced("open", 0);
    }

    // Buffered: the text reaches the disk on flush() or close(). A write cancelled while it
    // waits writes nothing.
    Task<void> write(std::string text) {
        require_open("write");
        if (mode_ == "r") throw std::logic_error("acm::sim::File::write(): " + path_ + " is open for reading");
        co_await sleep_for(latency_.write);
        traced("write", text.size());
        buffer_ += text;
    }

    Task<void> flush() {
        require_open("flush");
        co_await sleep_for(latency_.flush);
        write_back("flush");
    }

    // The rest of the file, from the current position.
    Task<std::string> read() {
        require_open("read");
        if (mode_ != "r") throw std::logic_error("acm::sim::File::read(): " + path_ + " is open for writing");
        co_await sleep_for(latency_.read);
        const std::string& all = disk()[path_];
        std::string rest = read_pos_ < all.size() ? all.substr(read_pos_) : std::string{};
        read_pos_ = all.size();
        traced("read", rest.size());
        co_return rest;
    }

    // Flushes and releases the file. The release happens even if the waiting is cancelled: like
    // a real close() handed to the OS, it cannot be half done, and the cancellation is still
    // reported afterwards.
    Task<void> close() {
        require_open("close");
        std::exception_ptr interrupted;
        if (mode_ != "r") {
            try {
                co_await sleep_for(latency_.flush);
            } catch (...) {
                interrupted = std::current_exception();
            }
            write_back("flush");
        }
        traced("close", 0);
        release();
        if (interrupted) std::rethrow_exception(interrupted);
    }

    bool is_open() const { return open_; }
    const std::string& path() const { return path_; }
    const std::string& mode() const { return mode_; }
    // Written but not yet on the disk.
    std::size_t buffered() const { return buffer_.size(); }

private:
    void require_open(const char* op) const {
        if (!open_) throw std::logic_error(std::string("acm::sim::File::") + op + "(): " + path_ + " is not open");
    }
    void write_back(const char* op) {
        traced(op, buffer_.size());
        disk()[path_] += buffer_;
        buffer_.clear();
    }
    void release() {
        open_ = false;
        buffer_.clear();
        --detail::open_files_count();
    }
    void traced(const char* op, std::size_t bytes, const char* error = nullptr) const {
        if (!trace::enabled()) return;
        auto line = trace::event("file").add("path", path_).add("op", op).add("mode", mode_).add("bytes", bytes);
        if (error) line.add("error", error);
        trace::emit(line);
    }

    std::string path_;
    std::string mode_;
    Latency latency_;
    bool open_ = false;
    std::string buffer_;
    std::size_t read_pos_ = 0;
};

// aiofiles.open's counterpart: a File to pass to async_with (or to open() and close() by hand).
inline File open(std::string path, std::string mode = "r", FileLatency latency = {}) {
    return File{std::move(path), std::move(mode), latency};
}

}  // namespace acm::sim
