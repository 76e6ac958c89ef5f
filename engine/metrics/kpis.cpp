#include "metrics/kpis.h"

#include "core/strings.h"
#include "metrics/exactsum.h"
#include "pricing/money.h"

#include <QHash>
#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

namespace djp {

namespace {

double ratio(double part, double whole)
{
    return whole > 0 ? part / whole : 0.0;
}

} // namespace

// Percentile by linear interpolation between closest ranks (numpy/pandas default, "linear"):
// position = q * (n - 1); value = v[floor] + (v[ceil] - v[floor]) * frac. `values` is reordered.
double percentileLinear(std::vector<double>& values, double q)
{
    if (values.empty())
        return 0.0;
    const double pos = q * static_cast<double>(values.size() - 1);
    const size_t lo = static_cast<size_t>(std::floor(pos));
    const double frac = pos - static_cast<double>(lo);
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
    const double a = values[lo];
    if (frac == 0.0 || lo + 1 >= values.size())
        return a;
    // The next rank is the minimum of the upper partition.
    const double b = *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(lo) + 1, values.end());
    return a + (b - a) * frac;
}

double percentileOfCounts(const std::vector<std::pair<double, qint64>>& sortedCounts, double q)
{
    qint64 n = 0;
    for (const auto& c : sortedCounts)
        n += c.second;
    if (n == 0)
        return 0.0;
    const double pos = q * static_cast<double>(n - 1);
    const qint64 lo = static_cast<qint64>(std::floor(pos));
    const double frac = pos - static_cast<double>(lo);
    // The value at a 0-based rank of the sorted multiset.
    const auto at = [&](qint64 rank) {
        for (const auto& c : sortedCounts) {
            if (rank < c.second)
                return c.first;
            rank -= c.second;
        }
        return sortedCounts.back().first;
    };
    const double a = at(lo);
    if (frac == 0.0 || lo + 1 >= n)
        return a;
    const double b = at(lo + 1);
    return a + (b - a) * frac;
}

namespace {

template <typename T> void sortByValueDescThenKey(std::vector<std::pair<QString, T>>& v)
{
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
        if (a.second != b.second)
            return a.second > b.second;
        return a.first < b.first;
    });
}

// Sums per string key. The store interns repeated strings (providers, labels, reasons), so most
// lookups hit the small identity cache (same character data) without hashing the text.
template <typename T> class Tally
{
public:
    T& operator[](const QString& key)
    {
        const QChar* data = key.constData();
        const qsizetype size = key.size();
        // Direct-mapped by the character data's address: one comparison per lookup when it hits.
        Recent& cached = m_recent[(reinterpret_cast<quintptr>(data) >> 4) % kRecent];
        if (cached.data == data && cached.size == size && data)
            return m_slots[cached.slot].second;
        size_t slot;
        const auto it = m_index.constFind(key);
        if (it == m_index.cend()) {
            slot = m_slots.size();
            m_slots.emplace_back(key, T {});
            m_index.insert(key, slot);
        } else {
            slot = *it;
        }
        cached = { data, size, slot };
        return m_slots[slot].second;
    }
    const std::vector<std::pair<QString, T>>& entries() const { return m_slots; }

private:
    static constexpr size_t kRecent = 64;
    struct Recent
    {
        const QChar* data = nullptr;
        qsizetype size = 0;
        size_t slot = 0;
    };
    std::array<Recent, kRecent> m_recent {};
    QHash<QString, size_t> m_index;
    std::vector<std::pair<QString, T>> m_slots;
};

