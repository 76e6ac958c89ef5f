#pragma once
// The Compare window: 2–4 runs side by side (task, parameters, outcome, drafts with rank, score and
// judge reasons, per-model calls, tokens and cost, totals), rows that differ highlighted, "Only
// differences", and Copy as text (the same text as `djp compare`). The artifacts are read off the GUI
// thread; the window shows "Reading…" until they are in.
#include <QDialog>
#include <QFutureWatcher>

#include "artifact/runcomparison.h"

class QCheckBox;
class QLabel;
class QTableView;

namespace djp {

class ComparisonFilterProxy;
class ComparisonModel;

class CompareDialog : public QDialog
{
    Q_OBJECT
public:
    explicit CompareDialog(const QStringList& artifactPaths, QWidget* parent = nullptr);
    ~CompareDialog() override;

    ComparisonModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    bool isReady() const { return m_ready; }
    QString statusText() const;

public Q_SLOTS:
    void setOnlyDifferences(bool only);
    void copyAsText();

Q_SIGNALS:
    void ready();

private:
    void onLoaded();

    ComparisonModel* m_model;
    ComparisonFilterProxy* m_proxy;
    QTableView* m_view;
    QLabel* m_status;
    QCheckBox* m_onlyDiffs;
    QFutureWatcher<RunComparison> m_watcher;
    bool m_ready = false;
};

} // namespace djp
