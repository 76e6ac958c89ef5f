#include "artifact/runcomparison.h"

#include "artifact/artifactdocument.h"
#include "artifact/artifactscanner.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <algorithm>
#include <map>
#include <set>

namespace djp {

namespace {

const Json kNull;

const Json& at(const Json& j, std::initializer_list<const char*> path)
{
    const Json* cur = &j;
    for (const char* key : path) {
        if (!cur->is_object())
            return kNull;
        const auto it = cur->find(key);
        if (it == cur->end())
            return kNull;
        cur = &*it;
    }
    return *cur;
}

QString numberText(double v)
{
    return QString::number(v, 'g', 12);
}

QString usdText(double v)
{
    return QStringLiteral("$") + QString::number(v, 'f', 6);
}

// A JSON value as one line of text: strings unquoted, null as "", containers compact.
QString valueText(const Json& v)
{
    if (v.is_null())
        return {};
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    if (v.is_boolean())
        return v.get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.is_number_integer())
        return QString::number(v.get<qint64>());
    if (v.is_number())
        return numberText(v.get<double>());
    return QString::fromStdString(v.dump());
}

struct Builder
{
    int runs = 0;
    std::vector<ComparisonRow> rows;

    void add(const QString& section, const QString& field, const QStringList& values)
    {
        ComparisonRow r { section, field, values, false };
        for (const QString& v : values)
            r.differs = r.differs || v != values.first();
        rows.push_back(std::move(r));
    }
    template <typename F> void addEach(const QString& section, const QString& field, const std::vector<Json>& docs, F f)
    {
        QStringList values;
        for (const Json& d : docs)
            values << f(d);
        add(section, field, values);
    }
};

// Per model label: calls, tokens and cost. 2.x files have calls[]; every version has provenance.
struct LabelUse
{
    qint64 calls = 0;
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    bool hasCost = false;
    double cost = 0;
};

std::map<QString, LabelUse> labelUse(const Json& doc)
{
    std::map<QString, LabelUse> out;
    const Json& usage = at(doc, { "provenance", "model_usage" });
    if (usage.is_object()) {
        for (auto it = usage.begin(); it != usage.end(); ++it) {
            LabelUse& u = out[QString::fromStdString(it.key())];
            u.calls = static_cast<qint64>(jsonNumber(it.value(), "calls", 0));
            u.tokensIn = static_cast<qint64>(jsonNumber(it.value(), "tokens_in", 0));
            u.tokensOut = static_cast<qint64>(jsonNumber(it.value(), "tokens_out", 0));
        }
    }
    const Json& costs = at(doc, { "provenance", "estimated_costs" });
    if (costs.is_object()) {
        for (auto it = costs.begin(); it != costs.end(); ++it) {
            if (!it.value().is_number())
                continue;
            LabelUse& u = out[QString::fromStdString(it.key())];
            u.hasCost = true;
            u.cost = it.value().get<double>();
        }
    }
    return out;
}

struct RankedDraft
{
    int rank = 0;
    QString score;
    QString reasons;
};

std::map<QString, RankedDraft> rankedByProvider(const Json& doc)
{
    std::map<QString, RankedDraft> out;
    const Json& ranked = at(doc, { "judge", "ranked_drafts" });
    if (!ranked.is_array())
        return out;
    int rank = 0;
    for (const Json& d : ranked) {
        ++rank;
        if (!d.is_object())
            continue;
        QString provider = jsonString(d, "provider");
        // Two drafts of one provider get their own rows.
        for (int n = 2; out.count(provider); ++n)
            provider = jsonString(d, "provider") + QStringLiteral(" (%1)").arg(n);
        out[provider] = { rank, d.contains("score") ? valueText(d["score"]) : QString(), jsonString(d, "reasons") };
    }
    return out;
}

} // namespace

