#include "runfixtures.h"

#include "core/clock.h"

#include <QAtomicInt>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

namespace djp::test {

namespace {

QAtomicInt g_counter;

bool writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(bytes) == bytes.size();
}

} // namespace

QString writeFixtureRun(const QString& dir, const FixtureRun& run, const QString& fileName)
{
    QDir().mkpath(dir);
    const QDateTime utc = QDateTime::fromMSecsSinceEpoch(run.timestampMs, Qt::UTC);
    QJsonObject params {
        { QStringLiteral("max_tokens"), 800 },
        { QStringLiteral("temperature"), 0.2 },
        { QStringLiteral("allowed_models"), QJsonArray { run.provider } },
        { QStringLiteral("preset_name"), run.preset },
    };
    QJsonObject meta {
        { QStringLiteral("task"), run.task },
        { QStringLiteral("trace_name"), QStringLiteral("fixture") },
        { QStringLiteral("parameters"), params },
    };
    if (run.legacy) {
        // Legacy files carry naive local time.
        meta.insert(QStringLiteral("timestamp"), utc.toLocalTime().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")));
    } else {
        const QDateTime withOffset = utc.toOffsetFromUtc(3600);
        meta.insert(QStringLiteral("timestamp"), withOffset.toString(Qt::ISODateWithMs));
    }
    QJsonObject publish {
        { QStringLiteral("status"), run.status },
        { QStringLiteral("provider"), run.status == QLatin1String("none") ? QString() : run.provider },
        { QStringLiteral("text"), QStringLiteral("An answer.") },
        { QStringLiteral("text_length"), 10 },
        { QStringLiteral("redacted"), run.redacted },
        { QStringLiteral("redaction_events"), QJsonArray() },
    };
    if (!run.reason.isEmpty())
        publish.insert(QStringLiteral("reason"), run.reason);
    QJsonObject usage { { run.provider,
        QJsonObject { { QStringLiteral("calls"), 1 }, { QStringLiteral("tokens_in"), run.tokensIn },
            { QStringLiteral("tokens_out"), run.tokensOut } } } };
    QJsonObject provenance {
        { QStringLiteral("model_usage"), usage },
        { QStringLiteral("estimated_costs"), QJsonObject { { run.provider, run.cost } } },
        { QStringLiteral("duration_seconds"), run.durationSeconds },
    };
    QJsonObject root {
        { QStringLiteral("schema_version"), run.legacy ? QStringLiteral("1.1") : QStringLiteral("2.0") },
        { QStringLiteral("run_metadata"), meta },
        { QStringLiteral("debate"),
            QJsonObject { { QStringLiteral("drafts"), QJsonArray() }, { QStringLiteral("total_drafts"), 0 } } },
        { QStringLiteral("judge"),
            QJsonObject { { QStringLiteral("ranked_drafts"), QJsonArray() },
                { QStringLiteral("winner_provider"), run.provider }, { QStringLiteral("total_ranked"), 0 } } },
        { QStringLiteral("publish"), publish },
        { QStringLiteral("provenance"), provenance },
    };
    if (!run.legacy) {
        root.insert(QStringLiteral("run_id"), QUuid::createUuid().toString(QUuid::WithoutBraces));
        root.insert(QStringLiteral("simulated"), run.simulated);
    }
    QString name = fileName;
    if (name.isEmpty())
        name = utc.toLocalTime().toString(QStringLiteral("yyyy.MM.dd-HHmmss"))
            + QStringLiteral("-%1.json").arg(g_counter.fetchAndAddRelaxed(1), 8, 16, QLatin1Char('0'));
    const QString path = QDir(dir).absoluteFilePath(name);
    // Written through a temp name and renamed, like the real writer, so a watcher never sees half a file.
    const QString tmp = QDir(dir).absoluteFilePath(QStringLiteral(".tmp-") + name);
    if (!writeBytes(tmp, QJsonDocument(root).toJson()))
        return {};
    QFile::remove(path);
    if (!QFile::rename(tmp, path))
        return {};
    return path;
}

bool writeHourlyRuns(const QString& dir, int published, int advisory, qint64 newestAgoHours)
{
    constexpr qint64 kHourMs = 3600ll * 1000;
    const qint64 now = Clock::nowMs();
    for (int i = 0; i < published + advisory; ++i) {
        FixtureRun r;
        r.timestampMs = now - (newestAgoHours + i) * kHourMs;
        r.task = QStringLiteral("Fixture task %1").arg(i);
        if (i >= published) {
            r.status = QStringLiteral("advisory_only");
            r.reason = QStringLiteral("low_margin");
        }
        if (writeFixtureRun(dir, r).isEmpty())
            return false;
    }
    return true;
}

QStringList artifactsIn(const QString& dir)
{
    QStringList out;
    const QDir d(dir);
    for (const QString& name : d.entryList({ QStringLiteral("*.json") }, QDir::Files))
        out << d.filePath(name);
    return out;
}

QStringList writeBrokenFiles(const QString& dir)
{
    QDir().mkpath(dir);
    const QDir d(dir);
    const QStringList paths { d.absoluteFilePath(QStringLiteral("broken-syntax.json")),
        d.absoluteFilePath(QStringLiteral("broken-empty.json")),
        d.absoluteFilePath(QStringLiteral("broken-array.json")) };
    writeBytes(paths[0], "{\"schema_version\": \"2.0\", \"run_metadata\": {");
    writeBytes(paths[1], QByteArray());
    writeBytes(paths[2], "[1, 2, 3]");
    return paths;
}

} // namespace djp::test
