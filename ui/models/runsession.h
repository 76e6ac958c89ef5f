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
#include "dashboarddata.h"
#include "filterstate.h"
#include "runtablemodel.h"
#include "store/runstore.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>
#include <QStringList>
#include <QThreadPool>
#include <atomic>
#include <memory>
#include <vector>

namespace djp {

class ProblemsModel;
class RunWatcher;

// Distinct values present in the loaded records, for the sidebar's combos.
struct FacetValues
{
    QStringList presets;
    QStringList providers; // models that published
    QStringList models; // every model with a priced call (runUsedModel()), publishers included
    QStringList statuses;
    bool operator==(const FacetValues&) const = default;
};

// One published, immutable result of filtering the loaded records.
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
    int newestIndex = -1; // newest timestamped run of the filtered set (into records), or -1
    size_t chunksCovered = 0; // load chunks the records include (internal bookkeeping)
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
    void reload(); // reloads the current folder through the index
    void cancelLoad();

    void setFilter(const FilterState& filter);
    FilterState filter() const { return m_filter; }

    bool isLoading() const { return m_loading; }
    // Nothing loading, computing or queued: view() describes the folder with the current filter.
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

private:
    void startLoad(bool progressive);
    void onChunksReady(int begin, int end);
    void onLoadFinished();
    void scheduleCompute();
    void applyView(const std::shared_ptr<const RunView>& view, bool consolidated);
    void publishEmptyView();
    void maybeSettled();

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
    std::vector<Problem> m_loadProblems;
    RecordChunk m_records;
    FacetValues m_facets;
    std::shared_ptr<const RunView> m_view;
    int m_totalLoaded = 0;
    LoadStats m_lastStats;
    QElapsedTimer m_loadClock;
    qint64 m_lastLoadWallMs = 0;
    quint64 m_generation = 0;
    std::shared_ptr<std::atomic<quint64>> m_latestGeneration;
};

} // namespace djp
