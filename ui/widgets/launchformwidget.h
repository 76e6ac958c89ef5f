#pragma once
// The Launch tab's run form (docs/gui-launch.md): task, preset, policy, models, budget, parameters
// and mode, laid out in one grid with a "source" label and a reset button next to every field a
// preset fills. It owns the LaunchForm state (which values come from the preset, which are the
// user's) and turns the editors into a RunRequest; planning, launching and the projection stay with
// LaunchPage, which hears of every edit through changed().
//
// Thread contract: GUI thread only.
#include "session/launchform.h"

#include <QWidget>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTableView;
class QToolButton;

namespace djp {

class ModelChoiceModel;
struct RunRequest;

class LaunchFormWidget : public QWidget
{
    Q_OBJECT
public:
    // `models` (the debater choices) is shared with the page, which marks the ones a budget drops.
    explicit LaunchFormWidget(ModelChoiceModel* models, QWidget* parent = nullptr);

    const LaunchForm& form() const { return m_form; }
    // The request the form describes now (parse problems in *errors).
    RunRequest request(QStringList* errors = nullptr) const;
    bool isOffline() const;
    // No preset chosen, every preset field at its default.
    void clearPreset();
    void focusTask(); // keyboard focus into the Task box, cursor at the end of its text

    // A bold, slightly larger section heading, as the form's sections use.
    static QLabel* sectionTitle(const QString& text);

Q_SIGNALS:
    // Any edit that can change the request (the page re-plans, debounced).
    void changed();

private:
    struct PresetFieldRow
    {
        LaunchForm::Field field;
        QWidget* editor = nullptr;
        QLabel* source = nullptr;
        QToolButton* reset = nullptr;
    };

    void addRow(QGridLayout* grid, int& row, const QString& label, QWidget* editor, const QString& tip,
        std::optional<LaunchForm::Field> presetField = std::nullopt);
    void connectPresetField(LaunchForm::Field field);
    void onPresetChosen();
    void onFieldEdited(LaunchForm::Field field);
    QVariant editorValue(LaunchForm::Field field) const;
    void syncPresetFields();
    void updateSourceLabels();

    ModelChoiceModel* m_models;
    LaunchForm m_form;
    bool m_syncing = false;

    std::vector<PresetFieldRow> m_presetRows;
    QPlainTextEdit* m_task = nullptr;
    QComboBox* m_preset = nullptr;
    QLabel* m_presetDescription = nullptr;
    QComboBox* m_policy = nullptr;
    QTableView* m_modelsView = nullptr;
    QLabel* m_modelsSource = nullptr;
    QLineEdit* m_addModel = nullptr;
    QComboBox* m_judge = nullptr;
    QSpinBox* m_maxTokens = nullptr;
    QDoubleSpinBox* m_temperature = nullptr;
    QCheckBox* m_fastpath = nullptr;
    QSpinBox* m_maxDebaters = nullptr;
    QSpinBox* m_citations = nullptr;
    QLineEdit* m_seed = nullptr;
    QLineEdit* m_budgetUsd = nullptr;
    QLineEdit* m_budgetTokens = nullptr;
    QLineEdit* m_maxCost = nullptr;
    QCheckBox* m_offline = nullptr;
    QLineEdit* m_corpus = nullptr;
    QSpinBox* m_groundedRequired = nullptr;
    QCheckBox* m_redact = nullptr;
    QLineEdit* m_trace = nullptr;
};

} // namespace djp
