#pragma once
// Shares the storage of repeated strings: 100k run records hold a few dozen distinct statuses,
// presets, provider labels and reasons, and often the same task or trace name (scheduled runs);
// sharing one QString per value keeps RSS low. The artifact scanner interns while it parses, from
// the UTF-8 bytes in its parser's buffer (a known value then costs no conversion); the store interns
// fields that are already QStrings. One instance per thread (each load worker uses its scanner's);
// not thread-safe.
#include <QSet>
#include <QString>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace djp {

class StringInterner
{
public:
    // The shared QString for these UTF-8 bytes; the null string for none.
    QString get(std::string_view utf8)
    {
        if (utf8.empty())
            return QString();
        auto it = m_byUtf8.find(utf8);
        if (it != m_byUtf8.end())
            return it->second;
        QString q = QString::fromUtf8(utf8.data(), static_cast<qsizetype>(utf8.size()));
        // A pathological folder with unbounded distinct values must not grow the table forever.
        if (m_byUtf8.size() < kMaxUtf8Entries)
            m_byUtf8.emplace(std::string(utf8), q);
        return q;
    }

    // Replaces `s` by the shared copy of its value, remembering it when new.
    void intern(QString& s)
    {
        if (s.isEmpty()) {
            s = QString(); // the null string shares no allocation
            return;
        }
        const auto it = m_byValue.constFind(s);
        if (it != m_byValue.constEnd())
            s = *it;
        else
            m_byValue.insert(s);
    }

private:
    struct Utf8Hash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view> {}(s); }
    };
    // Keys here are copies of the bytes, hence the bound; the QString set only shares strings the
    // records hold anyway.
    static constexpr std::size_t kMaxUtf8Entries = 65536;
    std::unordered_map<std::string, QString, Utf8Hash, std::equal_to<>> m_byUtf8;
    QSet<QString> m_byValue;
};

} // namespace djp