// `forEach(fn)` calls fn for each record of the set; `count` sizes the duration buffer.
template <typename ForEach> KpiAggregates aggregate(const ForEach& forEach, size_t count)
{
    KpiAggregates a;
    // Valid while `records` is alive and unchanged (the identity cache keys on string data).
    Tally<qint64> publishedByProvider;
    Tally<qint64> reasons;
    Tally<ExactSum> costByLabel;
    ExactSum cost, duration;
    std::vector<double> durations;
    durations.reserve(count);

    forEach([&](const RunRecord& r) {
        ++a.totalRuns;
        const std::optional<RunStatus> status = r.runStatus();
        const bool published = status == RunStatus::Published;
        const bool advisory = status == RunStatus::AdvisoryOnly;
        const bool none = status == RunStatus::None;
        if (published) {
            ++a.publishedRuns;
            ++publishedByProvider[r.provider];
        } else if (advisory) {
            ++a.advisoryRuns;
        }
        const bool cancelled = none && r.advisoryReason == QLatin1String(kCancelledReason);
        if (cancelled)
            ++a.cancelledRuns;
        else if (none)
            ++a.failedRuns;
        if (advisory || (none && !cancelled))
            ++reasons[r.advisoryReason];
        cost.add(r.estCost);
        a.tokenSum += r.totalTokens;
        duration.add(r.duration);
        durations.push_back(r.duration);
        if (r.citationsRequired > 0) {
            ++a.citationRuns;
            a.citationsOkRuns += r.citationsOk ? 1 : 0;
        }
        a.groundedRuns += r.grounded ? 1 : 0;
        a.groundedCitationOkRuns += r.grounded && r.citationsCount >= r.groundedRequired ? 1 : 0;
        a.redactedRuns += r.redacted ? 1 : 0;
        a.simulatedRuns += r.simulated ? 1 : 0;
        a.costComplete = a.costComplete && r.costComplete;
        for (const auto& [label, c] : r.costByLabel)
            costByLabel[label].add(c);
    });

    a.costSum = cost.value();
    a.durationSum = duration.value();
    a.publishedByProvider = publishedByProvider.entries();
    a.failureReasons = reasons.entries();
    for (const auto& [label, sum] : costByLabel.entries())
        a.costByLabel.emplace_back(label, sum.value());
    a.p50Duration = percentileLinear(durations, 0.50);
    a.p95Duration = percentileLinear(durations, 0.95);
    return a;
}

// The sums of the 0.2 cost details (docs/metrics.md) over the records `forEach` visits.
template <typename ForEach>
CostDetailAggregates aggregateCostDetailsOf(const ForEach& forEach, const PricingTable* pricing)
{
    CostDetailAggregates a;
    Tally<Kpis::BucketCost> bucketsByLabel;
    forEach([&](const RunRecord& r) {
        a.totalCostNano += r.estCostExactNano();
        if (r.hasReportedCost()) {
            ++a.reportedCostRuns;
            a.reportedCostNano += r.reportedCostNano;
            a.computedCostNano += r.computedCostNano;
        }
        a.cacheReadTokens += r.cacheReadTokens;
        if (r.bucketsByLabel.empty())
            return;
        const QDate day = runPricingDay(r);
        for (const RunRecord::LabelBuckets& b : r.bucketsByLabel) {
            const auto rates = pricing ? pricing->ratesFor(b.label, day, b.maxCallInputTokens) : std::nullopt;
            if (!rates) {
                if (b.cacheReadTokens > 0)
                    a.cacheSavingsComplete = false;
                continue;
            }
            const PriceRates& rt = rates->first;
            if (b.cacheReadTokens > 0)
                a.cacheSavingsNano
                    += bucketCost(b.cacheReadTokens, rt.input) - bucketCost(b.cacheReadTokens, rt.cacheReadRate());
            UsageBuckets u;
            u.inputTokens = b.inputTokens;
            u.cacheReadTokens = b.cacheReadTokens;
            u.cacheWriteTokens = b.cacheWriteTokens;
            u.outputTokens = b.outputTokens;
            const CallPrice c = priceWithRates(rt, u);
            Kpis::BucketCost& sum = bucketsByLabel[b.label];
            sum.input += c.input;
            sum.cacheRead += c.cacheRead;
            sum.cacheWrite += c.cacheWrite;
            sum.output += c.output;
        }
    });
    a.costByBucket = bucketsByLabel.entries();
    return a;
}

// Visits records[i] for each i of `indices`, in that order (the ForEach of aggregate/aggregateCostDetailsOf).
auto eachOf(const std::vector<RunRecord>& records, const std::vector<int>& indices)
{
    return [&records, &indices](auto&& fn) {
        for (int i : indices)
            fn(records[static_cast<size_t>(i)]);
    };
}

