// acm::sim::http: a session manager with a response manager nested in it.
#include "support.hpp"

#include <acm/sim/http.hpp>

#include <stdexcept>

using namespace acm_test;
using acm::sim::http::ClientSession;
using acm::sim::http::Response;

namespace {

struct Jammed : std::runtime_error {
    Jammed() : std::runtime_error("the block jammed") {}
};

Strings http_ops(const acm::trace::Recorder& rec) {
    Strings out;
    for (const auto& line : rec.events("http")) out.push_back(field(line, "op"));
    return out;
}

// A route that exists only for one test.
struct ScopedRoute {
    std::string url;
    ScopedRoute(std::string u, int status, std::string body, acm::Duration latency) : url(std::move(u)) {
        acm::sim::http::serve(url, status, std::move(body), latency);
    }
    ~ScopedRoute() { acm::sim::http::routes().erase(url); }
};

}  // namespace

TEST_SUITE("sim::http") {

TEST_CASE("a request inside a session hands its block the response, and the two levels close from the inside out") {
    acm::trace::Recorder rec;
    std::string text;
    int status = 0;
    double after_ms = -1;
    acm::run([&]() -> acm::Task<void> {
        text = co_await acm::async_with(ClientSession{}, [&](ClientSession& session) -> acm::Task<std::string> {
            co_return co_await acm::async_with(session.get("https://example.test/"), [&](Response& r) -> acm::Task<std::string> {
                status = r.status();
                co_return co_await r.text();
            });
        });
        after_ms = now_ms();
    }());
    CHECK(status == 200);
    CHECK(text == "<html><body><h1>Example</h1></body></html>");
    // 1 ms to open the pool, 30 ms for the status line, 5 ms for the body, 2 ms to close.
    CHECK(after_ms == 38);
    CHECK(http_ops(rec) ==
          Strings{"\"session_open\"", "\"request\"", "\"response\"", "\"body\"", "\"release\"", "\"session_close\""});
}

TEST_CASE("the connection is in use for exactly as long as the response block runs") {
    ClientSession session;
    int during = -1, after = -1;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(session, [&](ClientSession& s) -> acm::Task<void> {
            co_await acm::async_with(s.get("https://example.test/status"), [&](Response&) -> acm::Task<void> {
                during = s.connections_in_use();
                co_return;
            });
            after = s.connections_in_use();
        });
    }());
    CHECK(during == 1);
    CHECK(after == 0);
    CHECK(session.requests_sent() == 1);
    CHECK_FALSE(session.is_open());
}

TEST_CASE("an unknown address answers 404 rather than throwing") {
    int status = 0;
    bool ok = true;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(ClientSession{}, [&](ClientSession& s) -> acm::Task<void> {
            co_await acm::async_with(s.get("https://example.test/nowhere"), [&](Response& r) -> acm::Task<void> {
                status = r.status();
                ok = r.ok();
                co_return;
            });
        });
    }());
    CHECK(status == 404);
    CHECK_FALSE(ok);
}

TEST_CASE("serve() adds an address with its own answer and latency") {
    ScopedRoute route{"https://camera.test/frame", 201, "stored", 100ms};
    double answered_ms = -1;
    std::string body;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(ClientSession{}, [&](ClientSession& s) -> acm::Task<void> {
            co_await acm::async_with(s.get(route.url), [&](Response& r) -> acm::Task<void> {
                answered_ms = now_ms();
                CHECK(r.status() == 201);
                body = co_await r.text();
            });
        });
    }());
    CHECK(answered_ms == 101);
    CHECK(body == "stored");
}

