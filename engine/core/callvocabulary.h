#pragma once
// The vocabularies of one provider call (docs/artifact-format.md, "Vocabularies"): calls[].status and
// calls[].usage_source. They live below both the providers, which produce them, and the artifact module,
// whose scanner and spend journal read them back from files (neither module links the other).
#include "core/vocabulary.h"

#include <QString>

namespace djp {

// calls[].status of an artifact and of the spend journal, plus Running, which only the run engine's live
// events carry (never written to a file).
enum class CallStatus
{
    Ok, // ok: the provider answered
    Error, // error: sent, and failed (HTTP error, timeout, malformed reply...)
    SkippedBudget, // skipped_budget: not sent, the spend ledger could not reserve its worst case
    CircuitOpen, // circuit_open: not sent, the provider's circuit breaker is open
    Running, // running: in flight (live events only)
};

// parseVocabulary<CallStatus>() gives nullopt for a status written by another tool: such a call counts as
// failed, and is shown as written.
template <>
inline constexpr std::array<VocabularyEntry<CallStatus>, 5> kVocabulary<CallStatus> { {
    { CallStatus::Ok, QLatin1String("ok") },
    { CallStatus::Error, QLatin1String("error") },
    { CallStatus::SkippedBudget, QLatin1String("skipped_budget") },
    { CallStatus::CircuitOpen, QLatin1String("circuit_open") },
    { CallStatus::Running, QLatin1String("running") },
} };

// Where an attempt's token counts come from: the provider's own usage report, an estimate (the
// reply had none: the counts are the attempt's reservation), or nothing (no tokens were used).
enum class UsageSource
{
    None, // none
    Reported, // reported
    Estimated, // estimated
};

// parseVocabulary<UsageSource>() gives nullopt for a source written by another tool: it is counted as
// reported (not as an estimate), as a missing one is.
template <>
inline constexpr std::array<VocabularyEntry<UsageSource>, 3> kVocabulary<UsageSource> { {
    { UsageSource::None, QLatin1String("none") },
    { UsageSource::Reported, QLatin1String("reported") },
    { UsageSource::Estimated, QLatin1String("estimated") },
} };

inline QString usageSourceName(UsageSource s)
{
    return vocabularyId(s);
}

} // namespace djp
