#pragma once
// --benchmark: measures what a user feels on the runs folder given with --runs-dir and prints it:
// time to the first painted window, load time, the worst GUI-thread stall while loading and while
// filters change (a 5 ms timer records the largest gap between its ticks), filter change ->
// results applied -> repainted latency, a sort of the Runs table, and peak RSS.
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
    qint64 m_firstPaintMs = -1;
    qint64 m_firstDataPaintMs = -1; // from opening the source to the first paint with its data
    qint64 m_loadStartMs = 0;
    qint64 m_loadWallMs = -1;
    qint64 m_loadStall = 0;
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
    QStringList m_lines;
    qint64 m_sortGuiMs = 0;
    qint64 m_sortDoneMs = 0;
    qint64 m_sortStall = 0;
};

} // namespace djp
