#include "team/pgconnection.h"

#include <QUrl>
#include <cerrno>
#include <charconv>
#include <libpq-fe.h>
#include <poll.h>

namespace djp {

namespace {

// Connection facts for messages, read from the URL without its password.
struct Target
{
    QString host = QStringLiteral("localhost");
    QString port = QStringLiteral("5432");
    QString user;
    QString database;
    QString password; // only to scrub it from any text we show
    QString connectTimeout;
};

Target parseTarget(const QString& url, QString* parseError)
{
    Target t;
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(url.toUtf8().constData(), &err);
    if (!opts) {
        if (parseError)
            *parseError = err ? QString::fromUtf8(err).trimmed() : QStringLiteral("out of memory");
        PQfreemem(err);
        return t;
    }
    for (PQconninfoOption* o = opts; o->keyword; ++o) {
        if (!o->val)
            continue;
        const QByteArray key = o->keyword;
        const QString val = QString::fromUtf8(o->val);
        if (key == "host" || (key == "hostaddr" && t.host == QLatin1String("localhost")))
            t.host = val;
        else if (key == "port")
            t.port = val;
        else if (key == "user")
            t.user = val;
        else if (key == "dbname")
            t.database = val;
        else if (key == "password")
            t.password = val;
        else if (key == "connect_timeout")
            t.connectTimeout = val;
    }
    PQconninfoFree(opts);
    if (t.user.isEmpty())
        t.user = qEnvironmentVariable("PGUSER");
    if (t.database.isEmpty())
        t.database = t.user;
    return t;
}

QString scrub(QString text, const QString& password)
{
    if (password.size() >= 1)
        text.replace(password, QStringLiteral("***"));
    return text;
}

// libpq messages span lines ("connection to server ... failed: FATAL: ...\n\tIs the server...").
QString firstLine(const QString& text)
{
    QString t = text.trimmed();
    const qsizetype nl = t.indexOf(QLatin1Char('\n'));
    if (nl >= 0)
        t.truncate(nl);
    return t.simplified();
}

DbError connectError(const QString& libpqMessage, const Target& t)
{
    const QString where = t.host + QLatin1Char(':') + t.port;
    const QString m = libpqMessage;
    DbError e;
    if (m.contains(QLatin1String("connection option")) || m.contains(QLatin1String("invalid sslmode"))
        || (m.contains(QLatin1String("invalid ")) && m.contains(QLatin1String(" value")))) {
        e.code = QStringLiteral("bad_url");
        e.message = QStringLiteral("invalid database URL: %1").arg(firstLine(m));
    } else if (m.contains(QLatin1String("password authentication failed"))
        || m.contains(QLatin1String("no password supplied")) || m.contains(QLatin1String("authentication failed"))) {
        e.code = QStringLiteral("auth_failed");
        e.message = QStringLiteral("cannot sign in to the database at %1 as '%2': wrong or missing password "
                                   "(check the URL or your ~/.pgpass)")
                        .arg(where, t.user);
    } else if (m.contains(QLatin1String("could not translate host name"))) {
        e.code = QStringLiteral("unknown_host");
        e.message = QStringLiteral("unknown database host '%1' (check the host name in the URL)").arg(t.host);
    } else if (m.contains(QLatin1String("timeout expired"))) {
        e.code = QStringLiteral("timeout");
        e.message
            = QStringLiteral("the database server at %1 did not answer within %2 s")
                  .arg(where,
                      t.connectTimeout.isEmpty() ? QString::number(kDefaultConnectTimeoutSeconds) : t.connectTimeout);
    } else if (m.contains(QLatin1String("does not exist")) && m.contains(QLatin1String("database"))) {
        e.code = QStringLiteral("no_database");
        e.message = QStringLiteral("the database '%1' does not exist on %2").arg(t.database, where);
    } else if (m.contains(QLatin1String("permission denied")) || m.contains(QLatin1String("not permitted to log in"))) {
        e.code = QStringLiteral("permission_denied");
        e.message = QStringLiteral("'%1' may not connect to the database '%2' on %3").arg(t.user, t.database, where);
    } else if (m.contains(QLatin1String("Connection refused")) || m.contains(QLatin1String("could not connect"))
        || m.contains(QLatin1String("No route to host")) || m.contains(QLatin1String("Network is unreachable"))) {
        e.code = QStringLiteral("unreachable");
        e.message = QStringLiteral("cannot reach the database server at %1 (is PostgreSQL running and accepting "
                                   "TCP connections?)")
                        .arg(where);
    } else {
        e.code = QStringLiteral("unreachable");
        e.message = QStringLiteral("cannot connect to the database at %1: %2").arg(where, firstLine(m));
    }
    e.message = scrub(e.message, t.password);
    return e;
}

void dropNotice(void*, const char*) { }

} // namespace

QString redactDbUrl(const QString& url)
{
    const QString trimmed = url.trimmed();
    if (trimmed.startsWith(QLatin1String("postgresql://")) || trimmed.startsWith(QLatin1String("postgres://"))) {
        QUrl u(trimmed);
        if (u.isValid()) {
            u.setPassword(QString());
            QString q = u.query(QUrl::FullyEncoded);
            if (q.contains(QLatin1String("password="), Qt::CaseInsensitive)) {
                QStringList kept;
                for (const QString& part : q.split(QLatin1Char('&'))) {
                    if (!part.startsWith(QLatin1String("password="), Qt::CaseInsensitive))
                        kept << part;
                }
                u.setQuery(kept.join(QLatin1Char('&')), QUrl::StrictMode);
            }
            return u.toString(QUrl::FullyEncoded);
        }
        // Unparseable: keep the scheme, drop everything that could hold a secret.
        return QStringLiteral("postgresql://(unparseable URL)");
    }
    // key=value form: drop password=... (quoted or not).
    QString out;
    QStringList kept;
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(trimmed.toUtf8().constData(), &err);
    PQfreemem(err);
    if (!opts)
        return QStringLiteral("(unparseable connection string)");
    for (PQconninfoOption* o = opts; o->keyword; ++o) {
        if (o->val && qstrcmp(o->keyword, "password") != 0)
            kept << QStringLiteral("%1=%2").arg(QString::fromUtf8(o->keyword), QString::fromUtf8(o->val));
    }
    PQconninfoFree(opts);
    return kept.join(QLatin1Char(' '));
}

bool dbUrlHasPassword(const QString& url)
{
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(url.trimmed().toUtf8().constData(), &err);
    PQfreemem(err);
    if (!opts)
        return false;
    bool has = false;
    for (PQconninfoOption* o = opts; o->keyword; ++o)
        if (qstrcmp(o->keyword, "password") == 0 && o->val && *o->val)
            has = true;
    PQconninfoFree(opts);
    return has;
}

QString dbUrlLabel(const QString& url)
{
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(url.trimmed().toUtf8().constData(), &err);
    PQfreemem(err);
    if (!opts)
        return QStringLiteral("(unparseable connection string)");
    QString host, port, db, user;
    for (PQconninfoOption* o = opts; o->keyword; ++o) {
        if (!o->val)
            continue;
        const QString value = QString::fromUtf8(o->val);
        if (qstrcmp(o->keyword, "host") == 0 || (qstrcmp(o->keyword, "hostaddr") == 0 && host.isEmpty()))
            host = value;
        else if (qstrcmp(o->keyword, "port") == 0)
            port = value;
        else if (qstrcmp(o->keyword, "dbname") == 0)
            db = value;
        else if (qstrcmp(o->keyword, "user") == 0)
            user = value;
    }
    PQconninfoFree(opts);
    if (host.isEmpty())
        host = QStringLiteral("localhost");
    if (db.isEmpty())
        db = user; // libpq's default database is the user's name
    return port.isEmpty() ? QStringLiteral("%1/%2").arg(host, db) : QStringLiteral("%1:%2/%3").arg(host, port, db);
}

QString dbUrlFromOptionOrEnv(const QString& option)
{
    return option.isEmpty() ? qEnvironmentVariable("DJP_DB_URL") : option;
}

// ---- PgResult ----

PgResult::PgResult(pg_result* r)
    : m_result(r)
{ }

PgResult::~PgResult()
{
    if (m_result)
        PQclear(m_result);
}

PgResult::PgResult(PgResult&& other) noexcept
    : m_result(std::exchange(other.m_result, nullptr))
{ }

PgResult& PgResult::operator=(PgResult&& other) noexcept
{
    if (this != &other) {
        if (m_result)
            PQclear(m_result);
        m_result = std::exchange(other.m_result, nullptr);
    }
    return *this;
}

int PgResult::rows() const
{
    return m_result ? PQntuples(m_result) : 0;
}
int PgResult::columns() const
{
    return m_result ? PQnfields(m_result) : 0;
}
bool PgResult::isNull(int row, int column) const
{
    return PQgetisnull(m_result, row, column) != 0;
}
const char* PgResult::raw(int row, int column) const
{
    return PQgetvalue(m_result, row, column);
}
int PgResult::rawLength(int row, int column) const
{
    return PQgetlength(m_result, row, column);
}

QString PgResult::text(int row, int column) const
{
    return QString::fromUtf8(raw(row, column), rawLength(row, column));
}

QByteArray PgResult::bytes(int row, int column) const
{
    return QByteArray(raw(row, column), rawLength(row, column));
}

qint64 PgResult::toLongLong(int row, int column) const
{
    qint64 v = 0;
    const char* p = raw(row, column);
    std::from_chars(p, p + rawLength(row, column), v);
    return v;
}

double PgResult::toDouble(int row, int column) const
{
    // from_chars is locale-independent and correctly rounded, so an exact numeric sum comes back as
    // the double nearest to it (what the folder path's exact summation yields).
    double v = 0.0;
    const char* p = raw(row, column);
    std::from_chars(p, p + rawLength(row, column), v);
    return v;
}

bool PgResult::toBool(int row, int column) const
{
    return rawLength(row, column) > 0 && raw(row, column)[0] == 't';
}

// ---- PgConnection ----

PgConnection::PgConnection(pg_conn* conn, QString redactedUrl)
    : m_conn(conn)
    , m_redactedUrl(std::move(redactedUrl))
{ }

PgConnection::~PgConnection()
{
    if (m_conn)
        PQfinish(m_conn);
}

PgConnection::PgConnection(PgConnection&& other) noexcept
    : m_conn(std::exchange(other.m_conn, nullptr))
    , m_redactedUrl(std::move(other.m_redactedUrl))
{ }

PgConnection& PgConnection::operator=(PgConnection&& other) noexcept
{
    if (this != &other) {
        if (m_conn)
            PQfinish(m_conn);
        m_conn = std::exchange(other.m_conn, nullptr);
        m_redactedUrl = std::move(other.m_redactedUrl);
    }
    return *this;
}

std::optional<PgConnection> PgConnection::open(const QString& url, DbError* error)
{
    const auto fail = [&](DbError e) -> std::optional<PgConnection> {
        if (error)
            *error = std::move(e);
        return std::nullopt;
    };
    if (url.trimmed().isEmpty())
        return fail(
            { QStringLiteral("bad_url"), QStringLiteral("no database URL (use --db URL or set DJP_DB_URL)"), {} });
    QString parseError;
    const Target target = parseTarget(url, &parseError);
    if (!parseError.isEmpty())
        return fail({ QStringLiteral("bad_url"),
            scrub(QStringLiteral("invalid database URL: %1").arg(firstLine(parseError)), target.password), {} });

    // Defaults first: with expand_dbname, values from the URL that come later override them.
    const QByteArray timeout = QByteArray::number(kDefaultConnectTimeoutSeconds);
    const QByteArray urlUtf8 = url.trimmed().toUtf8();
    const char* keys[] = { "connect_timeout", "application_name", "dbname", "client_encoding", nullptr };
    const char* values[] = { timeout.constData(), "djp", urlUtf8.constData(), "UTF8", nullptr };
    pg_conn* conn = PQconnectdbParams(keys, values, 1);
    if (!conn)
        return fail({ QStringLiteral("unreachable"), QStringLiteral("out of memory"), {} });
    if (PQstatus(conn) != CONNECTION_OK) {
        const DbError e = connectError(QString::fromUtf8(PQerrorMessage(conn)), target);
        PQfinish(conn);
        return fail(e);
    }
    PQsetNoticeProcessor(conn, dropNotice, nullptr);
    // The session settings every statement relies on, in one round trip (docs/team-history.md,
    // "Session settings"): the shortest exact float text whatever the server's default, so doubles
    // survive the round trip; memory for the hash and sort steps of the KPI, duration and cost-detail
    // statements over long windows; and no JIT compilation, which costs these statements more than it
    // saves (the planner assumes 1,000 elements per array and compiled the cost details of 100k runs
    // for 3.5 s before 1 s of work).
    if (pg_result* r = PQexec(conn, "SET extra_float_digits = 1; SET work_mem = '128MB'; SET jit = off"))
        PQclear(r);
    return PgConnection(conn, redactDbUrl(url));
}

DbError PgConnection::errorFromResult(pg_result* r, const QString& context) const
{
    DbError e;
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const char* primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    e.sqlState = state ? QString::fromLatin1(state) : QString();
    const QString detail = primary ? QString::fromUtf8(primary) : firstLine(QString::fromUtf8(PQerrorMessage(m_conn)));
    if (PQstatus(m_conn) == CONNECTION_BAD) {
        e.code = QStringLiteral("unreachable");
        e.message = QStringLiteral("lost the connection to the database (%1)").arg(redactedUrl());
    } else if (e.sqlState == QLatin1String("42501")) {
        e.code = QStringLiteral("permission_denied");
        e.message = QStringLiteral("'%1' lacks the rights for %2 (%3)").arg(user(), context, detail);
    } else if (e.sqlState == QLatin1String("42P01") || e.sqlState == QLatin1String("3F000")) {
        e.code = QStringLiteral("schema_missing");
        e.message = QStringLiteral("the team history schema is missing in '%1' (run: djp team init --db URL)")
                        .arg(database());
    } else {
        e.code = QStringLiteral("query_failed");
        e.message = QStringLiteral("%1 failed: %2").arg(context, detail);
    }
    return e;
}

std::optional<PgResult> PgConnection::exec(
    const QString& sql, const std::vector<std::optional<QByteArray>>& params, DbError* error)
{
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params)
        values.push_back(p ? p->constData() : nullptr);
    pg_result* r = PQexecParams(
        m_conn, sql.toUtf8().constData(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
    const ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        if (error)
            *error = errorFromResult(r, QStringLiteral("a query"));
        if (r)
            PQclear(r);
        return std::nullopt;
    }
    return PgResult(r);
}

std::optional<PgResult> PgConnection::exec(const QString& sql, const std::vector<std::optional<QByteArray>>& params,
    DbError* error, const std::function<bool()>& stillWanted)
{
    if (!stillWanted)
        return exec(sql, params, error);
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params)
        values.push_back(p ? p->constData() : nullptr);
    if (!PQsendQueryParams(m_conn, sql.toUtf8().constData(), static_cast<int>(values.size()), nullptr, values.data(),
            nullptr, nullptr, 0)) {
        if (error)
            *error = errorFromResult(nullptr, QStringLiteral("a query"));
        return std::nullopt;
    }
    // Waits for the answer on the socket with a short timeout instead of blocking in libpq, so that a
    // request superseded meanwhile stops the server's work instead of keeping its cores busy.
    bool cancelSent = false;
    bool broken = false;
    while (PQisBusy(m_conn)) {
        if (!cancelSent && !stillWanted()) {
            if (PGcancel* cancel = PQgetCancel(m_conn)) {
                char message[256];
                PQcancel(cancel, message, sizeof message);
                PQfreeCancel(cancel);
            }
            cancelSent = true;
        }
        pollfd fd { PQsocket(m_conn), POLLIN, 0 };
        const int ready = fd.fd < 0 ? -1 : ::poll(&fd, 1, 50);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready < 0 || !PQconsumeInput(m_conn)) {
            broken = true;
            break;
        }
    }
    // The first result is the statement's; the rest (none for one statement) are drained so the
    // connection is ready for the next.
    pg_result* first = nullptr;
    while (pg_result* r = PQgetResult(m_conn)) {
        if (!first)
            first = r;
        else
            PQclear(r);
    }
    const ExecStatusType status = first ? PQresultStatus(first) : PGRES_FATAL_ERROR;
    if (broken || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)) {
        const char* state = first ? PQresultErrorField(first, PG_DIAG_SQLSTATE) : nullptr;
        if (error) {
            if (cancelSent && state && qstrcmp(state, "57014") == 0)
                *error = { QStringLiteral("cancelled"),
                    QStringLiteral("the query was cancelled: a newer one replaced it"), QStringLiteral("57014") };
            else
                *error = errorFromResult(first, QStringLiteral("a query"));
        }
        if (first)
            PQclear(first);
        return std::nullopt;
    }
    return PgResult(first);
}

