#include "runsession.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/strings.h"
#include "metrics/kpis.h"
#include "metrics/runexport.h"
#include "metrics/runfilter.h"
#include "metrics/timeseries.h"
#include "problemsmodel.h"
#include "store/runwatcher.h"

#include <QDateTime>
#include <QDir>
#include <QSet>
#include <QtConcurrent>
#include <algorithm>

namespace djp {

namespace {

struct ComputeRequest
{
    RecordChunk snapshot; // used as is when set...
    std::vector<RecordChunk> chunks; // ...else these are consolidated into one vector
    FacetValues facets; // valid with `snapshot`
    size_t chunksCovered = 0;
    RunFilter filter;
    std::optional<qint64> spanMs;
    qint64 nowMs = 0;
    quint64 generation = 0;
    std::shared_ptr<std::atomic<quint64>> latest;
};

// Concatenates load chunks in the order djp::loadRuns() returns (runstore.h: by timestamp
// ascending, runs without one first, then path), so the GUI's filtered set, and therefore its CSV
// export, is row for row the CLI's. Sorts pointers, then copies each record once.
std::shared_ptr<std::vector<RunRecord>> consolidate(const std::vector<RecordChunk>& chunks)
{
    std::vector<const RunRecord*> order;
    for (const RecordChunk& c : chunks)
        for (const RunRecord& r : *c)
            order.push_back(&r);
    const auto key
        = [](const RunRecord* r) { return r->hasTimestamp ? r->timestampMs : std::numeric_limits<qint64>::min(); };
    std::sort(order.begin(), order.end(), [&key](const RunRecord* a, const RunRecord* b) {
        const qint64 ka = key(a), kb = key(b);
        return ka != kb ? ka < kb : a->artifactFile < b->artifactFile;
    });
    auto all = std::make_shared<std::vector<RunRecord>>();
    all->reserve(order.size());
    for (const RunRecord* r : order)
        all->push_back(*r);
    return all;
}

FacetValues collectFacets(const std::vector<RunRecord>& records)
{
    QSet<QString> presets, providers, models, statuses;
    for (const RunRecord& r : records) {
        presets.insert(r.presetName);
        if (!r.provider.isEmpty())
            providers.insert(r.provider);
        for (const auto& entry : r.costByLabel)
            models.insert(entry.first);
        statuses.insert(r.status);
    }
    const auto sorted = [](const QSet<QString>& set) {
        QStringList list(set.begin(), set.end());
        list.sort(Qt::CaseInsensitive);
        return list;
    };
    FacetValues f;
    f.presets = sorted(presets);
    f.providers = sorted(providers);
    f.models = sorted(models + providers);
    // The three SPEC statuses always, in their natural order; any other string found after them.
    f.statuses = { QStringLiteral("published"), QStringLiteral("advisory_only"), QStringLiteral("none") };
    QStringList others = sorted(statuses);
    for (const QString& s : std::as_const(others))
        if (!f.statuses.contains(s))
            f.statuses << s;
    return f;
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

std::shared_ptr<const RunView> computeView(const ComputeRequest& req)
{
    if (req.latest->load() != req.generation)
        return {}; // a newer request exists; it will do the work
    QElapsedTimer clock;
    clock.start();
    auto view = std::make_shared<RunView>();
    view->generation = req.generation;
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
    view->computeMs = clock.elapsed();
    return view;
}

} // namespace

RunSession::RunSession(QObject* parent)
    : QObject(parent)
    , m_runsModel(new RunTableModel(this))
    , m_problemsModel(new ProblemsModel(this))
    , m_watcher(new RunWatcher(this))
    , m_latestGeneration(std::make_shared<std::atomic<quint64>>(0))
{
    // One compute thread: requests are sequential anyway (latest wins) and the loader keeps its own
    // pool, so a core stays free for the GUI.
    m_computePool.setMaxThreadCount(1);

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
    m_latestGeneration->store(std::numeric_limits<quint64>::max());
    m_loadWatcher.disconnect(this);
    m_loadWatcher.cancel();
    m_loadWatcher.waitForFinished();
    m_computePool.waitForDone();
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
    return !m_loading && !m_reloadPending && m_computesInFlight == 0;
}

void RunSession::openFolder(const QString& dir)
{
    const QString clean = QDir::cleanPath(QDir(dir).absolutePath());
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
    Q_EMIT problemsChanged();
    Q_EMIT recordsChanged();
    startLoad(true);
}

void RunSession::reload()
{
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

void RunSession::onChunksReady(int begin, int end)
{
    const QFuture<LoadChunk> future = m_loadWatcher.future();
    bool problemsAdded = false;
    bool rowsAdded = false;
    const qint64 now = Clock::nowMs();
    const RunFilter filter = m_filter.toRunFilter();
    for (int i = begin; i < end; ++i) {
        // resultAt() copies; the copy shares the records' strings (implicit sharing), so it is cheap.
        LoadChunk chunk = future.resultAt(i);
        if (chunk.last)
            m_lastStats = chunk.stats;
        if (!chunk.problems.empty()) {
            if (m_progressive) {
                m_problemsModel->appendProblems(chunk.problems);
                problemsAdded = true;
            }
            m_loadProblems.insert(m_loadProblems.end(), chunk.problems.begin(), chunk.problems.end());
        }
        if (chunk.records.empty())
            continue;
        auto records = std::make_shared<const std::vector<RunRecord>>(std::move(chunk.records));
        m_chunks.push_back(records);
        if (m_progressive) {
            // A chunk is a few hundred records: filtering it here costs microseconds, and keeps rows
            // appearing while the load runs. The full view is computed off-thread at the end.
            m_runsModel->appendRows(records, filterRuns(*records, filter, now));
            m_totalLoaded += static_cast<int>(records->size());
            rowsAdded = true;
        }
    }
    if (problemsAdded)
        Q_EMIT problemsChanged();
    if (rowsAdded)
        Q_EMIT rowsAppended();
}

void RunSession::onLoadFinished()
{
    if (!m_loading)
        return;
    m_loading = false;
    m_lastLoadWallMs = m_loadClock.elapsed();
    const bool cancelled = m_loadWatcher.isCanceled();
    // The future holds a copy of every chunk; drop it now that they are ours.
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
    ComputeRequest req;
    req.generation = ++m_generation;
    m_latestGeneration->store(req.generation);
    req.latest = m_latestGeneration;
    req.filter = m_filter.toRunFilter();
    req.spanMs = m_filter.windowSpanMs();
    req.nowMs = Clock::nowMs();
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
    if (!view || view->generation != m_generation)
        return; // superseded
    m_view = view;
    if (consolidated) {
        const bool complete = !m_loading && view->chunksCovered == m_chunks.size();
        m_records = view->records;
        m_facets = view->facets;
        if (complete) {
            m_chunks.clear();
            m_chunksCurrent = false;
        }
        Q_EMIT recordsChanged();
    }
    m_runsModel->setRows(view->records, view->indices);
    if (m_loading && m_progressive && view->chunksCovered < m_chunks.size()) {
        // Chunks that arrived while this view was computed: append them with the same filter.
        for (size_t i = view->chunksCovered; i < m_chunks.size(); ++i)
            m_runsModel->appendRows(m_chunks[i], filterRuns(*m_chunks[i], view->filter, view->nowMs));
    }
    Q_EMIT filteredChanged();
}

void RunSession::publishEmptyView()
{
    ++m_generation;
    m_latestGeneration->store(m_generation);
    auto view = std::make_shared<RunView>();
    view->generation = m_generation;
    view->records = std::make_shared<const std::vector<RunRecord>>();
    view->filter = m_filter.toRunFilter();
    view->nowMs = Clock::nowMs();
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
    return exportRunsToFile(path, format, *m_view->records, m_view->indices, error);
}

} // namespace djp
