#include "pricing/pricingtable.h"

#include "core/jsonutil.h"
#include "core/log.h"
#include "core/resources.h"
#include "core/strings.h"

#include <QCryptographicHash>
#include <QFile>
#include <algorithm>
#include <cmath>
#include <limits>

namespace djp {

namespace {

const QString kResourceName = QStringLiteral("pricing.json");

QString bareModel(const QString& label)
{
    const qsizetype slash = label.indexOf(QLatin1Char('/'));
    return slash < 0 ? label : label.mid(slash + 1);
}

bool readPrice(
    const Json& obj, const char* key, bool required, std::optional<double>& out, QString* error, const QString& label)
{
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
        if (required && error)
            *error = QStringLiteral("model \"%1\": missing \"%2\"").arg(label, QLatin1String(key));
        return !required;
    }
    if (!it->is_number() || it->get<double>() < 0.0 || !std::isfinite(it->get<double>())) {
        if (error)
            *error
                = QStringLiteral("model \"%1\": \"%2\" must be a non-negative number").arg(label, QLatin1String(key));
        return false;
    }
    out = it->get<double>();
    return true;
}

Json toJson(const PricingTable& t)
{
    Json models = Json::object();
    for (const ModelPrice& p : t.entries()) {
        Json e = { { "input", p.input }, { "output", p.output } };
        if (p.cachedInput)
            e["cached_input"] = *p.cachedInput;
        if (!p.updated.isEmpty())
            e["updated"] = ss(p.updated);
        if (!p.source.isEmpty())
            e["source"] = ss(p.source);
        models[ss(p.label)] = std::move(e);
    }
    return Json { { "updated", ss(t.updated()) }, { "source", ss(t.source()) }, { "models", std::move(models) } };
}

} // namespace

double callCostAt(double inputPerM, double outputPerM, qint64 inputTokens, qint64 outputTokens)
{
    return (static_cast<double>(inputTokens) * inputPerM + static_cast<double>(outputTokens) * outputPerM) / 1e6;
}

std::optional<PricingTable> PricingTable::fromJson(const QByteArray& bytes, QString* error)
{
    QString parseError;
    const auto doc = parseJson(bytes, &parseError);
    if (!doc) {
        if (error)
            *error = QStringLiteral("not valid JSON: ") + parseError;
        return std::nullopt;
    }
    if (!doc->is_object()) {
        if (error)
            *error = QStringLiteral("top level must be an object");
        return std::nullopt;
    }
    auto models = doc->find("models");
    if (models == doc->end() || !models->is_object()) {
        if (error)
            *error = QStringLiteral("\"models\" must be an object of label -> {input, output}");
        return std::nullopt;
    }
    QList<ModelPrice> entries;
    entries.reserve(static_cast<qsizetype>(models->size()));
    for (auto it = models->begin(); it != models->end(); ++it) {
        const QString label = qs(it.key());
        if (label.trimmed().isEmpty() || !it->is_object()) {
            if (error)
                *error = QStringLiteral("model \"%1\": entry must be an object with a non-empty label").arg(label);
            return std::nullopt;
        }
        std::optional<double> in, out, cached;
        if (!readPrice(*it, "input", true, in, error, label) || !readPrice(*it, "output", true, out, error, label)
            || !readPrice(*it, "cached_input", false, cached, error, label))
            return std::nullopt;
        entries.append(ModelPrice { label, *in, *out, cached, jsonString(*it, "updated"), jsonString(*it, "source") });
    }
    return fromEntries(std::move(entries), jsonString(*doc, "updated"), jsonString(*doc, "source"));
}

