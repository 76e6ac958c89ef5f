#include "pipeline/runartifact.h"

#include "core/strings.h"
#include "pipeline/artifactsections.h"
#include "pipeline/buildinfo.h"

#include <QtGlobal>
#include <cmath>
#include <map>

namespace djp {

namespace {

Json nullable(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

Json projectionTotals(const Projection& p, bool worst)
{
    const auto usd = [worst](const CostLine& l) { return worst ? l.worstUsd : l.expectedUsd; };
    return Json { { "debate_usd", usd(p.debate) }, { "judge_usd", usd(p.judge) }, { "overhead_usd", usd(p.overhead) },
        { "total_usd", usd(p.total) }, { "total_tokens", worst ? p.total.worstTokens() : p.total.expectedTokens() } };
}

Json gateJson(const GateResult& gate)
{
    std::optional<double> ratio;
    for (const GateCheck& c : gate.checks)
        if (std::isfinite(c.ratio))
            ratio = ratio ? std::max(*ratio, c.ratio) : c.ratio;
    return Json { { "status", ss(gateStatusName(gate.status)) },
        { "message", ss(gate.messages.join(QStringLiteral("; "))) }, { "ratio", nullable(ratio) } };
}

Json callJson(const CallRecord& r)
{
    const CallAttempt& a = r.attempt;
    return Json { { "stage", ss(a.stage) }, { "label", ss(a.label) }, { "api", ss(a.api) }, { "simulated", a.simulated },
        { "attempt", a.attempt }, { "status", ss(a.status) },
        { "http_status", a.httpStatus ? Json(*a.httpStatus) : Json(nullptr) }, { "error", ss(a.error) },
        { "input_tokens", a.inputTokens }, { "output_tokens", a.outputTokens }, { "latency_ms", a.latencyMs },
        { "cost_usd", nullable(r.costUsd) }, { "pricing_id", ss(r.pricingId) } };
}

bool attemptWasMade(const CallAttempt& a) { return a.status == QLatin1String("ok") || a.status == QLatin1String("error"); }

} // namespace

std::optional<double> attemptCost(const PricingTable& pricing, const CallAttempt& attempt)
{
    if (attempt.inputTokens == 0 && attempt.outputTokens == 0)
        return 0.0;
    return pricing.cost(attempt.label, attempt.inputTokens, attempt.outputTokens);
}

MeasuredSpend measuredSpend(const std::vector<CallRecord>& calls)
{
    MeasuredSpend m;
    for (const CallRecord& r : calls) {
        m.tokens += r.attempt.inputTokens + r.attempt.outputTokens;
        if (r.costUsd)
            m.costUsd += *r.costUsd;
        else
            m.complete = false;
    }
    return m;
}

Json buildRunArtifact(const RunPlan& plan, const PipelineResult& result, const std::vector<CallRecord>& calls,
    const RunFacts& facts)
{
    const RunConfig& c = plan.config;
    Json doc = Json::object();
    doc["schema_version"] = "2.0";
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
    std::map<std::string, double> costs;
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
        if (r.costUsd)
            costs[ss(a.label)] += *r.costUsd;
    }
    Json usageJson = Json::object();
    for (auto& [label, u] : usage)
        usageJson[label] = u;
    Json costsJson = Json::object();
    for (const auto& [label, usd] : costs)
        costsJson[label] = usd;
    doc["provenance"] = Json { { "git_sha", DJP_GIT_SHA }, { "python_version", "" },
        { "sdk_version", std::string("Qt ") + qVersion() }, { "app_version", DJP_VERSION }, { "model_usage", usageJson },
        { "estimated_costs", costsJson }, { "duration_seconds", facts.durationMs / 1000.0 } };

    const MeasuredSpend spend = measuredSpend(calls);
    Json dropped = Json::array();
    for (const DroppedDebater& d : plan.selection.dropped)
        dropped.push_back(Json { { "label", ss(d.label) }, { "reason", ss(dropReasonName(d.reason)) },
            { "detail", ss(d.detail) } });
    doc["budget"] = Json { { "budget_usd", nullable(c.budgetUsd) },
        { "budget_tokens", c.budgetTokens ? Json(*c.budgetTokens) : Json(nullptr) },
        { "max_cost_usd", nullable(c.maxCostUsd) },
        { "projection", Json { { "expected", projectionTotals(plan.projection, false) },
                            { "worst", projectionTotals(plan.projection, true) } } },
        { "gate", gateJson(plan.gate) }, { "measured_cost_usd", spend.costUsd }, { "measured_tokens", spend.tokens },
        { "cost_complete", spend.complete }, { "stopped_early", facts.stoppedEarly },
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
