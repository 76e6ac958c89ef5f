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

int doubledLuhnDigit(int d)
{
    return d * 2 > 9 ? d * 2 - 9 : d * 2;
}

// Every Luhn-valid window of 13..19 digits inside a card-like digit run, as spans of `text`. A card
// is often glued to other numbers ("Card: 2 4111 1111 1111 1111", "ref 9941111111111111111"), so the
// whole run failing the check says nothing; each window is tried. When the run is written in groups,
// a window must start and end on group boundaries (a card number is never split mid-group); a run
// without separators is tried at every offset. Prefix sums make each window O(1).
void luhnWindows(QStringView text, qsizetype offset, std::vector<std::pair<qsizetype, qsizetype>>& out)
{
    std::vector<qsizetype> pos; // index in `text` of each digit
    std::vector<int> digit;
    std::vector<char> groupStart;
    bool separated = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (!text[i].isDigit()) {
            separated = true;
            continue;
        }
        groupStart.push_back(pos.empty() || pos.back() != i - 1);
        pos.push_back(i);
        digit.push_back(text[i].digitValue());
    }
    const qsizetype n = qsizetype(pos.size());
    // plain[p][i] / doubled[p][i]: sums over digits j < i with j % 2 == p.
    std::vector<int> plain[2] = { std::vector<int>(size_t(n) + 1, 0), std::vector<int>(size_t(n) + 1, 0) };
    std::vector<int> doubled[2] = { std::vector<int>(size_t(n) + 1, 0), std::vector<int>(size_t(n) + 1, 0) };
    for (qsizetype i = 0; i < n; ++i) {
        for (int p = 0; p < 2; ++p) {
            plain[p][size_t(i) + 1] = plain[p][size_t(i)] + (i % 2 == p ? digit[size_t(i)] : 0);
            doubled[p][size_t(i) + 1] = doubled[p][size_t(i)] + (i % 2 == p ? doubledLuhnDigit(digit[size_t(i)]) : 0);
        }
    }
    const auto groupEnd = [&](qsizetype i) { return i + 1 == n || groupStart[size_t(i) + 1]; };
    for (qsizetype len = 19; len >= 13; --len) {
        for (qsizetype s = 0; s + len <= n; ++s) {
            const qsizetype e = s + len - 1; // last digit: not doubled; every second one to its left is
            if (separated && (!groupStart[size_t(s)] || !groupEnd(e)))
                continue;
            const int keep = int(e % 2);
            const int sum = plain[keep][size_t(e) + 1] - plain[keep][size_t(s)] + doubled[1 - keep][size_t(e) + 1]
                - doubled[1 - keep][size_t(s)];
            if (sum % 10 == 0)
                out.push_back({ offset + pos[size_t(s)], offset + pos[size_t(e)] + 1 });
        }
    }
}

// ISO 13616 check: move the first four characters to the end, letters to 10..35, mod 97 == 1.
bool ibanValid(QStringView text)
{
    QString compact;
    for (QChar c : text)
        if (!c.isSpace())
            compact += c.toUpper();
    if (compact.size() < 15 || compact.size() > 34)
        return false;
    const QString moved = compact.mid(4) + compact.left(4);
    int rem = 0;
    for (QChar c : moved) {
        if (c >= QLatin1Char('0') && c <= QLatin1Char('9'))
            rem = (rem * 10 + c.digitValue()) % 97;
        else if (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
            rem = (rem * 100 + (c.unicode() - 'A' + 10)) % 97;
        else
            return false;
    }
    return rem == 1;
}

// International phone numbers have 7..15 digits (E.164), the country code included.
bool phoneDigitsValid(QStringView text)
{
    int digits = 0;
    for (QChar c : text)
        digits += c.isDigit() ? 1 : 0;
    return digits >= 7 && digits <= 15;
}

// A match may swallow a following word or number group ("DE89 3704 0044 0532 0130 00 AND"): when the
// whole match fails its check, try it cut back at each separator, longest first.
std::optional<qsizetype> validPrefixEnd(QStringView m, bool (*valid)(QStringView))
{
    if (valid(m))
        return m.size();
    for (qsizetype i = m.size() - 1; i > 0; --i) {
        if ((m[i] == QLatin1Char(' ') || m[i] == QLatin1Char('-') || m[i] == QLatin1Char('.')) && valid(m.left(i)))
            return i;
    }
    return std::nullopt;
}

bool knownValidator(const QString& v)
{
    return v.isEmpty() || v == QLatin1String("luhn") || v == QLatin1String("iban")
        || v == QLatin1String("phone_digits");
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
        if (!knownValidator(rule.validator))
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
                std::vector<std::pair<qsizetype, qsizetype>> windows;
                luhnWindows(QStringView(text).mid(start, end - start), start, windows);
                for (const auto& [ws, we] : windows)
                    raw.push_back({ ws, we, int(ri) });
                continue;
            }
            if (rule.validator == QLatin1String("iban") || rule.validator == QLatin1String("phone_digits")) {
                const auto cut = validPrefixEnd(QStringView(text).mid(start, end - start),
                    rule.validator == QLatin1String("iban") ? &ibanValid : &phoneDigitsValid);
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
    // A replacement changes what its neighbours see: "10.0.0.1www.x.org" hides the www URL behind
    // the look-behind of its rule until the address becomes "[REDACTED:IP_ADDRESS]". Passes repeat
    // until nothing matches (found by fuzzing), so redacting a redacted text changes nothing.
    constexpr int kMaxPasses = 8;
    Result result;
    result.text = text;
    std::map<std::pair<QString, QString>, int> counts;
    for (int pass = 0; pass < kMaxPasses; ++pass) {
        const auto spans = findSpans(result.text);
        if (spans.empty())
            break;
        for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
            const RedactionRule& rule = m_rules[size_t(it->rule)];
            QString replacement = m_replacement;
            replacement.replace(QLatin1String("{type}"), rule.type);
            result.text.replace(it->start, it->end - it->start, replacement);
            ++counts[{ rule.type, rule.name }];
        }
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

int RedactionTally::replacements() const
{
    int n = 0;
    for (const auto& [field, count] : fields)
        n += count;
    return n;
}

const RedactionMemo::Entry& RedactionMemo::redact(const QString& text, const QString& field)
{
    auto it = m_done.constFind(text);
    if (it == m_done.constEnd()) {
        Redactor::Result res = m_redactor.redact(text);
        int spans = 0;
        for (const RedactionEvent& e : res.events)
            spans += e.count;
        mergeRedactionEvents(m_events, res.events);
        if (spans > 0)
            m_fields[field] += spans;
        it = m_done.insert(text, { std::move(res.text), spans });
    }
    return it.value();
}

} // namespace djp
