#pragma once
// Watches a runs directory (recursively) and reports, debounced, that its artifacts changed: a file
// added, replaced (atomic rename), removed, or a sub-folder created. The receiver reloads through
// the index, which re-parses only what changed.
//
// Lives on the thread that creates it (the GUI thread). Every folder under the root is watched and
// folders created later are added at the next debounce (the root at once; the folders below it are
// listed on a worker thread and watched when the listing is back, and one that changed in between
// is reported); a missing root is fine (its nearest existing
// parent is watched until it appears) and a deleted root is reported once. The atomic ArtifactWriter
// (hidden temp file, then rename) shows up as a change of the folder: one debounced signal per burst.
// An in-place rewrite (no rename) is not a folder change and is not reported; the next reload still
// picks it up through its new size/mtime.
#include <QObject>
#include <QString>
#include <memory>

namespace djp {

class RunWatcher : public QObject
{
    Q_OBJECT
public:
    explicit RunWatcher(QObject* parent = nullptr);
    ~RunWatcher() override;

    void setDirectory(const QString& absoluteDir); // empty: stop watching
    QString directory() const;
    void setDebounceMs(int ms); // default 300

Q_SIGNALS:
    void runsChanged();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace djp
