#include "session/teamhistory.h"

#include "core/log.h"
#include "metrics/kpis.h"
#include "metrics/runexport.h"
#include "metrics/timeseries.h"
#include "team/teampush.h"
#include "team/teamquery.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QThreadPool>
#include <QTimeZone>
#include <QUrl>
#include <QtConcurrent>
#include <functional>

namespace djp {

namespace {

// This thread's connection to `url`: reused while it works, reopened otherwise.
struct WorkerConnection
{
    std::optional<PgConnection> conn;
    QString url;
};

WorkerConnection& workerConnection()
{
    thread_local WorkerConnection wc;
    return wc;
}

// Runs `work` on this thread's connection. A connection that broke since its last use (the server
// restarted, the network dropped) is reopened once and the work tried again.
bool withConnection(const QString& url, DbError* error, const std::function<bool(PgConnection&, DbError*)>& work)
{
    WorkerConnection& wc = workerConnection();
    for (int attempt = 0; attempt < 2; ++attempt) {
        const bool reused = wc.conn && wc.url == url && wc.conn->isOk();
        if (!reused) {
            wc.conn.reset();
            wc.conn = PgConnection::open(url, error);
            if (!wc.conn)
                return false;
            wc.url = url;
            // A new server backend loads the catalog entries of every month's partition the first time
            // a statement touches them all (348 ms at 41 partitions, 18 ms afterwards). Paying that
            // here, while the first view (a short window) is computed, keeps it out of the first
            // all-time filter change. Errors (no schema yet) are left to the real work.
            DbError ignored;
            wc.conn->exec(QStringLiteral("SELECT min(run_at), max(run_at) FROM djp.runs"), {}, &ignored);
        }
        if (work(*wc.conn, error))
            return true;
        if (wc.conn->isOk() || !reused)
            return false; // a query error, or a fresh connection failed: trying again would not help
        wc.conn.reset();
    }
    return false;
}

// Threads that wait on the server. Never Qt's global pool: the GUI thread's own image conversions
// and scaling run there and wait for it, so a query parked on it stalls the window.
QThreadPool& queryPool()
{
    static QThreadPool pool;
    pool.setMaxThreadCount(4); // the KPIs and the buckets of a view, and those of a newer one
    return pool;
}

std::atomic<quint64>& costDetailsCancelled()
{
    static std::atomic<quint64> count { 0 };
    return count;
}

} // namespace

QString teamHistoryLabel(const QString& url)
{
    return dbUrlLabel(url);
}

QString teamUrlWithPassword(const QString& url, const QString& password)
{
    if (password.isEmpty())
        return url;
    const QString trimmed = url.trimmed();
    if (trimmed.startsWith(QLatin1String("postgresql://")) || trimmed.startsWith(QLatin1String("postgres://"))) {
        // libpq percent-decodes URI query values; everything but unreserved characters is encoded.
        const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(password));
        const QString sep = trimmed.contains(u'?') ? QStringLiteral("&") : QStringLiteral("?");
        return trimmed + sep + QStringLiteral("password=") + encoded;
    }
    QString quoted = password;
    quoted.replace(u'\\', QStringLiteral("\\\\"));
    quoted.replace(u'\'', QStringLiteral("\\'"));
    return trimmed + QStringLiteral(" password='") + quoted + u'\'';
}

