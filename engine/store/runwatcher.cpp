#include "store/runwatcher.h"

#include "store/dirscan.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QFutureWatcher>
#include <QSet>
#include <QTimer>
#include <QtConcurrent>

#include <sys/stat.h>

namespace djp {

// Threading: lives on the thread that created it (normally the GUI thread); QFileSystemWatcher
// delivers directoryChanged there. The rescan of folders (readdir only, no stat of files) runs once
// per debounce period, not per event, on a worker thread; only the watches are set here.
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
    quint64 generation = 0; // bumped by every rearm: a listing of an older one is dropped

    struct Folder
    {
        QString path;
        qint64 mtimeNs = 0; // when it was listed
    };

    static qint64 mtimeNs(const QString& path)
    {
        struct stat st;
        if (::stat(QFile::encodeName(path).constData(), &st) != 0)
            return -1;
        return qint64(st.st_mtim.tv_sec) * 1000000000 + qint64(st.st_mtim.tv_nsec);
    }

    // Watches the root and every sub-folder; when the root is missing, the nearest existing ancestor,
    // so its creation is noticed. The root is watched at once; its sub-folders are listed on a worker
    // thread (reading a folder of 100k files takes tens of milliseconds, too long for the GUI thread)
    // and watched when the listing is back.
    void rearm()
    {
        const quint64 current = ++generation;
        rootExisted = !dir.isEmpty() && QFileInfo(dir).isDir();
        if (!rootExisted) {
            QSet<QString> wanted;
            if (!dir.isEmpty()) {
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
            watchExactly(wanted, {});
            return;
        }
        if (!watcher.directories().contains(dir))
            watcher.addPath(dir);
        auto* listing = new QFutureWatcher<std::vector<Folder>>(&watcher);
        QObject::connect(listing, &QFutureWatcherBase::finished, &watcher, [this, listing, current] {
            listing->deleteLater();
            if (current != generation)
                return; // another folder, or a newer rearm
            QSet<QString> wanted;
            std::vector<Folder> listed = listing->result();
            for (const Folder& f : listed)
                wanted.insert(f.path);
            wanted.insert(dir);
            watchExactly(wanted, listed);
        });
        listing->setFuture(QtConcurrent::run([root = dir] {
            std::vector<Folder> folders;
            for (QString& path : store::listDirectories(root)) {
                const qint64 mtime = mtimeNs(path);
                folders.push_back({ std::move(path), mtime });
            }
            return folders;
        }));
    }

    // Watches `wanted` and nothing else. A folder that changed between its listing and its watch
    // (its mtime moved) had a change nobody saw: reported like any other.
    void watchExactly(const QSet<QString>& wanted, const std::vector<Folder>& listed)
    {
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
        if (toAdd.isEmpty())
            return;
        watcher.addPaths(toAdd); // paths that vanished meanwhile are skipped (with a warning)
        for (const Folder& f : listed) {
            if (!have.contains(f.path) && f.path != dir && mtimeNs(f.path) != f.mtimeNs) {
                debounce.start();
                break;
            }
        }
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
