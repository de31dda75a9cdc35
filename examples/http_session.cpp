// An HTTP session and its responses: two async context managers, one nested in the other.
#include <acm/acm.hpp>
#include <acm/sim/http.hpp>

#include <iostream>
#include <string>

using acm::sim::http::ClientSession;
using acm::sim::http::Response;

static double ms() { return acm::to_ms(acm::now()); }

acm::Task<std::string> fetch(std::string url) {
    // The lambdas capture by reference: safe here, because fetch's frame (which owns `url`)
    // stays suspended in co_await async_with(...) until both blocks are over.
    std::string html = co_await acm::async_with(
        ClientSession{}, [&](ClientSession& session) -> acm::Task<std::string> {
            std::cout << ms() << " ms: session open\n";
            std::string text = co_await acm::async_with(
                session.get(url), [&](Response& response) -> acm::Task<std::string> {
                    std::cout << ms() << " ms: " << url << " answered " << response.status()
                              << '\n';
                    std::string body = co_await response.text();
                    std::cout << ms() << " ms: body read, connections in use: "
                              << session.connections_in_use() << '\n';
                    co_return body;
                });
            std::cout << ms() << " ms: response released, connections in use: "
                      << session.connections_in_use() << '\n';
            co_return text;
        });
    std::cout << ms() << " ms: session closed\n";
    co_return html;
}

acm::Task<void> demo() {
    std::string html = co_await fetch("https://example.test/");
    std::cout << html << '\n';
}

int main() { acm::run(demo()); }