TeamViewResult computeTeamView(const TeamViewRequest& req)
{
    TeamViewResult result;
    if (!req.ticket.isLatest())
        return result; // a newer request exists; it will do the work
    QElapsedTimer clock;
    clock.start();
    auto view = std::make_shared<RunView>();
    auto dashboard = std::make_shared<DashboardData>();
    view->generation = req.ticket.id();
    view->filter = req.filter;
    view->nowMs = req.nowMs;
    view->paged = true;
    // The KPI statement runs on a second thread (with that thread's connection) while this one reads the
    // first page and the facets, so the server works on both.
    struct KpiResult
    {
        KpiAggregates aggregates;
        qint64 total = 0;
        DbError error;
        bool ok = false;
    };
    QFuture<KpiResult> kpiFuture = QtConcurrent::run(&queryPool(), [req] {
        KpiResult k;
        k.ok = withConnection(req.url, &k.error, [&](PgConnection& conn, DbError* e) {
            return teamKpiAggregates(conn, req.filter, req.nowMs, &k.aggregates, &k.total, e);
        });
        return k;
    });
    // The chart buckets on a third thread and connection: the three parts cost about the same once the
    // rollups answer the long windows, so the view takes as long as the slowest of them.
    struct BucketResult
    {
        BucketSize size = BucketSize::Day;
        std::vector<TimeBucket> buckets;
        DbError error;
        bool ok = false;
    };
    QFuture<BucketResult> bucketFuture = QtConcurrent::run(&queryPool(), [req] {
        BucketResult b;
        b.ok = withConnection(req.url, &b.error, [&](PgConnection& conn, DbError* e) {
            qint64 span = 0;
            if (req.spanMs) {
                span = *req.spanMs;
            } else {
                qint64 first = 0, last = 0;
                bool any = false;
                if (!teamTimeExtent(conn, req.filter, req.nowMs, &first, &last, &any, e))
                    return false;
                span = any ? last - first : 0;
            }
            b.size = bucketSizeForSpan(span);
            return teamBuckets(conn, req.filter, req.nowMs, b.size, QTimeZone::systemTimeZone(), &b.buckets, e);
        });
        return b;
    });
    DbError error;
    const bool ok = withConnection(req.url, &error, [&](PgConnection& conn, DbError* e) {
        std::vector<RunRecord> page;
        if (!teamRecords(conn, req.filter, req.nowMs, &page, e, 0, req.pageSize, TeamRecordOrder::NewestFirst))
            return false;
        if (req.withFacets) {
            QStringList presets, providers, models, statuses;
            if (!teamFacets(conn, &presets, &providers, &models, &statuses, e))
                return false;
            view->facets = sortedFacets(presets, providers, models, statuses);
        } else {
            view->facets = req.facets;
        }
        bucketFuture.waitForFinished();
        const BucketResult& buckets = bucketFuture.result();
        if (!buckets.ok) {
            *e = buckets.error;
            return false;
        }
        dashboard->bucketSize = buckets.size;
        dashboard->buckets = buckets.buckets;
        kpiFuture.waitForFinished();
        const KpiResult& kpi = kpiFuture.result();
        if (!kpi.ok) {
            *e = kpi.error;
            return false;
        }
        const KpiAggregates& aggregates = kpi.aggregates;
        const qint64 total = kpi.total;
        dashboard->kpis = kpisFromAggregates(aggregates);
        dashboard->totalLoaded = static_cast<int>(std::min<qint64>(total, std::numeric_limits<int>::max()));
        dashboard->anySimulated = aggregates.simulatedRuns > 0;
        dashboard->teamHistory = true;
        dashboard->costDetailsPending = true; // RunSession asks for them once this view is shown
        view->matchedCount = aggregates.totalRuns;
        view->totalCount = total;
        view->indices.resize(page.size());
        for (size_t i = 0; i < page.size(); ++i)
            view->indices[i] = static_cast<int>(i);
        // Newest first: the first dated record is the newest run of the filtered set.
        for (size_t i = 0; i < page.size() && view->newestIndex < 0; ++i)
            if (page[i].hasTimestamp)
                view->newestIndex = static_cast<int>(i);
        view->records = std::make_shared<const std::vector<RunRecord>>(std::move(page));
        return true;
    });
    kpiFuture.waitForFinished(); // never leave them running on a failure of this thread's part
    bucketFuture.waitForFinished();
    if (!ok) {
        result.error = error;
        return result;
    }
    if (!req.ticket.isLatest())
        return result;
    view->dashboard = std::move(dashboard);
    view->computeMs = clock.elapsed();
    result.view = std::move(view);
    return result;
}

