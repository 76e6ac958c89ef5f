#include "session/runsession.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/strings.h"
#include "metrics/kpis.h"
#include "metrics/runexport.h"
#include "metrics/runfilter.h"
#include "metrics/timeseries.h"
#include "models/problemsmodel.h"
#include "session/teamhistory.h"
#include "store/runwatcher.h"
#include "team/teamwatcher.h"

#include <QDateTime>
#include <QDir>
#include <QPointer>
#include <QSet>
#include <QThread>
#include <QtConcurrent>
#include <algorithm>

namespace djp {

namespace {

// Rows a team history refresh fetches at most to keep what the Runs table showed.
constexpr int kMaxKeptRows = 5000;
// The GUI thread takes load chunks for at most this long before it lets other events run.
constexpr qint64 kDrainBudgetMs = 8;
// The smallest batch of records whose rows are appended to the table at once while loading.
constexpr qint64 kMinRowBatch = 1024;

struct ComputeRequest
{
    RecordChunk snapshot; // used as is when set...
    std::vector<RecordChunk> chunks; // ...else these are consolidated into one vector
    FacetValues facets; // valid with `snapshot`
    size_t chunksCovered = 0;
    RunFilter filter;
    std::optional<qint64> spanMs;
    qint64 nowMs = 0;
    LatestRequest::Ticket ticket;
};

// Concatenates load chunks in the order djp::loadRuns() returns (the canonical order, runOrderLess
// in runrecord.h), so the GUI's filtered set, and therefore its CSV export, is row for row the
// CLI's. Sorts pointers, then copies each record once.
std::shared_ptr<std::vector<RunRecord>> consolidate(const std::vector<RecordChunk>& chunks)
{
    std::vector<const RunRecord*> order;
    for (const RecordChunk& c : chunks)
        for (const RunRecord& r : *c)
            order.push_back(&r);
    std::sort(order.begin(), order.end(), [](const RunRecord* a, const RunRecord* b) { return runOrderLess(*a, *b); });
    auto all = std::make_shared<std::vector<RunRecord>>();
    all->reserve(order.size());
    for (const RunRecord* r : order)
        all->push_back(*r);
    return all;
}

FacetValues collectFacets(const std::vector<RunRecord>& records)
{
    // The loader interns these values (one shared string per distinct value), so each is hashed as
    // text only the first time its data pointer is seen: 100k records cost a few milliseconds.
    struct Facet
    {
        QSet<const void*> seen;
        QSet<QString> values;
        void add(const QString& s)
        {
            if (!seen.contains(s.constData())) {
                seen.insert(s.constData());
                values.insert(s);
            }
        }
    };
    Facet presetFacet, providerFacet, modelFacet, statusFacet;
    for (const RunRecord& r : records) {
        presetFacet.add(r.presetName);
        if (!r.provider.isEmpty())
            providerFacet.add(r.provider);
        for (const auto& entry : r.costByLabel)
            modelFacet.add(entry.first);
        statusFacet.add(r.status);
    }
    const QSet<QString>& presets = presetFacet.values;
    const QSet<QString>& providers = providerFacet.values;
    const QSet<QString>& models = modelFacet.values;
    const QSet<QString>& statuses = statusFacet.values;
    return sortedFacets(QStringList(presets.begin(), presets.end()), QStringList(providers.begin(), providers.end()),
        QStringList(models.begin(), models.end()), QStringList(statuses.begin(), statuses.end()));
}

int newestOf(const std::vector<RunRecord>& records, const std::vector<int>& indices)
{
    int best = -1;
    for (int i : indices) {
        const RunRecord& r = records[static_cast<size_t>(i)];
        if (r.hasTimestamp && (best < 0 || r.timestampMs >= records[static_cast<size_t>(best)].timestampMs))
            best = i;
    }
    return best;
}

// Runs on the compute pool. Pure function of its input.
// The pricing table KPIs value cache savings and bucket costs with. Loaded once, on first use, by the
// worker thread that computes views (never on the GUI thread: it may read the user's pricing file).
const PricingTable& kpiPricing()
{
    static const PricingTable table = PricingTable::load();
    return table;
}

// What a folder view request and a team view request both carry: the newest ticket and the filter as of now.
template <typename Request> void stampRequest(Request& req, LatestRequest& latest, const FilterState& filter)
{
    req.ticket = latest.next();
    req.filter = filter.toRunFilter();
    req.spanMs = filter.windowSpanMs();
    req.nowMs = Clock::nowMs();
}

std::shared_ptr<const RunView> computeView(const ComputeRequest& req)
{
    if (!req.ticket.isLatest())
        return {}; // a newer request exists; it will do the work
    QElapsedTimer clock;
    clock.start();
    auto view = std::make_shared<RunView>();
    view->generation = req.ticket.id();
    view->filter = req.filter;
    view->nowMs = req.nowMs;
    view->chunksCovered = req.chunksCovered;
    if (req.snapshot) {
        view->records = req.snapshot;
        view->facets = req.facets;
    } else {
        auto all = consolidate(req.chunks);
        view->facets = collectFacets(*all);
        view->records = std::move(all);
        view->consolidateMs = clock.elapsed();
    }
    const std::vector<RunRecord>& records = *view->records;
    view->indices = filterRuns(records, req.filter, req.nowMs);

    auto dashboard = std::make_shared<DashboardData>();
    dashboard->kpis = computeKpis(records, view->indices, &kpiPricing());
    qint64 span = 0;
    if (req.spanMs) {
        span = *req.spanMs;
    } else {
        // Open range: the filtered data's own extent decides the bucket size.
        qint64 lo = std::numeric_limits<qint64>::max(), hi = std::numeric_limits<qint64>::min();
        for (int i : view->indices) {
            const RunRecord& r = records[static_cast<size_t>(i)];
            if (r.hasTimestamp) {
                lo = std::min(lo, r.timestampMs);
                hi = std::max(hi, r.timestampMs);
            }
        }
        span = hi >= lo ? hi - lo : 0;
    }
    dashboard->bucketSize = bucketSizeForSpan(span);
    dashboard->buckets = bucketRuns(records, view->indices, dashboard->bucketSize);
    dashboard->totalLoaded = static_cast<int>(records.size());
    dashboard->anySimulated = dashboard->kpis.simulatedRuns > 0;
    view->dashboard = std::move(dashboard);
    view->newestIndex = newestOf(records, view->indices);
    view->matchedCount = static_cast<qint64>(view->indices.size());
    view->totalCount = static_cast<qint64>(records.size());
    view->computeMs = clock.elapsed();
    return view;
}

} // namespace

FacetValues sortedFacets(
    const QStringList& presets, const QStringList& providers, const QStringList& models, const QStringList& statuses)
{
    const auto sorted = [](QStringList list) {
        list.removeDuplicates();
        list.sort(Qt::CaseInsensitive);
        return list;
    };
    FacetValues f;
    f.presets = sorted(presets);
    f.providers = sorted(providers);
    f.models = sorted(models + providers); // publishers count as used models
    // The three statuses artifacts define always, in their natural order; any other string after them.
    for (const auto& known : kVocabulary<RunStatus>)
        f.statuses << QString(known.id);
    const QStringList others = sorted(statuses);
    for (const QString& s : others)
        if (!f.statuses.contains(s))
            f.statuses << s;
    return f;
}

RunSession::RunSession(QObject* parent)
    : QObject(parent)
    , m_runsModel(new RunTableModel(this))
    , m_problemsModel(new ProblemsModel(this))
    , m_watcher(new RunWatcher(this))
{
    // One compute thread: requests are sequential anyway (latest wins) and the loader keeps its own
    // pool, so a core stays free for the GUI.
    m_computePool.setMaxThreadCount(1);
    // Team history: one thread for views, one for pages, exports and alerts (each with its connection).
    m_dbPool.setMaxThreadCount(2);
    m_costPool.setMaxThreadCount(1);
    // The first view needs the pricing table (files read and parsed): load it while the folder loads.
    QThreadPool::globalInstance()->start([] { kpiPricing(); });
    connect(m_runsModel, &RunTableModel::moreRowsWanted, this, &RunSession::fetchTeamPage);

    m_drainTimer.setSingleShot(true);
    m_drainTimer.setInterval(0);
    connect(&m_drainTimer, &QTimer::timeout, this, &RunSession::drainChunks);
    connect(&m_loadWatcher, &QFutureWatcherBase::resultsReadyAt, this, &RunSession::onChunksReady);
    connect(&m_loadWatcher, &QFutureWatcherBase::finished, this, &RunSession::onLoadFinished);
    connect(&m_loadWatcher, &QFutureWatcherBase::progressValueChanged, this,
        [this](int value) { Q_EMIT loadProgress(value, m_loadWatcher.progressMaximum()); });
    connect(m_watcher, &RunWatcher::runsChanged, this, [this] {
        logger("ui")->debug("runs folder changed; reloading through the index");
        reload();
    });
    publishEmptyView();
}

RunSession::~RunSession()
{
    // Closing mid-load is safe: stop the loader between files and let queued computes skip.
    m_latest.close();
    m_loadWatcher.disconnect(this);
    m_loadWatcher.cancel();
    m_loadWatcher.waitForFinished();
    m_computePool.waitForDone();
    stopTeamWatcher();
    if (m_watchThread) {
        m_watchThread->quit(); // deletes the watcher (deferred deletes run as the thread ends)
        m_watchThread->wait();
    }
    m_dbPool.waitForDone();
    m_costPool.waitForDone();
}

void RunSession::setWatchDebounceMs(int ms)
{
    m_watcher->setDebounceMs(ms);
}

int RunSession::problemCount() const
{
    return m_problemsModel->rowCount();
}

bool RunSession::isSettled() const
{
    const bool watcherStarting = m_teamWatcher && !m_teamWatching;
    return !m_loading && !m_reloadPending && m_computesInFlight == 0 && !watcherStarting;
}

void RunSession::openFolder(const QString& dir)
{
    const QString clean = QDir::cleanPath(QDir(dir).absolutePath());
    if (isTeamHistory())
        closeTeamHistory();
    if (m_loading) {
        m_loadWatcher.cancel();
        m_loading = false;
    }
    m_dir = clean;
    m_records.reset();
    m_facets = {};
    m_chunks.clear();
    m_chunksCurrent = false;
    m_totalLoaded = 0;
    m_reloadPending = false;
    m_runsModel->clear();
    m_problemsModel->clear();
    m_problemsModel->setBaseDir(clean);
    publishEmptyView();
    m_watcher->setDirectory(clean);
    Q_EMIT runsDirChanged(clean);
    Q_EMIT sourceChanged();
    Q_EMIT problemsChanged();
    Q_EMIT recordsChanged();
    startLoad(true);
}

void RunSession::reload()
{
    if (isTeamHistory()) {
        m_facetsStale = true;
        scheduleTeamCompute(true);
        return;
    }
    if (m_dir.isEmpty())
        return;
    if (m_loading) {
        m_reloadPending = true; // the running load may have missed the change: reload once it ends
        return;
    }
    startLoad(!m_records || m_records->empty());
}

void RunSession::cancelLoad()
{
    if (isTeamHistory()) {
        if (!m_loading)
            return;
        // libpq cannot abandon a connect midway; the worker finishes on its own and its result is dropped.
        m_latest.dropAll();
        m_loading = false;
        m_lastStats = {};
        m_lastStats.cancelled = true;
        Q_EMIT loadFinished(m_lastStats);
        maybeSettled();
        return;
    }
    if (m_loading)
        m_loadWatcher.cancel();
}

void RunSession::startLoad(bool progressive)
{
    m_loading = true;
    m_progressive = progressive;
    m_chunksCurrent = progressive;
    m_chunks.clear();
    m_loadProblems.clear();
    m_nextResult = 0;
    m_readyResults = 0;
    m_drainTimer.stop();
    m_finishPending = false;
    m_pendingRows.clear();
    m_pendingRecords = 0;
    m_shownRecords = 0;
    if (progressive) {
        m_totalLoaded = 0;
        m_runsModel->clear();
        m_problemsModel->clear();
    }
    LoadOptions options = m_loadOptions;
    options.runsDir = m_dir;
    m_loadClock.start();
    logger("ui")->info("loading runs from {}", ss(m_dir));
    Q_EMIT loadStarted(!progressive);
    m_loadWatcher.setFuture(loadRunsAsync(options));
}

void RunSession::onChunksReady(int, int end)
{
    // Taken from the timer only: many of these notifications can be queued at once, and taking
    // chunks in each of them would add up to one long piece of work again.
    m_readyResults = std::max(m_readyResults, end);
    if (!m_drainTimer.isActive())
        m_drainTimer.start();
}

void RunSession::drainChunks()
{
    if (isTeamHistory())
        return; // a folder load cancelled by opening the team history
    const QFuture<LoadChunk> future = m_loadWatcher.future();
    QElapsedTimer budget;
    budget.start();
    bool problemsAdded = false;
    const qint64 now = Clock::nowMs();
    const RunFilter filter = m_filter.toRunFilter();
    while (m_nextResult < m_readyResults && budget.elapsed() < kDrainBudgetMs) {
        // The copy shares the chunk's records (LoadChunk::records is a shared pointer).
        const LoadChunk chunk = future.resultAt(m_nextResult++);
        if (chunk.last)
            m_lastStats = chunk.stats;
        if (!chunk.problems.empty()) {
            if (m_progressive) {
                m_problemsModel->appendProblems(chunk.problems);
                problemsAdded = true;
            }
            m_loadProblems.insert(m_loadProblems.end(), chunk.problems.begin(), chunk.problems.end());
        }
        if (chunk.records->empty())
            continue;
        m_chunks.push_back(chunk.records);
        if (m_progressive) {
            // A chunk is a few hundred records: filtering it here costs microseconds, and keeps rows
            // appearing while the load runs. The full view is computed off-thread at the end.
            m_pendingRows.emplace_back(chunk.records, filterRuns(*chunk.records, filter, now));
            m_pendingRecords += qint64(chunk.records->size());
            m_totalLoaded += static_cast<int>(chunk.records->size());
            if (m_shownRecords == 0) {
                flushRows(); // the first chunk's rows at once: the table is not empty for long
                break;
            }
        }
    }
    if (problemsAdded)
        Q_EMIT problemsChanged();
    const bool drained = m_nextResult >= m_readyResults;
    // Then batches of at least a quarter of what is shown: the number of table updates (insert,
    // sort, column fit, repaint) grows with the logarithm of the runs, not with the chunks.
    if (m_pendingRecords > 0
        && ((drained && m_finishPending) || m_pendingRecords >= std::max<qint64>(kMinRowBatch, m_shownRecords / 4)))
        flushRows();
    if (!drained)
        m_drainTimer.start(); // the rest after the events queued meanwhile (paints, input)
    else if (m_finishPending)
        finishLoad();
}

void RunSession::flushRows()
{
    if (m_pendingRows.empty())
        return;
    m_runsModel->appendChunks(m_pendingRows);
    m_shownRecords += m_pendingRecords;
    m_pendingRows.clear();
    m_pendingRecords = 0;
    Q_EMIT rowsAppended();
}

void RunSession::onLoadFinished()
{
    if (isTeamHistory()) {
        m_loadWatcher.setFuture(QFuture<LoadChunk>()); // the cancelled folder load: drop its chunks
        return;
    }
    if (!m_loading || m_finishPending)
        return;
    m_lastLoadWallMs = m_loadClock.elapsed();
    // Every result is stored by now; a cancelled future reports no more of them, so take those stored.
    m_finishCancelled = m_loadWatcher.isCanceled();
    m_readyResults = std::max(m_readyResults, m_loadWatcher.future().resultCount());
    m_finishPending = true;
    if (!m_drainTimer.isActive())
        m_drainTimer.start(); // drainChunks() calls finishLoad() once every chunk is taken
}

void RunSession::finishLoad()
{
    m_finishPending = false;
    m_loading = false;
    m_lastLoadWallMs = m_loadClock.elapsed();
    const bool cancelled = m_finishCancelled;
    // The future holds a reference to every chunk; drop it now that they are ours.
    m_loadWatcher.setFuture(QFuture<LoadChunk>());
    if (cancelled)
        m_lastStats.cancelled = true;

    if (cancelled && !m_progressive) {
        // A cancelled reload leaves the previous view in place.
        m_chunks.clear();
        m_loadProblems.clear();
    } else {
        if (!m_progressive) {
            m_problemsModel->setProblems(m_loadProblems);
            Q_EMIT problemsChanged();
        }
        size_t total = 0;
        for (const RecordChunk& c : m_chunks)
            total += c->size();
        m_totalLoaded = static_cast<int>(total);
        m_chunksCurrent = true; // complete: the next compute consolidates them
        scheduleCompute();
    }
    logger("ui")->info("loaded {} runs, {} problems in {} ms{}", m_totalLoaded, m_loadProblems.size(), m_lastLoadWallMs,
        cancelled ? " (cancelled)" : "");
    Q_EMIT loadFinished(m_lastStats);
    if (m_reloadPending) {
        m_reloadPending = false;
        reload();
    }
    maybeSettled();
}

void RunSession::setFilter(const FilterState& filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    scheduleCompute();
}

void RunSession::scheduleCompute()
{
    if (isTeamHistory()) {
        scheduleTeamCompute();
        return;
    }
    ComputeRequest req;
    stampRequest(req, m_latest, m_filter);
    // During a first load (and once it ends, until consolidated) the chunks are the newest data;
    // during a reload the previous snapshot stays authoritative until the reload is complete.
    const bool useChunks = m_chunksCurrent;
    if (useChunks) {
        req.chunks = m_chunks;
        req.chunksCovered = m_chunks.size();
    } else {
        req.snapshot = m_records ? m_records : std::make_shared<const std::vector<RunRecord>>();
        req.facets = m_facets;
    }
    ++m_computesInFlight;
    auto* watcher = new QFutureWatcher<std::shared_ptr<const RunView>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, useChunks] {
        watcher->deleteLater();
        --m_computesInFlight;
        applyView(watcher->result(), useChunks);
        maybeSettled();
    });
    watcher->setFuture(QtConcurrent::run(&m_computePool, [req = std::move(req)] { return computeView(req); }));
}

