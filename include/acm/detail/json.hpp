#pragma once
// A tiny JSON-line writer for the trace. Hand-written because the trace needs only flat objects
// of numbers, strings, booleans and small arrays, and the page toolchain compiles every header a
// kata includes: a JSON library would cost every learner's compile more than it saves here.
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace acm::detail {

inline void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
}

inline void append_json_number(std::string& out, double v) {
    char buf[32];
    // %.6g keeps sub-microsecond virtual times readable without trailing noise.
    std::snprintf(buf, sizeof buf, "%.10g", v);
    out += buf;
}

class JsonLine {
public:
    JsonLine& add(std::string_view key, std::string_view v) { append_json_string(key_(key), v); return *this; }
    JsonLine& add(std::string_view key, const char* v) { return add(key, std::string_view(v)); }
    JsonLine& add(std::string_view key, const std::string& v) { return add(key, std::string_view(v)); }
    JsonLine& add(std::string_view key, bool v) { key_(key) += v ? "true" : "false"; return *this; }
    JsonLine& add(std::string_view key, double v) { append_json_number(key_(key), v); return *this; }
    template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>, int> = 0>
    JsonLine& add(std::string_view key, I v) { key_(key) += std::to_string(v); return *this; }
    JsonLine& add(std::string_view key, const std::vector<std::uint8_t>& v) {
        auto& out = key_(key);
        out += '[';
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (i) out += ',';
            out += std::to_string(v[i]);
        }
        out += ']';
        return *this;
    }
    JsonLine& add(std::string_view key, const std::vector<std::pair<double, double>>& points) {
        auto& out = key_(key);
        out += '[';
        for (std::size_t i = 0; i < points.size(); ++i) {
            if (i) out += ',';
            out += '[';
            append_json_number(out, points[i].first);
            out += ',';
            append_json_number(out, points[i].second);
            out += ']';
        }
        out += ']';
        return *this;
    }
    std::string str() const { return body_.empty() ? "{}" : body_ + "}"; }

private:
    std::string& key_(std::string_view key) {
        body_ += body_.empty() ? "{" : ",";
        append_json_string(body_, key);
        body_ += ':';
        return body_;
    }
    std::string body_;
};

}  // namespace acm::detail
