#pragma once
// sim::http: a simulated HTTP client in the shape of aiohttp — a session manager and, nested in
// it, a response manager per request:
//
//     std::string page = co_await acm::async_with(acm::sim::http::ClientSession{},
//         [](acm::sim::http::ClientSession& session) -> acm::Task<std::string> {
//             co_return co_await acm::async_with(session.get("https://example.test/"),
//                 [](acm::sim::http::Response& response) -> acm::Task<std::string> {
//                     co_return co_await response.text();
//                 });
//         });
//
// Entering the session opens its connection pool, entering a request sends it and waits for the
// status line, exiting the request releases its connection, exiting the session closes the pool.
// The "server" is a table of fixed routes (serve() adds more); anything else answers 404.
// Every step is traced as an "http" event.
#include <exception>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>

#include "acm/sleep.hpp"
#include "acm/task.hpp"
#include "acm/trace.hpp"

namespace acm::sim::http {

struct Route {
    int status = 200;
    std::string body;
    Duration latency = std::chrono::milliseconds(20);  // until the status line arrives
};

// The simulated internet: URL -> what the server answers.
inline std::map<std::string, Route>& routes() {
    static std::map<std::string, Route> table = {
        {"https://example.test/", {200, "<html><body><h1>Example</h1></body></html>", std::chrono::milliseconds(30)}},
        {"https://example.test/status", {200, "{\"led\":\"off\",\"camera\":\"idle\"}", std::chrono::milliseconds(15)}},
        {"https://example.test/slow", {200, "finally", std::chrono::seconds(5)}},
    };
    return table;
}

inline void serve(std::string url, int status, std::string body, Duration latency = std::chrono::milliseconds(20)) {
    routes()[std::move(url)] = Route{status, std::move(body), latency};
}

namespace detail {
inline void traced(const char* op, const std::string& url = {}, int status = 0) {
    if (!trace::enabled()) return;
    auto line = trace::event("http").add("op", op);
    if (!url.empty()) line.add("url", url);
    if (status) line.add("status", status);
    trace::emit(line);
}
}  // namespace detail

class ClientSession;

class Response {
public:
    int status() const { return status_; }
    const std::string& url() const { return url_; }
    bool ok() const { return status_ >= 200 && status_ < 300; }

    // The body arrives after the status line; reading it takes a little more time.
    Task<std::string> text() {
        if (released_) throw std::logic_error("acm::sim::http::Response::text(): the response for " + url_ + " was already released");
        co_await sleep_for(std::chrono::milliseconds(5));
        detail::traced("body", url_, status_);
        co_return body_;
    }

private:
    friend class RequestContext;
    std::string url_;
    int status_ = 0;
    std::string body_;
    bool released_ = false;
};

// What session.get(url) returns: a manager whose block receives the Response.
class RequestContext {
public:
    RequestContext(ClientSession& session, std::string url) : session_(&session), url_(std::move(url)) {}

    Task<Response&> aenter();
    Task<void> aexit(std::exception_ptr);  // releases the connection; never suppresses

private:
    ClientSession* session_;
    std::string url_;
    Response response_;
    bool connected_ = false;
};

class ClientSession {
public:
    ClientSession() = default;
    // Requests point back at their session, so a session is never copied (moving an unused one,
    // as async_with does with a temporary, is fine).
    ClientSession(const ClientSession&) = delete;
    ClientSession(ClientSession&&) = default;

    Task<ClientSession&> aenter() {
        co_await sleep_for(std::chrono::milliseconds(1));
        open_ = true;
        detail::traced("session_open");
        co_return *this;
    }
    Task<void> aexit(std::exception_ptr) {
        // Closing the pool says goodbye to the server: it takes time, hence an async exit. If that
        // wait is cancelled the pool is closed all the same (without the goodbye), and the
        // cancellation carries on once it is.
        std::exception_ptr interrupted;
        try {
            co_await sleep_for(std::chrono::milliseconds(2));
        } catch (...) {
            interrupted = std::current_exception();
        }
        open_ = false;
        detail::traced("session_close");
        if (interrupted) std::rethrow_exception(interrupted);
    }

    RequestContext get(std::string url) { return RequestContext{*this, std::move(url)}; }

    bool is_open() const { return open_; }
    // Connections currently lent to response blocks.
    int connections_in_use() const { return in_use_; }
    int requests_sent() const { return sent_; }

private:
    friend class RequestContext;
    bool open_ = false;
    int in_use_ = 0;
    int sent_ = 0;
};

inline Task<Response&> RequestContext::aenter() {
    if (!session_->is_open())
        throw std::logic_error("acm::sim::http: request to " + url_ + " on a session that is not open (use it inside async_with(ClientSession{}, ...))");
    auto it = routes().find(url_);
    Route route = it != routes().end() ? it->second : Route{404, "not found", std::chrono::milliseconds(10)};
    ++session_->in_use_;
    ++session_->sent_;
    connected_ = true;
    detail::traced("request", url_);
    try {
        co_await sleep_for(route.latency);
    } catch (...) {
        // aexit() will not run if the entry fails: give the connection back here.
        --session_->in_use_;
        connected_ = false;
        throw;
    }
    response_.url_ = url_;
    response_.status_ = route.status;
    response_.body_ = route.body;
    detail::traced("response", url_, route.status);
    co_return response_;
}

inline Task<void> RequestContext::aexit(std::exception_ptr) {
    if (connected_) {
        --session_->in_use_;
        connected_ = false;
    }
    response_.released_ = true;
    detail::traced("release", url_, response_.status_);
    co_return;
}

}  // namespace acm::sim::http