void RunSession::applyView(const std::shared_ptr<const RunView>& view, bool consolidated)
{
    if (!view || !m_latest.isLatest(view->generation))
        return; // superseded
    // What this view replaces may hold the last references to 100k records (the load's chunks, the
    // previous snapshot): freeing them takes tens of milliseconds, so that happens on a worker.
    struct Replaced
    {
        std::shared_ptr<const RunView> view;
        RecordChunk records;
        std::vector<RecordChunk> chunks;
    };
    Replaced replaced { m_view, m_records, {} };
    m_view = view;
    if (consolidated) {
        const bool complete = !m_loading && view->chunksCovered == m_chunks.size();
        m_records = view->records;
        m_facets = view->facets;
        if (complete) {
            replaced.chunks = std::move(m_chunks);
            m_chunks.clear();
            m_chunksCurrent = false;
        }
        Q_EMIT recordsChanged();
    }
    m_runsModel->setRows(view->records, view->indices);
    m_pendingRows.clear(); // their chunks are in the view or appended below
    m_pendingRecords = 0;
    m_shownRecords = m_totalLoaded;
    if (m_loading && m_progressive && view->chunksCovered < m_chunks.size()) {
        // Chunks that arrived while this view was computed: append them with the same filter.
        std::vector<std::pair<RecordChunk, std::vector<int>>> rows;
        for (size_t i = view->chunksCovered; i < m_chunks.size(); ++i)
            rows.emplace_back(m_chunks[i], filterRuns(*m_chunks[i], view->filter, view->nowMs));
        m_runsModel->appendChunks(rows);
    }
    Q_EMIT filteredChanged();
    QThreadPool::globalInstance()->start([replaced = std::move(replaced)]() mutable { replaced = {}; });
}

