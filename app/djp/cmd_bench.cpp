// `djp bench`: the performance figures of docs/performance.md. Each group of figures is one function taking the
// shared options and a BenchReport; the load figures are benchLoad(). More groups (e.g. run-engine
// overhead behind `--engine`) are added as further functions called from runBench().
#include "benchdata/benchclock.h"
#include "benchdata/syntheticartifacts.h"
#include "cli.h"
#include "core/clock.h"

#include "artifact/artifactdocument.h"
#include "artifact/artifactscanner.h"
#include "artifact/artifactwriter.h"
#include "core/jsonutil.h"
#include "metrics/kpis.h"
#include "metrics/runfilter.h"
#include "pipeline/runengine.h"
#include "store/dirscan.h"
#include "store/runstore.h"
#include "team/teampush.h"
#include "team/teamquery.h"
#include "team/teamschema.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdlib>
#include <fcntl.h>
#include <optional>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

using namespace djp;
using namespace djp::cli;
using namespace djp::bench;

namespace {

struct ShapeChoice
{
    SyntheticShape shape;
    const char* name; // key prefix and sub-folder name
};

struct BenchOptions
{
    int runs = 100000;
    QString dir; // reuse this folder when it holds artifacts; else generate into it
    bool keep = false;
    int threads = 0; // 0: QThread::idealThreadCount()
    bool json = false;
    int repeat = 3; // cold loads per shape (median)
    std::vector<ShapeChoice> shapes;
    QString legacyLoader; // bench/legacy_loader.py to run beside our cold load (empty: not run)
    QString python = QStringLiteral("/usr/bin/python3");
};

// Collects figures in order; prints one line each, or one JSON object.
class BenchReport
{
public:
    void add(const std::string& key, const QString& label, double value, const QString& unit, const QString& note = {})
    {
        m_figures.push_back({ key, label, value, unit, note });
    }
    void info(const std::string& key, const Json& value) { m_info[key] = value; }

