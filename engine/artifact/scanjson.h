#pragma once
// Internal to the artifact scanner (artifactscanner.cpp and the scan*.cpp files): small pure functions
// over JSON text and numbers that the walk and the record builder share. No state; any thread.
// Header-only so that the scan's hot loops inline them as they did when the scanner was one file.
#include <QtGlobal>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <simdjson.h>
#include <string_view>

namespace djp::scan {

using simdjson::ondemand::json_type;

inline const char* typeName(json_type t)
{
    switch (t) {
    case json_type::array:
        return "array";
    case json_type::object:
        return "object";
    case json_type::number:
        return "number";
    case json_type::string:
        return "string";
    case json_type::boolean:
        return "boolean";
    case json_type::null:
        return "null";
    }
    return "unknown";
}

inline bool isJsonWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

inline std::string_view trimRight(std::string_view s)
{
    while (!s.empty() && isJsonWhitespace(s.back()))
        s.remove_suffix(1);
    return s;
}

// RFC 8259 number grammar; tells "out of range" apart from malformed when simdjson refuses a number.
inline bool isJsonNumberSyntax(std::string_view s)
{
    std::size_t i = 0;
    const auto digit = [&](std::size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
    if (i < s.size() && s[i] == '-')
        ++i;
    if (!digit(i))
        return false;
    if (s[i] == '0')
        ++i;
    else
        while (digit(i))
            ++i;
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (!digit(i))
            return false;
        while (digit(i))
            ++i;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-'))
            ++i;
        if (!digit(i))
            return false;
        while (digit(i))
            ++i;
    }
    return i == s.size();
}

// Code points of valid UTF-8 = bytes that are not continuation bytes (10xxxxxx); counted eight
// bytes at a time because published texts are the longest strings the record needs.
inline qint64 codePointCount(std::string_view utf8)
{
    constexpr std::uint64_t kHigh = 0x8080808080808080ull;
    qint64 continuation = 0;
    std::size_t i = 0;
    for (; i + 8 <= utf8.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, utf8.data() + i, 8);
        continuation += std::popcount(w & ~(w << 1) & kHigh); // bit 7 set, bit 6 clear
    }
    for (; i < utf8.size(); ++i)
        continuation += (static_cast<unsigned char>(utf8[i]) & 0xC0) == 0x80;
    return static_cast<qint64>(utf8.size()) - continuation;
}

template <typename I> I clampToInt(double d)
{
    if (std::isnan(d))
        return 0;
    if (d >= static_cast<double>(std::numeric_limits<I>::max()))
        return std::numeric_limits<I>::max();
    if (d <= static_cast<double>(std::numeric_limits<I>::min()))
        return std::numeric_limits<I>::min();
    return static_cast<I>(d);
}

inline double finiteOrClamp(double d)
{
    if (std::isfinite(d))
        return d;
    if (std::isnan(d))
        return 0.0;
    return d > 0 ? std::numeric_limits<double>::max() : -std::numeric_limits<double>::max();
}

inline qint64 addClamped(qint64 a, qint64 b)
{
    return clampToInt<qint64>(double(a) + double(b));
}

} // namespace djp::scan
