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

// The exact text of a JSON number: integers as written, floats through their shortest round-trip text
// (nlohmann has already turned "0.075" into the double nearest to it; its shortest text is "0.075").
std::optional<std::string> numberText(const Json& v)
{
    if (v.is_number_unsigned())
        return std::to_string(v.get<std::uint64_t>());
    if (v.is_number_integer()) {
        const auto i = v.get<std::int64_t>();
        return i < 0 ? std::nullopt : std::optional<std::string>(std::to_string(i));
    }
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (!std::isfinite(d) || d < 0.0)
            return std::nullopt;
        return shortestDecimal(d);
    }
    return std::nullopt;
}

// Rate in USD per 1M tokens -> nano-dollars per 1M tokens, exactly (rounded up below a nano-dollar per
// 1M tokens, which no vendor uses).
std::optional<RatePerM> jsonRate(const Json& v)
{
    const auto text = numberText(v);
    return text ? scaleDecimal(*text, 9, true) : std::nullopt;
}

Json rateJson(RatePerM rate)
{
    // Whole dollars stay integers so that the JSON reads like a price list ("input": 2).
    if (rate % kNanoPerUsd == 0)
        return Json(static_cast<std::int64_t>(rate / kNanoPerUsd));
    return Json(rateToUsdPerM(rate));
}

struct Reader
{
    QString label;
    QString* error;

    bool fail(const QString& what) const
    {
        if (error)
            *error = QStringLiteral("model \"%1\": %2").arg(label, what);
        return false;
    }

    bool rate(const Json& obj, const char* key, bool required, std::optional<RatePerM>& out, const QString& where) const
    {
        auto it = obj.find(key);
        if (it == obj.end() || it->is_null()) {
            if (required)
                return fail(QStringLiteral("%1missing \"%2\"").arg(where, QLatin1String(key)));
            return true;
        }
        out = jsonRate(*it);
        if (!out)
            return fail(QStringLiteral("%1\"%2\" must be a non-negative number").arg(where, QLatin1String(key)));
        return true;
    }

    bool rates(const Json& obj, PriceRates& out, const QString& where) const
    {
        std::optional<RatePerM> in, outRate, cacheRead, cachedInput, cacheWrite;
        if (!rate(obj, "input", true, in, where) || !rate(obj, "output", true, outRate, where)
            || !rate(obj, "cache_read", false, cacheRead, where)
            || !rate(obj, "cached_input", false, cachedInput, where)
            || !rate(obj, "cache_write", false, cacheWrite, where))
            return false;
        if (cacheRead && cachedInput && *cacheRead != *cachedInput)
            return fail(where + QStringLiteral("\"cache_read\" and its old name \"cached_input\" disagree"));
        out = PriceRates { *in, *outRate, cacheRead ? cacheRead : cachedInput, cacheWrite };
        return true;
    }

    bool date(const Json& obj, const char* key, QDate& out, const QString& where) const
    {
        auto it = obj.find(key);
        if (it == obj.end() || it->is_null())
            return true;
        if (it->is_string())
            out = QDate::fromString(qs(it->get<std::string>()), Qt::ISODate);
        if (!out.isValid())
            return fail(QStringLiteral("%1\"%2\" must be a date YYYY-MM-DD").arg(where, QLatin1String(key)));
        return true;
    }