void RunSession::publishEmptyView()
{
    auto view = std::make_shared<RunView>();
    view->generation = m_latest.next().id();
    view->records = std::make_shared<const std::vector<RunRecord>>();
    view->filter = m_filter.toRunFilter();
    view->nowMs = Clock::nowMs();
    view->paged = isTeamHistory();
    auto dashboard = std::make_shared<DashboardData>();
    dashboard->kpis = computeKpis(*view->records, view->indices);
    view->dashboard = std::move(dashboard);
    m_view = std::move(view);
    Q_EMIT filteredChanged();
}

void RunSession::maybeSettled()
{
    if (isSettled())
        Q_EMIT settled();
}

const RunRecord* RunSession::newestRun() const
{
    if (!m_view || !m_view->records || m_view->records->empty())
        return nullptr;
    const auto& records = *m_view->records;
    if (m_view->newestIndex >= 0)
        return &records[static_cast<size_t>(m_view->newestIndex)];
    // Sorted by time ascending, undated first: the last record is the newest there is.
    return &records.back();
}

bool RunSession::exportFiltered(const QString& path, const QString& format, QString* error) const
{
    if (!m_view || !m_view->records) {
        if (error)
            *error = tr("No runs are loaded yet.");
        return false;
    }
    if (m_view->paged) {
        if (error)
            *error = tr("A team history is exported in the background (exportFilteredAsync).");
        return false;
    }
    return exportRunsToFile(path, format, *m_view->records, m_view->indices, error);
}