TEST_CASE("a block that throws while reading the body releases the connection and closes the session") {
    ClientSession session;
    acm::trace::Recorder rec;
    CHECK_THROWS_AS(acm::run([&]() -> acm::Task<void> {
                        co_await acm::async_with(session, [&](ClientSession& s) -> acm::Task<void> {
                            co_await acm::async_with(s.get("https://example.test/"), [&](Response& r) -> acm::Task<void> {
                                co_await r.text();
                                throw Jammed{};
                            });
                        });
                    }()),
                    Jammed);
    CHECK(session.connections_in_use() == 0);
    CHECK_FALSE(session.is_open());
    CHECK(http_ops(rec).back() == "\"session_close\"");
}

TEST_CASE("a cancellation while the body is read releases the connection and closes the session") {
    ClientSession session;
    CHECK_THROWS_AS(acm::run([&]() -> acm::Task<void> {
                        co_await acm::async_with(session, [&](ClientSession& s) -> acm::Task<void> {
                            co_await acm::async_with(s.get("https://example.test/"), [&](Response& r) -> acm::Task<void> {
                                cancel_current_task_after(2ms);  // reading the body takes 5 ms
                                co_await r.text();
                                FAIL("the body arrived although the read was cancelled");
                            });
                        });
                    }()),
                    acm::Cancelled);
    CHECK(session.connections_in_use() == 0);
    CHECK_FALSE(session.is_open());
}

TEST_CASE("a cancellation while waiting for the answer gives the connection back, though the response's aexit never runs") {
    ClientSession session;
    acm::trace::Recorder rec;
    bool block_ran = false;
    CHECK_THROWS_AS(acm::run([&]() -> acm::Task<void> {
                        co_await acm::async_with(session, [&](ClientSession& s) -> acm::Task<void> {
                            cancel_current_task_after(10ms);  // the answer needs 5 s
                            co_await acm::async_with(s.get("https://example.test/slow"), [&](Response&) -> acm::Task<void> {
                                block_ran = true;
                                co_return;
                            });
                        });
                    }()),
                    acm::Cancelled);
    CHECK_FALSE(block_ran);
    CHECK(session.connections_in_use() == 0);
    CHECK_FALSE(session.is_open());
    // No "release": the request's block was never entered, so its aexit did not run.
    CHECK(http_ops(rec) == Strings{"\"session_open\"", "\"request\"", "\"session_close\""});
}

TEST_CASE("a session whose closing is cancelled is closed all the same") {
    ClientSession session;
    CHECK_THROWS_AS(acm::run([&]() -> acm::Task<void> {
                        co_await acm::async_with(session, [&](ClientSession&) -> acm::Task<void> {
                            cancel_current_task_after(1ms);  // closing takes 2 ms
                            co_return;
                        });
                    }()),
                    acm::Cancelled);
    CHECK_FALSE(session.is_open());
}

TEST_CASE("a request on a session that is not open says how to open one") {
    ClientSession session;
    std::string message = what_of([&] {
        acm::run([&]() -> acm::Task<void> {
            co_await acm::async_with(session.get("https://example.test/"), [](Response&) -> acm::Task<void> { co_return; });
        }());
    });
    CHECK(contains(message, "session that is not open"));
    CHECK(contains(message, "async_with(ClientSession{}"));
    CHECK(session.connections_in_use() == 0);
}

TEST_CASE("http events carry the URL and, once known, the status") {
    acm::trace::Recorder rec;
    acm::run([&]() -> acm::Task<void> {
        co_await acm::async_with(ClientSession{}, [&](ClientSession& s) -> acm::Task<void> {
            co_await acm::async_with(s.get("https://example.test/status"), [](Response&) -> acm::Task<void> { co_return; });
        });
    }());
    auto events = rec.events("http");
    REQUIRE(events.size() == 5);  // session_open, request, response, release, session_close
    CHECK(field(events[1], "url") == "\"https://example.test/status\"");
    CHECK(field(events[1], "status") == "");  // the request has no answer yet
    CHECK(field(events[2], "status") == "200");
    CHECK(field(events[2], "t_ms") == "16");  // 1 ms to open, 15 ms for this address
}

}  // TEST_SUITE