    bool period(const Json& obj, PricePeriod& out, const QString& where) const
    {
        if (!obj.is_object())
            return fail(where + QStringLiteral("must be an object"));
        if (!rates(obj, out.rates, where) || !date(obj, "effective", out.effective, where))
            return false;
        out.updated = jsonString(obj, "updated");
        out.source = jsonString(obj, "source");
        auto tiers = obj.find("tiers");
        if (tiers == obj.end() || tiers->is_null())
            return true;
        if (!tiers->is_array())
            return fail(where + QStringLiteral("\"tiers\" must be an array"));
        for (std::size_t i = 0; i < tiers->size(); ++i) {
            const Json& t = (*tiers)[i];
            const QString at = where + QStringLiteral("tier %1: ").arg(i + 1);
            if (!t.is_object())
                return fail(at + QStringLiteral("must be an object"));
            auto above = t.find("above_input_tokens");
            if (above == t.end() || !above->is_number_integer() || above->get<std::int64_t>() <= 0)
                return fail(at + QStringLiteral("\"above_input_tokens\" must be a positive integer"));
            PriceTier tier;
            tier.aboveInputTokens = above->get<std::int64_t>();
            if (!rates(t, tier.rates, at))
                return false;
            for (const PriceTier& other : out.tiers) {
                if (other.aboveInputTokens == tier.aboveInputTokens)
                    return fail(at + QStringLiteral("two tiers above %1 input tokens").arg(tier.aboveInputTokens));
            }
            out.tiers.append(tier);
        }
        std::sort(out.tiers.begin(), out.tiers.end(),
            [](const PriceTier& a, const PriceTier& b) { return a.aboveInputTokens < b.aboveInputTokens; });
        return true;
    }

    bool model(const Json& obj, ModelPrice& out) const
    {
        out.label = label;
        PricePeriod now;
        if (!period(obj, now, QString()))
            return false;
        auto history = obj.find("history");
        if (history != obj.end() && !history->is_null()) {
            if (!history->is_array())
                return fail(QStringLiteral("\"history\" must be an array of older prices"));
            for (std::size_t i = 0; i < history->size(); ++i) {
                PricePeriod old;
                if (!period((*history)[i], old, QStringLiteral("history %1: ").arg(i + 1)))
                    return false;
                out.periods.append(old);
            }
        }
        if (!out.periods.isEmpty() && !now.effective.isValid())
            return fail(
                QStringLiteral("an entry with a \"history\" needs the \"effective\" date of its current rates"));
        int undated = 0;
        for (const PricePeriod& old : out.periods) {
            if (!old.effective.isValid()) {
                ++undated;
            } else if (old.effective >= now.effective) {
                return fail(QStringLiteral("history entry effective %1 is not older than the current rates (%2)")
                                .arg(old.effective.toString(Qt::ISODate), now.effective.toString(Qt::ISODate)));
            }
        }
        if (undated > 1)
            return fail(QStringLiteral("only the oldest history entry may lack an \"effective\" date"));
        out.periods.append(now);
        std::stable_sort(out.periods.begin(), out.periods.end(), [](const PricePeriod& a, const PricePeriod& b) {
            return !a.effective.isValid() ? b.effective.isValid()
                                          : (b.effective.isValid() && a.effective < b.effective);
        });
        for (qsizetype i = 1; i < out.periods.size(); ++i) {
            if (out.periods.at(i).effective == out.periods.at(i - 1).effective)
                return fail(
                    QStringLiteral("two prices effective %1").arg(out.periods.at(i).effective.toString(Qt::ISODate)));
        }
        return true;
    }
};

Json ratesJson(const PriceRates& r)
{
    Json j = { { "input", rateJson(r.input) }, { "output", rateJson(r.output) } };
    if (r.cacheRead)
        j["cache_read"] = rateJson(*r.cacheRead);
    if (r.cacheWrite)
        j["cache_write"] = rateJson(*r.cacheWrite);
    return j;
}

Json periodJson(const PricePeriod& p)
{
    Json j = ratesJson(p.rates);
    if (p.effective.isValid())
        j["effective"] = ss(p.effective.toString(Qt::ISODate));
    if (!p.updated.isEmpty())
        j["updated"] = ss(p.updated);
    if (!p.source.isEmpty())
        j["source"] = ss(p.source);
    if (!p.tiers.isEmpty()) {
        Json tiers = Json::array();
        for (const PriceTier& t : p.tiers) {
            Json tj = ratesJson(t.rates);
            tj["above_input_tokens"] = t.aboveInputTokens;
            tiers.push_back(std::move(tj));
        }
        j["tiers"] = std::move(tiers);
    }
    return j;
}

