// acm::sim::File: the simulated file behind the async file examples.
#include "support.hpp"

#include <acm/sim/file.hpp>

#include <stdexcept>

using namespace acm_test;
using acm::sim::File;

namespace {

struct Jammed : std::runtime_error {
    Jammed() : std::runtime_error("the block jammed") {}
};

// The "op" of every file event for `path`, in order.
Strings file_ops(const acm::trace::Recorder& rec) {
    Strings out;
    for (const auto& line : rec.events("file")) out.push_back(field(line, "op"));
    return out;
}

struct FreshDisk {
    FreshDisk() { acm::sim::disk().clear(); }
    ~FreshDisk() { acm::sim::disk().clear(); }
};

}  // namespace

TEST_SUITE("sim::File") {

TEST_CASE("a file used with async_with is open in the block, and closed with its text on the disk after it") {
    FreshDisk disk;
    acm::trace::Recorder rec;
    double body_ms = -1, after_ms = -1;
    bool open_inside = false;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(acm::sim::open("example.txt", "w"), [&](File& f) -> acm::Task<void> {
            body_ms = now_ms();
            open_inside = f.is_open();
            co_await f.write("Hello, world!");
        });
        after_ms = now_ms();
    }());
    CHECK(open_inside);
    CHECK(body_ms == 2);    // opening takes 2 ms
    CHECK(after_ms == 6);   // one write (1 ms), then the close flushes (3 ms)
    CHECK(acm::sim::disk()["example.txt"] == "Hello, world!");
    CHECK(acm::sim::open_files() == 0);
    CHECK(file_ops(rec) == Strings{"\"open\"", "\"write\"", "\"flush\"", "\"close\""});
}

TEST_CASE("writes wait in a buffer until the file is flushed or closed") {
    FreshDisk disk;
    std::string before_flush, after_flush;
    acm::run([&]() -> acm::Task<void> {
        File f{"notes.txt", "w"};
        co_await f.open();
        co_await f.write("one ");
        co_await f.write("two");
        before_flush = acm::sim::disk()["notes.txt"];
        CHECK(f.buffered() == 7);
        co_await f.flush();
        after_flush = acm::sim::disk()["notes.txt"];
        co_await f.close();
    }());
    CHECK(before_flush == "");
    CHECK(after_flush == "one two");
}

TEST_CASE("append mode adds to what is on the disk, write mode starts it again") {
    FreshDisk disk;
    acm::sim::disk()["log.txt"] = "old\n";
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(acm::sim::open("log.txt", "a"), [](File& f) -> acm::Task<void> { co_await f.write("new\n"); });
    }());
    CHECK(acm::sim::disk()["log.txt"] == "old\nnew\n");
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(acm::sim::open("log.txt", "w"), [](File& f) -> acm::Task<void> { co_await f.write("fresh\n"); });
    }());
    CHECK(acm::sim::disk()["log.txt"] == "fresh\n");
}

TEST_CASE("reading gives the rest of the file, and an empty string at the end") {
    FreshDisk disk;
    acm::sim::disk()["frame.txt"] = "pixels";
    std::string first, second;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(acm::sim::open("frame.txt"), [&](File& f) -> acm::Task<void> {
            first = co_await f.read();
            second = co_await f.read();
        });
    }());
    CHECK(first == "pixels");
    CHECK(second == "");
    CHECK(acm::sim::open_files() == 0);
}

TEST_CASE("a block that throws still closes the file, keeps what it wrote, and the exception comes out") {
    FreshDisk disk;
    CHECK_THROWS_AS(acm::run([&]() -> acm::Task<void> {
                        co_await acm::async_with(acm::sim::open("log.txt", "w"), [](File& f) -> acm::Task<void> {
                            co_await f.write("starting\n");
                            throw Jammed{};
                        });
                    }()),
                    Jammed);
    CHECK(acm::sim::open_files() == 0);
    CHECK(acm::sim::disk()["log.txt"] == "starting\n");
}

TEST_CASE("a block cancelled in the middle of a write closes the file; the interrupted write never reaches the disk") {
    FreshDisk disk;
    acm::trace::Recorder rec;
    double closed_ms = -1;
    CHECK_THROWS_AS(acm::run([&]() -> acm::Task<void> {
                        co_await acm::async_with(acm::sim::open("log.txt", "w", {.write = std::chrono::milliseconds(10)}),
                                                 [&](File& f) -> acm::Task<void> {
                                                     co_await f.write("first\n");   // 2..12 ms
                                                     cancel_current_task_after(5ms);  // lands at 17 ms
                                                     co_await f.write("second\n");  // 12..22 ms: cut short
                                                 });
                        closed_ms = now_ms();  // never reached: the cancellation propagates
                    }()),
                    acm::Cancelled);
    CHECK(closed_ms == -1);
    CHECK(acm::sim::open_files() == 0);
    CHECK(acm::sim::disk()["log.txt"] == "first\n");
    CHECK(file_ops(rec) == Strings{"\"open\"", "\"write\"", "\"flush\"", "\"close\""});
    CHECK(field(rec.events("file").back(), "t_ms") == "20");  // cancelled at 17 ms + 3 ms flush
}