template <typename T> OrderedJson pairsToObject(const std::vector<std::pair<QString, T>>& v)
{
    OrderedJson o = OrderedJson::object();
    for (const auto& [key, value] : v)
        o[ss(key)] = value;
    return o;
}

} // namespace

Kpis kpisFromAggregates(const KpiAggregates& a)
{
    Kpis k;
    k.totalRuns = static_cast<int>(a.totalRuns);
    k.publishedRuns = static_cast<int>(a.publishedRuns);
    k.advisoryRuns = static_cast<int>(a.advisoryRuns);
    k.failedRuns = static_cast<int>(a.failedRuns);
    const double n = static_cast<double>(a.totalRuns);
    k.publishRate = ratio(static_cast<double>(a.publishedRuns), n);
    k.advisoryRate = ratio(static_cast<double>(a.advisoryRuns), n);
    k.failureRate = ratio(static_cast<double>(a.failedRuns), n);
    k.cancelledRuns = static_cast<int>(a.cancelledRuns);
    k.cancelledRate = ratio(static_cast<double>(a.cancelledRuns), n);
    k.totalCost = a.costSum;
    k.avgCost = ratio(a.costSum, n);
    k.avgTokens = ratio(static_cast<double>(a.tokenSum), n);
    k.avgDuration = ratio(a.durationSum, n);
    k.citationsComplianceRate
        = a.citationRuns > 0 ? ratio(static_cast<double>(a.citationsOkRuns), static_cast<double>(a.citationRuns)) : 1.0;
    k.groundedRate = ratio(static_cast<double>(a.groundedRuns), n);
    k.redactedRate = ratio(static_cast<double>(a.redactedRuns), n);
    k.simulatedRuns = static_cast<int>(a.simulatedRuns);
    k.costComplete = a.costComplete;

    for (const auto& [provider, count] : a.publishedByProvider)
        k.providerMix.emplace_back(provider, ratio(static_cast<double>(count), static_cast<double>(a.publishedRuns)));
    sortByValueDescThenKey(k.providerMix);

    for (const auto& [reason, count] : a.failureReasons)
        k.topFailureReasons.emplace_back(reason, static_cast<int>(count));
    sortByValueDescThenKey(k.topFailureReasons);
    if (k.topFailureReasons.size() > 5)
        k.topFailureReasons.resize(5);

    k.costByProvider = a.costByLabel;
    sortByValueDescThenKey(k.costByProvider);

    k.p50Duration = a.p50Duration;
    k.p95Duration = a.p95Duration;
    return k;
}

KpiAggregates aggregateKpis(const std::vector<RunRecord>& records, const std::vector<int>& indices)
{
    return aggregate(eachOf(records, indices), indices.size());
}

Kpis computeKpis(const std::vector<RunRecord>& records, const std::vector<int>& indices, const PricingTable* pricing)
{
    Kpis k = kpisFromAggregates(aggregateKpis(records, indices));
    applyCostDetails(k, aggregateCostDetailsOf(eachOf(records, indices), pricing));
    return k;
}

Kpis computeKpis(const std::vector<RunRecord>& records, const PricingTable* pricing)
{
    const auto all = [&](auto&& fn) {
        for (const RunRecord& r : records)
            fn(r);
    };
    Kpis k = kpisFromAggregates(aggregate(all, records.size()));
    applyCostDetails(k, aggregateCostDetailsOf(all, pricing));
    return k;
}

QDate runPricingDay(const RunRecord& r)
{
    if (!r.hasTimestamp)
        return QDate();
    constexpr qint64 kDayMs = 86'400'000;
    const qint64 days = r.timestampMs >= 0 ? r.timestampMs / kDayMs : -((-r.timestampMs + kDayMs - 1) / kDayMs);
    return QDate::fromJulianDay(2'440'588 + days); // 1970-01-01 is Julian day 2440588
}

CostDetailAggregates aggregateCostDetails(
    const std::vector<RunRecord>& records, const std::vector<int>& indices, const PricingTable* pricing)
{
    return aggregateCostDetailsOf(eachOf(records, indices), pricing);
}

