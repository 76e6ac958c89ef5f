#include "benchdata/benchclock.h"

#include <QFile>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <sys/resource.h>

namespace djp::bench {

namespace {
// Resetting a phase's peak also lowers what getrusage reports as the process's peak (both read the
// kernel's high-water mark), so the peak before each reset is kept here.
double g_peakBeforeResets = 0;
} // namespace

double cpuSeconds()
{
    struct rusage usage
    {
    };
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double threadCpuSeconds()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

double peakRssMb()
{
    struct rusage usage
    {
    };
    getrusage(RUSAGE_SELF, &usage);
    // ru_maxrss is KiB on Linux; the kernel's current high-water mark (VmHWM) can be above it.
    return std::max({ double(usage.ru_maxrss) / 1024.0, phasePeakRssMb(), g_peakBeforeResets });
}

bool resetPhasePeakRss()
{
    g_peakBeforeResets = peakRssMb();
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    return f.open(QIODevice::WriteOnly) && f.write("5") == 1;
}

double phasePeakRssMb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1.0;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith("VmHWM:")) {
            bool ok = false;
            const double kb = line.mid(6).trimmed().split(' ').value(0).toDouble(&ok);
            return ok ? kb / 1024.0 : -1.0;
        }
    }
    return -1.0;
}

void releaseFreedHeap()
{
#ifdef __GLIBC__
    ::malloc_trim(0);
#endif
}

QString loadAverageText()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return QString();
    const QList<QByteArray> parts = f.readAll().simplified().split(' ');
    return parts.size() >= 3 ? QString::fromLatin1(parts[0] + ' ' + parts[1] + ' ' + parts[2]) : QString();
}

double loadAverage1()
{
    double avg[1] = { 0 };
    return getloadavg(avg, 1) == 1 ? avg[0] : -1.0;
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

} // namespace djp::bench
