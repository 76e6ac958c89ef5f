#pragma once
// The pricing table of SPEC §3: USD per 1M tokens per model label, loaded from pricing.json (bundled,
// or the user's override in configDir()). Unpriced is a state: a label missing from the table has no
// cost (std::nullopt), never $0.
//
// Threading: a PricingTable is an immutable value once built; const members are safe from any thread.
// Lookups and cost functions do no I/O and no allocation beyond the returned values.
#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <optional>

namespace djp {

struct ModelPrice
{
    QString label; // "vendor/model", e.g. "openai/gpt-4o"
    double input = 0.0; // USD per 1M input tokens
    double output = 0.0; // USD per 1M output tokens
    std::optional<double> cachedInput; // USD per 1M cached input tokens, when the vendor has one
    QString updated; // date the price was taken (YYYY-MM-DD), may be empty
    QString source; // where it came from, may be empty
};

// USD for a call at the given per-1M prices.
double callCostAt(double inputPerM, double outputPerM, qint64 inputTokens, qint64 outputTokens);

class PricingTable
{
public:
    PricingTable() = default;

    // Parses the pricing.json format:
    //   {"updated": "2025-06-01", "source": "...",
    //    "models": {"openai/gpt-4o": {"input": 2.5, "output": 10, "cached_input": 1.25,
    //                                 "updated": "...", "source": "..."}, ...}}
    // Entries need numeric, non-negative input and output; anything else makes the whole file invalid
    // (a half-read price table is worse than a clear error). nullopt + *error on failure.
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
    // Human-friendly JSON (indented) with the same content, as written by the LiteLLM import.
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

    // Measured cost of a call (§3): input tokens × input price + output tokens × output price, per 1M.
    // nullopt when the label is unpriced.
    std::optional<double> cost(const QString& label, qint64 inputTokens, qint64 outputTokens) const;

    // The most expensive known price, used to treat unpriced models fail-safe in budgets: the highest
    // input price and the highest output price found in the table, taken independently (they may come
    // from different models), so it bounds every priced model. Both +infinity for an empty table
    // (nothing is affordable when nothing is known).
    double maxInputPrice() const { return m_maxInput; }
    double maxOutputPrice() const { return m_maxOutput; }

    // Cost for budgeting: the model's own price when priced, else the most expensive known price.
    // `priced` (optional) tells which one was used.
    double failSafeCost(const QString& label, qint64 inputTokens, qint64 outputTokens, bool* priced = nullptr) const;

    // Builds a table from entries (used by the LiteLLM import and tests); computes the id.
    static PricingTable fromEntries(QList<ModelPrice> entries, const QString& updated, const QString& source);

private:
    void index();

    QString m_updated;
    QString m_source;
    QString m_id;
    QList<ModelPrice> m_entries;
    QHash<QString, qsizetype> m_byLabel;
    QHash<QString, qsizetype> m_byModel; // bare model name -> first entry
    double m_maxInput = 0.0;
    double m_maxOutput = 0.0;
};

} // namespace djp