PricingTable PricingTable::fromEntries(QList<ModelPrice> entries, const QString& updated, const QString& source)
{
    PricingTable t;
    t.m_updated = updated;
    t.m_source = source;
    std::sort(
        entries.begin(), entries.end(), [](const ModelPrice& a, const ModelPrice& b) { return a.label < b.label; });
    // Later duplicates of a label would be ambiguous; keep the first.
    entries.erase(std::unique(entries.begin(), entries.end(),
                      [](const ModelPrice& a, const ModelPrice& b) { return a.label == b.label; }),
        entries.end());
    t.m_entries = std::move(entries);
    t.index();
    const QByteArray hash = QCryptographicHash::hash(t.toCanonicalJson(), QCryptographicHash::Sha256).toHex();
    t.m_id = (updated.isEmpty() ? QStringLiteral("undated") : updated) + QLatin1Char('#')
        + QString::fromLatin1(hash.left(8));
    return t;
}

void PricingTable::index()
{
    m_byLabel.clear();
    m_byModel.clear();
    m_maxInput = m_entries.isEmpty() ? std::numeric_limits<double>::infinity() : 0.0;
    m_maxOutput = m_maxInput;
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        const ModelPrice& p = m_entries.at(i);
        m_byLabel.insert(p.label, i);
        const QString bare = bareModel(p.label);
        if (!m_byModel.contains(bare))
            m_byModel.insert(bare, i); // entries are sorted, so the first label in order wins
        m_maxInput = std::max(m_maxInput, p.input);
        m_maxOutput = std::max(m_maxOutput, p.output);
    }
}

QByteArray PricingTable::toCanonicalJson() const
{
    return QByteArray::fromStdString(toJson(*this).dump());
}

QByteArray PricingTable::toIndentedJson() const
{
    return QByteArray::fromStdString(toJson(*this).dump(2) + "\n");
}

QString PricingTable::origin()
{
    return resourceOrigin(kResourceName);
}

PricingTable PricingTable::bundled()
{
    QFile f(QStringLiteral(":/djp/") + kResourceName);
    if (f.open(QIODevice::ReadOnly)) {
        if (auto t = fromJson(f.readAll()))
            return *t;
    }
    logger("engine")->error("bundled pricing table is missing or invalid");
    return {};
}

PricingTable PricingTable::load(QString* error)
{
    const auto bytes = readResource(kResourceName);
    if (!bytes) {
        if (error)
            *error = QStringLiteral("no pricing table found");
        return bundled();
    }
    QString why;
    if (auto t = fromJson(*bytes, &why))
        return *t;
    const QString msg = QStringLiteral("pricing table %1 is invalid (%2); using the bundled table").arg(origin(), why);
    logger("engine")->warn(ss(msg));
    if (error)
        *error = msg;
    return bundled();
}

const ModelPrice* PricingTable::find(const QString& labelOrModel) const
{
    auto it = m_byLabel.constFind(labelOrModel);
    if (it != m_byLabel.constEnd())
        return &m_entries.at(*it);
    if (labelOrModel.contains(QLatin1Char('/')))
        return nullptr;
    it = m_byModel.constFind(labelOrModel);
    return it != m_byModel.constEnd() ? &m_entries.at(*it) : nullptr;
}

std::optional<double> PricingTable::cost(const QString& label, qint64 inputTokens, qint64 outputTokens) const
{
    const ModelPrice* p = find(label);
    if (!p)
        return std::nullopt;
    return callCostAt(p->input, p->output, inputTokens, outputTokens);
}

double PricingTable::failSafeCost(const QString& label, qint64 inputTokens, qint64 outputTokens, bool* priced) const
{
    const ModelPrice* p = find(label);
    if (priced)
        *priced = p != nullptr;
    if (p)
        return callCostAt(p->input, p->output, inputTokens, outputTokens);
    // Zero tokens cost nothing even at an unknown (infinite) price.
    const double in = inputTokens > 0 ? static_cast<double>(inputTokens) * m_maxInput : 0.0;
    const double out = outputTokens > 0 ? static_cast<double>(outputTokens) * m_maxOutput : 0.0;
    return (in + out) / 1e6;
}

} // namespace djp