TEST_CASE("a block cancelled while a read waits releases the file") {
    FreshDisk disk;
    acm::sim::disk()["big.raw"] = "0123456789";
    CHECK_THROWS_AS(acm::run([&]() -> acm::Task<void> {
                        co_await acm::async_with(acm::sim::open("big.raw", "r", {.read = std::chrono::milliseconds(50)}),
                                                 [&](File& f) -> acm::Task<void> {
                                                     cancel_current_task_after(10ms);
                                                     co_await f.read();
                                                     FAIL("the read finished although it was cancelled");
                                                 });
                    }()),
                    acm::Cancelled);
    CHECK(acm::sim::open_files() == 0);
    CHECK(acm::sim::disk()["big.raw"] == "0123456789");
}

TEST_CASE("a close cancelled while it flushes still writes the data and releases the file") {
    FreshDisk disk;
    CHECK_THROWS_AS(acm::run([&]() -> acm::Task<void> {
                        co_await acm::async_with(acm::sim::open("log.txt", "w"), [&](File& f) -> acm::Task<void> {
                            co_await f.write("last words\n");       // done at 3 ms
                            cancel_current_task_after(1ms);         // during the 3 ms flush of aexit
                        });
                    }()),
                    acm::Cancelled);
    CHECK(acm::sim::open_files() == 0);
    CHECK(acm::sim::disk()["log.txt"] == "last words\n");
}

TEST_CASE("cancelling the open leaves no file open and creates nothing; the block and aexit never run") {
    FreshDisk disk;
    bool body_ran = false;
    CHECK_THROWS_AS(acm::run([&]() -> acm::Task<void> {
                        cancel_current_task_after(1ms);  // opening takes 2 ms
                        co_await acm::async_with(acm::sim::open("new.txt", "w"), [&](File&) -> acm::Task<void> {
                            body_ran = true;
                            co_return;
                        });
                    }()),
                    acm::Cancelled);
    CHECK_FALSE(body_ran);
    CHECK(acm::sim::open_files() == 0);
    CHECK(acm::sim::disk().count("new.txt") == 0);
}

TEST_CASE("opening a missing file for reading fails with its name, and the block never runs") {
    FreshDisk disk;
    bool body_ran = false;
    std::string message = what_of([&] {
        acm::run([&]() -> acm::Task<void> {
            co_await acm::async_with(acm::sim::open("missing.txt"), [&](File&) -> acm::Task<void> {
                body_ran = true;
                co_return;
            });
        }());
    });
    CHECK(contains(message, "no such file: missing.txt"));
    CHECK_FALSE(body_ran);
    CHECK(acm::sim::open_files() == 0);
}

TEST_CASE("a file destroyed while open is released, but its buffered text is lost and the trace says so") {
    FreshDisk disk;
    acm::trace::Recorder rec;
    acm::run([&]() -> acm::Task<void> {
        File f{"draft.txt", "w"};
        co_await f.open();
        co_await f.write("unsaved");
    }());  // no close(): the destructor cannot await a flush
    CHECK(acm::sim::open_files() == 0);
    CHECK(acm::sim::disk()["draft.txt"] == "");
    auto last = rec.events("file").back();
    CHECK(field(last, "op") == "\"close\"");
    CHECK(contains(field(last, "error"), "buffered data lost"));
}

TEST_CASE("each file event names the path, the operation, the mode and the bytes") {
    FreshDisk disk;
    acm::trace::Recorder rec;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(acm::sim::open("a.txt", "w"), [](File& f) -> acm::Task<void> { co_await f.write("abc"); });
    }());
    auto write = rec.events("file")[1];
    CHECK(field(write, "path") == "\"a.txt\"");
    CHECK(field(write, "op") == "\"write\"");
    CHECK(field(write, "mode") == "\"w\"");
    CHECK(field(write, "bytes") == "3");
    CHECK(field(write, "t_ms") == "3");
}

TEST_CASE("mistakes get messages that say what went wrong") {
    FreshDisk disk;
    CHECK(contains(what_of([] { File f{"x.txt", "rw"}; }), "mode must be \"r\", \"w\" or \"a\""));
    acm::sim::disk()["x.txt"] = "data";
    acm::run([&]() -> acm::Task<void> {
        File f{"x.txt", "r"};
        CHECK_THROWS_WITH_AS(co_await f.write("no"), doctest::Contains("not open"), std::logic_error);
        co_await f.open();
        CHECK_THROWS_WITH_AS(co_await f.write("no"), doctest::Contains("open for reading"), std::logic_error);
        CHECK_THROWS_WITH_AS(co_await f.open(), doctest::Contains("already open"), std::logic_error);
        co_await f.close();
    }());
    CHECK(acm::sim::open_files() == 0);
}

}  // TEST_SUITE
