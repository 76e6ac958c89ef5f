#include "pgcluster.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QTcpServer>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace djp::test {

namespace {

QString findBinDir()
{
    const QString fromEnv = qEnvironmentVariable("DJP_PG_BINDIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    int best = 0;
    const QStringList majors = QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& m : majors) {
        bool ok = false;
        const int v = m.toInt(&ok);
        if (ok && v >= 15 && v > best
            && QFileInfo(QStringLiteral("/usr/lib/postgresql/%1/bin/initdb").arg(v)).isExecutable())
            best = v;
    }
    return best ? QStringLiteral("/usr/lib/postgresql/%1/bin").arg(best) : QString();
}

int freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const int port = probe.serverPort();
    probe.close();
    return port;
}

QString randomPassword()
{
    // Characters that need no escaping in a URL or in SQL.
    static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    QString p;
    for (int i = 0; i < 24; ++i)
        p += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(int(sizeof(alphabet) - 1))]);
    return p;
}

bool chownTree(const QString& path, unsigned uid, unsigned gid)
{
    return ::chown(QFile::encodeName(path).constData(), uid, gid) == 0;
}

} // namespace

PgCluster::PgCluster()
{
    m_binDir = findBinDir();
    m_password = randomPassword();
}

PgCluster::~PgCluster()
{
    stop();
}

QString PgCluster::url(const QString& database) const
{
    return urlFor(superuser(), m_password, database);
}

QString PgCluster::urlFor(const QString& user, const QString& password, const QString& database) const
{
    return QStringLiteral("postgresql://%1:%2@127.0.0.1:%3/%4").arg(user, password).arg(m_port).arg(database);
}

bool PgCluster::runAsServerUser(const QString& program, const QStringList& args, QString* output, int timeoutMs)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    env.remove(QStringLiteral("PGPASSWORD"));
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(m_root->path());
    if (m_dropPrivileges) {
        const uid_t uid = m_uid;
        const gid_t gid = m_gid;
        // Runs in the forked child before exec: drop root for good.
        p.setChildProcessModifier([uid, gid]() {
            if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)
                ::_exit(126);
        });
    }
    p.start(m_binDir + QLatin1Char('/') + program, args);
    if (!p.waitForStarted(10000)) {
        m_error = program + QStringLiteral(": could not start: ") + p.errorString();
        return false;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        m_error = program + QStringLiteral(": timed out");
        return false;
    }
    const QString text = QString::fromLocal8Bit(p.readAll());
    if (output)
        *output = text;
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        m_error = QStringLiteral("%1 failed (exit %2): %3").arg(program).arg(p.exitCode()).arg(text.trimmed());
        return false;
    }
    return true;
}

