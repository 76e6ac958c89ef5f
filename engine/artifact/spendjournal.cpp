#include "artifact/spendjournal.h"

#include "artifact/artifactwriter.h"
#include "core/callvocabulary.h"
#include "core/strings.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <unistd.h>

namespace djp {

namespace {

const QLatin1String kPrefix(".djp-journal-");
const QLatin1String kSuffix(".jsonl");

QString lockPathFor(const QString& journalPath)
{
    return journalPath.chopped(kSuffix.size()) + QStringLiteral(".lock");
}

std::unique_ptr<QLockFile> makeLock(const QString& journalPath)
{
    auto lock = std::make_unique<QLockFile>(lockPathFor(journalPath));
    // A run may take long: the lock is stale only when its process is gone, never by age.
    lock->setStaleLockTime(0);
    return lock;
}

bool jsonBool(const Json& j, const char* key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
}

bool writeLine(int fd, const std::string& line, QString* error)
{
    std::size_t done = 0;
    while (done < line.size()) {
        const ssize_t n = ::write(fd, line.data() + done, line.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (error)
                *error = QString::fromLocal8Bit(std::strerror(errno));
            return false;
        }
        done += std::size_t(n);
    }
    if (::fsync(fd) != 0) {
        if (error)
            *error = QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    return true;
}

} // namespace

QString spendJournalFileName(const QString& runId)
{
    return kPrefix + runId + kSuffix;
}

bool isSpendJournalFileName(const QString& fileName)
{
    return fileName.startsWith(kPrefix) && fileName.endsWith(kSuffix);
}

std::unique_ptr<SpendJournal> SpendJournal::create(
    const QString& runsDir, const QString& runId, const Json& skeleton, QString* error)
{
    std::unique_ptr<SpendJournal> j(new SpendJournal);
    j->m_path = QDir(runsDir).absoluteFilePath(spendJournalFileName(runId));
    j->m_lock = makeLock(j->m_path);
    if (!j->m_lock->tryLock(0)) {
        if (error)
            *error = QStringLiteral("cannot lock %1").arg(lockPathFor(j->m_path));
        return nullptr;
    }
    j->m_fd = ::open(QFile::encodeName(j->m_path).constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (j->m_fd < 0) {
        if (error)
            *error
                = QStringLiteral("cannot create %1: %2").arg(j->m_path, QString::fromLocal8Bit(std::strerror(errno)));
        j->m_lock->unlock();
        return nullptr;
    }
    if (!writeLine(j->m_fd, skeleton.dump(-1, ' ', false, Json::error_handler_t::replace) + '\n', error)) {
        j->discard();
        return nullptr;
    }
    return j;
}

SpendJournal::~SpendJournal()
{
    if (m_fd >= 0)
        ::close(m_fd);
    if (m_lock)
        m_lock->unlock();
}

bool SpendJournal::append(const Json& call, QString* error)
{
    if (m_fd < 0)
        return false;
    return writeLine(m_fd, call.dump(-1, ' ', false, Json::error_handler_t::replace) + '\n', error);
}

void SpendJournal::discard()
{
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    QFile::remove(m_path);
    if (m_lock)
        m_lock->unlock(); // removes the lock file
}

JournalRecovery recoverSpendJournal(const QString& journalPath)
{
    JournalRecovery out;
    auto lock = makeLock(journalPath);
    if (!lock->tryLock(0)) {
        out.active = lock->error() == QLockFile::LockFailedError;
        if (!out.active)
            out.error = QStringLiteral("cannot take its lock");
        return out;
    }
    QFile f(journalPath);
    if (!f.open(QIODevice::ReadOnly)) {
        out.error = f.errorString();
        return out;
    }
    const QList<QByteArray> lines = f.readAll().split('\n');
    f.close();
    std::optional<Json> doc = lines.isEmpty() ? std::nullopt : parseJson(lines.first());
    if (!doc || !doc->is_object() || !doc->contains("run_id") || !doc->contains("run_metadata")) {
        out.error = QStringLiteral("its first line is not a run artifact");
        return out;
    }
    // Calls: every complete line; a line cut by the kill is the one call that may be missing.
    Json calls = Json::array();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (lines[i].trimmed().isEmpty())
            continue;
        if (auto call = parseJson(lines[i]); call && call->is_object())
            calls.push_back(std::move(*call));
    }
    std::map<std::string, Json> usage;
    std::map<std::string, double> costs;
    double measured = 0;
    qint64 tokens = 0;
    bool complete = true;
    bool simulated = jsonBool(*doc, "simulated");
    for (const Json& c : calls) {
        const qint64 in = qint64(jsonNumber(c, "input_tokens"));
        const qint64 outTokens = qint64(jsonNumber(c, "output_tokens"));
        tokens += in + outTokens;
        simulated = simulated || jsonBool(c, "simulated");
        const auto cost = c.find("cost_usd");
        const bool priced = cost != c.end() && cost->is_number();
        if (priced)
            measured += cost->get<double>();
        else
            complete = false;
        // Only calls that reached the provider used tokens; a foreign status is left out, as skipped ones are.
        const std::optional<CallStatus> status = parseVocabulary<CallStatus>(jsonString(c, "status"));
        if (status != CallStatus::Ok && status != CallStatus::Error)
            continue;
        const std::string label = jsonString(c, "label").toStdString();
        Json& u = usage[label];
        if (u.is_null())
            u = Json { { "calls", 0 }, { "tokens_in", 0 }, { "tokens_out", 0 } };
        u["calls"] = u["calls"].get<int>() + 1;
        u["tokens_in"] = u["tokens_in"].get<qint64>() + in;
        u["tokens_out"] = u["tokens_out"].get<qint64>() + outTokens;
        if (priced)
            costs[label] += cost->get<double>();
    }
    Json usageJson = Json::object();
    for (auto& [label, u] : usage)
        usageJson[label] = u;
    Json costsJson = Json::object();
    for (const auto& [label, usd] : costs)
        costsJson[label] = usd;
    Json& d = *doc;
    d["simulated"] = simulated;
    d["calls"] = calls;
    if (d.contains("provenance") && d["provenance"].is_object()) {
        d["provenance"]["model_usage"] = usageJson;
        d["provenance"]["estimated_costs"] = costsJson;
    }
    if (d.contains("budget") && d["budget"].is_object()) {
        d["budget"]["measured_cost_usd"] = measured;
        d["budget"]["measured_tokens"] = tokens;
        d["budget"]["cost_complete"] = complete;
    }
    const QString runId = jsonString(d, "run_id");
    QDateTime started = QDateTime::fromString(jsonString(d["run_metadata"], "timestamp"), Qt::ISODateWithMs);
    if (!started.isValid())
        started = QFileInfo(journalPath).birthTime().isValid() ? QFileInfo(journalPath).birthTime()
                                                               : QFileInfo(journalPath).lastModified();
    QString error;
    out.artifactPath = writeArtifact(QFileInfo(journalPath).absolutePath(), d, runId, started, &error);
    if (out.artifactPath.isEmpty()) {
        out.error = error;
        return out;
    }
    out.calls = int(calls.size());
    QFile::remove(journalPath);
    lock->unlock();
    return out;
}

} // namespace djp