bool PgConnection::execScript(const QString& sql, DbError* error)
{
    pg_result* r = PQexec(m_conn, sql.toUtf8().constData());
    const ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    const bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    if (!ok && error)
        *error = errorFromResult(r, QStringLiteral("a statement"));
    if (r)
        PQclear(r);
    return ok;
}

bool PgConnection::copyIn(const QString& copySql, const std::function<bool(QByteArray&)>& produce, DbError* error)
{
    pg_result* r = PQexec(m_conn, copySql.toUtf8().constData());
    if (!r || PQresultStatus(r) != PGRES_COPY_IN) {
        if (error)
            *error = errorFromResult(r, QStringLiteral("COPY"));
        if (r)
            PQclear(r);
        return false;
    }
    PQclear(r);
    QByteArray chunk;
    bool sendFailed = false;
    while (true) {
        chunk.clear();
        const bool more = produce(chunk);
        if (!chunk.isEmpty() && PQputCopyData(m_conn, chunk.constData(), static_cast<int>(chunk.size())) != 1) {
            sendFailed = true;
            break;
        }
        if (!more)
            break;
    }
    PQputCopyEnd(m_conn, sendFailed ? "client failed to send data" : nullptr);
    bool ok = !sendFailed;
    while ((r = PQgetResult(m_conn)) != nullptr) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            if (ok && error)
                *error = errorFromResult(r, QStringLiteral("COPY"));
            ok = false;
        }
        PQclear(r);
    }
    if (!ok && sendFailed && error && error->code.isEmpty())
        *error = { QStringLiteral("copy_failed"), QStringLiteral("sending rows to the database failed"), {} };
    return ok;
}

