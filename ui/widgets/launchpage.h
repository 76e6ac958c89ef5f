#pragma once
// The Launch tab (docs/gui.md Launch): the run form, its live projection and budget gate, the runs
// started from this window with their live progress, and the first-run demo offer.
//
// - The form (LaunchFormWidget) builds a RunRequest exactly like `djp run` options: a preset fills the
//   preset fields, fields the user changes become explicit options that beat it (LaunchForm shows
//   which is which). The demo offer is its own widget (DemoOfferWidget); when it shows is decided here.
// - Every change re-plans the run, debounced (~150 ms), with the engine's planRun() on the GUI thread:
//   without reading the corpus it takes well under a millisecond (measured; see docs/gui-launch.md).
//   Launch is enabled only when the plan's gate does not block and the task is not empty; otherwise
//   the reason (the gate's own message) is shown next to the button.
// - Runs go through the application's LaunchController (one RunEngine for the window, off the GUI
//   thread). Finished runs reach the dashboard through the session's folder watcher, not from here.
//
// Thread contract: GUI thread only.
#include "pipeline/runplanner.h"
#include "pricing/pricingtable.h"
#include "session/launchform.h"

#include <QWidget>
#include <memory>

class QLabel;
class QPushButton;
class QSplitter;
class QTableView;
class QTimer;

namespace djp {

class DemoOfferWidget;
class DemoRunner;
class LaunchController;
class LaunchFormWidget;
class MessageBar;
class ModelChoiceModel;
class ProjectionPanel;
class RunProgressWidget;
class RunSession;

class LaunchPage : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kProjectionDebounceMs = 150;
    static constexpr int kMinFormWidth = 430; // the form's column never gets narrower (it scrolls instead)
    static constexpr int kMinProjectionWidth = 320; // what the projection keeps while the form can give way
    static constexpr int kMaxFormWidth = 680; // wider, the editors only get emptier

    // `controller` may be null: the page then creates its own (default engine options) and owns it.
    explicit LaunchPage(RunSession* session, LaunchController* controller = nullptr, QWidget* parent = nullptr);
    ~LaunchPage() override;

    // Shows the first-run demo offer in the window's message bar too (link "demo").
    void setMessageBar(MessageBar* bar);

    LaunchController* controller() const { return m_controller; }
    DemoRunner* demoRunner() const { return m_demo; }
    ProjectionPanel* projectionPanel() const { return m_projection; }
    RunProgressWidget* progressWidget() const { return m_progress; }
    ModelChoiceModel* modelChoices() const { return m_models; }
    const LaunchForm& form() const;

    // The request Launch would start now (parse problems in *errors).
    RunRequest request(QStringList* errors = nullptr) const;
    std::shared_ptr<const RunPlan> currentPlan() const { return m_plan; }
    bool canLaunch() const;
    QString blockedReason() const; // empty when Launch is enabled
    bool isDemoOfferVisible() const;
    qint64 lastPlanMicros() const { return m_lastPlanMicros; }
    qint64 maxPlanMicros() const { return m_maxPlanMicros; }

public Q_SLOTS:
    // Starts the run when allowed (re-planning first if a change is pending). Returns its id, or ""
    // when Launch is disabled.
    QString launch();
    // Starts the simulated demo runs in the current runs folder (no question asked).
    void createDemoRuns();
    void refreshProjection(); // now, without waiting for the debounce
    void focusTask(); // keyboard focus into the Task box, cursor at the end of its text

Q_SIGNALS:
    void openArtifactRequested(const QString& path);
    void runLaunched(const QString& runId);
    void projectionUpdated();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void balanceColumns();

    QWidget* buildLaunchBar();
    QWidget* buildRunsArea();
    void scheduleProjection();
    void updateLaunchState();
    void updateDemoOffer();
    void onDemoFinished(int artifacts, int total);

    RunSession* m_session;
    LaunchController* m_controller;
    DemoRunner* m_demo;
    PricingTable m_pricing;
    ModelChoiceModel* m_models;
    QTimer* m_debounce;
    std::shared_ptr<const RunPlan> m_plan;
    QStringList m_planErrors;
    bool m_taskEmpty = true;
    qint64 m_lastPlanMicros = 0;
    qint64 m_maxPlanMicros = 0;
    MessageBar* m_messageBar = nullptr;
    bool m_demoNoticePending = false;
    bool m_folderLoaded = false; // the session finished reading the current folder
    int m_demoArtifacts = 0;

    LaunchFormWidget* m_formWidget = nullptr;
    QPushButton* m_launch = nullptr;
    QLabel* m_launchReason = nullptr;
    QLabel* m_simulatedNote = nullptr;

    DemoOfferWidget* m_demoOffer = nullptr;

    ProjectionPanel* m_projection = nullptr;
    QSplitter* m_split = nullptr;
    int m_formNaturalWidth = 0;
    bool m_userSplit = false;
    QTableView* m_runsList = nullptr;
    RunProgressWidget* m_progress = nullptr;
};

} // namespace djp
