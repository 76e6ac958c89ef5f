#pragma once
// A throw-away PostgreSQL cluster for tests of the team history: `initdb` into a temporary
// directory, password (scram-sha-256) authentication, TCP on 127.0.0.1 at a free port, no Unix
// socket, stopped (fast shutdown) and deleted when the object goes away.
//
// PostgreSQL refuses to run as root, and CI runs tests as root: the server then runs as an
// unprivileged system user ($DJP_PG_USER, default "nobody") that owns the data directory; initdb
// and pg_ctl are started with that user's uid/gid (dropped in the child process). A detached
// watchdog shell stops the server and removes the directory if the test process dies without
// running its destructors (crash, abort, ctest timeout).
//
// Server binaries: $DJP_PG_BINDIR, else the newest /usr/lib/postgresql/<major>/bin with major >= 15.
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <memory>

namespace djp::test {

class PgCluster
{
public:
    PgCluster();
    ~PgCluster();
    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;

    // initdb + start; false with error() on failure (the message names what is missing).
    bool start();
    // Fast (clean) shutdown; the data directory stays (start() again reuses it). Safe to call twice.
    bool stop();
    bool isRunning() const { return m_running; }
    QString error() const { return m_error; }

    int port() const { return m_port; }
    QString superuser() const { return QStringLiteral("djp_admin"); }
    QString superuserPassword() const { return m_password; }
    // postgresql://djp_admin:PASSWORD@127.0.0.1:PORT/DB
    QString url(const QString& database = QStringLiteral("postgres")) const;
    // The same for another login role.
    QString urlFor(const QString& user, const QString& password, const QString& database) const;

    // Runs SQL through psql as the superuser on `database`; returns stdout (unaligned, tuples only);
    // on failure returns an empty string and sets *ok false (error() has psql's stderr).
    QString psql(const QString& sql, const QString& database = QStringLiteral("postgres"), bool* ok = nullptr);
    // The same as another login role; *errorText receives psql's stderr.
    QString psqlAs(const QString& user, const QString& password, const QString& sql, const QString& database, bool* ok,
        QString* errorText = nullptr);

    QString binDir() const { return m_binDir; }
    QString logText() const; // the server log (for failure messages)

private:
    bool runAsServerUser(const QString& program, const QStringList& args, QString* output, int timeoutMs);
    void startWatchdog();

    std::unique_ptr<QTemporaryDir> m_root;
    QString m_dataDir;
    QString m_binDir;
    QString m_password;
    QString m_error;
    int m_port = 0;
    bool m_running = false;
    bool m_dropPrivileges = false;
    unsigned m_uid = 0;
    unsigned m_gid = 0;
};

} // namespace djp::test
