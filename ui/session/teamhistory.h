#pragma once
// The desktop app's reads of the team history (docs/team-history.md, "The desktop app"). Every
// function here blocks on the network and is called on worker threads only, never on the GUI thread.
// Each worker thread keeps one connection of its own (opened on first use, reopened when the URL
// changes or the connection broke), so a worker never shares a libpq connection.
//
// The dashboard needs only aggregates, which the server computes; the Runs table reads one page of
// records at a time, newest first; the Inspector fetches one artifact when it is asked for.
//
// `url` may carry a password: it lives in memory only and is never logged; messages use the
// password-free text of DbError.
#include "artifact/runrecord.h"
#include "metrics/alerts.h"
#include "metrics/kpis.h"
#include "metrics/runfilter.h"
#include "session/runsession.h"
#include "team/pgconnection.h"

#include <QByteArray>
#include <QString>
#include <atomic>
#include <memory>
#include <optional>

namespace djp {

// "host:port/database" (never a password), for the status bar and the window title.
QString teamHistoryLabel(const QString& url);
// The URL with `password` added as libpq's `password` parameter (URI or key=value form); the URL
// unchanged when `password` is empty.
QString teamUrlWithPassword(const QString& url, const QString& password);

struct TeamViewRequest
{
    QString url;
    RunFilter filter;
    std::optional<qint64> spanMs; // the filter's window; nullopt: the filtered runs' own extent
    qint64 nowMs = 0;
    int pageSize = 200; // records of the first page of the Runs table
    bool withFacets = true; // also read the distinct presets / providers / statuses
    FacetValues facets; // used as they are when !withFacets
    LatestRequest::Ticket ticket; // default: never current (the result is computed and dropped)
};

struct TeamViewResult
{
    std::shared_ptr<const RunView> view; // null when superseded or failed
    std::optional<DbError> error;
};

// Aggregates, chart buckets, the first page of records (newest first) and the facets, as one view.
TeamViewResult computeTeamView(const TeamViewRequest& request);

// The second query of a view (TeamCostDetails): the cost details of the filtered runs, priced by the
// server at `pricing`'s rates (teamCostDetails()), and the spend per analyst (teamSpendByAnalyst()).
// Asked after the view's main figures, so the dashboard's cards do not wait for this longer pass.
// nullopt with *error on failure, or when `ticket` is no longer the latest (nothing to report then, and
// *error stays empty). A statement still running on the server when a newer request supersedes it is
// cancelled there, so stale queries never keep the server busy (docs/team-history.md).
std::optional<TeamCostDetails> computeTeamCostDetails(const QString& url, const RunFilter& filter, qint64 nowMs,
    const PricingTable& pricing, const LatestRequest::Ticket& ticket, DbError* error);
// How many cost-detail statements this process cancelled on the server because they were superseded
// (for the log and for tests).
quint64 teamCostDetailsCancelled();

// One further page of the filtered records, newest first; null with *error on failure.
RecordChunk fetchTeamPage(
    const QString& url, const RunFilter& filter, qint64 nowMs, qint64 offset, int limit, DbError* error);

// The stored artifact of a run (its path as pushed); nullopt with *error when unknown or unreachable.
std::optional<QByteArray> fetchTeamArtifact(const QString& url, const QString& artifactPath, QString* error);

// Writes the filtered runs, in the folder's order, exactly as `djp export --db` does. *runs = rows written.
bool exportTeamRuns(const QString& url, const RunFilter& filter, qint64 nowMs, const QString& path,
    const QString& format, qint64* runs, QString* error);

// Pushes these artifact files (a launched run's), idempotently, as `djp run --db` does.
bool pushTeamArtifacts(const QString& url, const QStringList& artifactPaths, QString* error);

// The alert rules over the server's aggregates of the last `windowMs` (nullopt: all time), as
// `djp alerts --db` evaluates them.
// *identity receives the connection's identity ("user@host:port/db"), which keys the alert state as
// `djp alerts --db` keys it.
std::optional<AlertEvaluation> evaluateTeamAlerts(const QString& url, std::optional<qint64> windowMs, qint64 nowMs,
    const AlertThresholds& thresholds, QString* error, QString* identity);

} // namespace djp