void RunSession::exportFilteredAsync(const QString& path, const QString& format)
{
    const std::shared_ptr<const RunView> view = m_view;
    struct Outcome
    {
        bool ok = false;
        qint64 runs = 0;
        QString error;
    };
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        const Outcome o = watcher->result();
        Q_EMIT exportFinished(o.ok, path, o.runs, o.error);
    });
    const QString url = m_teamUrl;
    watcher->setFuture(QtConcurrent::run(&m_dbPool, [view, url, path, format] {
        Outcome o;
        if (!view || !view->records) {
            o.error = QObject::tr("No runs are loaded yet.");
        } else if (view->paged) {
            o.ok = exportTeamRuns(url, view->filter, view->nowMs, path, format, &o.runs, &o.error);
        } else {
            o.ok = exportRunsToFile(path, format, *view->records, view->indices, &o.error);
            o.runs = static_cast<qint64>(view->indices.size());
        }
        return o;
    }));
}

qint64 RunSession::matchedCount() const
{
    if (m_view && m_view->paged)
        return m_view->matchedCount;
    return m_runsModel->rowCount();
}

QString RunSession::sourceLabel() const
{
    if (isTeamHistory())
        return tr("Team history: %1").arg(m_teamLabel);
    return QDir::toNativeSeparators(m_dir);
}

