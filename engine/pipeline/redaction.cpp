#include "pipeline/redaction.h"

#include "core/jsonutil.h"
#include "core/resources.h"
#include "core/strings.h"

#include <algorithm>
#include <map>

namespace djp {

bool luhnValid(QStringView text)
{
    int digits = 0;
    int sum = 0;
    // Walk from the right, doubling every second digit.
    for (qsizetype i = text.size() - 1; i >= 0; --i) {
        const QChar c = text[i];
        if (!c.isDigit())
            continue;
        int d = c.digitValue();
        if (digits % 2 == 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        ++digits;
    }
    return digits >= 13 && digits <= 19 && sum % 10 == 0;
}

namespace {

// A card-like match can swallow a trailing number group ("4111 1111 1111 1111 22"): when the whole
// match fails the Luhn check, try it cut back at each separator, longest first.
std::optional<qsizetype> luhnPrefixEnd(QStringView m)
{
    if (luhnValid(m))
        return m.size();
    for (qsizetype i = m.size() - 1; i > 0; --i) {
        if ((m[i] == QLatin1Char(' ') || m[i] == QLatin1Char('-')) && luhnValid(m.left(i)))
            return i;
    }
    return std::nullopt;
}

} // namespace

std::optional<Redactor> Redactor::fromJson(const QByteArray& json, QString* error)
{
    const auto fail = [&](const QString& msg) -> std::optional<Redactor> {
        if (error)
            *error = msg;
        return std::nullopt;
    };
    QString perr;
    const auto doc = parseJson(json, &perr);
    if (!doc || !doc->is_object())
        return fail(QStringLiteral("redaction rules: not a JSON object (%1)").arg(perr));
    Redactor r;
    r.m_replacement = jsonString(*doc, "replacement", r.m_replacement);
    auto rules = doc->find("rules");
    if (rules == doc->end() || !rules->is_array())
        return fail(QStringLiteral("redaction rules: 'rules' must be an array"));
    for (const Json& j : *rules) {
        RedactionRule rule;
        if (!j.is_object())
            return fail(QStringLiteral("redaction rules: every rule must be an object"));
        rule.name = jsonString(j, "name");
        rule.type = jsonString(j, "type");
        rule.validator = jsonString(j, "validator");
        rule.group = int(jsonNumber(j, "group", 0));
        const QString pattern = jsonString(j, "pattern");
        if (rule.name.isEmpty() || rule.type.isEmpty() || pattern.isEmpty())
            return fail(QStringLiteral("redaction rules: a rule needs name, type and pattern"));
        if (!rule.validator.isEmpty() && rule.validator != QLatin1String("luhn"))
            return fail(QStringLiteral("redaction rule %1: unknown validator '%2'").arg(rule.name, rule.validator));
        rule.pattern = QRegularExpression(pattern, QRegularExpression::UseUnicodePropertiesOption);
        if (!rule.pattern.isValid())
            return fail(
                QStringLiteral("redaction rule %1: invalid pattern: %2").arg(rule.name, rule.pattern.errorString()));
        if (rule.group < 0 || rule.group > rule.pattern.captureCount())
            return fail(QStringLiteral("redaction rule %1: group %2 does not exist").arg(rule.name).arg(rule.group));
        rule.pattern.optimize();
        r.m_rules.push_back(std::move(rule));
    }
    return r;
}

std::optional<Redactor> Redactor::loadDefault(QString* error)
{
    const QString rel = QStringLiteral("redaction_rules.json");
    const auto bytes = readResource(rel);
    if (!bytes) {
        if (error)
            *error = QStringLiteral("redaction rules: %1 not found").arg(rel);
        return std::nullopt;
    }
    auto r = fromJson(*bytes, error);
    if (r)
        r->m_origin = resourceOrigin(rel);
    return r;
}

std::vector<RedactionSpan> Redactor::findSpans(const QString& text) const
{
    std::vector<RedactionSpan> raw;
    for (size_t ri = 0; ri < m_rules.size(); ++ri) {
        const RedactionRule& rule = m_rules[ri];
        for (auto it = rule.pattern.globalMatch(text); it.hasNext();) {
            const auto m = it.next();
            qsizetype start = m.capturedStart(rule.group);
            qsizetype end = m.capturedEnd(rule.group);
            if (start < 0 || end <= start)
                continue;
            if (rule.validator == QLatin1String("luhn")) {
                const auto cut = luhnPrefixEnd(QStringView(text).mid(start, end - start));
                if (!cut)
                    continue;
                end = start + *cut;
            }
            raw.push_back({ start, end, int(ri) });
        }
    }
    std::sort(raw.begin(), raw.end(), [](const RedactionSpan& a, const RedactionSpan& b) {
        if (a.start != b.start)
            return a.start < b.start;
        if (a.end != b.end)
            return a.end > b.end;
        return a.rule < b.rule;
    });
    std::vector<RedactionSpan> merged;
    qsizetype bestLen = 0; // length of the span that names the current merged span
    for (const RedactionSpan& s : raw) {
        const qsizetype len = s.end - s.start;
        if (!merged.empty() && s.start <= merged.back().end) {
            RedactionSpan& cur = merged.back();
            cur.end = std::max(cur.end, s.end);
            if (len > bestLen) {
                bestLen = len;
                cur.rule = s.rule;
            }
        } else {
            merged.push_back(s);
            bestLen = len;
        }
    }
    return merged;
}

Redactor::Result Redactor::redact(const QString& text) const
{
    Result result;
    const auto spans = findSpans(text);
    result.text = text;
    std::map<std::pair<QString, QString>, int> counts;
    for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
        const RedactionRule& rule = m_rules[size_t(it->rule)];
        QString replacement = m_replacement;
        replacement.replace(QLatin1String("{type}"), rule.type);
        result.text.replace(it->start, it->end - it->start, replacement);
        ++counts[{ rule.type, rule.name }];
    }
    for (const auto& [key, n] : counts)
        result.events.push_back({ key.first, n, key.second });
    return result;
}

void mergeRedactionEvents(std::vector<RedactionEvent>& into, const std::vector<RedactionEvent>& more)
{
    for (const RedactionEvent& e : more) {
        auto it = std::find_if(into.begin(), into.end(),
            [&](const RedactionEvent& x) { return x.type == e.type && x.ruleName == e.ruleName; });
        if (it != into.end())
            it->count += e.count;
        else
            into.push_back(e);
    }
    std::sort(into.begin(), into.end(), [](const RedactionEvent& a, const RedactionEvent& b) {
        return a.type != b.type ? a.type < b.type : a.ruleName < b.ruleName;
    });
}

} // namespace djp