std::optional<TeamCostDetails> computeTeamCostDetails(const QString& url, const RunFilter& filter, qint64 nowMs,
    const PricingTable& pricing, const LatestRequest::Ticket& ticket, DbError* error)
{
    if (!ticket.isLatest())
        return std::nullopt;
    TeamCostDetails details;
    DbError failure;
    if (!withConnection(url, &failure, [&](PgConnection& conn, DbError* e) {
            return teamCostDetails(conn, filter, nowMs, pricing, &details.aggregates, nullptr, e, [&ticket] {
                return ticket.isLatest();
            }) && teamSpendByAnalyst(conn, filter, nowMs, &details.analystSpend, nullptr, e);
        })) {
        // Superseded, not failed: the newer request reports; the user sees no error.
        if (failure.code == QLatin1String("cancelled")) {
            costDetailsCancelled().fetch_add(1, std::memory_order_relaxed);
            return std::nullopt;
        }
        if (error)
            *error = failure;
        return std::nullopt;
    }
    return details;
}

quint64 teamCostDetailsCancelled()
{
    return costDetailsCancelled().load(std::memory_order_relaxed);
}

RecordChunk fetchTeamPage(
    const QString& url, const RunFilter& filter, qint64 nowMs, qint64 offset, int limit, DbError* error)
{
    std::vector<RunRecord> page;
    if (!withConnection(url, error, [&](PgConnection& conn, DbError* e) {
            return teamRecords(conn, filter, nowMs, &page, e, offset, limit, TeamRecordOrder::NewestFirst);
        }))
        return {};
    return std::make_shared<const std::vector<RunRecord>>(std::move(page));
}

std::optional<QByteArray> fetchTeamArtifact(const QString& url, const QString& artifactPath, QString* error)
{
    std::optional<QByteArray> bytes;
    DbError e;
    const bool ok = withConnection(url, &e, [&](PgConnection& conn, DbError* err) {
        DbError local;
        bytes = teamArtifact(conn, artifactPath, &local);
        if (!bytes && !local.code.isEmpty()) {
            *err = local;
            return false;
        }
        return true;
    });
    if (!ok) {
        if (error)
            *error = e.message;
        return std::nullopt;
    }
    if (!bytes && error)
        *error = QObject::tr("The team history has no run stored under this path.");
    return bytes;
}

bool exportTeamRuns(const QString& url, const RunFilter& filter, qint64 nowMs, const QString& path,
    const QString& format, qint64* runs, QString* error)
{
    std::vector<RunRecord> records;
    DbError e;
    if (!withConnection(url, &e,
            [&](PgConnection& conn, DbError* err) { return teamRecords(conn, filter, nowMs, &records, err); })) {
        if (error)
            *error = e.message;
        return false;
    }
    std::vector<int> all(records.size());
    for (size_t i = 0; i < records.size(); ++i)
        all[i] = static_cast<int>(i);
    if (runs)
        *runs = static_cast<qint64>(records.size());
    return exportRunsToFile(path, format, records, all, error);
}

bool pushTeamArtifacts(const QString& url, const QStringList& artifactPaths, QString* error)
{
    DbError e;
    PushSummary summary;
    if (!withConnection(url, &e, [&](PgConnection& conn, DbError* err) {
            return pushArtifactFiles(conn, artifactPaths, {}, &summary, err);
        })) {
        if (error)
            *error = e.message;
        return false;
    }
    return true;
}

std::optional<AlertEvaluation> evaluateTeamAlerts(const QString& url, std::optional<qint64> windowMs, qint64 nowMs,
    const AlertThresholds& thresholds, QString* error, QString* identity)
{
    RunFilter filter;
    filter.lastMs = windowMs;
    KpiAggregates aggregates;
    DbError e;
    if (!withConnection(url, &e, [&](PgConnection& conn, DbError* err) {
            if (identity)
                *identity = conn.identity();
            return teamKpiAggregates(conn, filter, nowMs, &aggregates, nullptr, err);
        })) {
        if (error)
            *error = e.message;
        return std::nullopt;
    }
    return evaluateAlertsFromAggregates(aggregates, thresholds);
}

} // namespace djp
