#pragma once
// Runs the built `djp` through QProcess with private config/cache dirs and optional extra environment.
#include "testpaths.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace djp::test {

struct CliResult
{
    int exitCode = -1;
    bool finished = false;
    QByteArray out;
    QByteArray err;
};

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
