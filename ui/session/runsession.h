#pragma once
// The desktop application's data session: the runs folder, its loaded run records, the files that
// could not be read, the current filter, and the published filtered view (indices, KPIs, buckets).
//
// Flow: openFolder() starts djp::loadRunsAsync(); each chunk it reports is appended to the runs
// table with one model update (rows appear while loading). When the load ends, the chunks are
// consolidated into one immutable record vector and the filtered view is computed off the GUI
// thread. A filter change recomputes the view off the GUI thread too; every request carries a
// generation id and only the latest one is applied. A RunWatcher reloads the folder through the
// index when files change; a reload replaces the view once, when it is complete.
// Every rule (filter, KPIs, buckets, export) is the engine's; this class only schedules the calls.
//
// Threading: the object and its models live on the GUI thread. Workers get immutable inputs
// (shared_ptr<const ...>) and return immutable RunViews; nothing they touch is shared mutably.
#include "artifact/problem.h"
#include "artifact/runrecord.h"
#include "display/dashboarddata.h"
#include "models/runtablemodel.h"
#include "session/filterstate.h"
#include "session/latestrequest.h"
#include "store/runstore.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>
#include <QStringList>
#include <QThreadPool>
#include <QTimer>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace djp {

class ProblemsModel;
class RunWatcher;
class TeamWatcher;
struct AlertEvaluation;
struct AlertThresholds;

// Distinct values present in the loaded records, for the sidebar's combos.
struct FacetValues
{
    QStringList presets;
    QStringList providers; // models that published
    QStringList models; // every model with a priced call (runUsedModel()), publishers included
    QStringList statuses;
    bool operator==(const FacetValues&) const = default;
};

// The facets as the sidebar lists them: sorted case-insensitively; statuses start with the three the
// artifacts define, in their natural order, then any other value found.
// `models` are the labels with a priced call; the publishers are added to them.
FacetValues sortedFacets(
    const QStringList& presets, const QStringList& providers, const QStringList& models, const QStringList& statuses);

// One published, immutable result of filtering the loaded records.
// A team history view is `paged`: `records` holds only the first page of the filtered set (newest
// first), `matchedCount` is the size of the whole filtered set and `totalCount` of the history.
struct RunView
{
    RecordChunk records; // every loaded record (consolidated); indices refer to it
    std::vector<int> indices; // the filtered set, ascending
    std::shared_ptr<const DashboardData> dashboard;
    FacetValues facets;
    RunFilter filter;
    qint64 nowMs = 0; // "now" the relative time window was measured from
    quint64 generation = 0;
    qint64 computeMs = 0; // worker time for filter + KPIs + buckets (+ consolidation)
    qint64 consolidateMs = 0; // of which: the load's chunks made one sorted vector, facets collected
    int newestIndex = -1; // newest timestamped run of the filtered set (into records), or -1
    size_t chunksCovered = 0; // load chunks the records include (internal bookkeeping)
    bool paged = false;
    qint64 matchedCount = 0; // the filtered set's size (== indices.size() unless paged)
    qint64 totalCount = 0; // runs in the source before filtering
};

class RunSession : public QObject
{
    Q_OBJECT
public:
    explicit RunSession(QObject* parent = nullptr);
    ~RunSession() override;

    RunTableModel* runsModel() const { return m_runsModel; }
    ProblemsModel* problemsModel() const { return m_problemsModel; }

    QString runsDir() const { return m_dir; }
    // Base options for every load (runsDir is filled in by the session). Default: index on.
    void setLoadOptions(const LoadOptions& options) { m_loadOptions = options; }
    void setWatchDebounceMs(int ms);

    void openFolder(const QString& dir); // cancels a running load; clears the view
    void reload(); // reloads the current folder through the index (team history: reads it again)
    void cancelLoad();