void applyCostDetails(Kpis& k, const CostDetailAggregates& a)
{
    k.totalCostNano = a.totalCostNano;
    k.reportedCostRuns = static_cast<int>(a.reportedCostRuns);
    k.reportedCostNano = a.reportedCostNano;
    k.computedCostNano = a.computedCostNano;
    k.reportedVsComputedDriftPct.reset();
    if (a.reportedCostRuns > 0 && a.reportedCostNano > 0)
        k.reportedVsComputedDriftPct = static_cast<double>(a.computedCostNano - a.reportedCostNano) * 100.0
            / static_cast<double>(a.reportedCostNano);
    k.cacheReadTokens = a.cacheReadTokens;
    k.cacheSavingsNano = a.cacheSavingsNano;
    k.cacheSavingsComplete = a.cacheSavingsComplete;
    k.costByBucket = a.costByBucket;
    std::sort(k.costByBucket.begin(), k.costByBucket.end(), [](const auto& x, const auto& y) {
        if (x.second.total() != y.second.total())
            return x.second.total() > y.second.total();
        return x.first < y.first;
    });
}

bool isCancelledRun(const RunRecord& r)
{
    return r.hasStatus(RunStatus::None) && r.advisoryReason == QLatin1String(kCancelledReason);
}

const QStringList& kpiKeys()
{
    // The JSON's own keys, so the list cannot drift from what kpisToOrderedJson writes.
    static const QStringList keys = [] {
        const OrderedJson empty = kpisToOrderedJson(Kpis {});
        QStringList out;
        for (auto it = empty.begin(); it != empty.end(); ++it)
            out << QString::fromStdString(it.key());
        return out;
    }();
    return keys;
}

OrderedJson kpisToOrderedJson(const Kpis& k)
{
    OrderedJson j = OrderedJson::object();
    j["total_runs"] = k.totalRuns;
    j["published_runs"] = k.publishedRuns;
    j["advisory_runs"] = k.advisoryRuns;
    j["failed_runs"] = k.failedRuns;
    j["publish_rate"] = k.publishRate;
    j["advisory_rate"] = k.advisoryRate;
    j["failure_rate"] = k.failureRate;
    j["avg_cost"] = k.avgCost;
    j["avg_tokens"] = k.avgTokens;
    j["avg_duration"] = k.avgDuration;
    j["provider_mix"] = pairsToObject(k.providerMix);
    j["top_failure_reasons"] = pairsToObject(k.topFailureReasons);
    j["citations_compliance_rate"] = k.citationsComplianceRate;
    j["total_cost"] = k.totalCost;
    j["cost_by_provider"] = pairsToObject(k.costByProvider);
    j["p50_duration"] = k.p50Duration;
    j["p95_duration"] = k.p95Duration;
    j["grounded_rate"] = k.groundedRate;
    j["redacted_rate"] = k.redactedRate;
    j["simulated_runs"] = k.simulatedRuns;
    j["cost_complete"] = k.costComplete;
    j["cancelled_runs"] = k.cancelledRuns;
    j["cancelled_rate"] = k.cancelledRate;
    j["reported_vs_computed_drift_pct"]
        = k.reportedVsComputedDriftPct ? OrderedJson(*k.reportedVsComputedDriftPct) : OrderedJson(nullptr);
    j["reported_cost_runs"] = k.reportedCostRuns;
    j["reported_cost_usd"] = nanoToUsd(k.reportedCostNano);
    j["computed_cost_usd"] = nanoToUsd(k.computedCostNano);
    j["cache_read_tokens"] = k.cacheReadTokens;
    j["cache_savings_usd"] = nanoToUsd(k.cacheSavingsNano);
    j["cache_savings_complete"] = k.cacheSavingsComplete;
    OrderedJson buckets = OrderedJson::object();
    for (const auto& [label, b] : k.costByBucket)
        buckets[ss(label)] = OrderedJson { { "input", nanoToUsd(b.input) }, { "cache_read", nanoToUsd(b.cacheRead) },
            { "cache_write", nanoToUsd(b.cacheWrite) }, { "output", nanoToUsd(b.output) } };
    j["cost_by_bucket"] = std::move(buckets);
    return j;
}

Json kpisToJson(const Kpis& k)
{
    return Json(kpisToOrderedJson(k));
}

} // namespace djp
