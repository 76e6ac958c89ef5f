#include "display/vocabularytext.h"

#include "metrics/kpis.h"
#include "pricing/money.h"

#include <QCoreApplication>
#include <cmath>

namespace djp {

namespace {

QString tr(const char* s)
{
    return QCoreApplication::translate("djp::VocabularyText", s);
}

} // namespace

QString problemLabel(ProblemCode code)
{
    switch (code) {
    case ProblemCode::IoError:
        return tr("Could not be read");
    case ProblemCode::NotRegularFile:
        return tr("Not a regular file");
    case ProblemCode::Empty:
        return tr("Empty file");
    case ProblemCode::TooLarge:
        return tr("Too large for a run artifact");
    case ProblemCode::Binary:
        return tr("Not a text file");
    case ProblemCode::NotJson:
        return tr("Not valid JSON");
    case ProblemCode::TooDeep:
        return tr("JSON nested too deeply");
    case ProblemCode::NotObject:
        return tr("Not a JSON object");
    case ProblemCode::NoSchemaVersion:
        return tr("No schema_version");
    case ProblemCode::NoRunMetadata:
        return tr("No run_metadata");
    case ProblemCode::UnsupportedVersion:
        return tr("Newer schema version than this app reads");
    case ProblemCode::WrongType:
        return tr("A section has the wrong type");
    case ProblemCode::BadTimestamp:
        return tr("Timestamp is not a real time");
    case ProblemCode::TeamHistory:
        return tr("Could not be fetched from the team history");
    // Notes of what the store put right before reading (store/runsfolderrepair.h).
    case ProblemCode::RecoveredTemp:
        return tr("Recovered: a complete run left under a temporary name");
    case ProblemCode::RemovedTemp:
        return tr("Removed: an incomplete temporary file older than an hour");
    case ProblemCode::KeptTemp:
        return tr("An incomplete temporary file (may still be being written)");
    case ProblemCode::RecoveredInterruptedRun:
        return tr("Recovered: a run interrupted before its artifact was written");
    case ProblemCode::JournalError:
        return tr("Left by an interrupted run; could not be recovered");
    case ProblemCode::RepairError:
        return tr("Left by an interrupted write; could not be repaired");
    case ProblemCode::RejectedByServer:
        return tr("Refused by the team database");
    }
    return {};
}

QString problemSentence(ProblemCode code)
{
    switch (code) {
    case ProblemCode::IoError:
        return tr("The file could not be read.");
    case ProblemCode::NotRegularFile:
        return tr("It is not a regular file (a folder, a device or a pipe).");
    case ProblemCode::Empty:
        return tr("The file is empty.");
    case ProblemCode::TooLarge:
        return tr("The file is larger than 64 MB, the limit for a run artifact.");
    case ProblemCode::Binary:
        return tr("The file is not text.");
    case ProblemCode::NotJson:
        return tr("The file is not valid JSON (syntax error, truncated file, NaN or comments).");
    case ProblemCode::TooDeep:
        return tr("The JSON nests more than 128 levels deep.");
    case ProblemCode::NotObject:
        return tr("The top level is not a JSON object.");
    case ProblemCode::NoSchemaVersion:
        return tr("It has no string \"schema_version\", so it is not a run artifact.");
    case ProblemCode::NoRunMetadata:
        return tr("It has no \"run_metadata\" object, so it is not a run artifact.");
    case ProblemCode::UnsupportedVersion:
        return tr("It was written with a newer major schema version than this app reads.");
    case ProblemCode::WrongType:
        return tr("A section of the artifact has the wrong type.");
    case ProblemCode::BadTimestamp:
        return tr("Its run_metadata.timestamp is not a real time, so it counts only under \"all time\".");
    case ProblemCode::TeamHistory:
        return tr("The artifact could not be fetched from the team history.");
    case ProblemCode::RecoveredTemp:
        return tr("A complete artifact left under a temporary name was recovered.");
    case ProblemCode::RemovedTemp:
        return tr("An incomplete temporary file older than an hour was removed.");
    case ProblemCode::KeptTemp:
        return tr("An incomplete temporary file was kept: it may still be being written.");
    case ProblemCode::RecoveredInterruptedRun:
        return tr("A run interrupted before its artifact was written was recovered from its journal.");
    case ProblemCode::JournalError:
        return tr("The journal of an interrupted run could not be recovered.");
    case ProblemCode::RepairError:
        return tr("A file left by an interrupted write could not be repaired.");
    case ProblemCode::RejectedByServer:
        return tr("The team database refused this artifact.");
    }
    return {};
}

QString problemAdvice(ProblemCode code)
{
    switch (code) {
    case ProblemCode::IoError:
        return tr("Check the file's permissions, then reload (F5).");
    case ProblemCode::UnsupportedVersion:
        return tr("Open this folder with a newer DJP Studio.");
    case ProblemCode::NotJson:
    case ProblemCode::Empty:
    case ProblemCode::WrongType:
        return tr("The file is damaged or truncated; restore it from a backup or move it out of the runs folder.");
    case ProblemCode::RecoveredTemp:
    case ProblemCode::RemovedTemp:
    case ProblemCode::RecoveredInterruptedRun:
        return tr("Nothing to do: this lists what was put right when the folder was read.");
    case ProblemCode::KeptTemp:
        return tr("Nothing to do: it is recovered or removed at a later reload.");
    default:
        break;
    }
    return tr("This file is not a run artifact; move it out of the runs folder to silence this message.");
}

QString problemLabel(const QString& code)
{
    const std::optional<ProblemCode> known = parseVocabulary<ProblemCode>(code);
    return known ? problemLabel(*known) : code;
}

QString problemSentence(const QString& code)
{
    const std::optional<ProblemCode> known = parseVocabulary<ProblemCode>(code);
    return known ? problemSentence(*known) : tr("The file cannot be used as a run artifact.");
}

QString problemAdvice(const QString& code)
{
    const std::optional<ProblemCode> known = parseVocabulary<ProblemCode>(code);
    return known ? problemAdvice(*known)
                 : tr("This file is not a run artifact; move it out of the runs folder to silence this message.");
}

QString runStatusText(RunStatus status)
{
    switch (status) {
    case RunStatus::Published:
        return tr("Published");
    case RunStatus::AdvisoryOnly:
        return tr("Advisory only");
    case RunStatus::None:
        return tr("None (failed)");
    }
    return {};
}

QString statusDisplayName(const QString& status)
{
    if (const std::optional<RunStatus> known = parseVocabulary<RunStatus>(status))
        return runStatusText(*known);
    if (status == QLatin1String(kCancelledReason))
        return tr("Cancelled");
    return status;
}

QString gateCheckText(const GateCheck& c)
{
    const bool usd = c.kind == GateCheck::Kind::Usd;
    const auto [x, y] = gateAmounts(c);
    const QString percent = QString::number(std::lround(c.ratio * 100.0));
    if (c.status == GateStatus::Blocked)
        return usd ? tr("Projected cost %1 exceeds budget %2").arg(x, y)
                   : tr("Projected tokens %1 exceeds budget %2 tokens").arg(x, y);
    return usd ? tr("Projected cost %1 is %2% of budget %3").arg(x, percent, y)
               : tr("Projected tokens %1 is %2% of budget %3 tokens").arg(x, percent, y);
}

QStringList gateMessagesText(const GateResult& result)
{
    QStringList messages;
    for (const GateCheck& c : result.checks) {
        if (c.status != GateStatus::Ok)
            messages.append(gateCheckText(c));
    }
    if (!result.unpricedLabels.isEmpty())
        messages.append(tr("Unpriced models budgeted at the most expensive known price: %1")
                            .arg(result.unpricedLabels.join(QStringLiteral(", "))));
    return messages;
}

} // namespace djp
