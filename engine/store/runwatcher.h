#pragma once
// Watches a runs directory (recursively) and reports, debounced, that its artifacts changed: a file
// added, replaced (atomic rename), removed, or a sub-folder created. The receiver reloads through
// the index, which re-parses only what changed.
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
