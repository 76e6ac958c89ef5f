#pragma once
// The pricing table (docs/pricing.md): per model label, rates for input, output, cache read and cache
// write; optional long-context tiers; a dated price history. Loaded from pricing.json (bundled, or the
// user's override in configDir()). Unpriced is a state: a label missing from the table has no cost
// (std::nullopt), never $0.
//
// Rates are exact integers: nano-dollars per 1M tokens (USD per 1M tokens × 1e9), read from the JSON
// number text without float arithmetic. A call's cost is exact integer arithmetic, each bucket rounded
// up to the nano-dollar.
//
// Threading: a PricingTable is an immutable value once built; const members are safe from any thread.
// Lookups and cost functions do no I/O and no allocation beyond the returned values.
#include "pricing/money.h"
#include "pricing/usage.h"

#include <QByteArray>
#include <QDate>
#include <QHash>
#include <QList>
#include <QString>
#include <optional>

namespace djp {

// Nano-dollars per 1M tokens, exact: 2.5 USD/1M = 2'500'000'000.
using RatePerM = qint64;

// USD per 1M tokens <-> RatePerM, through the double's shortest decimal text (0.075 -> 75'000'000).
RatePerM ratePerMFromUsd(double usdPerM);
double rateToUsdPerM(RatePerM rate);

struct PriceRates
{
    RatePerM input = 0;
    RatePerM output = 0;
    std::optional<RatePerM> cacheRead; // absent: cache reads are billed at the input rate
    std::optional<RatePerM> cacheWrite; // absent: cache writes are billed at the input rate
    RatePerM cacheReadRate() const { return cacheRead.value_or(input); }
    RatePerM cacheWriteRate() const { return cacheWrite.value_or(input); }
    bool operator==(const PriceRates&) const = default;
};

// Long-context tier: when a call's input tokens are strictly above `aboveInputTokens`, `rates` apply to
// the WHOLE call (every bucket), not only to the tokens past the threshold.
struct PriceTier
{
    qint64 aboveInputTokens = 0;
    PriceRates rates;
    QString name() const; // "above_200000_input_tokens"
    bool operator==(const PriceTier&) const = default;
};

// The rates of a model from one effective date until the next period's.
struct PricePeriod
{
    QDate effective; // first day in force; invalid = since always (only the oldest period may lack it)
    PriceRates rates;
    QList<PriceTier> tiers; // ascending aboveInputTokens
    QString updated; // date the price was taken (YYYY-MM-DD), may be empty
    QString source; // where it came from, may be empty
    bool operator==(const PricePeriod&) const = default;
};

struct ModelPrice
{
    QString label; // "vendor/model", e.g. "openai/gpt-4o"
    QList<PricePeriod> periods; // ascending by effective date (undated first); never empty; last = current

    const PricePeriod& current() const { return periods.constLast(); }
    // The period in force on `day` (the latest one effective on or before it). An invalid day means
    // "now" = the current period. A day before every dated period gets the oldest period: the model's
    // earliest known rates are a better answer than none.
    const PricePeriod& at(QDate day) const;

    // Display helpers over the current base rates, USD per 1M.
    double inputPerM() const { return rateToUsdPerM(current().rates.input); }
    double outputPerM() const { return rateToUsdPerM(current().rates.output); }
    QString updated() const { return current().updated; }
    QString source() const { return current().source; }

    // A model with one undated period and no tiers (tests, imports).
    static ModelPrice simple(
        const QString& label, const PriceRates& rates, const QString& updated = {}, const QString& source = {});
};

// Price of one call: the total and its breakdown per bucket, in exact nano-dollars.
struct CallPrice
{
    NanoUsd total = 0;
    NanoUsd input = 0, cacheRead = 0, cacheWrite = 0, output = 0; // breakdown, sums to total
    QString pricingId; // identity of the price table used (recorded per call)
    QString tier; // "" for the base rates, else e.g. "above_200000_input_tokens"
};

// The cost formula alone: (input − cache_read − cache_write) × input rate + cache_read × cache_read rate
// + cache_write × cache_write rate + output × output rate, per 1M tokens, each bucket rounded up to the
// nano-dollar and saturating at kNanoUsdSaturation.
CallPrice priceWithRates(const PriceRates& rates, const UsageBuckets& usage);
// tokens × rate / 1e6, rounded up (exact 128-bit intermediate).
NanoUsd bucketCost(qint64 tokens, RatePerM rate);

class PricingTable
{
public:
    PricingTable() = default;

