#include "pipeline/runplanner.h"

#include "providers/modelcapabilities.h"

#include <QRandomGenerator>
#include <algorithm>

namespace djp {

std::vector<PlannedCall> plannedCalls(
    const RunConfig& config, const QStringList& roster, const Prompt& debatePrompt, quint64 seed, int judgeMaxTokens)
{
    std::vector<PlannedCall> calls;
    std::vector<Draft> expectedDrafts;
    std::vector<Draft> largestDrafts;
    const qsizetype draftBytes = judgeDraftByteLimit(config.maxTokens);
    for (const QString& label : roster) {
        // The limit each call sends (max_tokens + any thinking budget) is the most output it can bill.
        calls.push_back(PlannedCall::debate(label, debatePrompt.system, debatePrompt.user,
            outputTokenLimit(label, config.maxTokens, config.thinkingBudget), config.requireCitations));
        // The judge will read the drafts: estimate its prompt from drafts of the expected length, and
        // bound it by drafts of the largest size the judge prompt lets through.
        Draft d;
        d.label = label;
        const qint64 chars = std::min<qint64>(config.maxTokens, estimateTokens(calls.back()).expectedOutput)
            * projection::kCharsPerToken;
        d.answer = QString(static_cast<qsizetype>(chars), QLatin1Char('x'));
        expectedDrafts.push_back(std::move(d));
        Draft big;
        big.label = label;
        big.answer = QString(draftBytes, QLatin1Char('x'));
        largestDrafts.push_back(std::move(big));
    }
    if (!roster.isEmpty()) {
        const auto order = shuffledOrder(static_cast<int>(expectedDrafts.size()), seed);
        const Prompt judge = buildJudgePrompt(config.task, expectedDrafts, order, config.requireCitations);
        const Prompt largest = buildJudgePrompt(config.task, largestDrafts, order, config.requireCitations, draftBytes);
        calls.push_back(PlannedCall::judge(config.judgeModel, judge.system, judge.user,
            outputTokenLimit(config.judgeModel, judgeMaxTokens, config.thinkingBudget)));
        calls.back().inputBound = inputTokensUpperBound(largest.system, largest.user);
        if (roster.size() >= 2 && config.marginThreshold > 0) {
            PlannedCall second = calls.back();
            second.worstCaseOnly = true;
            calls.push_back(second);
        }
    }
    calls.push_back(PlannedCall::overhead(config.judgeModel));
    return calls;
}

PlanResult planRun(const RunRequest& request, const PricingTable& pricing, const PlanOptions& options)
{
    PlanResult result;
    ResolveResult resolved = resolveRunConfig(request);
    if (!resolved.config) {
        result.errors = resolved.errors;
        return result;
    }
    RunPlan plan;
    plan.config = *resolved.config;
    RunConfig& config = plan.config;
    // Record the seed actually used so that `djp replay` reproduces the shuffle and the simulator.
    plan.seed = config.seed ? static_cast<quint64>(*config.seed)
                            : options.seed.value_or(QRandomGenerator::global()->bounded(1u << 31));
    config.seed = static_cast<qint64>(plan.seed);

    plan.grounding.enabled = config.grounded();
    plan.grounding.report.required = config.groundedRequired;
    if (config.grounded() && options.loadCorpus) {
        const Corpus corpus = loadCorpus(config.groundedCorpus);
        // A corpus folder that is not there is a mistake in the request, not an empty corpus: a
        // "grounded" run without sources would look grounded and cite nothing.
        for (const CorpusProblem& p : corpus.problems) {
            const std::optional<CorpusProblemCode> code = parseVocabulary<CorpusProblemCode>(p.code);
            if (code == CorpusProblemCode::NotFound || code == CorpusProblemCode::NotADirectory) {
                result.errors.append(
                    QStringLiteral("grounded corpus folder %1 %2")
                        .arg(config.groundedCorpus,
                            code == CorpusProblemCode::NotFound ? QStringLiteral("does not exist")
                                                                : QStringLiteral("is not a directory")));
                return result;
            }
        }
        plan.grounding.corpusLoaded = corpus.loaded;
        plan.grounding.corpusDocs = static_cast<int>(corpus.documents.size());
        plan.grounding.sources = retrieveSources(corpus, config.task, rundefaults::kGroundedSources);
        plan.corpusProblems = corpus.problems;
    }
    plan.debatePrompt = buildDebatePrompt(config.task, config.requireCitations, plan.grounding.sources);

    plan.requestedDebaters = config.debaters;
    DebaterSelectionOptions selectionOptions;
    selectionOptions.preferredVendor = config.policy.preferredVendor;
    selectionOptions.maxCostUsd = config.maxCostUsd;
    selectionOptions.budgetUsd = config.budgetUsd;
    selectionOptions.fastpath = config.fastpath;
    const auto projector = [&](const QStringList& roster) {
        return project(pricing, plannedCalls(config, roster, plan.debatePrompt, plan.seed, plan.judgeMaxTokens));
    };
    plan.selection = selectDebaters(config.debaters, selectionOptions, projector);
    config.debaters = plan.selection.selected;

    plan.calls = plannedCalls(config, config.debaters, plan.debatePrompt, plan.seed, plan.judgeMaxTokens);
    plan.projection = project(pricing, plan.calls);
    plan.gate = evaluateGate(plan.projection, Budgets { config.budgetUsd, config.budgetTokens });
    result.plan = std::move(plan);
    return result;
}

QString formatPlan(const RunPlan& plan)
{
    QString text;
    const RunConfig& c = plan.config;
    text += QStringLiteral("Preset: %1   Policy: %2   Judge: %3\n").arg(c.presetName, c.policy.name, c.judgeModel);
    text += QStringLiteral("Debaters: %1\n").arg(c.debaters.join(QStringLiteral(", ")));
    for (const DroppedDebater& d : plan.selection.dropped)
        text += QStringLiteral("  dropped %1: %2\n").arg(d.label, d.detail);
    for (const QString& note : c.notes)
        text += QStringLiteral("  note: %1\n").arg(note);
    if (c.grounded())
        text += QStringLiteral("Grounded: %1 documents, %2 sources, %3 citations required\n")
                    .arg(plan.grounding.corpusDocs)
                    .arg(plan.grounding.sources.size())
                    .arg(c.groundedRequired);
    text += formatProjection(plan.projection);
    if (!text.endsWith(QLatin1Char('\n')))
        text += QLatin1Char('\n');
    text += QStringLiteral("Budget verdict: %1\n").arg(vocabularyId(plan.gate.status));
    for (const QString& m : gateRecordMessages(plan.gate))
        text += m + QLatin1Char('\n');
    if (plan.blocked())
        text += QStringLiteral("Run aborted to prevent budget overrun.\n");
    return text;
}

} // namespace djp
