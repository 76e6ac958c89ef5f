#include "artifact/artifactwriter.h"

#include <QDir>
#include <QFile>
#include <QUuid>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace djp {

namespace {

QString errnoText(const char* what, int err)
{
    return QString::fromLatin1(what) + QStringLiteral(": ") + QString::fromLocal8Bit(std::strerror(err));
}

bool fail(QString* error, const QString& text)
{
    if (error)
        *error = text;
    return false;
}

bool writeAll(int fd, const std::string& data, QString* error)
{
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail(error, errnoText("write", errno));
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// rename() that fails with EEXIST instead of replacing the target. renameat2(RENAME_NOREPLACE)
// where the filesystem supports it, else link()+unlink() (also atomic: link never replaces).
int renameNoReplace(const char* from, const char* to)
{
#ifdef RENAME_NOREPLACE
    if (::renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return -1;
#endif
    if (::link(from, to) != 0)
        return -1;
    ::unlink(from);
    return 0;
}

void syncDirectory(const QByteArray& dir)
{
    const int fd = ::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

} // namespace

QString artifactFileName(const QString& runId, const QDateTime& timestamp)
{
    QString hex = runId.toLower();
    hex.remove(QLatin1Char('-'));
    hex.remove(QLatin1Char('{'));
    hex.remove(QLatin1Char('}'));
    return timestamp.toLocalTime().toString(QStringLiteral("yyyy.MM.dd-HHmmss")) + QLatin1Char('-') + hex.left(8)
        + QStringLiteral(".json");
}

QString newRunId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces).toLower();
}

QString writeArtifact(
    const QString& runsDir, const Json& doc, const QString& runId, const QDateTime& timestamp, QString* error)
{
    const QString dirPath = QDir(runsDir).absolutePath();
    if (!QDir().mkpath(dirPath)) {
        fail(error, QStringLiteral("cannot create the runs directory %1").arg(dirPath));
        return {};
    }
    const QString name = artifactFileName(runId, timestamp);
    const QByteArray nativeDir = QFile::encodeName(dirPath);

    std::string text;
    try {
        // Invalid UTF-8 in a string is replaced rather than throwing halfway through a run.
        text = doc.dump(2, ' ', false, Json::error_handler_t::replace);
    } catch (const Json::exception& e) {
        fail(error, QStringLiteral("cannot serialize the artifact: %1").arg(QString::fromUtf8(e.what())));
        return {};
    }
    text += '\n';

    QByteArray tmpl = nativeDir + "/." + QFile::encodeName(name) + ".tmp-XXXXXX";
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0) {
        fail(error, errnoText("create temp file", errno));
        return {};
    }
    const auto abandon = [&](const QString& why) {
        ::close(fd);
        ::unlink(tmpl.constData());
        fail(error, why);
        return QString();
    };
    ::fchmod(fd, 0644); // mkstemp creates 0600; artifacts are ordinary user files
    QString writeError;
    if (!writeAll(fd, text, &writeError))
        return abandon(writeError);
    if (::fsync(fd) != 0)
        return abandon(errnoText("fsync", errno));
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmpl.constData());
        fail(error, errnoText("close", err));
        return {};
    }

    const QString base = name.chopped(5); // without ".json"
    for (int attempt = 1; attempt < 10000; ++attempt) {
        const QString candidate
            = attempt == 1 ? name : base + QLatin1Char('-') + QString::number(attempt) + QStringLiteral(".json");
        const QString full = dirPath + QLatin1Char('/') + candidate;
        if (renameNoReplace(tmpl.constData(), QFile::encodeName(full).constData()) == 0) {
            syncDirectory(nativeDir);
            return full;
        }
        if (errno != EEXIST) {
            const int err = errno;
            ::unlink(tmpl.constData());
            fail(error, errnoText("rename", err));
            return {};
        }
    }
    ::unlink(tmpl.constData());
    fail(error, QStringLiteral("no free file name for %1").arg(name));
    return {};
}

} // namespace djp

namespace djp {

QString adoptArtifactFile(const QString& tempPath, const QString& runsDir, const QString& name, QString* error)
{
    const QString dirPath = QDir(runsDir).absolutePath();
    const QString base = name.endsWith(QLatin1String(".json")) ? name.chopped(5) : name;
    const QByteArray from = QFile::encodeName(tempPath);
    for (int attempt = 1; attempt < 10000; ++attempt) {
        const QString suffix = attempt == 1 ? QString() : QLatin1Char('-') + QString::number(attempt);
        const QString candidate = base + suffix + QStringLiteral(".json");
        const QString full = dirPath + QLatin1Char('/') + candidate;
        if (renameNoReplace(from.constData(), QFile::encodeName(full).constData()) == 0) {
            syncDirectory(QFile::encodeName(dirPath));
            return full;
        }
        if (errno != EEXIST) {
            fail(error, errnoText("rename", errno));
            return {};
        }
    }
    fail(error, QStringLiteral("no free file name for %1").arg(name));
    return {};
}

} // namespace djp