std::function<std::optional<QByteArray>(const QString&, QString*)> RunSession::teamArtifactFetcher() const
{
    if (!isTeamHistory())
        return {};
    return [url = m_teamUrl](const QString& path, QString* error) { return fetchTeamArtifact(url, path, error); };
}

std::function<bool(const QStringList&, QString*)> RunSession::teamPusher() const
{
    if (!isTeamHistory())
        return {};
    return [url = m_teamUrl](const QStringList& paths, QString* error) { return pushTeamArtifacts(url, paths, error); };
}

std::function<std::optional<AlertEvaluation>(std::optional<qint64>, qint64, const AlertThresholds&, QString*, QString*)>
RunSession::teamAlertEvaluator() const
{
    if (!isTeamHistory())
        return {};
    return [url = m_teamUrl](std::optional<qint64> windowMs, qint64 nowMs, const AlertThresholds& thresholds,
               QString* error,
               QString* identity) { return evaluateTeamAlerts(url, windowMs, nowMs, thresholds, error, identity); };
}

// ---- team history ----

void RunSession::openTeamHistory(const QString& url)
{
    if (m_loading && !isTeamHistory())
        m_loadWatcher.cancel(); // onLoadFinished() ignores it once m_loading is reset below
    stopTeamWatcher();
    m_watcher->setDirectory(QString()); // the folder's changes no longer matter
    m_teamUrl = url;
    m_teamLabel = djp::teamHistoryLabel(url);
    m_teamError.clear();
    m_records.reset();
    m_facets = {};
    m_facetsStale = true;
    m_chunks.clear();
    m_chunksCurrent = false;
    m_drainTimer.stop();
    m_finishPending = false;
    m_pendingRows.clear();
    m_pendingRecords = 0;
    m_loadProblems.clear();
    m_totalLoaded = 0;
    m_reloadPending = false;
    m_lastStats = {};
    m_loading = true; // until the first view (or the connection's failure) arrives
    m_runsModel->clear();
    m_problemsModel->clear();
    publishEmptyView();
    logger("ui")->info("opening the team history at {}", ss(m_teamLabel));
    m_loadClock.start();
    Q_EMIT sourceChanged();
    Q_EMIT problemsChanged();
    Q_EMIT recordsChanged();
    Q_EMIT loadStarted(false);
    scheduleTeamCompute();
}

