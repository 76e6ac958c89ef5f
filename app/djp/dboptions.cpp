#include "dboptions.h"

#include "cli.h"


namespace djp::cli {

namespace {
const QString kDb = QStringLiteral("db");
}

void addDbOption(QCommandLineParser& parser)
{
    parser.addOption({ kDb,
        QStringLiteral("Team history database: a libpq URL postgresql://user@host[:port]/db[?sslmode=...] "
                       "(password from ~/.pgpass, or --db= to read the URL from $DJP_DB_URL)."),
        QStringLiteral("URL") });
}

bool dbRequested(const QCommandLineParser& parser)
{
    return parser.isSet(kDb);
}

QString dbUrl(const QCommandLineParser& parser, bool envFallback)
{
    const QString value = parser.value(kDb);
    if (!value.isEmpty())
        return value;
    return parser.isSet(kDb) || envFallback ? qEnvironmentVariable("DJP_DB_URL") : QString();
}

int reportDbError(const QString& command, const DbError& e)
{
    err() << command << ": " << e.message << "\n";
    err().flush();
    return e.code == QLatin1String("bad_url") ? Usage : Failure;
}

std::optional<PgConnection> openDbOrReport(const QString& command, const QString& url, int* exitCode)
{
    DbError e;
    std::optional<PgConnection> conn = PgConnection::open(url, &e);
    if (!conn)
        *exitCode = reportDbError(command, e);
    return conn;
}

} // namespace djp::cli
