#include "pipeline/replyparse.h"

#include "core/strings.h"

#include <algorithm>
#include <cmath>

namespace djp {

namespace {

// Index one past the '}' closing the object opened at `open`, or -1. Strings inside are skipped so
// braces in text values do not count.
qsizetype matchingBrace(const QString& text, qsizetype open)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (qsizetype i = open; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == QLatin1Char('\\'))
                escaped = true;
            else if (c == QLatin1Char('"'))
                inString = false;
            continue;
        }
        if (c == QLatin1Char('"'))
            inString = true;
        else if (c == QLatin1Char('{'))
            ++depth;
        else if (c == QLatin1Char('}') && --depth == 0)
            return i + 1;
    }
    return -1;
}

QString stripFences(QString s)
{
    s = s.trimmed();
    if (s.startsWith(QLatin1String("```"))) {
        const qsizetype nl = s.indexOf(QLatin1Char('\n'));
        s = nl < 0 ? QString() : s.mid(nl + 1);
        if (s.trimmed().endsWith(QLatin1String("```"))) {
            s = s.trimmed();
            s.chop(3);
        }
    }
    return s.trimmed();
}

QString jsonToText(const Json& v)
{
    if (v.is_string())
        return qs(v.get_ref<const std::string&>());
    if (v.is_null())
        return {};
    return qs(v.dump());
}

// Reads a string list; returns true when the value had to be coerced.
bool readStringList(const Json& v, QStringList& out)
{
    out.clear();
    if (v.is_null())
        return false;
    if (v.is_string()) {
        const QString s = qs(v.get_ref<const std::string&>()).trimmed();
        if (!s.isEmpty())
            out.append(s);
        return true;
    }
    if (!v.is_array()) {
        out.append(jsonToText(v));
        return true;
    }
    bool coerced = false;
    for (const Json& item : v) {
        if (!item.is_string())
            coerced = true;
        QString s;
        if (item.is_object()) {
            // Models sometimes send {"source": ..., "quote": ...}: keep every textual value.
            QStringList parts;
            for (const auto& [k, val] : item.items())
                parts.append(jsonToText(val));
            s = parts.join(QLatin1String(" - "));
        } else {
            s = jsonToText(item);
        }
        s = s.trimmed();
        if (!s.isEmpty())
            out.append(s);
    }
    return coerced;
}

} // namespace

std::optional<Json> findJsonObject(const QString& text, const char* preferredKey)
{
    constexpr int kMaxCandidates = 64;
    std::optional<Json> first;
    int tried = 0;
    qsizetype from = 0;
    while (tried < kMaxCandidates) {
        const qsizetype open = text.indexOf(QLatin1Char('{'), from);
        if (open < 0)
            break;
        const qsizetype end = matchingBrace(text, open);
        if (end < 0)
            break; // no later '{' can close either
        ++tried;
        QString err;
        auto parsed = parseJson(text.mid(open, end - open).toUtf8(), &err);
        if (parsed && parsed->is_object()) {
            if (!preferredKey || parsed->contains(preferredKey))
                return parsed;
            if (!first)
                first = std::move(parsed);
            from = open + 1; // the wanted object may be nested inside this one
        } else {
            from = open + 1;
        }
    }
    return first;
}

Draft parseDraftReply(const QString& label, const QString& reply)
{
    Draft d;
    d.label = label;
    const auto obj = findJsonObject(reply, "answer");
    if (!obj) {
        d.answer = stripFences(reply);
        d.confidence = 0.5;
        d.safetyFlags.append(draftflags::kJsonParseError);
        return d;
    }
    bool coerced = false;
    bool missingAnswer = false;
    if (auto it = obj->find("answer"); it != obj->end()) {
        if (!it->is_string() && !it->is_null())
            coerced = true;
        d.answer = jsonToText(*it).trimmed();
    } else {
        missingAnswer = true;
    }
    if (auto it = obj->find("evidence"); it != obj->end())
        coerced |= readStringList(*it, d.evidence);
    if (auto it = obj->find("safety_flags"); it != obj->end())
        coerced |= readStringList(*it, d.safetyFlags);
    if (auto it = obj->find("confidence"); it != obj->end()) {
        double c = 0.5;
        bool ok = true;
        if (it->is_number()) {
            c = it->get<double>();
        } else if (it->is_string()) {
            QString s = qs(it->get_ref<const std::string&>()).trimmed();
            const bool percent = s.endsWith(QLatin1Char('%'));
            if (percent)
                s.chop(1);
            c = s.toDouble(&ok);
            if (percent)
                c /= 100.0;
            coerced = true;
        } else {
            ok = false;
        }
        if (!ok || !std::isfinite(c)) {
            c = 0.5;
            coerced = true;
        }
        if (c > 1.0 && c <= 100.0) {
            c /= 100.0; // "85" meant 85 %
            coerced = true;
        }
        if (c < 0.0 || c > 1.0) {
            c = std::clamp(c, 0.0, 1.0);
            coerced = true;
        }
        d.confidence = c;
    }
    if (missingAnswer)
        d.safetyFlags.append(draftflags::kMissingAnswer);
    if (coerced)
        d.safetyFlags.append(draftflags::kFieldTypeCoerced);
    d.safetyFlags.removeDuplicates();
    return d;
}

} // namespace djp