    void print(bool json) const
    {
        if (json) {
            Json j = m_info;
            for (const Figure& f : m_figures)
                j[f.key] = f.value;
            out() << QString::fromStdString(j.dump(2)) << "\n";
        } else {
            for (const Figure& f : m_figures) {
                out() << f.label.leftJustified(56, QLatin1Char('.')) << " " << QString::number(f.value, 'f', 2) << " "
                      << f.unit;
                if (!f.note.isEmpty())
                    out() << "  (" << f.note << ")";
                out() << "\n";
            }
        }
        out().flush();
    }

private:
    struct Figure
    {
        std::string key;
        QString label;
        double value;
        QString unit;
        QString note;
    };
    std::vector<Figure> m_figures;
    Json m_info = Json::object();
};

// Reads every candidate file once so the timed loads measure parsing, not the disk.
qint64 warmPageCache(const QString& dir)
{
    const store::DirScanResult scan = store::scanRunsDir(dir);
    std::vector<char> buf(1 << 20);
    qint64 bytes = 0;
    const std::string prefix = dir.toStdString() + '/';
    for (const store::ScannedFile& f : scan.files) {
        const int fd = ::open((prefix + f.rel).c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t n;
        while ((n = ::read(fd, buf.data(), buf.size())) > 0)
            bytes += n;
        ::close(fd);
    }
    return bytes;
}

std::vector<RunFilter> benchFilters()
{
    std::vector<RunFilter> filters;
    RunFilter f; // default: last 7 days
    filters.push_back(f);
    f.lastMs = 30ll * 24 * 3600 * 1000;
    filters.push_back(f);
    f.lastMs.reset(); // all time
    filters.push_back(f);
    f.status = QStringLiteral("published");
    filters.push_back(f);
    f = RunFilter {};
    f.lastMs = 90ll * 24 * 3600 * 1000;
    f.preset = QStringLiteral("balanced");
    f.provider = QStringLiteral("openai/gpt-4o");
    filters.push_back(f);
    f = RunFilter {};
    f.lastMs.reset();
    f.groundedOnly = true;
    filters.push_back(f);
    f = RunFilter {};
    f.lastMs.reset();
    f.search = QStringLiteral("cloud");
    filters.push_back(f);
    return filters;
}

// Runs `script` (the legacy-style Python loader) on `dir` and returns its wall seconds, CPU seconds
// and peak RSS as it reports them, or nothing when it cannot run.
std::optional<Json> runLegacyLoader(const QString& python, const QString& script, const QString& dir)
{
    QProcess p;
    p.start(python, { script, dir, QStringLiteral("--json") });
    if (!p.waitForFinished(30 * 60 * 1000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        err() << "djp bench: the legacy loader failed: " << QString::fromUtf8(p.readAllStandardError()) << "\n";
        return std::nullopt;
    }
    Json j = Json::parse(p.readAllStandardOutput().toStdString(), nullptr, false);
    if (!j.is_object()) {
        err() << "djp bench: the legacy loader printed no JSON object\n";
        return std::nullopt;
    }
    return j;
}

// Load figures for one folder shape (docs/performance.md: cold load, cold load + KPIs, index
// reopen, re-filter + KPIs, RSS), every key prefixed with the shape's name. `dir` is used as is:
// its artifacts are reused, or generated into it when it has none.
int benchLoad(const BenchOptions& o, const ShapeChoice& shape, const QString& dir, BenchReport& report)
{
    const std::string px = std::string(shape.name) + "_";
    const QString tag = QStringLiteral("[%1] ").arg(QLatin1String(shape.name));
    auto key = [&](const char* k) { return px + k; };
    auto add = [&](const char* k, const QString& label, double value, const QString& unit, const QString& note = {}) {
        report.add(key(k), tag + label, value, unit, note);
    };

    const qint64 existing = qint64(store::scanRunsDir(dir).files.size());
    if (existing > 0) {
        report.info(key("generated"), false);
        err() << "Reusing " << existing << " files in " << dir << "\n";
    } else {
        SyntheticOptions gen;
        gen.shape = shape.shape;
        gen.count = o.runs;
        gen.corruptShare = 0.002;
        gen.maxThreads = o.threads;
        QElapsedTimer t;
        t.start();
        const SyntheticResult res = writeSyntheticArtifacts(dir, gen);
        if (!res.ok) {
            err() << "djp bench: generation failed: " << res.error << "\n";
            return Failure;
        }
        add("generation_s", QStringLiteral("Generate %1 artifacts").arg(res.written), t.elapsed() / 1000.0,
            QStringLiteral("s"),
            QStringLiteral("%1 MB, %2 corrupt").arg(res.bytes / 1e6, 0, 'f', 0).arg(res.corruptFiles.size()));
        report.info(key("generated"), true);
    }
    err() << "Folder: " << dir << "\n";
    err().flush();

    const qint64 warmBytes = warmPageCache(dir);
    report.info(key("runs_dir"), dir.toStdString());
    report.info(key("bytes"), warmBytes);
    report.info("threads", o.threads > 0 ? o.threads : QThread::idealThreadCount());

    QTemporaryDir cache(QDir::tempPath() + QStringLiteral("/djp-bench-cache-XXXXXX"));
    LoadOptions lo;
    lo.runsDir = dir;
    lo.maxThreads = o.threads;
    lo.indexPath = cache.filePath(QStringLiteral("bench.djpindex"));

    // Cold: no index; the page cache is warm (untimed read pass above), so this is parse cost. The
    // KPIs over all time follow, as `djp metrics --since all --no-index` does.
    lo.useIndex = false;
    LoadStats coldStats;
    size_t records = 0;
    RunFilter allTime;
    allTime.lastMs.reset();
    double coldLoadOnly = 0;
    std::vector<double> loadOnly;
    // Each phase's own peak RSS besides the process's: the heap a phase freed is handed back first,
    // so a phase's peak is what one load of this folder needs, not what the phases before it left.
    releaseFreedHeap();
    const bool phasePeaks = resetPhasePeakRss();
    const Timing cold = timeRepeated(o.repeat, [&] {
        QElapsedTimer t;
        t.start();
        LoadResult r = loadRuns(lo);
        loadOnly.push_back(t.nsecsElapsed() / 1e9);
        const Kpis k = computeKpis(r.records, filterRuns(r.records, allTime, Clock::nowMs()));
        coldStats = r.stats;
        records = size_t(k.totalRuns);
    });
    coldLoadOnly = median(loadOnly);
    const double coldPeakMb = phasePeaks ? phasePeakRssMb() : -1.0;
    report.info(key("files"), coldStats.filesSeen);
    report.info(key("records"), qint64(records));
    report.info(key("problems"), coldStats.problemCount);
    add("cold_load_kpis_s", QStringLiteral("Cold load + KPIs, no index (page cache warm)"), cold.wall,
        QStringLiteral("s"),
        QStringLiteral("median of %1 (%2); %3 files, %4 runs, %5 problems")
            .arg(o.repeat)
            .arg([&] {
                QStringList all;
                for (double w : cold.walls)
                    all << QString::number(w, 'f', 2);
                return all.join(QLatin1String(", "));
            }())
            .arg(coldStats.filesSeen)
            .arg(records)
            .arg(coldStats.problemCount));
    add("cold_load_s", QStringLiteral("Cold load, no index"), coldLoadOnly, QStringLiteral("s"));
    add("cold_load_cpu_s", QStringLiteral("Cold load + KPIs CPU time (all threads)"), cold.cpu, QStringLiteral("s"));
    add("cold_records_per_s", QStringLiteral("Cold load rate"), double(records) / coldLoadOnly,
        QStringLiteral("records/s"));
    add("cold_mb_per_s", QStringLiteral("Cold load throughput"), coldStats.bytesParsed / 1e6 / coldLoadOnly,
        QStringLiteral("MB/s"));
    add("load_avg_cold", QStringLiteral("Machine load (1, 5, 15 min) after the cold loads"), loadAverage1(), QString(),
        loadAverageText());

    if (!o.legacyLoader.isEmpty()) {
        if (const std::optional<Json> legacy = runLegacyLoader(o.python, o.legacyLoader, dir)) {
            const double secs = legacy->value("seconds", 0.0);
            add("legacy_loader_s", QStringLiteral("Legacy Python loader (same folder, same run)"), secs,
                QStringLiteral("s"),
                QStringLiteral("CPU %1 s, peak RSS %2 MB, %3 rows; load now %4")
                    .arg(legacy->value("cpu_seconds", 0.0), 0, 'f', 2)
                    .arg(legacy->value("peak_rss_mb", 0.0), 0, 'f', 0)
                    .arg(legacy->value("rows", 0))
                    .arg(loadAverageText()));
            add("legacy_ratio", QStringLiteral("Legacy loader time / our cold load + KPIs"),
                cold.wall > 0 ? secs / cold.wall : 0.0, QStringLiteral("x"), QStringLiteral("target >= 20"));
            add("legacy_cpu_ratio", QStringLiteral("Legacy loader CPU / our cold load + KPIs CPU"),
                cold.cpu > 0 ? legacy->value("cpu_seconds", 0.0) / cold.cpu : 0.0, QStringLiteral("x"));
        }
    }

    // First load with the index enabled: parses everything and writes the index.
    lo.useIndex = true;
    LoadStats firstStats;
    releaseFreedHeap();
    resetPhasePeakRss();
    const Timing first = timeRepeated(1, [&] { firstStats = loadRuns(lo).stats; });
    const double firstPeakMb = phasePeaks ? phasePeakRssMb() : -1.0;
    add("index_write_s", QStringLiteral("Index write (encode + write + commit)"), firstStats.indexWriteMs / 1000.0,
        QStringLiteral("s"),
        QStringLiteral("whole first indexed load %1 s; index file %2 MB")
            .arg(first.wall, 0, 'f', 2)
            .arg(QFileInfo(lo.indexPath).size() / 1e6, 0, 'f', 1));

    // Warm: the index answers for every file; only the directory is listed and stat'ed.
    LoadResult last;
    releaseFreedHeap();
    resetPhasePeakRss();
    const Timing warm = timeRepeated(
        5, [&] { last = loadRuns(lo); },
        [&] {
            last = LoadResult {};
            releaseFreedHeap();
        });
    const double warmPeakMb = phasePeaks ? phasePeakRssMb() : -1.0;
    add("warm_load_s", QStringLiteral("Warm reopen with index (incl. stat scan)"), warm.wall, QStringLiteral("s"),
        QStringLiteral("median of 5; scan %1 ms, index read %2 ms (overlapped), parsed %3")
            .arg(last.stats.scanMs)
            .arg(last.stats.indexReadMs)
            .arg(last.stats.parsedFiles));
    add("warm_load_cpu_s", QStringLiteral("Warm reopen CPU time (all threads)"), warm.cpu, QStringLiteral("s"));

    // Re-filter + KPIs over everything, as the GUI does when a filter changes.
    const std::vector<RunFilter> filters = benchFilters();
    const qint64 now = Clock::nowMs();
    std::vector<double> filterMs, filterCpuMs;
    qint64 checksum = 0;
    for (int rep = 0; rep < 3; ++rep) {
        for (const RunFilter& f : filters) {
            QElapsedTimer t;
            t.start();
            const double cpu0 = threadCpuSeconds();
            const std::vector<int> idx = filterRuns(last.records, f, now);
            const Kpis k = computeKpis(last.records, idx);
            filterMs.push_back(t.nsecsElapsed() / 1e6);
            filterCpuMs.push_back((threadCpuSeconds() - cpu0) * 1000.0);
            checksum += k.totalRuns;
        }
    }
    add("filter_kpi_ms", QStringLiteral("Filter change + KPI recompute"), median(filterMs), QStringLiteral("ms"),
        QStringLiteral("median of %1 (%2 filters), %3 records")
            .arg(filterMs.size())
            .arg(filters.size())
            .arg(last.records.size()));
    add("filter_kpi_cpu_ms", QStringLiteral("Filter change + KPI recompute, CPU time"), median(filterCpuMs),
        QStringLiteral("ms"), QStringLiteral("one thread; what an idle machine would take"));
    report.info(key("filter_checksum"), checksum);
    add("load_avg_1min", QStringLiteral("Machine load average, 1 min (%1 cores)").arg(QThread::idealThreadCount()),
        loadAverage1(), QString(), QStringLiteral("above the core count, wall times include waiting for a core"));
    if (phasePeaks) {
        add("cold_peak_rss_mb", QStringLiteral("Peak RSS during the cold loads + KPIs"), coldPeakMb,
            QStringLiteral("MB"));
        add("index_write_peak_rss_mb", QStringLiteral("Peak RSS during the first indexed load"), firstPeakMb,
            QStringLiteral("MB"));
        add("warm_peak_rss_mb", QStringLiteral("Peak RSS during the warm loads (+ filters)"),
            std::max(warmPeakMb, phasePeakRssMb()), QStringLiteral("MB"));
    }
    add("peak_rss_mb", QStringLiteral("Peak RSS (whole bench process so far)"), peakRssMb(), QStringLiteral("MB"));
    return Ok;
}

// Every requested shape, each in its own folder (a sub-folder of --dir named after the shape when
// there is more than one, else --dir itself, else a temporary folder).
int benchLoadShapes(const BenchOptions& o, BenchReport& report)
{
    std::optional<QTemporaryDir> tempRuns;
    QString base = o.dir;
    if (base.isEmpty()) {
        tempRuns.emplace(QDir::tempPath() + QStringLiteral("/djp-bench-XXXXXX"));
        if (!tempRuns->isValid()) {
            err() << "djp bench: cannot create a temporary folder\n";
            return Failure;
        }
        tempRuns->setAutoRemove(!o.keep);
        base = tempRuns->path();
        if (!o.keep)
            err() << "Generated folders are removed afterwards\n";
    }
    base = QDir::cleanPath(QDir(base).absolutePath());
    for (const ShapeChoice& shape : o.shapes) {
        const QString dir = o.shapes.size() > 1 ? base + QLatin1Char('/') + QLatin1String(shape.name) : base;
        const int rc = benchLoad(o, shape, dir, report);
        if (rc != Ok)
            return rc;
    }
    return Ok;
}

// Engine figures (docs/performance.md): a run's overhead with a zero-latency simulator, the artifact write, and
// the wall time of a run whose four debaters each take 300 ms (parallel debate: ~300 ms, not 1.2 s).
int benchEngine(int runs, BenchReport& report)
{
    QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/djp-bench-engine-XXXXXX"));
    if (!dir.isValid()) {
        err() << "djp bench: cannot create a temporary folder\n";
        return Failure;
    }
    const auto makeEngine = [&](int latencyMs) {
        EngineOptions options;
        options.runsDir = dir.path();
        options.hub.offline = true;
        options.hub.loadDotEnv = false;
        options.hub.simulator = SimulatorOptions {};
        options.hub.simulator.latencyMs = latencyMs;
        return std::make_unique<RunEngine>(options);
    };

    RunRequest quick;
    quick.task = QStringLiteral("Summarise the trade-offs of retrieval-augmented generation for a support team");
    quick.preset = QStringLiteral("quick");
    quick.offline = true;
    quick.seed = 7;

    // Overhead: everything a run does with a provider that answers at once (planning, prompts,
    // parsing, judging, redaction, artifact assembly and the atomic write).
    std::vector<double> runMs;
    std::vector<double> engineMs;
    std::vector<double> writeMs;
    QString lastArtifact;
    {
        auto engine = makeEngine(0);
        runToCompletion(*engine, quick); // warm-up (pricing, rules, first allocations)
        for (int i = 0; i < runs; ++i) {
            QElapsedTimer t;
            t.start();
            const RunOutcome out = runToCompletion(*engine, quick);
            runMs.push_back(t.nsecsElapsed() / 1e6);
            engineMs.push_back(out.engineMs);
            lastArtifact = out.artifactPath;
        }
    }
    // The artifact write alone (temp file, fsync, rename, directory fsync) for the same document.
    const ArtifactDocument doc = loadArtifactDocument(lastArtifact);
    for (int i = 0; i < std::max(5, runs / 2) && !doc.problem; ++i) {
        QElapsedTimer t;
        t.start();
        writeArtifact(dir.path(), doc.json, newRunId(), Clock::nowLocal());
        writeMs.push_back(t.nsecsElapsed() / 1e6);
    }
    const double write = writeMs.empty() ? 0.0 : median(writeMs);
    report.add("engine_run_ms", QStringLiteral("Run with a zero-latency simulator (incl. write)"), median(runMs),
        QStringLiteral("ms"), QStringLiteral("median of %1 quick runs, 3-4 calls each").arg(runs));
    report.add(
        "artifact_write_ms", QStringLiteral("Artifact write (temp + fsync + rename)"), write, QStringLiteral("ms"));
    report.add("engine_overhead_ms", QStringLiteral("Engine time per run, excluding the write"), median(engineMs),
        QStringLiteral("ms"),
        QStringLiteral("planning to artifact assembly, incl. the simulator's own work; target <= 5 ms"));

    // Parallel debate: four debaters at 300 ms each, no second judge pass.
    RunRequest four;
    four.task = quick.task;
    four.models = QStringList { QStringLiteral("openai/gpt-4o"), QStringLiteral("openai/gpt-4o-mini"),
        QStringLiteral("anthropic/claude-3-5-sonnet-20240620"), QStringLiteral("google/gemini-1.5-pro") };
    four.marginThreshold = 0;
    four.offline = true;
    four.seed = 7;
    auto engine = makeEngine(300);
    QElapsedTimer run;
    QElapsedTimer stage;
    double debateMs = 0;
    double judgeMs = 0;
    run.start();
    runToCompletion(*engine, four, [&](const RunEvent& e) {
        if (e.kind == RunEvent::Kind::StageStarted)
            stage.start();
        if (e.kind == RunEvent::Kind::StageFinished && e.stage == QLatin1String("debate"))
            debateMs = stage.nsecsElapsed() / 1e6;
        if (e.kind == RunEvent::Kind::StageFinished && e.stage == QLatin1String("judge"))
            judgeMs = stage.nsecsElapsed() / 1e6;
    });
    const double total = run.nsecsElapsed() / 1e6;
    report.add("debate_4x300_ms", QStringLiteral("Debate, 4 debaters x 300 ms simulated"), debateMs,
        QStringLiteral("ms"), QStringLiteral("sequential would be ~1200 ms; target <= 500 ms"));
    report.add("run_4x300_ms", QStringLiteral("Whole run, 4 debaters x 300 ms + judge"), total, QStringLiteral("ms"),
        QStringLiteral("judge %1 ms").arg(judgeMs, 0, 'f', 0));
    return Ok;
}

// CPU seconds used so far by a server backend on this machine (0 when not readable: remote server).
double backendCpuSeconds(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !f.open(QIODevice::ReadOnly))
        return 0.0;
    const QByteArray text = f.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0.0;
    // utime and stime are fields 14 and 15 of the file, 12 and 13 after "pid (comm) ".
    return (fields[11].toDouble() + fields[12].toDouble()) / double(::sysconf(_SC_CLK_TCK));
}

// Team history figures (docs/team-history.md): push a folder into the database given by --db,
// push it again (everything present), then KPIs and the export rows computed by the server.
// Use a scratch database: the pushed runs stay there.
int benchTeam(const BenchOptions& o, const QString& url, BenchReport& report)
{
    std::optional<QTemporaryDir> tempRuns;
    QString dir = o.dir;
    if (dir.isEmpty()) {
        tempRuns.emplace(QDir::tempPath() + QStringLiteral("/djp-bench-XXXXXX"));
        if (!tempRuns->isValid()) {
            err() << "djp bench: cannot create a temporary folder\n";
            return Failure;
        }
        tempRuns->setAutoRemove(!o.keep);
        dir = tempRuns->path();
    }
    dir = QDir::cleanPath(QDir(dir).absolutePath());
    if (store::scanRunsDir(dir).files.empty()) {
        SyntheticOptions gen;
        gen.shape = SyntheticShape::Legacy; // what teams push first: their legacy history
        gen.count = o.runs;
        gen.corruptShare = 0.002;
        gen.maxThreads = o.threads;
        const SyntheticResult res = writeSyntheticArtifacts(dir, gen);
        if (!res.ok) {
            err() << "djp bench: generation failed: " << res.error << "\n";
            return Failure;
        }
    }
    warmPageCache(dir);
    LoadOptions lo;
    lo.runsDir = dir;
    lo.maxThreads = o.threads;
    QTemporaryDir cache(QDir::tempPath() + QStringLiteral("/djp-bench-cache-XXXXXX"));
    lo.indexPath = cache.filePath(QStringLiteral("bench.djpindex"));
    const LoadResult loaded = loadRuns(lo);
    report.info("team_runs_dir", dir.toStdString());
    report.info("team_records", qint64(loaded.records.size()));

    DbError e;
    std::optional<PgConnection> conn = PgConnection::open(url, &e);
    TeamInitResult init;
    if (!conn || !initTeamSchema(*conn, false, &init, &e)) {
        err() << "djp bench: " << e.message << "\n";
        return Failure;
    }
    report.info("team_db", conn->redactedUrl().toStdString());
    qint64 before = 0;
    teamRunCount(*conn, &before, &e);
    if (before > 0)
        err() << "djp bench: the database already holds " << before << " runs (the push figure then includes "
              << "runs already present)\n";

    qint64 backend = 0;
    if (auto pid = conn->exec(QStringLiteral("SELECT pg_backend_pid()"), {}, &e))
        backend = pid->toLongLong(0, 0);
    PushOptions po;
    PushSummary first;
    const double clientCpu0 = cpuSeconds();
    const double serverCpu0 = backendCpuSeconds(backend);
    QElapsedTimer t;
    t.start();
    if (!pushRecords(*conn, loaded.records, po, &first, &e)) {
        err() << "djp bench: push failed: " << e.message << "\n";
        return Failure;
    }
    const double pushS = t.nsecsElapsed() / 1e9;
    report.add("team_push_client_cpu_s", QStringLiteral("Team push, client CPU (all threads)"),
        cpuSeconds() - clientCpu0, QStringLiteral("s"), QStringLiteral("read, hash, encode"));
    report.add("team_push_server_cpu_s", QStringLiteral("Team push, server backend CPU"),
        backendCpuSeconds(backend) - serverCpu0, QStringLiteral("s"),
        QStringLiteral("0 when the server is on another machine; WAL writer and checkpointer not included"));
    report.add("team_push_s", QStringLiteral("Team push (new runs)"), pushS, QStringLiteral("s"),
        QStringLiteral("%1 pushed, %2 present, %3 MB of artifacts; target <= 20 s for 100k")
            .arg(first.pushed)
            .arg(first.present)
            .arg(first.bytesSent / 1e6, 0, 'f', 0));
    report.add("team_push_runs_per_s", QStringLiteral("Team push rate"), double(loaded.records.size()) / pushS,
        QStringLiteral("runs/s"));
    PushSummary again;
    t.restart();
    pushRecords(*conn, loaded.records, po, &again, &e);
    report.add("team_repush_s", QStringLiteral("Team push again (all present)"), t.nsecsElapsed() / 1e9,
        QStringLiteral("s"), QStringLiteral("%1 present").arg(again.present));

    const std::vector<RunFilter> filters = benchFilters();
    const qint64 now = Clock::nowMs();
    const double kpiServerCpu0 = backendCpuSeconds(backend);
    std::vector<double> kpiMs;
    double allTimeMs = 0;
    for (int rep = 0; rep < 3; ++rep) {
        for (size_t i = 0; i < filters.size(); ++i) {
            KpiAggregates a;
            t.restart();
            if (!teamKpiAggregates(*conn, filters[i], now, &a, nullptr, &e)) {
                err() << "djp bench: " << e.message << "\n";
                return Failure;
            }
            const double ms = t.nsecsElapsed() / 1e6;
            kpiMs.push_back(ms);
            if (i == 2)
                allTimeMs = rep == 0 ? ms : std::min(allTimeMs, ms);
        }
    }
    report.add("team_metrics_ms", QStringLiteral("Team KPIs in SQL, median over 7 filters"), median(kpiMs),
        QStringLiteral("ms"),
        QStringLiteral("max %1 ms; all time %2 ms; target <= 500 ms")
            .arg(*std::max_element(kpiMs.begin(), kpiMs.end()), 0, 'f', 0)
            .arg(allTimeMs, 0, 'f', 0));
    report.add("team_metrics_server_cpu_ms", QStringLiteral("Team KPIs, server CPU per query"),
        (backendCpuSeconds(backend) - kpiServerCpu0) * 1000.0 / double(kpiMs.size()), QStringLiteral("ms"),
        QStringLiteral("mean over %1 queries").arg(kpiMs.size()));
    // The cost details: a second statement that reads the window's runs and prices each (run, label).
    const PricingTable pricing = PricingTable::load();
    std::vector<double> detailMs;
    double detailAllTimeMs = 0;
    for (int rep = 0; rep < 3; ++rep) {
        for (size_t i = 0; i < filters.size(); ++i) {
            CostDetailAggregates d;
            t.restart();
            if (!teamCostDetails(*conn, filters[i], now, pricing, &d, nullptr, &e)) {
                err() << "djp bench: " << e.message << "\n";
                return Failure;
            }
            const double ms = t.nsecsElapsed() / 1e6;
            detailMs.push_back(ms);
            if (i == 2)
                detailAllTimeMs = rep == 0 ? ms : std::min(detailAllTimeMs, ms);
        }
    }
    qint64 bucketRows = 0;
    if (auto n = conn->exec(QStringLiteral("SELECT count(*) FROM djp.run_buckets"), {}, &e))
        bucketRows = n->toLongLong(0, 0);
    report.add("team_cost_details_ms", QStringLiteral("Team cost details in SQL, median over 7 filters"),
        median(detailMs), QStringLiteral("ms"),
        QStringLiteral("max %1 ms; all time %2 ms; %3 (run, label) rows")
            .arg(*std::max_element(detailMs.begin(), detailMs.end()), 0, 'f', 0)
            .arg(detailAllTimeMs, 0, 'f', 0)
            .arg(bucketRows));
    std::vector<RunRecord> rows;
    RunFilter all;
    all.lastMs.reset();
    t.restart();
    teamRecords(*conn, all, now, &rows, &e);
    report.add("team_export_rows_s", QStringLiteral("Team export rows (all time)"), t.nsecsElapsed() / 1e9,
        QStringLiteral("s"), QStringLiteral("%1 records").arg(rows.size()));
    if (auto size = conn->exec(QStringLiteral("SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits "
                                              "WHERE inhparent = 'djp.runs'::regclass"),
            {}, &e))
        report.add("team_table_mb", QStringLiteral("Team history size on the server"), size->toDouble(0, 0) / 1e6,
            QStringLiteral("MB"), QStringLiteral("runs table, all partitions, indexes and TOAST"));
    return Ok;
}

int runBench(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Print the performance figures (load, index, filters, memory, engine)."));
    addCommonOptions(parser);
    parser.addOption({ QStringLiteral("runs"), QStringLiteral("Artifacts to generate (default 100000)."),
        QStringLiteral("N"), QStringLiteral("100000") });
    parser.addOption({ QStringLiteral("dir"),
        QStringLiteral("Use this folder: reuse its artifacts, or generate into it when empty "
                       "(kept). Default: a temporary folder."),
        QStringLiteral("DIR") });
    parser.addOption({ QStringLiteral("keep"), QStringLiteral("Keep the generated temporary folder.") });
    parser.addOption({ QStringLiteral("threads"), QStringLiteral("Parser threads (default: all cores)."),
        QStringLiteral("N"), QStringLiteral("0") });
    parser.addOption({ QStringLiteral("json"), QStringLiteral("Print one JSON object instead of lines.") });
    parser.addOption({ QStringLiteral("shape"),
        QStringLiteral("Folder shapes for the load figures: legacy (like real 1.1 folders), current (2.x), "
                       "mixed (the test data), or both (legacy and current; the default)."),
        QStringLiteral("SHAPE"), QStringLiteral("both") });
    parser.addOption(
        { QStringLiteral("repeat"), QStringLiteral("Cold loads per shape; the median is reported (default 3)."),
            QStringLiteral("N"), QStringLiteral("3") });
    parser.addOption({ QStringLiteral("legacy-loader"),
        QStringLiteral("Also run this legacy-style loader (bench/legacy_loader.py) on the same folder and "
                       "report the ratio."),
        QStringLiteral("SCRIPT") });
    parser.addOption(
        { QStringLiteral("db"), QStringLiteral("Also measure the team history in this (scratch) PostgreSQL database."),
            QStringLiteral("URL") });
    parser.addOption({ QStringLiteral("only"), QStringLiteral("Only one group of figures: load, engine or team."),
        QStringLiteral("GROUP") });
    parser.addOption(
        { QStringLiteral("engine-runs"), QStringLiteral("Runs for the engine overhead figure (default 50)."),
            QStringLiteral("N"), QStringLiteral("50") });
    int code = Ok;
    if (!parseOrExplain(parser, args, code))
        return code;

    BenchOptions o;
    bool ok = false;
    o.runs = parser.value(QStringLiteral("runs")).toInt(&ok);
    if (!ok || o.runs < 1) {
        err() << "djp bench: --runs needs a positive number\n";
        return Usage;
    }
    o.threads = parser.value(QStringLiteral("threads")).toInt(&ok);
    if (!ok || o.threads < 0) {
        err() << "djp bench: --threads needs a number >= 0\n";
        return Usage;
    }
    o.dir = parser.value(QStringLiteral("dir"));
    o.keep = parser.isSet(QStringLiteral("keep"));
    o.json = parser.isSet(QStringLiteral("json"));
    o.repeat = parser.value(QStringLiteral("repeat")).toInt(&ok);
    if (!ok || o.repeat < 1) {
        err() << "djp bench: --repeat needs a positive number\n";
        return Usage;
    }
    const QString shape = parser.value(QStringLiteral("shape"));
    if (shape == QLatin1String("both"))
        o.shapes = { { SyntheticShape::Legacy, "legacy" }, { SyntheticShape::Current, "current" } };
    else if (shape == QLatin1String("legacy"))
        o.shapes = { { SyntheticShape::Legacy, "legacy" } };
    else if (shape == QLatin1String("current"))
        o.shapes = { { SyntheticShape::Current, "current" } };
    else if (shape == QLatin1String("mixed"))
        o.shapes = { { SyntheticShape::Mixed, "mixed" } };
    else {
        err() << "djp bench: --shape takes legacy, current, mixed or both\n";
        return Usage;
    }
    o.legacyLoader = parser.value(QStringLiteral("legacy-loader"));

    const QString only = parser.value(QStringLiteral("only"));
    if (!only.isEmpty() && only != QLatin1String("load") && only != QLatin1String("engine")
        && only != QLatin1String("team")) {
        err() << "djp bench: --only takes load, engine or team\n";
        return Usage;
    }
    const int engineRuns = parser.value(QStringLiteral("engine-runs")).toInt(&ok);
    if (!ok || engineRuns < 1) {
        err() << "djp bench: --engine-runs needs a positive number\n";
        return Usage;
    }
    // Only an explicit --db: the bench writes synthetic runs, never into $DJP_DB_URL by accident.
    const QString dbUrl = parser.value(QStringLiteral("db"));
    if (only == QLatin1String("team") && dbUrl.isEmpty()) {
        err() << "djp bench: --only team needs --db URL (a scratch database)\n";
        return Usage;
    }
    BenchReport report;
    if (only.isEmpty() || only == QLatin1String("load")) {
        const int rc = benchLoadShapes(o, report);
        if (rc != Ok)
            return rc;
    }
    if (!dbUrl.isEmpty() && (only.isEmpty() || only == QLatin1String("team"))) {
        const int rc = benchTeam(o, dbUrl, report);
        if (rc != Ok)
            return rc;
    }
    if (only.isEmpty() || only == QLatin1String("engine")) {
        const int rc = benchEngine(engineRuns, report);
        if (rc != Ok)
            return rc;
    }
    report.print(o.json);
    return Ok;
}

} // namespace

DJP_COMMAND("bench", "Print the performance figures (load, index, filters, memory, engine)", runBench);
