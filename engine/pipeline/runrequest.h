#pragma once
// What the user asked for (every option of `djp run`, docs/cli.md; std::nullopt = "not given") and the
// fully resolved configuration of a run after applying the preset. Plain values; the GUI's launch
// form and the CLI both build a RunRequest and call resolveRunConfig().
#include "pipeline/presets.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace djp {

struct RunRequest
{
    QString task;
    // Where the artifact goes (absolute); empty: the engine's EngineOptions::runsDir.
    QString runsDir;
    std::optional<QString> preset;
    std::optional<QString> policy;
    std::optional<QStringList> models; // debater labels, in order
    std::optional<QString> judgeModel;
    std::optional<int> maxTokens;
    std::optional<double> temperature;
    std::optional<int> maxDebaters;
    std::optional<int> requireCitations;
    std::optional<int> timeoutS;
    std::optional<double> marginThreshold;
    std::optional<qint64> seed;
    std::optional<bool> fastpath;
    std::optional<double> budgetUsd;
    std::optional<qint64> budgetTokens;
    std::optional<double> maxCostUsd;
    std::optional<QString> groundedCorpus;
    std::optional<int> groundedRequired;
    std::optional<bool> redact;
    std::optional<QString> traceName;
    std::optional<bool> offline;
    std::optional<QString> reasoningEffort;
    std::optional<int> thinkingBudget;
};

// Defaults used when neither the request nor the preset gives a value ("manual" runs).
namespace rundefaults {
inline constexpr int kMaxTokens = 800;
inline constexpr double kTemperature = 0.2;
inline constexpr bool kFastpath = false;
inline constexpr int kMaxDebaters = 4;
inline constexpr int kTimeoutS = 120;
inline constexpr double kMarginThreshold = 2.0;
inline constexpr double kJudgeTemperature = 0.1;
inline constexpr int kGroundedRequired = 1; // when a corpus is given without --grounded-required
inline constexpr int kGroundedSources = 5; // sources handed to debaters
inline const QString kPolicy = QStringLiteral("openai_only");
inline const QString kPresetName = QStringLiteral("manual");
inline const QString kJudgeModel = QStringLiteral("openai/gpt-4o");
inline const QString kTraceName = QStringLiteral("djp_run");
// Default roster (docs/pipeline.md): two OpenAI models, then Anthropic, then Google.
inline const QStringList kRoster { QStringLiteral("openai/gpt-4o"), QStringLiteral("openai/gpt-4o-mini"),
    QStringLiteral("anthropic/claude-3-5-sonnet-20240620"), QStringLiteral("google/gemini-1.5-pro") };
} // namespace rundefaults

struct RunConfig
{
    QString task;
    QString presetName; // "manual" when no preset
    Policy policy; // resolved policy (allowed labels, preferred vendor)
    QStringList debaters; // roster cut by maxDebaters (budget cuts happen later, in budget/)
    QString judgeModel;
    double judgeTemperature = rundefaults::kJudgeTemperature;
    int maxTokens = rundefaults::kMaxTokens;
    double temperature = rundefaults::kTemperature;
    bool fastpath = rundefaults::kFastpath;
    int maxDebaters = rundefaults::kMaxDebaters;
    int requireCitations = 0; // 0 = not required
    int timeoutS = rundefaults::kTimeoutS;
    double marginThreshold = rundefaults::kMarginThreshold;
    std::optional<qint64> seed; // nullopt: the run controller draws one and records it
    std::optional<double> budgetUsd;
    std::optional<qint64> budgetTokens;
    std::optional<double> maxCostUsd;
    QString groundedCorpus; // empty = not grounded
    int groundedRequired = 0;
    bool redact = true;
    QString traceName = rundefaults::kTraceName;
    bool offline = false;
    QString reasoningEffort; // "" = not sent
    int thinkingBudget = 0; // 0 = thinking not requested
    QStringList notes; // resolution remarks worth showing (e.g. roster kept beyond the preset cap)

    bool grounded() const { return !groundedCorpus.isEmpty(); }
};

struct ResolveResult
{
    std::optional<RunConfig> config; // set when errors is empty
    QStringList errors; // user-facing, one per problem
};

// Applies the preset's values, then every explicitly given option (an explicit option always beats
// the preset), then the defaults above; validates ranges and labels. Explicit --models are cut only by
// an explicit --max-debaters: a preset's cap applies to the default roster (and when explicit models
// exceed it, maxDebaters is raised to their count and a note says so).
ResolveResult resolveRunConfig(const RunRequest& request);

} // namespace djp
