#include "store/runsfolderrepair.h"

#include "artifact/artifactwriter.h"
#include "artifact/spendjournal.h"
#include "core/jsonutil.h"
#include "store/dirscan.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace djp {

namespace {

constexpr qint64 kMaxRecoverBytes = 256ll * 1024 * 1024;

// The writer's temp names: "." + final name + ".tmp-" + 6 characters of mkstemp.
const QRegularExpression& tempName()
{
    static const QRegularExpression re(QStringLiteral("^\\.(.+\\.json)\\.tmp-[A-Za-z0-9]{6}$"));
    return re;
}

bool isCompleteArtifact(const QString& path)
{
    QFile f(path);
    if (f.size() > kMaxRecoverBytes || !f.open(QIODevice::ReadOnly))
        return false;
    const std::optional<Json> j = parseJson(f.readAll());
    if (!j || !j->is_object())
        return false;
    const auto version = j->find("schema_version");
    const auto meta = j->find("run_metadata");
    return version != j->end() && version->is_string() && meta != j->end() && meta->is_object();
}

} // namespace

bool isRepairCandidateName(const QString& fileName)
{
    return isSpendJournalFileName(fileName) || tempName().match(fileName).hasMatch();
}

bool repairChangedFiles(const std::vector<Problem>& done)
{
    return std::any_of(done.begin(), done.end(), [](const Problem& p) {
        return p.is(ProblemCode::RecoveredTemp) || p.is(ProblemCode::RemovedTemp)
            || p.is(ProblemCode::RecoveredInterruptedRun);
    });
}

std::vector<Problem> repairRunsFolder(const QString& runsDir, qint64 nowMs)
{
    if (!QDir(runsDir).exists())
        return {};
    return repairRunsFolder(runsDir, nowMs, store::scanRunsDir(runsDir).repairCandidates);
}

std::vector<Problem> repairRunsFolder(const QString& runsDir, qint64 nowMs, const std::vector<std::string>& candidates)
{
    std::vector<Problem> done;
    const QString root = QDir(runsDir).absolutePath();
    std::vector<QString> temps;
    std::vector<QString> journals;
    for (const std::string& rel : candidates) {
        const QString path = root + QLatin1Char('/') + QString::fromUtf8(rel.data(), qsizetype(rel.size()));
        const QString name = path.mid(path.lastIndexOf(QLatin1Char('/')) + 1);
        if (isSpendJournalFileName(name))
            journals.push_back(path);
        else if (tempName().match(name).hasMatch())
            temps.push_back(path);
    }
    for (const QString& path : temps) {
        const QFileInfo info(path);
        if (info.isSymLink() || !info.isFile())
            continue;
        const QString finalName = tempName().match(info.fileName()).captured(1);
        const qint64 ageMs = nowMs - info.lastModified().toMSecsSinceEpoch();
        // A writer renames its file milliseconds after the last byte: a complete file younger than
        // a minute may be one in flight in this very process (the GUI runs and reads at once).
        if (ageMs >= kSettledTempFileMs && isCompleteArtifact(path)) {
            QString error;
            const QString adopted = adoptArtifactFile(path, info.absolutePath(), finalName, &error);
            if (adopted.isEmpty())
                done.push_back(
                    { path, vocabularyId(ProblemCode::RepairError), QStringLiteral("cannot recover: ") + error });
            else
                done.push_back({ adopted, vocabularyId(ProblemCode::RecoveredTemp),
                    QStringLiteral("complete artifact left under a temporary name by an interrupted write; "
                                   "recovered from %1")
                        .arg(info.fileName()) });
            continue;
        }
        if (ageMs >= kStaleTempFileMs) {
            if (QFile::remove(path))
                done.push_back({ path, vocabularyId(ProblemCode::RemovedTemp),
                    QStringLiteral("incomplete artifact of an interrupted write, %1 min old: removed")
                        .arg(ageMs / 60000) });
            else
                done.push_back({ path, vocabularyId(ProblemCode::RepairError), QStringLiteral("cannot remove it") });
        } else {
            done.push_back({ path, vocabularyId(ProblemCode::KeptTemp),
                QStringLiteral("incomplete artifact, %1 min old: may still be being written; removed once "
                               "older than an hour")
                    .arg(std::max<qint64>(0, ageMs / 60000)) });
        }
    }
    for (const QString& path : journals) {
        const JournalRecovery r = recoverSpendJournal(path);
        if (r.active)
            continue;
        if (!r.artifactPath.isEmpty())
            done.push_back({ r.artifactPath, vocabularyId(ProblemCode::RecoveredInterruptedRun),
                QStringLiteral("run interrupted before its artifact was written; %1 call(s) recovered from %2")
                    .arg(r.calls)
                    .arg(QFileInfo(path).fileName()) });
        else
            done.push_back({ path, vocabularyId(ProblemCode::JournalError), r.error });
    }
    return done;
}

} // namespace djp
