#pragma once
// One launched run, live (docs/gui.md Launch): stage progress (debate → judge → publish), each call as it
// starts and finishes, spend against the cap, Cancel, and at the end the outcome with an
// "Open in Inspector" button. Everything shown comes from the run's events (ActiveRunsModel).
// Thread contract: GUI thread only.
#include <QWidget>

class QGroupBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace djp {

class ActiveRunsModel;
class LaunchController;
class LiveCallsModel;
struct RunProgress;

class RunProgressWidget : public QWidget
{
    Q_OBJECT
public:
    RunProgressWidget(LaunchController* controller, QWidget* parent = nullptr);

    void setRun(const QString& runId); // "" shows the empty state
    QString runId() const { return m_runId; }

    QString stageText() const;
    QString outcomeText() const;
    QString artifactPath() const { return m_artifactPath; }
    QTableView* callsView() const { return m_callsView; }
    QPushButton* cancelButton() const { return m_cancel; }
    QPushButton* openButton() const { return m_open; }

Q_SIGNALS:
    void openArtifactRequested(const QString& path);

private:
    void refresh();
    void showRun(const RunProgress& run);

    LaunchController* m_controller;
    ActiveRunsModel* m_runs;
    LiveCallsModel* m_calls;
    QString m_runId;
    QString m_artifactPath;

    QLabel* m_title;
    QLabel* m_stageSteps[3];
    QLabel* m_stage;
    QProgressBar* m_spendBar;
    QLabel* m_spend;
    QTableView* m_callsView;
    QPushButton* m_cancel;
    QGroupBox* m_outcomeBox;
    QLabel* m_outcome;
    QPushButton* m_open;
};

} // namespace djp
