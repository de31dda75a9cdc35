#pragma once
// The type and message of an in-flight exception, for the trace and for error messages.
#include <exception>
#include <string>
#include <typeinfo>
#include <utility>

#if __has_include(<cxxabi.h>)
#include <cstdlib>
#include <cxxabi.h>
#endif

namespace acm::detail {

struct ExceptionInfo {
    std::string type;
    std::string what;
};

inline std::string demangle(const char* raw) {
    std::string name = raw;
#if __has_include(<cxxabi.h>)
    int status = 0;
    char* readable = abi::__cxa_demangle(raw, nullptr, nullptr, &status);
    if (status == 0 && readable) name = readable;
    std::free(readable);
#endif
    return name;
}

inline ExceptionInfo describe(std::exception_ptr e) {
    if (!e) return {};
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        return {demangle(typeid(ex).name()), ex.what()};
    } catch (...) {
        return {"unknown", "an exception not derived from std::exception"};
    }
}

}  // namespace acm::detail