RunComparison compareDocuments(const QStringList& paths, const std::vector<Json>& docs)
{
    RunComparison c;
    c.paths = paths;
    for (const QString& p : paths) {
        QString name = QFileInfo(p).fileName();
        if (name.endsWith(QLatin1String(".json")))
            name.chop(5);
        c.runNames << name;
    }
    Builder b;
    b.runs = static_cast<int>(docs.size());
    const QString run = QStringLiteral("run");
    b.add(run, QStringLiteral("file"), c.runNames);
    b.addEach(run, QStringLiteral("run_id"), docs, [](const Json& d) { return valueText(at(d, { "run_id" })); });
    b.addEach(run, QStringLiteral("timestamp"), docs, [](const Json& d) {
        return valueText(at(d, { "run_metadata", "timestamp" }));
    });
    b.addEach(run, QStringLiteral("task"), docs, [](const Json& d) {
        return valueText(at(d, { "run_metadata", "task" }));
    });
    b.addEach(run, QStringLiteral("trace_name"), docs, [](const Json& d) {
        return valueText(at(d, { "run_metadata", "trace_name" }));
    });
    b.addEach(run, QStringLiteral("simulated"), docs, [](const Json& d) {
        const Json& s = at(d, { "simulated" });
        return s.is_boolean() ? valueText(s) : QStringLiteral("false");
    });

    // Parameters: the union of keys, in sorted order (nlohmann objects are sorted already).
    std::set<std::string> keys;
    for (const Json& d : docs) {
        const Json& p = at(d, { "run_metadata", "parameters" });
        if (p.is_object())
            for (auto it = p.begin(); it != p.end(); ++it)
                keys.insert(it.key());
    }
    for (const std::string& k : keys)
        b.addEach(QStringLiteral("parameters"), QString::fromStdString(k), docs, [&k](const Json& d) {
            const Json& p = at(d, { "run_metadata", "parameters" });
            return p.is_object() && p.contains(k) ? valueText(p[k]) : QString();
        });

    const QString outcome = QStringLiteral("outcome");
    b.addEach(outcome, QStringLiteral("status"), docs, [](const Json& d) {
        return valueText(at(d, { "publish", "status" }));
    });
    b.addEach(outcome, QStringLiteral("published provider"), docs, [](const Json& d) {
        return valueText(at(d, { "publish", "provider" }));
    });
    b.addEach(outcome, QStringLiteral("winner"), docs, [](const Json& d) {
        return valueText(at(d, { "judge", "winner_provider" }));
    });
    b.addEach(outcome, QStringLiteral("judge method"), docs, [](const Json& d) {
        return valueText(at(d, { "judge", "method" }));
    });
    b.addEach(outcome, QStringLiteral("reason"), docs, [](const Json& d) {
        return valueText(at(d, { "publish", "reason" }));
    });
    b.addEach(outcome, QStringLiteral("text length"), docs, [](const Json& d) {
        return valueText(at(d, { "publish", "text_length" }));
    });

    // Drafts, aligned by provider across runs: rank and score, then the judge's reasons.
    std::vector<std::map<QString, RankedDraft>> ranked;
    std::set<QString> providers;
    for (const Json& d : docs) {
        ranked.push_back(rankedByProvider(d));
        for (const auto& [p, _] : ranked.back())
            providers.insert(p);
    }
    for (const QString& p : providers) {
        QStringList scores;
        QStringList reasons;
        for (const auto& r : ranked) {
            const auto it = r.find(p);
            scores << (it == r.end() ? QString()
                                     : QStringLiteral("#%1 · %2").arg(it->second.rank).arg(it->second.score));
            reasons << (it == r.end() ? QString() : it->second.reasons);
        }
        b.add(QStringLiteral("drafts"), p + QStringLiteral(" rank · score"), scores);
        b.add(QStringLiteral("drafts"), p + QStringLiteral(" judge reasons"), reasons);
    }

    // Per model label: calls, tokens, cost.
    std::vector<std::map<QString, LabelUse>> uses;
    std::set<QString> labels;
    for (const Json& d : docs) {
        uses.push_back(labelUse(d));
        for (const auto& [l, _] : uses.back())
            labels.insert(l);
    }
    for (const QString& l : labels) {
        QStringList calls, tokens, cost;
        for (const auto& u : uses) {
            const auto it = u.find(l);
            if (it == u.end()) {
                calls << QString();
                tokens << QString();
                cost << QString();
                continue;
            }
            calls << QString::number(it->second.calls);
            tokens << QStringLiteral("%1 in / %2 out").arg(it->second.tokensIn).arg(it->second.tokensOut);
            cost << (it->second.hasCost ? usdText(it->second.cost) : QStringLiteral("unpriced"));
        }
        b.add(QStringLiteral("models"), l + QStringLiteral(" calls"), calls);
        b.add(QStringLiteral("models"), l + QStringLiteral(" tokens"), tokens);
        b.add(QStringLiteral("models"), l + QStringLiteral(" cost"), cost);
    }

    const QString totals = QStringLiteral("totals");
    b.addEach(totals, QStringLiteral("cost"), docs, [](const Json& d) {
        double sum = 0;
        for (const auto& [_, u] : labelUse(d))
            sum += u.hasCost ? u.cost : 0.0;
        return usdText(sum);
    });
    b.addEach(totals, QStringLiteral("tokens"), docs, [](const Json& d) {
        qint64 sum = 0;
        for (const auto& [_, u] : labelUse(d))
            sum += u.tokensIn + u.tokensOut;
        return QString::number(sum);
    });
    b.addEach(totals, QStringLiteral("calls"), docs, [](const Json& d) {
        const Json& calls = at(d, { "calls" });
        if (calls.is_array())
            return QString::number(calls.size());
        qint64 sum = 0;
        for (const auto& [_, u] : labelUse(d))
            sum += u.calls;
        return QString::number(sum);
    });
    b.addEach(totals, QStringLiteral("duration_seconds"), docs, [](const Json& d) {
        return valueText(at(d, { "provenance", "duration_seconds" }));
    });
    b.addEach(totals, QStringLiteral("budget gate"), docs, [](const Json& d) {
        return valueText(at(d, { "budget", "gate", "status" }));
    });
    c.rows = std::move(b.rows);
    return c;
}

