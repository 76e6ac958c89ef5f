#pragma once
// --screenshot: waits until the runs are loaded, the filtered view is computed and the current
// page shows it (the Inspector shows the newest run), then saves the window as a PNG.
#include <QElapsedTimer>
#include <QObject>
#include <QString>

class QTimer;

namespace djp {

class MainWindow;

class ScreenshotDriver : public QObject
{
    Q_OBJECT
public:
    static constexpr int kTimeoutMs = 60000;

    ScreenshotDriver(MainWindow* window, const QString& path, QObject* parent = nullptr);
    void start(); // call before the folder is opened

Q_SIGNALS:
    void done(int exitCode);

private:
    void poll();
    void capture();
    void fail(const QString& why);

    MainWindow* m_window;
    QString m_path;
    QTimer* m_poll;
    QElapsedTimer m_clock;
    bool m_loadSeen = false;
    bool m_inspectorRequested = false;
    qint64 m_readySinceMs = -1;
};

} // namespace djp