Json toJson(const PricingTable& t)
{
    Json models = Json::object();
    for (const ModelPrice& p : t.entries()) {
        Json e = periodJson(p.current());
        if (p.periods.size() > 1) {
            Json history = Json::array();
            for (qsizetype i = p.periods.size() - 2; i >= 0; --i) // newest first, as a reader expects
                history.push_back(periodJson(p.periods.at(i)));
            e["history"] = std::move(history);
        }
        models[ss(p.label)] = std::move(e);
    }
    return Json { { "updated", ss(t.updated()) }, { "source", ss(t.source()) }, { "models", std::move(models) } };
}

void raise(PriceRates& max, const PriceRates& r)
{
    max.input = std::max(max.input, r.input);
    max.output = std::max(max.output, r.output);
    max.cacheRead = std::max(max.cacheReadRate(), r.cacheReadRate());
    max.cacheWrite = std::max(max.cacheWriteRate(), r.cacheWriteRate());
}

} // namespace

RatePerM ratePerMFromUsd(double usdPerM)
{
    return usdToNanoCeil(usdPerM);
}

double rateToUsdPerM(RatePerM rate)
{
    return nanoToUsd(rate);
}

QString PriceTier::name() const
{
    return QStringLiteral("above_%1_input_tokens").arg(aboveInputTokens);
}

const PricePeriod& ModelPrice::at(QDate day) const
{
    if (!day.isValid())
        return current();
    for (qsizetype i = periods.size() - 1; i >= 0; --i) {
        const PricePeriod& p = periods.at(i);
        if (!p.effective.isValid() || p.effective <= day)
            return p;
    }
    return periods.constFirst();
}

ModelPrice ModelPrice::simple(
    const QString& label, const PriceRates& rates, const QString& updated, const QString& source)
{
    ModelPrice m;
    m.label = label;
    PricePeriod p;
    p.rates = rates;
    p.updated = updated;
    p.source = source;
    m.periods.append(p);
    return m;
}

NanoUsd bucketCost(qint64 tokens, RatePerM rate)
{
    if (tokens <= 0 || rate <= 0)
        return 0;
    const __int128 product = static_cast<__int128>(tokens) * rate;
    const __int128 nano = (product + 999'999) / 1'000'000; // ceil(tokens × rate / 1e6)
    return nano >= kNanoUsdSaturation ? kNanoUsdSaturation : static_cast<NanoUsd>(nano);
}

CallPrice priceWithRates(const PriceRates& rates, const UsageBuckets& usage)
{
    CallPrice c;
    c.input = bucketCost(usage.uncachedInputTokens(), rates.input);
    c.cacheRead = bucketCost(usage.cacheReadTokens, rates.cacheReadRate());
    c.cacheWrite = bucketCost(usage.cacheWriteTokens, rates.cacheWriteRate());
    c.output = bucketCost(usage.outputTokens, rates.output);
    c.total = saturatingAddNano(saturatingAddNano(c.input, c.cacheRead), saturatingAddNano(c.cacheWrite, c.output));
    return c;
}

std::optional<PricingTable> PricingTable::fromJson(const QByteArray& bytes, QString* error)
{
    const auto doc = parseJsonObject(bytes, error);
    if (!doc)
        return std::nullopt;
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
        const Reader reader { label, error };
        if (label.trimmed().isEmpty() || !it->is_object()) {
            reader.fail(QStringLiteral("entry must be an object with a non-empty label"));
            return std::nullopt;
        }
        ModelPrice price;
        if (!reader.model(*it, price))
            return std::nullopt;
        entries.append(std::move(price));
    }
    return fromEntries(std::move(entries), jsonString(*doc, "updated"), jsonString(*doc, "source"));
}

