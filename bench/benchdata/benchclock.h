#pragma once
// Measuring helpers shared by `djp bench` and `djp-studio --benchmark`: CPU time, peak RSS, the
// machine's load, medians. On a shared machine wall-clock figures include waiting for a core, so
// every figure is reported with the CPU time and the load average beside it (docs/performance.md).
#include <QElapsedTimer>
#include <QString>

#include <vector>

namespace djp::bench {

// CPU seconds (user + system, all threads) this process has used so far.
double cpuSeconds();
// CPU seconds the calling thread has used so far.
double threadCpuSeconds();
// Peak resident set size of this process in MB (getrusage ru_maxrss).
double peakRssMb();
// The peak of one phase: resetPhasePeakRss() starts it (Linux: /proc/self/clear_refs), phasePeakRssMb()
// reads it (VmHWM). False / -1 where the kernel does not offer that.
bool resetPhasePeakRss();
double phasePeakRssMb();
// Hands the heap's free pages back to the system (glibc keeps what a phase freed resident, so the
// next phase's peak would include the previous phase's records). A no-op elsewhere.
void releaseFreedHeap();
// The 1-, 5- and 15-minute load averages, as /proc/loadavg shows them ("0.52 0.61 0.70"), and the
// 1-minute one as a number (-1 when unknown).
QString loadAverageText();
double loadAverage1();
double median(std::vector<double> values);

struct Timing
{
    double wall = 0; // median seconds
    double cpu = 0; // median CPU seconds
    std::vector<double> walls; // every repetition, in order
};

// Runs `prepare` (untimed) then `fn` (timed), `times` times; medians of wall and CPU time.
template <typename Fn, typename Prepare = void (*)()>
Timing timeRepeated(
    int times, Fn fn, Prepare prepare = [] {})
{
    std::vector<double> cpu;
    Timing t;
    for (int i = 0; i < times; ++i) {
        prepare();
        QElapsedTimer clock;
        clock.start();
        const double c0 = cpuSeconds();
        fn();
        t.walls.push_back(double(clock.nsecsElapsed()) / 1e9);
        cpu.push_back(cpuSeconds() - c0);
    }
    t.wall = median(t.walls);
    t.cpu = median(cpu);
    return t;
}

} // namespace djp::bench
