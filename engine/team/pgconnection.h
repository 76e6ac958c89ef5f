#pragma once
// One libpq connection to the team history (docs/team-history.md). Errors are values: every failure
// becomes a DbError with a stable code and one line of text that never contains a password.
//
// Threading: a PgConnection is used by one thread at a time (libpq connections are not shared);
// open one per thread. Every call blocks on the network, so the GUI opens and uses connections on a
// worker thread only.
#include <QByteArray>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

struct pg_conn;
struct pg_result;

namespace djp {

struct DbError
{
    // bad_url | unreachable | unknown_host | timeout | auth_failed | no_database | permission_denied |
    // schema_missing | schema_newer | query_failed | copy_failed | cancelled (the caller's stillWanted said
    // no, see PgConnection::exec())
    QString code;
    QString message; // one line, password-free, meant for the user
    QString sqlState; // five-character SQLSTATE when the server sent one
};

// The URL with any password removed (URI or key=value form), for messages and settings.
QString redactDbUrl(const QString& url);

// Whether the URL carries a password (user:password@ or a password parameter).
bool dbUrlHasPassword(const QString& url);

// "host:port/database" of a URL (libpq's defaults where it names none), never a password: how the
// desktop app names the team history it shows.
QString dbUrlLabel(const QString& url);

// Seconds libpq waits for the server before giving up when the URL sets no connect_timeout.
inline constexpr int kDefaultConnectTimeoutSeconds = 10;

// A query result: rows of nullable text cells.
class PgResult
{
public:
    PgResult() = default;
    explicit PgResult(pg_result* r);
    ~PgResult();
    PgResult(PgResult&& other) noexcept;
    PgResult& operator=(PgResult&& other) noexcept;
    PgResult(const PgResult&) = delete;
    PgResult& operator=(const PgResult&) = delete;

    int rows() const;
    int columns() const;
    bool isNull(int row, int column) const;
    QString text(int row, int column) const;
    QByteArray bytes(int row, int column) const; // raw text of the cell
    const char* raw(int row, int column) const;
    int rawLength(int row, int column) const;
    qint64 toLongLong(int row, int column) const;
    double toDouble(int row, int column) const; // correctly rounded from the server's decimal text
    bool toBool(int row, int column) const;

private:
    pg_result* m_result = nullptr;
};

class PgConnection
{
public:
    ~PgConnection();
    PgConnection(PgConnection&& other) noexcept;
    PgConnection& operator=(PgConnection&& other) noexcept;
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    // Connects to a libpq URL (postgresql://user[:password]@host[:port]/db?sslmode=...) or key=value
    // string. connect_timeout defaults to kDefaultConnectTimeoutSeconds; the password may also come
    // from libpq's password file (~/.pgpass, PGPASSFILE).
    static std::optional<PgConnection> open(const QString& url, DbError* error);

    // A query with text parameters ($1, $2...; nullopt = SQL NULL). nullopt with *error on failure.
    std::optional<PgResult> exec(
        const QString& sql, const std::vector<std::optional<QByteArray>>& params = {}, DbError* error = nullptr);
    // The same, asking `stillWanted` about every 50 ms while the server works: once it says no, the
    // statement is cancelled on the server (libpq's cancel request) and *error gets code "cancelled".
    // The connection stays usable. Called on the thread that owns the connection.
    std::optional<PgResult> exec(const QString& sql, const std::vector<std::optional<QByteArray>>& params,
        DbError* error, const std::function<bool()>& stillWanted);
    // Runs statements without parameters (several may be separated by ';'). False with *error.
    bool execScript(const QString& sql, DbError* error);

    // COPY ... FROM STDIN: `copySql` is the COPY statement; `produce` is called repeatedly with a
    // buffer to fill with COPY text-format rows; it returns false when there is nothing more.
    bool copyIn(const QString& copySql, const std::function<bool(QByteArray& chunk)>& produce, DbError* error);

    // Server notifications (LISTEN/NOTIFY) received so far; consumes input without blocking.
    QStringList takeNotifications(QStringList* payloads = nullptr);
    int socket() const;
    bool isOk() const; // the connection is still usable

    QString redactedUrl() const { return m_redactedUrl; }
    QString user() const;
    QString database() const;
    QString host() const; // as connected (a host name, an address, or a Unix socket directory)
    QString port() const;
    // "user@host:port/dbname" of the live connection: which team history this is, never a password.
    // Keys per-database state such as alert state (docs/team-history.md).
    QString identity() const;
    int serverVersion() const;

private:
    PgConnection(pg_conn* conn, QString redactedUrl);
    DbError errorFromResult(pg_result* r, const QString& context) const;

    pg_conn* m_conn = nullptr;
    QString m_redactedUrl;
};

// Quotes a string literal for COPY text format (backslash escapes; NULL is \N).
void appendCopyText(QByteArray& row, const QString& value);
void appendCopyBytes(QByteArray& row, const QByteArray& utf8);

// The URL from --db or, when that is empty, $DJP_DB_URL.
QString dbUrlFromOptionOrEnv(const QString& option);

} // namespace djp