void RunSession::setLocalRunsDir(const QString& dir)
{
    const QString clean = QDir::cleanPath(QDir(dir).absolutePath());
    if (clean == m_dir)
        return;
    m_dir = clean;
    m_problemsModel->setBaseDir(clean);
    Q_EMIT runsDirChanged(clean);
}

void RunSession::closeTeamHistory()
{
    stopTeamWatcher();
    m_latest.dropAll(); // results in flight are dropped
    m_teamUrl.clear();
    m_teamLabel.clear();
    m_teamError.clear();
    m_loading = false;
}

void RunSession::scheduleTeamCompute(bool keepLoadedRows)
{
    TeamViewRequest req;
    req.url = m_teamUrl;
    stampRequest(req, m_latest, m_filter);
    // A refresh with the same filter (a push arrived, a reload) fetches as many rows as the table holds,
    // so the rows scrolled to and the selected run stay; a new filter starts at one page.
    req.pageSize = keepLoadedRows ? std::clamp(m_runsModel->rowCount(), m_teamPageSize, kMaxKeptRows) : m_teamPageSize;
    req.withFacets = m_facetsStale;
    req.facets = m_facets;
    const LatestRequest::Ticket ticket = req.ticket;
    const bool withFacets = req.withFacets;
    ++m_computesInFlight;
    auto* watcher = new QFutureWatcher<TeamViewResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, ticket, withFacets] {
        watcher->deleteLater();
        --m_computesInFlight;
        const TeamViewResult result = watcher->result();
        if (!ticket.isLatest() || !isTeamHistory() || (!result.view && !result.error)) {
            maybeSettled(); // superseded
            return;
        }
        const bool first = m_loading;
        if (first) {
            m_loading = false;
            m_lastLoadWallMs = m_loadClock.elapsed();
        }
        if (result.error) {
            m_teamError = result.error->message;
            logger("ui")->warn("team history {}: {}", ss(m_teamLabel), ss(m_teamError));
            if (first)
                Q_EMIT loadFinished(m_lastStats);
            Q_EMIT teamHistoryFailed(m_teamError);
            maybeSettled();
            return;
        }
        m_teamError.clear();
        const std::shared_ptr<const RunView>& view = result.view;
        m_view = view;
        m_records = view->records;
        if (withFacets) {
            m_facets = view->facets;
            m_facetsStale = false;
        }
        m_totalLoaded = view->dashboard->totalLoaded;
        m_runsModel->setRows(view->records, view->indices);
        m_runsModel->setAvailableRows(view->matchedCount);
        logger("ui")->debug("team history view applied: {} of {} runs, computed in {} ms", view->matchedCount,
            view->totalCount, view->computeMs);
        Q_EMIT filteredChanged();
        if (withFacets)
            Q_EMIT recordsChanged(); // the history itself changed (opened, or runs arrived)
        if (first) {
            m_lastStats.filesSeen = view->totalCount;
            m_lastStats.elapsedMs = m_lastLoadWallMs;
            logger("ui")->info(
                "team history {}: {} runs, first view in {} ms", ss(m_teamLabel), view->totalCount, m_lastLoadWallMs);
            Q_EMIT loadFinished(m_lastStats);
        }
        scheduleTeamCostDetails(view, ticket);
        if (!m_teamWatcher)
            startTeamWatcher(); // after the first view, or the first that worked
        maybeSettled();
    });
    watcher->setFuture(QtConcurrent::run(&m_dbPool, [req = std::move(req)] { return computeTeamView(req); }));
}