    // The other run source: a team history on PostgreSQL (docs/team-history.md, "The desktop app").
    // Connects off the GUI thread (loadStarted ... loadFinished, or teamHistoryFailed with one line);
    // the dashboard comes from the server's aggregates, the Runs table pages through the filtered
    // runs, and a LISTEN connection refreshes the view when anyone pushes. `url` may hold a password:
    // it is kept in memory only. runsDir() stays the local folder (where launched runs are written).
    // openFolder() switches back.
    void openTeamHistory(const QString& url);
    // Names the local runs folder (where launched runs are written) without reading it: for starting
    // straight into a team history. Use before openTeamHistory(); openFolder() does this and loads.
    void setLocalRunsDir(const QString& dir);
    bool isTeamHistory() const { return !m_teamUrl.isEmpty(); }
    QString teamHistoryLabel() const { return m_teamLabel; } // "host:port/db", never a password
    QString teamError() const { return m_teamError; } // the last failure, empty when fine
    bool isTeamWatching() const { return m_teamWatching; } // live updates are listening
    // "Team history: host:port/db" or the runs folder, for the status bar and the title.
    QString sourceLabel() const;
    // Rows the Runs table holds per page of the team history.
    void setTeamPageSize(int rows) { m_teamPageSize = std::max(1, rows); }
    // Reads a run's artifact from the team history; called on worker threads (each keeps its own
    // connection). Null when the source is a folder.
    std::function<std::optional<QByteArray>(const QString& path, QString* error)> teamArtifactFetcher() const;
    // Pushes artifact files into the team history (djp team push for a few files); called on worker
    // threads. Null for a folder.
    std::function<bool(const QStringList& artifactPaths, QString* error)> teamPusher() const;
    // The alert rules over the team history's aggregates; called on worker threads. Null for a folder.
    // *identity: the database identity that keys alert state (as `djp alerts --db` keys it).
    std::function<std::optional<AlertEvaluation>(std::optional<qint64> windowMs, qint64 nowMs,
        const AlertThresholds& thresholds, QString* error, QString* identity)>
    teamAlertEvaluator() const;

    void setFilter(const FilterState& filter);
    FilterState filter() const { return m_filter; }

    bool isLoading() const { return m_loading; }
    // Nothing loading, computing or queued: view() describes the folder with the current filter. Over a
    // team history, also not while live updates are starting: their catch-up refresh is still to come.
    bool isSettled() const;

    std::shared_ptr<const RunView> view() const { return m_view; }
    RecordChunk records() const { return m_records; } // last consolidated records (may be null)
    int totalLoaded() const { return m_totalLoaded; } // records loaded so far, unfiltered
    int problemCount() const;
    LoadStats lastLoadStats() const { return m_lastStats; }
    qint64 lastLoadWallMs() const { return m_lastLoadWallMs; }
    // Newest run of the filtered set (of everything loaded if the set is empty); null if none.
    const RunRecord* newestRun() const;

    // Writes exactly the filtered set through djp::exportRunsToFile. False with *error when it
    // fails or when no view is available yet.
    bool exportFiltered(const QString& path, const QString& format, QString* error) const;
    // The same off the GUI thread (required for the team history, fine for a folder); ends with
    // exportFinished().
    void exportFilteredAsync(const QString& path, const QString& format);
    // The size of the filtered set (all of it, also the rows of a team history not fetched yet).
    qint64 matchedCount() const;

Q_SIGNALS:
    void runsDirChanged(const QString& dir);
    void loadStarted(bool reload);
    void loadProgress(qint64 done, qint64 total);
    void loadFinished(const djp::LoadStats& stats);
    void problemsChanged();
    void rowsAppended(); // rows added to the table during a first load
    void filteredChanged(); // view() was replaced
    void recordsChanged(); // records() was replaced (new, changed or removed runs)
    void settled();
    void sourceChanged(); // a folder or a team history was opened
    void teamHistoryFailed(const QString& message); // one line, password-free
    void teamWatchingChanged(bool listening);
    void teamRunsArrived(int runs); // another session pushed; a refresh follows
    void exportFinished(bool ok, const QString& path, qint64 runs, const QString& error);

private:
    void startLoad(bool progressive);
    void onChunksReady(int begin, int end);
    void drainChunks();
    void flushRows();
    void onLoadFinished();
    void finishLoad();
    void scheduleCompute();
    void applyView(const std::shared_ptr<const RunView>& view, bool consolidated);
    void publishEmptyView();
    void maybeSettled();
    void closeTeamHistory();
    void scheduleTeamCompute(bool keepLoadedRows = false);
    void scheduleTeamCostDetails(const std::shared_ptr<const RunView>& view, const LatestRequest::Ticket& ticket);
    void applyCostDetailsToView(const std::optional<TeamCostDetails>& details, const QString& error);
    void startTeamWatcher();
    void stopTeamWatcher();
    void fetchTeamPage(int offset);

