#pragma once
// --benchmark: measures what a user feels on the runs folder given with --runs-dir and prints it:
// time to the first painted window, load time, the worst GUI-thread stall while loading and while
// filters change (a 5 ms timer records the largest gap between its ticks), filter change ->
// results applied -> repainted latency, a sort of the Runs table, and peak RSS.
// On a shared machine a gap between ticks also counts time the GUI thread waited for a core, so
// beside each stall the GUI thread's own CPU time within the worst tick gap is printed (what it did
// in one piece), and the process's and the GUI thread's CPU time over the whole load.
#include "session/filterstate.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <functional>
#include <vector>

class QTimer;

namespace djp {

class MainWindow;

class BenchmarkDriver : public QObject
{
    Q_OBJECT
public:
    BenchmarkDriver(MainWindow* window, const QElapsedTimer& processClock, QObject* parent = nullptr);
    void watchFirstPaint(); // before the window is shown
    void start(); // before the folder is opened

Q_SIGNALS:
    void done(int exitCode);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Step
    {
        QString name;
        std::function<void()> apply;
    };
    void resetStall();
    void tick();
    void onSettled();
    void runNextStep();
    void finish();
    void report();

    MainWindow* m_window;
    QElapsedTimer m_processClock;
    QTimer* m_ticker;
    QElapsedTimer m_tickClock;
    qint64 m_lastTick = 0;
    qint64 m_maxGap = 0;
    double m_lastTickCpu = 0; // the GUI thread's CPU seconds at the last tick
    double m_maxGapCpuMs = 0; // the GUI thread's CPU time within one tick gap, worst so far
    qint64 m_firstPaintMs = -1;
    qint64 m_firstDataPaintMs = -1; // from opening the source to the first paint with its data
    qint64 m_loadStartMs = 0;
    qint64 m_loadWallMs = -1;
    qint64 m_loadStall = 0;
    double m_loadStallCpuMs = 0;
    qint64 m_loadViewComputeMs = -1; // the view that ended the load: its compute time
    qint64 m_loadConsolidateMs = -1; // ... of which consolidating the chunks
    double m_loadCpuStart = 0; // process CPU seconds when the load started
    double m_loadGuiCpuStart = 0; // GUI thread CPU seconds when the load started
    double m_loadCpuS = 0; // process CPU seconds over the load
    double m_loadGuiCpuS = 0; // GUI thread CPU seconds over the load
    TimeRange m_loadRange = TimeRange::Last7d; // the filter in effect while loading
    bool m_loaded = false;
    bool m_loadSeen = false;

    std::vector<Step> m_steps;
    size_t m_next = 0;
    QElapsedTimer m_stepClock;
    qint64 m_appliedMs = -1;
    bool m_waitPaint = false;
    qint64 m_worstApplied = 0;
    qint64 m_worstPainted = 0;
    qint64 m_worstFilterStall = 0;
    double m_worstFilterStallCpuMs = 0;
    QStringList m_lines;
    qint64 m_sortGuiMs = 0;
    qint64 m_sortDoneMs = 0;
    qint64 m_sortStall = 0;
    double m_sortStallCpuMs = 0;
};

} // namespace djp