void RunSession::scheduleTeamCostDetails(
    const std::shared_ptr<const RunView>& view, const LatestRequest::Ticket& ticket)
{
    // A second pass over the window's runs (all time included: no rollup can hold prices the client
    // chooses), so the main cards are shown first and these follow on a worker of their own.
    ++m_computesInFlight;
    struct Result
    {
        std::optional<TeamCostDetails> details;
        DbError error;
        qint64 elapsedMs = 0;
        bool reused = false;
    };
    auto* watcher = new QFutureWatcher<Result>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, view, ticket] {
        watcher->deleteLater();
        --m_computesInFlight;
        const Result result = watcher->result();
        logger("ui")->debug("team cost details: {} in {} ms {}",
            result.reused        ? "reused"
                : result.details ? "computed"
                                 : "not computed",
            result.elapsedMs, ss(result.error.message));
        if (isTeamHistory() && m_view == view && ticket.isLatest() && (result.details || !result.error.code.isEmpty()))
            applyCostDetailsToView(result.details, result.error.message);
        maybeSettled();
    });
    // The same filter over the same history (same run count: the history is append-only) with a window
    // that does not move with "now" (all time, a custom range) has the same details: the refresh after
    // LISTEN starts or a reload reuses the last answer instead of another pass. Checked on the worker,
    // where the previous request has certainly finished (one thread).
    watcher->setFuture(QtConcurrent::run(&m_costPool,
        [memo = m_costMemo, url = m_teamUrl, filter = view->filter, total = view->totalCount, nowMs = view->nowMs,
            ticket] {
            Result r;
            QElapsedTimer clock;
            clock.start();
            const bool stable = filter.custom || !filter.lastMs;
            {
                const std::lock_guard<std::mutex> lock(memo->mutex);
                if (stable && memo->details && memo->url == url && memo->filter == filter
                    && memo->totalCount == total) {
                    r.details = memo->details;
                    r.reused = true;
                    return r;
                }
            }
            r.details = computeTeamCostDetails(url, filter, nowMs, kpiPricing(), ticket, &r.error);
            r.elapsedMs = clock.elapsed();
            if (r.details && stable) {
                const std::lock_guard<std::mutex> lock(memo->mutex);
                memo->url = url;
                memo->filter = filter;
                memo->totalCount = total;
                memo->details = r.details;
            }
            return r;
        }));
}

