#include "store/runwatcher.h"

#include "store/dirscan.h"

#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QSet>
#include <QTimer>

namespace djp {

// Threading: lives on the thread that created it (normally the GUI thread); QFileSystemWatcher
// delivers directoryChanged there. The rescan of folders (readdir only, no stat of files) runs once
// per debounce period, not per event.
//
// What is seen: QFileSystemWatcher (inotify on Linux) reports, per watched folder, entries created,
// deleted, renamed into or out of it, and attribute changes. The atomic ArtifactWriter creates a
// hidden temp file and renames it over the final name, so a new or replaced artifact shows up as a
// change of its folder (two events, merged by the debounce). An in-place rewrite of an existing file
// (open + write without rename) changes no folder and is not reported; the next reload still sees it
// through its new size/mtime.
struct RunWatcher::Impl
{
    QFileSystemWatcher watcher;
    QTimer debounce;
    QString dir;
    bool rootExisted = false;

    // Watches the root and every sub-folder; when the root is missing, the nearest existing ancestor,
    // so its creation is noticed.
    void rearm()
    {
        QSet<QString> wanted;
        rootExisted = !dir.isEmpty() && QFileInfo(dir).isDir();
        if (rootExisted) {
            for (const QString& d : store::listDirectories(dir))
                wanted.insert(d);
        } else if (!dir.isEmpty()) {
            QDir up(dir);
            while (up.cdUp()) {
                if (up.exists()) {
                    wanted.insert(up.absolutePath());
                    break;
                }
                if (up.isRoot())
                    break;
            }
        }
        const QStringList current = watcher.directories();
        QStringList toRemove;
        for (const QString& d : current) {
            if (!wanted.contains(d))
                toRemove << d;
        }
        if (!toRemove.isEmpty())
            watcher.removePaths(toRemove);
        const QSet<QString> have(current.begin(), current.end());
        QStringList toAdd;
        for (const QString& d : std::as_const(wanted)) {
            if (!have.contains(d))
                toAdd << d;
        }
        if (!toAdd.isEmpty())
            watcher.addPaths(toAdd); // paths that vanished meanwhile are skipped (with a warning)
    }
};

RunWatcher::RunWatcher(QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Impl>())
{
    d->debounce.setSingleShot(true);
    d->debounce.setInterval(300);
    connect(&d->watcher, &QFileSystemWatcher::directoryChanged, this, [this] { d->debounce.start(); });
    connect(&d->debounce, &QTimer::timeout, this, [this] {
        const bool existed = d->rootExisted;
        d->rearm();
        // While the root is missing we watch an ancestor: only its appearance matters.
        if (existed || d->rootExisted)
            Q_EMIT runsChanged();
    });
}

RunWatcher::~RunWatcher() = default;

void RunWatcher::setDirectory(const QString& absoluteDir)
{
    const QString clean = absoluteDir.isEmpty() ? QString() : QDir::cleanPath(QDir(absoluteDir).absolutePath());
    d->debounce.stop();
    const QStringList current = d->watcher.directories();
    if (!current.isEmpty())
        d->watcher.removePaths(current);
    d->dir = clean;
    d->rearm();
}

QString RunWatcher::directory() const
{
    return d->dir;
}

void RunWatcher::setDebounceMs(int ms)
{
    d->debounce.setInterval(std::max(0, ms));
}

} // namespace djp
