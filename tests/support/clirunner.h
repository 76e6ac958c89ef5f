#pragma once
// Runs the built `djp` through QProcess with private config/cache dirs and optional extra environment.
#include "testpaths.h"

#include <QEventLoop>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

namespace djp::test {

struct CliResult
{
    int exitCode = -1;
    bool finished = false;
    QByteArray out;
    QByteArray err;
};

// Runs the built `djp` with `env` while this thread's event loop keeps turning, for a test whose webhook
// or server lives in this process (CliRunner::run blocks the loop). Not finished within `timeoutMs`: the
// process is killed and the result has exitCode -1 and finished false.
inline CliResult runCliServingEvents(const QProcessEnvironment& env, const QStringList& args, int timeoutMs = 120000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    QEventLoop loop;
    QObject::connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&p, &QProcess::errorOccurred, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    p.start(cliPath(), args);
    loop.exec();
    CliResult r;
    r.finished = p.state() == QProcess::NotRunning;
    if (!r.finished) {
        p.kill();
        p.waitForFinished();
        qWarning("djp %s timed out", qPrintable(args.join(QLatin1Char(' '))));
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

class CliRunner
{
public:
    CliRunner()
    {
        QDir().mkpath(m_home.filePath(QStringLiteral("config")));
        QDir().mkpath(m_home.filePath(QStringLiteral("cache")));
    }
    void setEnv(const QString& name, const QString& value) { m_env.insert(name, value); }
    void unsetEnv(const QString& name)
    {
        m_env.remove(name);
        m_removed << name;
    }

    CliResult run(const QStringList& args, int timeoutMs = 120000) const
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DJP_CONFIG_DIR"), m_home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("DJP_CACHE_DIR"), m_home.filePath(QStringLiteral("cache")));
        env.remove(QStringLiteral("DJP_DB_URL"));
        env.remove(QStringLiteral("PGPASSWORD"));
        for (const QString& k : m_env.keys())
            env.insert(k, m_env.value(k));
        for (const QString& k : m_removed)
            env.remove(k);
        p.setProcessEnvironment(env);
        p.start(cliPath(), args);
        CliResult r;
        r.finished = p.waitForStarted(10000) && p.waitForFinished(timeoutMs);
        if (!r.finished)
            p.kill();
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

private:
    QTemporaryDir m_home;
    QProcessEnvironment m_env;
    QStringList m_removed;
};

} // namespace djp::test