void RunSession::applyCostDetailsToView(const std::optional<TeamCostDetails>& details, const QString& error)
{
    auto dashboard = std::make_shared<DashboardData>(*m_view->dashboard);
    dashboard->costDetailsPending = false;
    if (details) {
        applyCostDetails(dashboard->kpis, details->aggregates);
        dashboard->analystSpend = details->analystSpend;
    } else
        dashboard->costDetailsError = error;
    auto updated = std::make_shared<RunView>(*m_view);
    updated->dashboard = std::move(dashboard);
    m_view = std::move(updated);
    Q_EMIT filteredChanged();
}

void RunSession::fetchTeamPage(int offset)
{
    const std::shared_ptr<const RunView> view = m_view;
    if (!isTeamHistory() || !view || !view->paged) {
        m_runsModel->pageFailed();
        return;
    }
    struct Page
    {
        RecordChunk records;
        QString error;
    };
    auto* watcher = new QFutureWatcher<Page>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, view] {
        watcher->deleteLater();
        if (m_view != view)
            return; // the view was replaced (and the table with it) meanwhile
        const Page page = watcher->result();
        if (!page.records) {
            m_runsModel->pageFailed();
            m_teamError = page.error;
            Q_EMIT teamHistoryFailed(page.error);
            return;
        }
        std::vector<int> indices(page.records->size());
        for (size_t i = 0; i < indices.size(); ++i)
            indices[i] = static_cast<int>(i);
        m_runsModel->appendRows(page.records, indices);
        Q_EMIT rowsAppended();
    });
    watcher->setFuture(QtConcurrent::run(&m_dbPool, [url = m_teamUrl, view, offset, limit = m_teamPageSize] {
        Page page;
        DbError error;
        page.records = djp::fetchTeamPage(url, view->filter, view->nowMs, offset, limit, &error);
        page.error = error.message;
        return page;
    }));
}

void RunSession::startTeamWatcher()
{
    stopTeamWatcher();
    if (!m_watchThread) {
        m_watchThread = new QThread(this);
        m_watchThread->setObjectName(QStringLiteral("djp-team-watch"));
        m_watchThread->start();
    }
    // The watcher connects (blocking up to the connect timeout) and listens on a thread of its own;
    // its signals arrive here queued.
    auto* watcher = new TeamWatcher;
    watcher->moveToThread(m_watchThread);
    m_teamWatcher = watcher;
    const LatestRequest::Ticket ticket = m_latestWatcher.next();
    connect(watcher, &TeamWatcher::runsArrived, this, [this, ticket](int runs) {
        if (!ticket.isLatest())
            return;
        logger("ui")->info("team history: runs pushed: {}; refreshing", runs);
        Q_EMIT teamRunsArrived(runs);
        m_facetsStale = true;
        scheduleTeamCompute(true);
    });
    connect(watcher, &TeamWatcher::connectionLost, this, [this, ticket](const QString& message) {
        if (!ticket.isLatest())
            return;
        logger("ui")->warn("team history: live updates stopped: {}", ss(message));
        stopTeamWatcher(); // the next view that reaches the server starts a new one
        maybeSettled();
    });
    const QString url = m_teamUrl;
    QMetaObject::invokeMethod(
        watcher,
        [this, watcher, url, ticket] {
            DbError error;
            const bool ok = watcher->start(url, &error);
            // The session outlives this call: its destructor waits for this thread.
            QMetaObject::invokeMethod(
                this,
                [this, ok, ticket, message = error.message] {
                    if (!ticket.isLatest())
                        return;
                    if (!ok) {
                        logger("ui")->warn("team history: live updates unavailable: {}", ss(message));
                        stopTeamWatcher(); // retried after the next view that reaches the server
                        maybeSettled();
                        return;
                    }
                    m_teamWatching = true;
                    Q_EMIT teamWatchingChanged(true);
                    // A push between the first view and LISTEN would otherwise go unseen.
                    m_facetsStale = true;
                    scheduleTeamCompute(true);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void RunSession::stopTeamWatcher()
{
    m_latestWatcher.dropAll();
    if (m_teamWatcher) {
        m_teamWatcher->deleteLater(); // on its own thread, after a start() in progress returns
        m_teamWatcher = nullptr;
    }
    if (m_teamWatching) {
        m_teamWatching = false;
        Q_EMIT teamWatchingChanged(false);
    }
}

} // namespace djp
