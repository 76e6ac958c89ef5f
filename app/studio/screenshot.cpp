#include "screenshot.h"

#include "session/runsession.h"
#include "widgets/inspectorpage.h"
#include "widgets/mainwindow.h"

#include <QDir>
#include <QFileInfo>
#include <QPixmap>
#include <QTimer>
#include <cstdio>

namespace djp {

namespace {
// After the data is in, give the pages a few event-loop turns to lay out and paint (chart
// layouts and the inspector's own off-thread load finish asynchronously).
constexpr int kSettleMs = 400;
} // namespace

ScreenshotDriver::ScreenshotDriver(MainWindow* window, const QString& path, QObject* parent)
    : QObject(parent)
    , m_window(window)
    , m_path(path)
    , m_poll(new QTimer(this))
{
    m_poll->setInterval(50);
    connect(m_poll, &QTimer::timeout, this, &ScreenshotDriver::poll);
    connect(window->session(), &RunSession::loadFinished, this, [this] { m_loadSeen = true; });
}

void ScreenshotDriver::start()
{
    m_clock.start();
    m_poll->start();
}

void ScreenshotDriver::poll()
{
    if (m_clock.elapsed() > kTimeoutMs) {
        fail(QStringLiteral("timed out after %1 s waiting for the runs to load").arg(kTimeoutMs / 1000));
        return;
    }
    RunSession* session = m_window->session();
    if (!m_loadSeen || !session->isSettled()) {
        m_readySinceMs = -1;
        return;
    }
    if (m_window->currentTab() == MainWindow::Tab::Inspector && !m_inspectorRequested) {
        m_inspectorRequested = true;
        m_window->inspectNewestRun();
    }
    // The inspector reads its artifact off the GUI thread: wait until it shows it.
    if (m_inspectorRequested && m_window->inspectorPage()->isLoading()) {
        m_readySinceMs = -1;
        return;
    }
    if (m_readySinceMs < 0)
        m_readySinceMs = m_clock.elapsed();
    if (m_clock.elapsed() - m_readySinceMs >= kSettleMs)
        capture();
}

void ScreenshotDriver::capture()
{
    m_poll->stop();
    const QPixmap pixmap = m_window->grab();
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(dir) || pixmap.isNull() || !pixmap.save(m_path, "PNG")) {
        fail(QStringLiteral("could not write %1").arg(QDir::toNativeSeparators(m_path)));
        return;
    }
    std::fprintf(stdout, "%s\n", qPrintable(QDir::toNativeSeparators(QFileInfo(m_path).absoluteFilePath())));
    Q_EMIT done(0);
}

void ScreenshotDriver::fail(const QString& why)
{
    m_poll->stop();
    std::fprintf(stderr, "djp-studio: screenshot failed: %s\n", qPrintable(why));
    Q_EMIT done(1);
}

} // namespace djp
