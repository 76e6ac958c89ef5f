#include "filteroptions.h"

#include "artifact/runrecord.h"
#include "cli.h"

#include <QCoreApplication>
#include <QDir>

namespace djp::cli {

namespace {
const QString kSince = QStringLiteral("since");
const QString kPreset = QStringLiteral("preset");
const QString kProvider = QStringLiteral("provider");
const QString kProviderMatch = QStringLiteral("provider-match");
const QString kStatus = QStringLiteral("status");
const QString kGroundedOnly = QStringLiteral("grounded-only");
const QString kRedactedOnly = QStringLiteral("redacted-only");
const QString kSearch = QStringLiteral("search");
const QString kNoIndex = QStringLiteral("no-index");
} // namespace

void addSinceOption(QCommandLineParser& parser, const QString& defaultSince)
{
    parser.addOption({ kSince,
        QStringLiteral("Time window ending now: Nh, Nd, Nw (24h, 7d, 30d, 90d, 3w...) or all (default %1).")
            .arg(defaultSince),
        QStringLiteral("WINDOW"), defaultSince });
}

void addFilterOptions(QCommandLineParser& parser)
{
    addSinceOption(parser);
    parser.addOption({ kPreset, QStringLiteral("Only runs of this preset (exact name)."), QStringLiteral("NAME") });
    parser.addOption({ kProvider,
        QStringLiteral("Only runs published by this model label (exact); with --provider-match any-call, runs "
                       "in which any call used it."),
        QStringLiteral("LABEL") });
    parser.addOption({ kProviderMatch,
        QStringLiteral("What --provider matches: published (the model that published the answer, default) or "
                       "any-call (the publisher or any model with a priced call in the run)."),
        QStringLiteral("MODE"), vocabularyId(ProviderMatch::PublishedBy) });
    parser.addOption({ kStatus, QStringLiteral("Only runs with this status: published, advisory_only or none."),
        QStringLiteral("STATUS") });
    parser.addOption({ kGroundedOnly, QStringLiteral("Only grounded runs.") });
    parser.addOption({ kRedactedOnly, QStringLiteral("Only runs whose published text was redacted.") });
    parser.addOption({ kSearch, QStringLiteral("Only runs whose task or trace name contains TEXT (case-insensitive)."),
        QStringLiteral("TEXT") });
}

void addLoadOptions(QCommandLineParser& parser)
{
    parser.addOption({ kNoIndex, QStringLiteral("Neither read nor write the run index (a cold load).") });
}

QString sinceText(const QString& since)
{
    return since == QLatin1String("all") ? QStringLiteral("all time") : QStringLiteral("last ") + since;
}

bool sinceFromOptions(const QCommandLineParser& parser, std::optional<qint64>& windowMs, QString* error)
{
    bool all = false;
    const std::optional<qint64> ms = parseSinceWindow(parser.value(kSince), &all, error);
    if (!ms)
        return false;
    windowMs = all ? std::nullopt : ms;
    return true;
}

bool filterFromOptions(const QCommandLineParser& parser, RunFilter& filter, QString* error)
{
    RunFilter f;
    if (!sinceFromOptions(parser, f.lastMs, error))
        return false;
    f.preset = parser.value(kPreset);
    f.provider = parser.value(kProvider);
    const QString match = parser.value(kProviderMatch);
    if (const std::optional<ProviderMatch> m = parseVocabulary<ProviderMatch>(match)) {
        f.providerMatch = *m;
    } else {
        if (error)
            *error = QStringLiteral("invalid --provider-match '%1': expected published or any-call").arg(match);
        return false;
    }
    f.status = parser.value(kStatus);
    if (!f.status.isEmpty() && !parseVocabulary<RunStatus>(f.status)) {
        if (error)
            *error = QStringLiteral("invalid --status '%1': expected published, advisory_only or none").arg(f.status);
        return false;
    }
    f.groundedOnly = parser.isSet(kGroundedOnly);
    f.redactedOnly = parser.isSet(kRedactedOnly);
    f.search = parser.value(kSearch);
    filter = f;
    return true;
}

LoadResult loadRunsFromOptions(const QCommandLineParser& parser)
{
    LoadOptions options;
    options.runsDir = runsDir(parser);
    // optionNames() lists the options given on the command line, so this is safe for commands
    // that did not declare --no-index.
    options.useIndex = !parser.optionNames().contains(kNoIndex);
    return loadRuns(options);
}

void reportProblems(const QString& command, const std::vector<Problem>& problems)
{
    if (problems.empty())
        return;
    constexpr size_t kShown = 5;
    const int unreadable = static_cast<int>(problems.size());
    err() << command << ": "
          << QCoreApplication::translate(
                 "djp::cli", "%n file(s) could not be read as run artifacts", nullptr, unreadable)
          << "\n";
    for (size_t i = 0; i < problems.size() && i < kShown; ++i)
        err() << "  " << QDir::toNativeSeparators(problems[i].path) << ": " << problems[i].code << " ("
              << problems[i].detail << ")\n";
    if (problems.size() > kShown)
        err() << "  ... and " << (problems.size() - kShown) << " more\n";
    err().flush();
}

} // namespace djp::cli