bool PgCluster::start()
{
    if (m_running)
        return true;
    if (m_binDir.isEmpty()) {
        m_error = QStringLiteral("no PostgreSQL >= 15 server binaries (install the Debian package postgresql, "
                                 "or set DJP_PG_BINDIR)");
        return false;
    }
    if (!m_root) {
        m_root = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/djp-pg-XXXXXX"));
        if (!m_root->isValid()) {
            m_error = QStringLiteral("cannot create a temporary directory: ") + m_root->errorString();
            return false;
        }
        if (::geteuid() == 0) {
            const QByteArray name = qEnvironmentVariable("DJP_PG_USER", QStringLiteral("nobody")).toLocal8Bit();
            const passwd* pw = ::getpwnam(name.constData());
            if (!pw) {
                m_error = QStringLiteral("running as root and there is no user '%1' to run PostgreSQL as")
                              .arg(QString::fromLocal8Bit(name));
                return false;
            }
            m_dropPrivileges = true;
            m_uid = pw->pw_uid;
            m_gid = pw->pw_gid;
            if (!chownTree(m_root->path(), m_uid, m_gid)) {
                m_error = QStringLiteral("cannot give %1 to the server user").arg(m_root->path());
                return false;
            }
        }
        // The parent must be traversable by the server user.
        ::chmod(QFile::encodeName(m_root->path()).constData(), 0700);
        m_dataDir = m_root->filePath(QStringLiteral("data"));

        const QString pwFile = m_root->filePath(QStringLiteral("pw"));
        {
            QFile f(pwFile);
            if (!f.open(QIODevice::WriteOnly) || f.write(m_password.toUtf8() + '\n') < 0) {
                m_error = QStringLiteral("cannot write the password file");
                return false;
            }
        }
        if (m_dropPrivileges)
            chownTree(pwFile, m_uid, m_gid);
        QString out;
        if (!runAsServerUser(QStringLiteral("initdb"),
                { QStringLiteral("-D"), m_dataDir, QStringLiteral("-U"), superuser(),
                    QStringLiteral("--pwfile=") + pwFile, QStringLiteral("--auth=scram-sha-256"), QStringLiteral("-E"),
                    QStringLiteral("UTF8"), QStringLiteral("--locale=C"), QStringLiteral("--no-sync"),
                    QStringLiteral("--no-instructions") },
                &out, 120000))
            return false;
        QFile::remove(pwFile);
        // Throw-away data: durability off, TCP on loopback only, no Unix socket (no shared socket dir).
        QFile conf(m_dataDir + QStringLiteral("/postgresql.conf"));
        if (!conf.open(QIODevice::Append)) {
            m_error = QStringLiteral("cannot append to postgresql.conf");
            return false;
        }
        conf.write("\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\nfsync = off\n"
                   "synchronous_commit = off\nfull_page_writes = off\nmax_connections = 40\n"
                   "shared_buffers = 32MB\ndynamic_shared_memory_type = mmap\n");
    }
    // A port taken between probing and binding makes pg_ctl fail: try a few.
    for (int attempt = 0; attempt < 4 && !m_running; ++attempt) {
        m_port = freePort();
        if (m_port == 0) {
            m_error = QStringLiteral("no free TCP port on 127.0.0.1");
            return false;
        }
        QString out;
        m_running = runAsServerUser(QStringLiteral("pg_ctl"),
            { QStringLiteral("-D"), m_dataDir, QStringLiteral("-l"), m_root->filePath(QStringLiteral("server.log")),
                QStringLiteral("-o"), QStringLiteral("-p %1").arg(m_port), QStringLiteral("-w"), QStringLiteral("-t"),
                QStringLiteral("60"), QStringLiteral("start") },
            &out, 90000);
    }
    if (!m_running) {
        m_error += QStringLiteral("\nserver log:\n") + logText();
        return false;
    }
    startWatchdog();
    return true;
}

void PgCluster::startWatchdog()
{
    // Stops the server if this process dies without stop(): SIGQUIT is PostgreSQL's immediate shutdown.
    const QString pidFile = m_dataDir + QStringLiteral("/postmaster.pid");
    const QString script
        = QStringLiteral("while kill -0 %1 2>/dev/null; do sleep 1; done; "
                         "if [ -f '%2' ]; then kill -QUIT $(head -n 1 '%2') 2>/dev/null; sleep 2; fi; rm -rf '%3'")
              .arg(QCoreApplication::applicationPid())
              .arg(pidFile, m_root->path());
    QProcess::startDetached(QStringLiteral("setsid"), { QStringLiteral("sh"), QStringLiteral("-c"), script });
}

bool PgCluster::stop()
{
    if (!m_running)
        return true;
    QString out;
    const bool ok = runAsServerUser(QStringLiteral("pg_ctl"),
        { QStringLiteral("-D"), m_dataDir, QStringLiteral("-m"), QStringLiteral("fast"), QStringLiteral("-w"),
            QStringLiteral("stop") },
        &out, 60000);
    m_running = false;
    return ok;
}

QString PgCluster::logText() const
{
    if (!m_root)
        return {};
    QFile f(m_root->filePath(QStringLiteral("server.log")));
    return f.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(f.readAll().right(4000)) : QString();
}

QString PgCluster::psql(const QString& sql, const QString& database, bool* ok)
{
    return psqlAs(superuser(), m_password, sql, database, ok);
}

QString PgCluster::psqlAs(const QString& user, const QString& password, const QString& sql, const QString& database,
    bool* ok, QString* errorText)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGPASSWORD"), password);
    env.insert(QStringLiteral("PGCONNECT_TIMEOUT"), QStringLiteral("10"));
    p.setProcessEnvironment(env);
    p.start(m_binDir + QStringLiteral("/psql"),
        { QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"), QStringLiteral("-t"), QStringLiteral("-v"),
            QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
            QString::number(m_port), QStringLiteral("-U"), user, QStringLiteral("-d"), database, QStringLiteral("-c"),
            sql });
    const bool finished = p.waitForStarted(10000) && p.waitForFinished(120000);
    const bool good = finished && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (ok)
        *ok = good;
    if (!good) {
        const QString text = QString::fromLocal8Bit(p.readAllStandardError()).trimmed();
        m_error = QStringLiteral("psql failed: ") + text;
        if (errorText)
            *errorText = text;
        return {};
    }
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

} // namespace djp::test
