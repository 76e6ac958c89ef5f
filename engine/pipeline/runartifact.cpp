#include "pipeline/runartifact.h"

#include "core/strings.h"
#include "pipeline/artifactsections.h"
#include "pipeline/buildinfo.h"

#include <QtGlobal>
#include <cmath>
#include <map>

namespace djp {

namespace {

Json nullable(const std::optional<double>& v)
{
    return v ? Json(*v) : Json(nullptr);
}

// Every stored money figure is an integer count of nano-dollars divided once: n / 1e9 is the double
// nearest to the short decimal, so it prints without float noise (0.3, never 0.30000000000000004).
Json money(qint64 nano)
{
    return Json(nanoToUsd(nano));
}

// A USD figure from outside (a user's cap, a provider's own cost) as its exact nano-dollar amount.
qint64 nanoFromUsd(double usd)
{
    return usdToNanoCeil(usd);
}

// A user-given USD amount (budgets, caps), stored as its nearest nano-dollar.
Json optionalMoney(const std::optional<double>& usd)
{
    return usd ? money(nanoFromUsd(*usd)) : Json(nullptr);
}

Json projectionTotals(const Projection& p, bool worst)
{
    const auto usd = [worst](const CostLine& l) { return money(worst ? l.worstNano : l.expectedNano); };
    return Json { { "debate_usd", usd(p.debate) }, { "judge_usd", usd(p.judge) }, { "overhead_usd", usd(p.overhead) },
        { "total_usd", usd(p.total) }, { "total_tokens", worst ? p.total.worstTokens() : p.total.expectedTokens() } };
}

Json gateJson(const GateResult& gate)
{
    std::optional<double> ratio;
    for (const GateCheck& c : gate.checks)
        if (std::isfinite(c.ratio))
            ratio = ratio ? std::max(*ratio, c.ratio) : c.ratio;
    return Json { { "status", ss(vocabularyId(gate.status)) },
        { "message", ss(gateRecordMessages(gate).join(QStringLiteral("; "))) }, { "ratio", nullable(ratio) } };
}

Json callJson(const CallRecord& r)
{
    const CallAttempt& a = r.attempt;
    const auto cost = r.cost();
    return Json { { "stage", ss(a.stage) }, { "label", ss(a.label) }, { "api", ss(a.api) },
        { "simulated", a.simulated }, { "attempt", a.attempt }, { "status", ss(a.status) },
        { "http_status", a.httpStatus ? Json(*a.httpStatus) : Json(nullptr) }, { "error", ss(a.error) },
        { "input_tokens", a.inputTokens }, { "output_tokens", a.outputTokens }, { "latency_ms", a.latencyMs },
        { "cost_usd", cost ? money(*cost) : Json(nullptr) }, { "pricing_id", ss(r.pricingId) },
        { "cache_read_tokens", a.cacheReadTokens }, { "cache_write_tokens", a.cacheWriteTokens },
        { "reasoning_tokens", a.reasoningTokens }, { "usage_source", ss(usageSourceName(a.usageSource)) },
        { "reported_cost_usd", a.reportedCostUsd ? money(nanoFromUsd(*a.reportedCostUsd)) : Json(nullptr) },
        { "held_usd", money(r.heldNano) } };
}

bool attemptWasMade(const CallAttempt& a)
{
    return a.hasStatus(CallStatus::Ok) || a.hasStatus(CallStatus::Error);
}

} // namespace

UsageBuckets usageOf(const CallAttempt& a)
{
    UsageBuckets u;
    u.inputTokens = a.inputTokens;
    u.cacheReadTokens = a.cacheReadTokens;
    u.cacheWriteTokens = a.cacheWriteTokens;
    u.outputTokens = a.outputTokens;
    u.reasoningTokens = a.reasoningTokens;
    return u;
}

std::optional<qint64> CallRecord::cost() const
{
    if (costNano)
        return costNano;
    if (costUsd)
        return nanoFromUsd(*costUsd);
    return std::nullopt;
}

std::optional<qint64> attemptCostNano(const PricingTable& pricing, const CallAttempt& attempt, QDate day)
{
    if (attempt.inputTokens == 0 && attempt.outputTokens == 0)
        return 0;
    const auto price = pricing.priceCall(attempt.label, usageOf(attempt), day);
    return price ? std::optional<qint64>(price->total) : std::nullopt;
}

std::optional<double> attemptCost(const PricingTable& pricing, const CallAttempt& attempt, QDate day)
{
    const auto nano = attemptCostNano(pricing, attempt, day);
    return nano ? std::optional<double>(nanoToUsd(*nano)) : std::nullopt;
}

AttemptCharge chargeAttempt(
    const PricingTable& pricing, const CallAttempt& attempt, const AttemptReservation& held, QDate day)
{
    AttemptCharge c;
    c.record.attempt = attempt;
    c.record.pricingId = pricing.id();
    CallAttempt& a = c.record.attempt;
    const bool priced = pricing.isPriced(a.label);
    switch (a.usageSource) {
    case UsageSource::Reported: {
        // Each bucket at its own rate (cache reads, cache writes, output), at the rates of the day.
        bool known = false;
        const CallPrice price = pricing.priceCallFailSafe(a.label, usageOf(a), day, &known);
        c.ledger = AttemptCharge::Ledger::Settle;
        c.ledgerNano = price.total;
        c.ledgerTokens = a.inputTokens + a.outputTokens;
        if (known) {
            c.record.costNano = price.total;
            c.record.tier = price.tier;
            if (!price.pricingId.isEmpty())
                c.record.pricingId = price.pricingId;
        }
        break;
    }
    case UsageSource::Estimated:
        // No usage in a reply the vendor billed: the honest figure is the worst case we reserved.
        a.inputTokens = held.inputBound;
        a.outputTokens = held.outputLimit;
        a.cacheReadTokens = a.cacheWriteTokens = a.reasoningTokens = 0;
        c.ledger = AttemptCharge::Ledger::Settle;
        c.ledgerNano = held.nano;
        c.ledgerTokens = held.tokens;
        if (priced)
            c.record.costNano = held.nano;
        break;
    case UsageSource::None:
        if (a.possiblyBilled && held.nano + held.tokens > 0) {
            c.ledger = AttemptCharge::Ledger::Hold;
            c.record.heldNano = held.nano;
        }
        c.record.costNano = 0;
        break;
    }
    if (c.record.costNano)
        c.record.costUsd = nanoToUsd(*c.record.costNano);
    return c;
}

MeasuredSpend measuredSpend(const std::vector<CallRecord>& calls)
{
    MeasuredSpend m;
    for (const CallRecord& r : calls) {
        m.tokens += r.attempt.inputTokens + r.attempt.outputTokens;
        m.heldNano += r.heldNano;
        if (const auto cost = r.cost())
            m.costNano += *cost;
        else
            m.complete = false;
        if (r.attempt.usageSource == UsageSource::Estimated || r.heldNano > 0)
            m.complete = false;
    }
    m.costUsd = nanoToUsd(m.costNano);
    return m;
}

Json buildRunArtifact(
    const RunPlan& plan, const PipelineResult& result, const std::vector<CallRecord>& calls, const RunFacts& facts)
{
    const RunConfig& c = plan.config;
    Json doc = Json::object();
    doc["schema_version"] = "2.1";
    doc["run_id"] = ss(facts.runId);

    bool simulated = facts.simulatedFallback;
    for (const CallRecord& r : calls)
        simulated = simulated || r.attempt.simulated;
    doc["simulated"] = simulated;

    const QDateTime ts = facts.startedAt.toOffsetFromUtc(facts.startedAt.offsetFromUtc());
    doc["run_metadata"] = Json { { "timestamp", ss(ts.toString(Qt::ISODateWithMs)) }, { "task", ss(result.task) },
        { "trace_name", ss(c.traceName) }, { "parameters", parametersSection(c, facts.redactionRules) } };
    addPipelineSections(doc, result);

    // provenance: filled from calls[] (the legacy tool always left these maps empty).
    std::map<std::string, Json> usage;
    std::map<std::string, qint64> costs;
    for (const CallRecord& r : calls) {
        const CallAttempt& a = r.attempt;
        if (!attemptWasMade(a))
            continue;
        Json& u = usage[ss(a.label)];
        if (u.is_null())
            u = Json { { "calls", 0 }, { "tokens_in", 0 }, { "tokens_out", 0 } };
        u["calls"] = u["calls"].get<int>() + 1;
        u["tokens_in"] = u["tokens_in"].get<qint64>() + a.inputTokens;
        u["tokens_out"] = u["tokens_out"].get<qint64>() + a.outputTokens;
        if (const auto cost = r.cost())
            costs[ss(a.label)] += *cost;
    }
    Json usageJson = Json::object();
    for (auto& [label, u] : usage)
        usageJson[label] = u;
    Json costsJson = Json::object();
    for (const auto& [label, nano] : costs)
        costsJson[label] = money(nano);
    doc["provenance"] = Json { { "git_sha", DJP_GIT_SHA }, { "python_version", "" },
        { "sdk_version", std::string("Qt ") + qVersion() }, { "app_version", DJP_VERSION },
        { "model_usage", usageJson }, { "estimated_costs", costsJson },
        { "duration_seconds", facts.durationMs / 1000.0 } };

    const MeasuredSpend spend = measuredSpend(calls);
    Json dropped = Json::array();
    for (const DroppedDebater& d : plan.selection.dropped)
        dropped.push_back(
            Json { { "label", ss(d.label) }, { "reason", ss(dropReasonName(d.reason)) }, { "detail", ss(d.detail) } });
    doc["budget"] = Json { { "budget_usd", optionalMoney(c.budgetUsd) },
        { "budget_tokens", c.budgetTokens ? Json(*c.budgetTokens) : Json(nullptr) },
        { "max_cost_usd", optionalMoney(c.maxCostUsd) },
        { "projection",
            Json { { "expected", projectionTotals(plan.projection, false) },
                { "worst", projectionTotals(plan.projection, true) } } },
        { "gate", gateJson(plan.gate) }, { "measured_cost_usd", money(spend.costNano) },
        { "measured_tokens", spend.tokens }, { "cost_complete", spend.complete }, { "held_usd", money(spend.heldNano) },
        { "cap_exceeded", facts.capExceeded }, { "overrun_usd", money(facts.overrunNano) },
        { "stopped_early", facts.stoppedEarly },
        { "stop_reason", facts.stopReason.isEmpty() ? Json(nullptr) : Json(ss(facts.stopReason)) },
        { "dropped_debaters", dropped } };

    Json callsJson = Json::array();
    for (const CallRecord& r : calls)
        callsJson.push_back(callJson(r));
    doc["calls"] = callsJson;
    return doc;
}

} // namespace djp

namespace djp {
Json callRecordJson(const CallRecord& record)
{
    return callJson(record);
}
} // namespace djp