RunComparison compareArtifacts(const QStringList& paths)
{
    QStringList absolute;
    for (const QString& p : paths)
        absolute << QFileInfo(p).absoluteFilePath();
    if (absolute.size() < kMinComparedRuns || absolute.size() > kMaxComparedRuns) {
        RunComparison c;
        c.paths = absolute;
        c.errors << QStringLiteral("compare takes %1 to %2 artifacts, got %3")
                        .arg(kMinComparedRuns)
                        .arg(kMaxComparedRuns)
                        .arg(absolute.size());
        return c;
    }
    std::vector<Json> docs;
    QStringList errors;
    for (const QString& p : absolute) {
        ArtifactDocument doc = loadArtifactDocument(p);
        if (doc.problem)
            errors << QStringLiteral("%1: %2: %3").arg(p, doc.problem->code, doc.problem->detail);
        docs.push_back(doc.problem ? Json() : std::move(doc.json));
    }
    RunComparison c = compareDocuments(absolute, docs);
    c.errors = errors;
    return c;
}

QString comparisonText(const RunComparison& c)
{
    QString out;
    for (const QString& e : c.errors)
        out += QStringLiteral("error: ") + e + u'\n';
    if (c.rows.empty())
        return out;
    // Column widths: field names, then each run's values (long texts are cut at 60 characters).
    const auto cell = [](QString s) {
        s.replace(u'\n', u' ');
        return s.size() > 60 ? QString(s.left(59) + QChar(0x2026)) : s;
    };
    int fieldWidth = 5;
    std::vector<int> widths(static_cast<size_t>(c.runNames.size()), 0);
    for (int i = 0; i < c.runNames.size(); ++i)
        widths[static_cast<size_t>(i)] = static_cast<int>(cell(c.runNames.at(i)).size());
    for (const ComparisonRow& r : c.rows) {
        fieldWidth = std::max(fieldWidth, static_cast<int>(r.field.size()));
        for (int i = 0; i < r.values.size() && i < static_cast<int>(widths.size()); ++i)
            widths[static_cast<size_t>(i)]
                = std::max(widths[static_cast<size_t>(i)], static_cast<int>(cell(r.values.at(i)).size()));
    }
    QString section;
    for (const ComparisonRow& r : c.rows) {
        if (r.section != section) {
            section = r.section;
            out += u'\n' + section.toUpper() + u'\n';
        }
        QString line = (r.differs ? QStringLiteral("* ") : QStringLiteral("  ")) + r.field.leftJustified(fieldWidth);
        for (int i = 0; i < r.values.size(); ++i)
            line += QStringLiteral("  ") + cell(r.values.at(i)).leftJustified(widths[static_cast<size_t>(i)]);
        line.replace(QRegularExpression(QStringLiteral("\\s+$")), QString());
        out += line + u'\n';
    }
    out += QStringLiteral("\n* = the runs differ\n");
    return out;
}

Json comparisonJson(const RunComparison& c)
{
    Json runs = Json::array();
    for (int i = 0; i < c.paths.size(); ++i)
        runs.push_back({ { "path", c.paths.at(i).toStdString() }, { "name", c.runNames.value(i).toStdString() } });
    Json rows = Json::array();
    for (const ComparisonRow& r : c.rows) {
        Json values = Json::array();
        for (const QString& v : r.values)
            values.push_back(v.toStdString());
        rows.push_back({ { "section", r.section.toStdString() }, { "field", r.field.toStdString() },
            { "values", values }, { "differs", r.differs } });
    }
    Json errors = Json::array();
    for (const QString& e : c.errors)
        errors.push_back(e.toStdString());
    return { { "runs", runs }, { "rows", rows }, { "errors", errors } };
}

} // namespace djp
