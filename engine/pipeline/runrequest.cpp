#include "pipeline/runrequest.h"

#include "providers/modelcapabilities.h"

#include <QRegularExpression>
#include <cmath>

namespace djp {

namespace {

template <typename T> T pick(const std::optional<T>& explicitValue, const std::optional<T>& presetValue, T fallback)
{
    if (explicitValue)
        return *explicitValue;
    if (presetValue)
        return *presetValue;
    return fallback;
}

bool validLabel(const QString& label)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_.-]+/\\S+$"));
    return re.match(label).hasMatch();
}

} // namespace

ResolveResult resolveRunConfig(const RunRequest& r)
{
    ResolveResult result;
    QStringList& errors = result.errors;
    RunConfig c;

    c.task = r.task.trimmed();
    if (c.task.isEmpty())
        errors.append(QStringLiteral("The task is empty"));

    Preset preset;
    if (r.preset && !r.preset->isEmpty() && *r.preset != rundefaults::kPresetName) {
        QString err;
        if (auto p = loadPreset(*r.preset, &err))
            preset = *p;
        else
            errors.append(err);
        c.presetName = *r.preset;
    } else {
        c.presetName = rundefaults::kPresetName;
    }

    const QString policyName = pick(r.policy, preset.policy, rundefaults::kPolicy);
    {
        QString err;
        if (auto p = loadPolicy(policyName, &err))
            c.policy = *p;
        else
            errors.append(err);
    }

    c.maxTokens = pick(r.maxTokens, preset.maxTokens, rundefaults::kMaxTokens);
    c.temperature = pick(r.temperature, preset.temperature, rundefaults::kTemperature);
    c.fastpath = pick(r.fastpath, preset.fastpath, rundefaults::kFastpath);
    c.maxDebaters = pick(r.maxDebaters, preset.maxDebaters, rundefaults::kMaxDebaters);
    c.requireCitations = pick(r.requireCitations, preset.requireCitations, 0);
    c.timeoutS = pick(r.timeoutS, preset.timeoutS, rundefaults::kTimeoutS);
    c.marginThreshold = pick(r.marginThreshold, preset.marginThreshold, rundefaults::kMarginThreshold);
    c.seed = r.seed ? r.seed : preset.seed;
    c.reasoningEffort = pick(r.reasoningEffort, preset.reasoningEffort, QString()).trimmed().toLower();
    c.thinkingBudget = pick(r.thinkingBudget, preset.thinkingBudget, 0);
    c.budgetUsd = r.budgetUsd;
    c.budgetTokens = r.budgetTokens;
    c.maxCostUsd = r.maxCostUsd;
    c.redact = r.redact.value_or(true);
    c.offline = r.offline.value_or(false);
    c.traceName = r.traceName && !r.traceName->isEmpty() ? *r.traceName : rundefaults::kTraceName;
    c.judgeModel = r.judgeModel && !r.judgeModel->isEmpty() ? *r.judgeModel : rundefaults::kJudgeModel;
    if (r.groundedCorpus && !r.groundedCorpus->isEmpty()) {
        c.groundedCorpus = *r.groundedCorpus;
        c.groundedRequired = r.groundedRequired.value_or(rundefaults::kGroundedRequired);
    } else if (r.groundedRequired && *r.groundedRequired > 0) {
        errors.append(QStringLiteral("--grounded-required needs --grounded-corpus"));
    }

    if (c.maxTokens < 1 || c.maxTokens > 1'000'000)
        errors.append(QStringLiteral("max_tokens must be between 1 and 1000000 (got %1)").arg(c.maxTokens));
    if (!std::isfinite(c.temperature) || c.temperature < 0.0 || c.temperature > 2.0)
        errors.append(QStringLiteral("temperature must be between 0 and 2 (got %1)").arg(c.temperature));
    if (c.maxDebaters < 1)
        errors.append(QStringLiteral("max_debaters must be at least 1 (got %1)").arg(c.maxDebaters));
    if (!isValidReasoningEffort(c.reasoningEffort))
        errors.append(
            QStringLiteral("reasoning_effort must be one of none, minimal, low, medium, high, xhigh (got '%1')")
                .arg(c.reasoningEffort));
    if (c.thinkingBudget < 0 || c.thinkingBudget > 1'000'000)
        errors.append(QStringLiteral("thinking_budget must be between 0 and 1000000 (got %1)").arg(c.thinkingBudget));
    if (c.requireCitations < 0 || c.requireCitations > 20)
        errors.append(QStringLiteral("require_citations must be between 0 and 20 (got %1)").arg(c.requireCitations));
    if (c.timeoutS < 1)
        errors.append(QStringLiteral("timeout_s must be at least 1 (got %1)").arg(c.timeoutS));
    if (!std::isfinite(c.marginThreshold) || c.marginThreshold < 0.0)
        errors.append(QStringLiteral("margin_threshold must be a finite number >= 0 (got %1)").arg(c.marginThreshold));
    if (c.budgetUsd && (!std::isfinite(*c.budgetUsd) || *c.budgetUsd < 0.0))
        errors.append(QStringLiteral("budget_usd must be a finite number >= 0 (got %1)").arg(*c.budgetUsd));
    if (c.budgetTokens && *c.budgetTokens < 0)
        errors.append(QStringLiteral("budget_tokens must be >= 0"));
    if (c.maxCostUsd && (!std::isfinite(*c.maxCostUsd) || *c.maxCostUsd < 0.0))
        errors.append(QStringLiteral("max_cost_usd must be a finite number >= 0 (got %1)").arg(*c.maxCostUsd));
    if (c.groundedRequired < 0)
        errors.append(QStringLiteral("grounded_required must be >= 0"));
    if (!validLabel(c.judgeModel))
        errors.append(QStringLiteral("Judge model '%1' is not a vendor/model label").arg(c.judgeModel));

    if (r.models) {
        QStringList models;
        for (const QString& m : *r.models) {
            const QString t = m.trimmed();
            if (t.isEmpty())
                continue;
            if (!validLabel(t))
                errors.append(QStringLiteral("Model '%1' is not a vendor/model label").arg(t));
            else if (!models.contains(t))
                models.append(t);
        }
        if (models.isEmpty())
            errors.append(QStringLiteral("--models lists no model"));
        if (r.maxDebaters) {
            c.debaters = models.mid(0, std::max(0, c.maxDebaters));
        } else {
            c.debaters = models;
            if (models.size() > c.maxDebaters) {
                c.notes.append(
                    QStringLiteral("%1 models were given explicitly; the preset's max_debaters %2 was raised "
                                   "to %1")
                        .arg(models.size())
                        .arg(c.maxDebaters));
                c.maxDebaters = int(models.size());
            }
        }
    } else {
        c.debaters = rundefaults::kRoster.mid(0, std::max(0, c.maxDebaters));
    }

    if (errors.isEmpty())
        result.config = std::move(c);
    return result;
}

} // namespace djp
