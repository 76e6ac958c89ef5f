#pragma once
// One isolated environment per test: config and cache directories of its own (inside a temporary
// home), no provider keys, no default runs folder and no webhook from the developer's shell, so a
// test never reads or writes the user's files and never reaches a real provider. For the test
// process itself (apply()) and for the programs it starts through QProcess (processEnvironment()).
#include <QDir>
#include <QProcessEnvironment>
#include <QString>
#include <QTemporaryDir>

namespace djp::test {

// The variables through which a real key or destination could leak into a test.
inline constexpr const char* kOutsideVars[] = { "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY",
    "GOOGLE_API_KEY", "DJP_RUNS_DIR", "DJP_DB_URL", "WEBHOOK_URL" };

class IsolatedEnvironment
{
public:
    IsolatedEnvironment()
    {
        QDir(m_home.path()).mkpath(QStringLiteral("config"));
        QDir(m_home.path()).mkpath(QStringLiteral("cache"));
    }

    bool isValid() const { return m_home.isValid(); }
    QString home() const { return m_home.path(); }
    QString configDir() const { return m_home.filePath(QStringLiteral("config")); }
    QString cacheDir() const { return m_home.filePath(QStringLiteral("cache")); }
    QString path(const QString& relative) const { return m_home.filePath(relative); }

    // This process: DJP_CONFIG_DIR / DJP_CACHE_DIR point here; keys, runs folder and webhook unset.
    void apply() const
    {
        qputenv("DJP_CONFIG_DIR", configDir().toUtf8());
        qputenv("DJP_CACHE_DIR", cacheDir().toUtf8());
        for (const char* v : kOutsideVars)
            qunsetenv(v);
    }

    // The system environment with the same changes, for a child process.
    QProcessEnvironment processEnvironment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DJP_CONFIG_DIR"), configDir());
        env.insert(QStringLiteral("DJP_CACHE_DIR"), cacheDir());
        for (const char* v : kOutsideVars)
            env.remove(QString::fromLatin1(v));
        return env;
    }

private:
    QTemporaryDir m_home;
};

} // namespace djp::test
