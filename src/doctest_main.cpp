// The doctest side of every kata and runtime test program: doctest's implementation, the "json"
// reporter the page reads, and a listener that starts a new timeline in the trace for each test.
//
// Compiled once per toolchain (natively, with Emscripten, and ahead of time for the page), so a
// learner's compile only has to parse their header and the test file.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <mutex>
#include <ostream>
#include <sstream>
#include <string>

#include "acm/detail/json.hpp"
#include "acm/trace.hpp"

namespace {

using acm::detail::JsonLine;

// One JSON object per line (format in ARCHITECTURE.md). Structured results rather than console
// text, so the page never has to parse doctest's human-readable output.
class JsonReporter : public doctest::IReporter {
public:
    explicit JsonReporter(const doctest::ContextOptions& options) : out_(*options.cout) {}

    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override { write(JsonLine().add("type", "run_start")); }
    void test_run_end(const doctest::TestRunStats& stats) override {
        const int failed = static_cast<int>(stats.numTestCasesFailed);
        const int ran = static_cast<int>(stats.numTestCasesPassingFilters);
        write(JsonLine().add("type", "run_end").add("passed", ran - failed).add("failed", failed).add("skipped", 0));
    }
    void test_case_start(const doctest::TestCaseData& test) override {
        current_ = test.m_name;
        write(JsonLine().add("type", "test_start").add("name", current_).add("file", base_name(test.m_file.c_str())).add("line", test.m_line));
    }
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats& stats) override {
        write(JsonLine()
                  .add("type", "test_end")
                  .add("name", current_)
                  .add("passed", stats.testCaseSuccess)
                  .add("failed_asserts", stats.numAssertsFailedCurrentTest)
                  .add("seconds", stats.seconds));
    }
    void test_case_exception(const doctest::TestCaseException& e) override {
        write(JsonLine().add("type", "exception").add("test", current_).add("what", e.error_string.c_str()).add("crash", e.is_crash));
    }
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}

    void log_assert(const doctest::AssertData& a) override {
        if (!a.m_failed) return;
        std::string expanded = a.m_decomp.c_str();
        std::string exception = a.m_threw ? a.m_exception.c_str() : "";
        write(JsonLine()
                  .add("type", "assert")
                  .add("test", current_)
                  .add("passed", false)
                  .add("file", base_name(a.m_file))
                  .add("line", a.m_line)
                  .add("macro", doctest::assertString(a.m_at))
                  .add("expr", a.m_expr)
                  .add("expanded", expanded)
                  .add("message", context())
                  .add("exception", exception));
    }
    void log_message(const doctest::MessageData& m) override {
        // FAIL()/FAIL_CHECK()/WARN messages: shown like a failed check carrying only a message.
        const bool failing = (m.m_severity & doctest::assertType::is_warn) == 0;
        std::string text = m.m_string.c_str();
        std::string ctx = context();
        write(JsonLine()
                  .add("type", "assert")
                  .add("test", current_)
                  .add("passed", !failing)
                  .add("file", base_name(m.m_file))
                  .add("line", m.m_line)
                  .add("macro", failing ? "FAIL" : "WARN")
                  .add("expr", "")
                  .add("expanded", "")
                  .add("message", ctx.empty() ? text : ctx + "\n" + text)
                  .add("exception", ""));
    }
    void test_case_skipped(const doctest::TestCaseData&) override {}

private:
    static std::string base_name(const char* path) {
        std::string p = path ? path : "";
        auto slash = p.find_last_of("/\\");
        return slash == std::string::npos ? p : p.substr(slash + 1);
    }
    // INFO()/CAPTURE() values in scope when a check failed.
    static std::string context() {
        std::ostringstream s;
        const int n = doctest::IReporter::get_num_active_contexts();
        auto contexts = doctest::IReporter::get_active_contexts();
        for (int i = 0; i < n; ++i) {
            if (i) s << "\n";
            contexts[i]->stringify(&s);
        }
        return s.str();
    }
    void write(const JsonLine& line) {
        // Flushed per line: a program that crashes mid-run still leaves its finished results.
        out_ << line.str() << std::endl;
    }

    std::ostream& out_;
    std::string current_;
};

// Always active, whatever reporter prints: separates the trace into one timeline per test case.
class TraceListener : public doctest::IReporter {
public:
    explicit TraceListener(const doctest::ContextOptions&) {}
    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override {}
    void test_run_end(const doctest::TestRunStats&) override {}
    void test_case_start(const doctest::TestCaseData& test) override { acm::trace::begin_test(test.m_name); }
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats&) override {}
    void test_case_exception(const doctest::TestCaseException&) override {}
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData&) override {}
    void log_message(const doctest::MessageData&) override {}
    void test_case_skipped(const doctest::TestCaseData&) override {}
};

}  // namespace

REGISTER_REPORTER("json", 1, JsonReporter);
REGISTER_LISTENER("acm_trace", 1, TraceListener);