PricingTable PricingTable::fromEntries(QList<ModelPrice> entries, const QString& updated, const QString& source)
{
    PricingTable t;
    t.m_updated = updated;
    t.m_source = source;
    // Entries without any period cannot price anything; they are dropped rather than kept as "$0".
    entries.erase(
        std::remove_if(entries.begin(), entries.end(), [](const ModelPrice& p) { return p.periods.isEmpty(); }),
        entries.end());
    for (ModelPrice& p : entries) {
        std::stable_sort(p.periods.begin(), p.periods.end(), [](const PricePeriod& a, const PricePeriod& b) {
            return !a.effective.isValid() ? b.effective.isValid()
                                          : (b.effective.isValid() && a.effective < b.effective);
        });
    }
    std::stable_sort(
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
    m_maxRates.reset();
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        const ModelPrice& p = m_entries.at(i);
        m_byLabel.insert(p.label, i);
        const QString bare = bareModel(p.label);
        if (!m_byModel.contains(bare))
            m_byModel.insert(bare, i); // entries are sorted, so the first label in order wins
        for (const PricePeriod& period : p.periods) {
            if (!m_maxRates)
                m_maxRates = period.rates;
            raise(*m_maxRates, period.rates);
            for (const PriceTier& tier : period.tiers)
                raise(*m_maxRates, tier.rates);
        }
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
        QString why;
        if (auto t = fromJson(f.readAll(), &why))
            return *t;
        logger("engine")->error("bundled pricing table is invalid: {}", ss(why));
        return {};
    }
    logger("engine")->error("bundled pricing table is missing");
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

std::optional<std::pair<PriceRates, QString>> PricingTable::ratesFor(
    const QString& label, QDate day, qint64 callInputTokens) const
{
    const ModelPrice* p = find(label);
    if (!p)
        return std::nullopt;
    const PricePeriod& period = p->at(day);
    for (qsizetype i = period.tiers.size() - 1; i >= 0; --i) {
        if (callInputTokens > period.tiers.at(i).aboveInputTokens)
            return std::make_pair(period.tiers.at(i).rates, period.tiers.at(i).name());
    }
    return std::make_pair(period.rates, QString());
}

std::optional<CallPrice> PricingTable::priceCall(const QString& label, const UsageBuckets& usage, QDate day) const
{
    const auto rates = ratesFor(label, day, usage.inputTokens);
    if (!rates)
        return std::nullopt;
    CallPrice c = priceWithRates(rates->first, usage);
    c.pricingId = m_id;
    c.tier = rates->second;
    return c;
}

CallPrice PricingTable::priceCallFailSafe(
    const QString& label, const UsageBuckets& usage, QDate day, bool* priced) const
{
    if (auto c = priceCall(label, usage, day)) {
        if (priced)
            *priced = true;
        return *c;
    }
    if (priced)
        *priced = false;
    CallPrice c;
    if (m_maxRates) {
        c = priceWithRates(*m_maxRates, usage);
    } else {
        // Nothing is known: every non-zero bucket is unaffordable, zero tokens still cost nothing.
        auto unknown = [](qint64 tokens) { return tokens > 0 ? kNanoUsdSaturation : 0; };
        c.input = unknown(usage.uncachedInputTokens());
        c.cacheRead = unknown(usage.cacheReadTokens);
        c.cacheWrite = unknown(usage.cacheWriteTokens);
        c.output = unknown(usage.outputTokens);
        c.total = saturatingAddNano(saturatingAddNano(c.input, c.cacheRead), saturatingAddNano(c.cacheWrite, c.output));
    }
    c.pricingId = m_id;
    return c;
}

std::optional<double> PricingTable::cost(const QString& label, qint64 inputTokens, qint64 outputTokens) const
{
    UsageBuckets u;
    u.inputTokens = inputTokens;
    u.outputTokens = outputTokens;
    const auto c = priceCall(label, u, QDate());
    return c ? std::optional<double>(nanoToUsd(c->total)) : std::nullopt;
}

double PricingTable::maxInputPrice() const
{
    return m_maxRates ? rateToUsdPerM(m_maxRates->input) : std::numeric_limits<double>::infinity();
}

double PricingTable::maxOutputPrice() const
{
    return m_maxRates ? rateToUsdPerM(m_maxRates->output) : std::numeric_limits<double>::infinity();
}

double PricingTable::failSafeCost(const QString& label, qint64 inputTokens, qint64 outputTokens, bool* priced) const
{
    UsageBuckets u;
    u.inputTokens = inputTokens;
    u.outputTokens = outputTokens;
    const CallPrice c = priceCallFailSafe(label, u, QDate(), priced);
    if (!m_maxRates && !find(label) && c.total > 0)
        return std::numeric_limits<double>::infinity();
    return nanoToUsd(c.total);
}

} // namespace djp