QStringList PgConnection::takeNotifications(QStringList* payloads)
{
    QStringList channels;
    if (!m_conn)
        return channels;
    if (PQconsumeInput(m_conn) == 0)
        return channels;
    while (PGnotify* n = PQnotifies(m_conn)) {
        channels << QString::fromUtf8(n->relname);
        if (payloads)
            *payloads << QString::fromUtf8(n->extra);
        PQfreemem(n);
    }
    return channels;
}

bool PgConnection::isOk() const
{
    return m_conn && PQstatus(m_conn) == CONNECTION_OK;
}
int PgConnection::socket() const
{
    return m_conn ? PQsocket(m_conn) : -1;
}
QString PgConnection::user() const
{
    return QString::fromUtf8(PQuser(m_conn));
}
QString PgConnection::database() const
{
    return QString::fromUtf8(PQdb(m_conn));
}
QString PgConnection::host() const
{
    return QString::fromUtf8(PQhost(m_conn));
}
QString PgConnection::port() const
{
    return QString::fromUtf8(PQport(m_conn));
}
QString PgConnection::identity() const
{
    return QStringLiteral("%1@%2:%3/%4").arg(user(), host(), port(), database());
}
int PgConnection::serverVersion() const
{
    return PQserverVersion(m_conn);
}

void appendCopyBytes(QByteArray& row, const QByteArray& utf8)
{
    // Spans without special characters are appended in one go: artifacts are megabytes of text.
    const qsizetype needed = row.size() + utf8.size() + 64;
    if (row.capacity() < needed)
        row.reserve(std::max(needed, row.capacity() * 2));
    const char* p = utf8.constData();
    const char* const end = p + utf8.size();
    const char* spanStart = p;
    for (; p < end; ++p) {
        const char c = *p;
        const char* escape = nullptr;
        switch (c) {
        case '\\':
            escape = "\\\\";
            break;
        case '\n':
            escape = "\\n";
            break;
        case '\r':
            escape = "\\r";
            break;
        case '\t':
            escape = "\\t";
            break;
        default:
            continue;
        }
        row.append(spanStart, p - spanStart);
        row.append(escape, 2);
        spanStart = p + 1;
    }
    row.append(spanStart, end - spanStart);
}

void appendCopyText(QByteArray& row, const QString& value)
{
    appendCopyBytes(row, value.toUtf8());
}

} // namespace djp