    RunTableModel* m_runsModel;
    ProblemsModel* m_problemsModel;
    RunWatcher* m_watcher;
    QFutureWatcher<LoadChunk> m_loadWatcher;
    QThreadPool m_computePool;
    LoadOptions m_loadOptions;

    QString m_dir;
    FilterState m_filter;
    bool m_loading = false;
    bool m_progressive = false; // rows shown chunk by chunk (first load of a folder)
    bool m_chunksCurrent = false; // m_chunks hold newer data than m_records (consolidate them)
    bool m_reloadPending = false;
    int m_computesInFlight = 0;
    std::vector<RecordChunk> m_chunks; // chunks of the running (or just finished) load
    // Taking the load's chunks (drainChunks): results [m_nextResult, m_readyResults) are reported
    // but not taken yet; they are taken a few milliseconds at a time, so a burst of chunks (a warm
    // load hands out 100k records in a fraction of a second) never holds the GUI thread for long.
    int m_nextResult = 0;
    int m_readyResults = 0;
    QTimer m_drainTimer;
    bool m_finishPending = false; // the load ended; finishLoad() runs once every chunk is taken
    bool m_finishCancelled = false;
    // Rows of taken chunks not yet in the table: appended in batches that grow with the table
    // (flushRows), so a 100k load updates the table (insert, sort, column fit, repaint) about 20
    // times instead of once per chunk.
    std::vector<std::pair<RecordChunk, std::vector<int>>> m_pendingRows;
    qint64 m_pendingRecords = 0;
    qint64 m_shownRecords = 0; // records of this load whose rows are in the table
    std::vector<Problem> m_loadProblems;
    RecordChunk m_records;
    FacetValues m_facets;
    std::shared_ptr<const RunView> m_view;
    int m_totalLoaded = 0;
    LoadStats m_lastStats;
    QElapsedTimer m_loadClock;
    qint64 m_lastLoadWallMs = 0;
    LatestRequest m_latest; // filter / KPI views and team views

    // Team history (empty URL: a folder is the source).
    QString m_teamUrl; // may hold a password: never logged, never stored
    QString m_teamLabel;
    QString m_teamError;
    int m_teamPageSize = 200;
    bool m_teamWatching = false;
    bool m_facetsStale = true; // the next team view also reads the facets
    QThreadPool m_dbPool; // view computations and pages, each thread with its own connection
    // The cost details' longer pass over the window (seconds at 1M runs, all time): a thread of its own
    // so that it never holds up a view or a page; a request already stale when its turn comes is skipped.
    QThreadPool m_costPool;
    // The last cost details computed on m_costPool and for what (see scheduleTeamCostDetails()); used
    // by that pool's thread only, behind the mutex.
    struct CostDetailsMemo
    {
        std::mutex mutex;
        QString url;
        RunFilter filter;
        qint64 totalCount = -1;
        std::optional<TeamCostDetails> details;
    };
    std::shared_ptr<CostDetailsMemo> m_costMemo = std::make_shared<CostDetailsMemo>();
    QThread* m_watchThread = nullptr;
    TeamWatcher* m_teamWatcher = nullptr;
    LatestRequest m_latestWatcher; // the team watcher's signals
};

} // namespace djp