    // Parses pricing.json (see docs/pricing.md for the format):
    //   {"updated": "...", "source": "...",
    //    "models": {"openai/gpt-4o": {"input": 2.5, "output": 10, "cache_read": 1.25, "cache_write": 2.5,
    //                                 "effective": "2024-10-01", "tiers": [...], "history": [...],
    //                                 "updated": "...", "source": "..."}, ...}}
    // The 0.1 key "cached_input" is read as "cache_read". An entry without numeric, non-negative input
    // and output, a malformed tier or history makes the whole file invalid (a half-read price table is
    // worse than a clear error). nullopt + *error on failure.
    static std::optional<PricingTable> fromJson(const QByteArray& bytes, QString* error = nullptr);

    // The table djp uses: configDir()/pricing.json when present, else the bundled one (readResource).
    // On a broken user file, falls back to the bundled table and reports the problem in *error.
    static PricingTable load(QString* error = nullptr);
    // Only the bundled table (":/djp/pricing.json"), ignoring any user override.
    static PricingTable bundled();
    // Where load() takes its table from (path or ":/djp/pricing.json").
    static QString origin();

    // Canonical JSON (keys sorted, compact); the pricing id hashes exactly these bytes.
    QByteArray toCanonicalJson() const;
    // Human-friendly JSON (indented) with the same content, as written by the imports.
    QByteArray toIndentedJson() const;

    // "<updated>#<first 8 hex of sha256 of the canonical JSON>", recorded with every call so that
    // history does not change silently when prices are edited.
    QString id() const { return m_id; }
    QString updated() const { return m_updated; }
    QString source() const { return m_source; }
    const QList<ModelPrice>& entries() const { return m_entries; } // sorted by label
    bool isEmpty() const { return m_entries.isEmpty(); }

    // Lookup by label ("openai/gpt-4o"). A bare model name ("gpt-4o") is also accepted: it matches the
    // entry whose label ends in "/gpt-4o" (if several vendors list the same bare name, the first label
    // in sorted order wins). nullptr when unpriced.
    const ModelPrice* find(const QString& labelOrModel) const;
    bool isPriced(const QString& label) const { return find(label) != nullptr; }

    // Price of a call at the rates in force on `day` (price history), tier chosen by usage.inputTokens.
    // An invalid `day` means the current rates. nullopt when the label is unpriced (unpriced is a
    // state, never $0).
    std::optional<CallPrice> priceCall(const QString& label, const UsageBuckets& usage, QDate day) const;
    // Same, but an unpriced label is priced at the most expensive known rates (fail-safe for budgets);
    // *priced tells which. With an empty table every non-zero bucket costs kNanoUsdSaturation.
    CallPrice priceCallFailSafe(
        const QString& label, const UsageBuckets& usage, QDate day, bool* priced = nullptr) const;

    // The most expensive known rates: per bucket, the highest rate found anywhere in the table (every
    // model, period and tier), taken independently, so they bound every priced call. nullopt for an
    // empty table (nothing is affordable when nothing is known).
    const std::optional<PriceRates>& maxRates() const { return m_maxRates; }

    // ---- 0.1 API, thin wrappers over priceCall at the current rates (USD as double) ----
    // Cost of a call with only input and output tokens; nullopt when unpriced.
    std::optional<double> cost(const QString& label, qint64 inputTokens, qint64 outputTokens) const;
    // Highest input / output rate in USD per 1M; +infinity for an empty table.
    double maxInputPrice() const;
    double maxOutputPrice() const;
    // Cost for budgeting: the model's own price when priced, else the most expensive known price
    // (+infinity for an empty table and non-zero tokens). `priced` (optional) tells which.
    double failSafeCost(const QString& label, qint64 inputTokens, qint64 outputTokens, bool* priced = nullptr) const;

    // Builds a table from entries (imports, tests); computes the id. Entries with a duplicate label keep
    // the first; each entry's periods are sorted by effective date.
    static PricingTable fromEntries(QList<ModelPrice> entries, const QString& updated, const QString& source);

private:
    void index();

    QString m_updated;
    QString m_source;
    QString m_id;
    QList<ModelPrice> m_entries;
    QHash<QString, qsizetype> m_byLabel;
    QHash<QString, qsizetype> m_byModel; // bare model name -> first entry
    std::optional<PriceRates> m_maxRates;
};

} // namespace djp
