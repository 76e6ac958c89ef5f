#include "launchformwidget.h"

#include "models/modelchoicemodel.h"
#include "pipeline/runplanner.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QDoubleValidator>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace djp {

namespace {

using Field = LaunchForm::Field;

// Optional numeric fields are line edits: empty means "not given", which differs from 0 for budgets
// (a budget of 0 allows no spending at all).
template <typename T> std::optional<T> parseOptional(const QLineEdit* edit, const QString& name, QStringList* errors)
{
    const QString text = edit->text().trimmed();
    if (text.isEmpty())
        return std::nullopt;
    bool ok = false;
    T value {};
    if constexpr (std::is_same_v<T, double>)
        value = QLocale::c().toDouble(text, &ok);
    else
        value = QLocale::c().toLongLong(text, &ok);
    if (!ok) {
        if (errors)
            errors->append(QObject::tr("%1: '%2' is not a number").arg(name, text));
        return std::nullopt;
    }
    return value;
}

} // namespace

QLabel* LaunchFormWidget::sectionTitle(const QString& text)
{
    auto* l = new QLabel(text);
    QFont f = l->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.15);
    l->setFont(f);
    return l;
}

// ---------------------------------------------------------------------------------------------
// Building

void LaunchFormWidget::addRow(QGridLayout* grid, int& row, const QString& label, QWidget* editor, const QString& tip,
    std::optional<LaunchForm::Field> presetField)
{
    // Mnemonics here avoid the menus' (F, E, V, R, H), the tabs' (D, U, I, L, A) and the filter
    // sidebar's (T, P, B, S, C) letters, which are all live while this tab is shown.
    auto* l = new QLabel(label);
    l->setBuddy(editor);
    if (editor->accessibleName().isEmpty()) {
        QString name = label;
        editor->setAccessibleName(name.remove(u'&'));
    }
    l->setToolTip(tip);
    editor->setToolTip(tip);
    grid->addWidget(l, row, 0, Qt::AlignLeft | Qt::AlignTop);
    grid->addWidget(editor, row, 1);
    if (presetField) {
        PresetFieldRow r;
        r.field = *presetField;
        r.editor = editor;
        r.source = new QLabel;
        r.source->setObjectName(QStringLiteral("source_%1").arg(launchFieldName(*presetField)));
        r.source->setMinimumWidth(r.source->fontMetrics().horizontalAdvance(QStringLiteral("deterministic ")));
        r.reset = new QToolButton;
        r.reset->setObjectName(QStringLiteral("reset_%1").arg(launchFieldName(*presetField)));
        r.reset->setText(QStringLiteral("↺"));
        r.reset->setAutoRaise(true);
        r.reset->setAccessibleName(tr("Reset to the preset's value"));
        r.reset->setToolTip(tr("Back to the preset's value (or the default)"));
        grid->addWidget(r.source, row, 2);
        grid->addWidget(r.reset, row, 3);
        const Field f = *presetField;
        connect(r.reset, &QToolButton::clicked, this, [this, f] {
            m_form.reset(f);
            syncPresetFields();
            Q_EMIT changed();
        });
        m_presetRows.push_back(r);
        connectPresetField(f);
    }
    ++row;
}

LaunchFormWidget::LaunchFormWidget(ModelChoiceModel* models, QWidget* parent)
    : QWidget(parent)
    , m_models(models)
{
    setObjectName(QStringLiteral("launchForm"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 8, 0);
    outer->addWidget(sectionTitle(tr("New run")));

    auto* grid = new QGridLayout;
    grid->setColumnStretch(1, 1);
    grid->setHorizontalSpacing(8);
    int row = 0;

    m_task = new QPlainTextEdit;
    m_task->setObjectName(QStringLiteral("taskEdit"));
    m_task->setPlaceholderText(
        tr("What should the debaters answer? e.g. \"Compare three ways to cache API responses\""));
    m_task->setTabChangesFocus(true);
    m_task->setFixedHeight(m_task->fontMetrics().lineSpacing() * 5 + 12);
    addRow(grid, row, tr("Tas&k"), m_task,
        tr("The task every debater receives. Required: Launch stays disabled while it is empty."));
    connect(m_task, &QPlainTextEdit::textChanged, this, &LaunchFormWidget::changed);

    m_preset = new QComboBox;
    m_preset->setObjectName(QStringLiteral("presetCombo"));
    m_preset->addItem(tr("manual (no preset)"), rundefaults::kPresetName);
    for (const QString& name : presetNames())
        m_preset->addItem(name, name);
    addRow(grid, row, tr("Preset"), m_preset,
        tr("A preset fills max tokens, temperature, fast path, max debaters, citations, seed and policy. Fields you "
           "change afterwards are yours and beat the preset (shown next to each field)."));
    connect(m_preset, &QComboBox::currentIndexChanged, this, &LaunchFormWidget::onPresetChosen);
    m_presetDescription = new QLabel;
    m_presetDescription->setObjectName(QStringLiteral("presetDescription"));
    m_presetDescription->setWordWrap(true);
    m_presetDescription->setTextFormat(Qt::PlainText);
    m_presetDescription->setForegroundRole(QPalette::PlaceholderText);
    grid->addWidget(m_presetDescription, row++, 1, 1, 3);

    m_policy = new QComboBox;
    m_policy->setObjectName(QStringLiteral("policyCombo"));
    for (const QString& name : policyNames())
        m_policy->addItem(name, name);
    addRow(grid, row, tr("P&olicy"), m_policy,
        tr("Which models may publish: with 'none' every run ends advisory_only at best; 'openai_only' lets only "
           "OpenAI models publish; 'openai_preferred' adds Claude 3.5 Sonnet and Gemini 1.5 Pro, OpenAI winning ties."),
        Field::Policy);

    // Models: checkable list with prices and access.
    auto* modelsBox = new QWidget;
    auto* modelsLayout = new QVBoxLayout(modelsBox);
    modelsLayout->setContentsMargins(0, 0, 0, 0);
    m_modelsView = new QTableView;
    m_modelsView->setObjectName(QStringLiteral("modelsView"));
    m_modelsView->setModel(m_models);
    m_modelsView->verticalHeader()->hide();
    m_modelsView->verticalHeader()->setDefaultSectionSize(m_modelsView->fontMetrics().height() + 6);
    m_modelsView->setSelectionMode(QAbstractItemView::NoSelection);
    m_modelsView->setShowGrid(false);
    m_modelsView->setAlternatingRowColors(true);
    m_modelsView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_modelsView->horizontalHeader()->setSectionResizeMode(ModelChoiceModel::Model, QHeaderView::Stretch);
    m_modelsView->setMinimumHeight(m_modelsView->verticalHeader()->defaultSectionSize() * 8);
    m_modelsView->setWordWrap(false);
    m_modelsView->setTextElideMode(Qt::ElideMiddle); // vendor and model date both matter
    modelsLayout->addWidget(m_modelsView);
    auto* modelsButtons = new QHBoxLayout;
    m_modelsSource = new QLabel;
    m_modelsSource->setObjectName(QStringLiteral("source_models"));
    auto* resetModels = new QToolButton;
    resetModels->setObjectName(QStringLiteral("reset_models"));
    resetModels->setText(tr("Default roster"));
    resetModels->setToolTip(tr("Back to the default roster (gpt-4o, gpt-4o-mini, Claude 3.5 Sonnet, Gemini 1.5 Pro), "
                               "cut by max debaters"));
    connect(resetModels, &QToolButton::clicked, m_models, &ModelChoiceModel::resetToDefault);
    m_addModel = new QLineEdit;
    m_addModel->setAccessibleName(tr("Add a model (vendor/model)"));
    m_addModel->setObjectName(QStringLiteral("addModelEdit"));
    m_addModel->setPlaceholderText(tr("add vendor/model, e.g. openai/llama3.1"));
    m_addModel->setToolTip(tr("Add a model that is not in the pricing table, e.g. a local model served through "
                              "OPENAI_BASE_URL (Ollama: http://localhost:11434/v1). It is unpriced: budgets count it "
                              "at the most expensive known price."));
    connect(m_addModel, &QLineEdit::returnPressed, this, [this] {
        if (m_models->addLabel(m_addModel->text()))
            m_addModel->clear();
    });
    modelsButtons->addWidget(m_modelsSource);
    modelsButtons->addStretch(1);
    modelsButtons->addWidget(m_addModel, 2);
    modelsButtons->addWidget(resetModels);
    modelsLayout->addLayout(modelsButtons);
    {
        const QString tip
            = tr("Debaters. Untouched, the run uses the default roster cut by max debaters (as the preset "
                 "says); once you check or uncheck a model, exactly the checked models debate, in this "
                 "order. Prices are USD per 1M tokens. 'simulated' means no key is set (or offline "
                 "mode): the simulated provider answers.");
        auto* label = new QLabel(tr("&Models"));
        label->setBuddy(m_modelsView);
        label->setToolTip(tip);
        m_modelsView->setToolTip(tip);
        grid->addWidget(label, row++, 0, 1, 4);
        grid->addWidget(modelsBox, row++, 0, 1, 4);
    }
    connect(m_models, &ModelChoiceModel::selectionChanged, this, [this] {
        updateSourceLabels();
        Q_EMIT changed();
    });

    // Budget right after the models: with the task and the projection, what a run is decided on
    // stays in view together, down to 1024x700.
    auto* budgetTitle = sectionTitle(tr("Budget"));
    grid->addWidget(budgetTitle, row++, 0, 1, 4);

    const auto moneyEdit = [](const QString& name) {
        auto* e = new QLineEdit;
        e->setObjectName(name);
        e->setPlaceholderText(tr("none"));
        auto* v = new QDoubleValidator(0.0, 1e9, 8, e);
        v->setLocale(QLocale::c());
        v->setNotation(QDoubleValidator::StandardNotation);
        e->setValidator(v);
        return e;
    };
    m_budgetUsd = moneyEdit(QStringLiteral("budgetUsdEdit"));
    addRow(grid, row, tr("Budget USD"), m_budgetUsd,
        tr("Checked before the run against the projected expected cost: above 100% the run is blocked (no call is "
           "made), above 90% you get a warning. During the run it is also a hard cap. Empty means no budget; a budget "
           "of 0 means no spending allowed."));
    connect(m_budgetUsd, &QLineEdit::textChanged, this, &LaunchFormWidget::changed);

    m_budgetTokens = new QLineEdit;
    m_budgetTokens->setObjectName(QStringLiteral("budgetTokensEdit"));
    m_budgetTokens->setPlaceholderText(tr("none"));
    m_budgetTokens->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("^\\d{0,15}$")), m_budgetTokens));
    addRow(grid, row, tr("Budget tokens"), m_budgetTokens,
        tr("The same gate for projected expected tokens, and a token cap during the run. Empty means no token budget; "
           "0 means no tokens allowed."));
    connect(m_budgetTokens, &QLineEdit::textChanged, this, &LaunchFormWidget::changed);

    m_maxCost = moneyEdit(QStringLiteral("maxCostEdit"));
    addRow(grid, row, tr("Ma&x cost USD"), m_maxCost,
        tr("Hard cap enforced during the run: before each call its worst-case cost is reserved, and a call that would "
           "exceed the cap is not made. Measured spend never exceeds it. Below $0.02 only the preferred vendor "
           "debates; below $0.05 at most one other vendor."));
    connect(m_maxCost, &QLineEdit::textChanged, this, &LaunchFormWidget::changed);

    grid->addWidget(sectionTitle(tr("Parameters")), row++, 0, 1, 4);

    m_judge = new QComboBox;
    m_judge->setObjectName(QStringLiteral("judgeCombo"));
    m_judge->setEditable(true);
    m_judge->addItems(m_models->labels());
    m_judge->setCurrentText(rundefaults::kJudgeModel);
    addRow(grid, row, tr("&Judge model"), m_judge,
        tr("The model that scores the drafts (default %1). If it cannot be afforded within the cap, the heuristic "
           "judge decides instead.")
            .arg(rundefaults::kJudgeModel));
    connect(m_judge, &QComboBox::currentTextChanged, this, &LaunchFormWidget::changed);

    m_maxTokens = new QSpinBox;
    m_maxTokens->setObjectName(QStringLiteral("maxTokensSpin"));
    m_maxTokens->setRange(1, 1'000'000);
    m_maxTokens->setSingleStep(100);
    m_maxTokens->setGroupSeparatorShown(true);
    addRow(grid, row, tr("Max tokens"), m_maxTokens,
        tr("Maximum output tokens per debater. The projection expects min(max tokens, 800) per debater and takes "
           "max tokens as the worst case; the in-run cap reserves the worst case before each call."),
        Field::MaxTokens);

    m_temperature = new QDoubleSpinBox;
    m_temperature->setObjectName(QStringLiteral("temperatureSpin"));
    m_temperature->setRange(0.0, 2.0);
    m_temperature->setSingleStep(0.1);
    m_temperature->setDecimals(2);
    addRow(grid, row, tr("Temperature"), m_temperature,
        tr("Sampling temperature of the debaters, 0 to 2 (the judge always uses 0.1)."), Field::Temperature);

    m_fastpath = new QCheckBox(tr("Preferred vendor only"));
    m_fastpath->setObjectName(QStringLiteral("fastpathCheck"));
    addRow(grid, row, tr("Fast path"), m_fastpath,
        tr("Fast path: only debaters of the policy's preferred vendor (OpenAI) take part."), Field::Fastpath);

    m_maxDebaters = new QSpinBox;
    m_maxDebaters->setObjectName(QStringLiteral("maxDebatersSpin"));
    m_maxDebaters->setRange(1, 20);
    addRow(grid, row, tr("Max debaters"), m_maxDebaters,
        tr("Upper bound on the number of debaters. It cuts the default roster; explicitly checked models are cut only "
           "when you set this field yourself."),
        Field::MaxDebaters);

    m_citations = new QSpinBox;
    m_citations->setObjectName(QStringLiteral("citationsSpin"));
    m_citations->setRange(0, 20);
    m_citations->setSpecialValueText(tr("not required"));
    addRow(grid, row, tr("Re&quire citations"), m_citations,
        tr("Evidence items each draft must give (0 = not required). Each required citation adds 20% to the projected "
           "debate tokens; drafts that fall short are penalised by the judge."),
        Field::RequireCitations);

    m_seed = new QLineEdit;
    m_seed->setObjectName(QStringLiteral("seedEdit"));
    m_seed->setPlaceholderText(tr("random"));
    m_seed->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("^-?\\d{0,18}$")), m_seed));
    addRow(grid, row, tr("Seed"), m_seed,
        tr("Seed of the judge's shuffle and of the simulated provider. Empty: a random seed, recorded in the artifact "
           "so the run can be replayed."),
        Field::Seed);

    grid->addWidget(sectionTitle(tr("Mode")), row++, 0, 1, 4);

    m_offline = new QCheckBox(tr("Simulate every call"));
    m_offline->setObjectName(QStringLiteral("offlineCheck"));
    addRow(grid, row, tr("Offline"), m_offline,
        tr("Offline mode: no network call; the simulated provider answers every model. The run and its calls are "
           "marked simulated, so their cost is never mistaken for real spend."));
    connect(m_offline, &QCheckBox::toggled, this, [this](bool on) {
        m_models->setOffline(on);
        Q_EMIT changed();
    });

    auto* corpusBox = new QWidget;
    auto* corpusLayout = new QHBoxLayout(corpusBox);
    corpusLayout->setContentsMargins(0, 0, 0, 0);
    m_corpus = new QLineEdit;
    m_corpus->setAccessibleName(tr("Grounded corpus folder"));
    m_corpus->setObjectName(QStringLiteral("corpusEdit"));
    m_corpus->setPlaceholderText(tr("none (not grounded)"));
    auto* browse = new QToolButton;
    browse->setText(tr("Browse…"));
    browse->setToolTip(tr("Choose the folder of .txt / .md documents"));
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Grounded Corpus Folder"), m_corpus->text());
        if (!dir.isEmpty())
            m_corpus->setText(QDir::toNativeSeparators(dir));
    });
    corpusLayout->addWidget(m_corpus, 1);
    corpusLayout->addWidget(browse);
    addRow(grid, row, tr("&Grounded corpus"), corpusBox,
        tr("Optional folder of .txt / .md documents. The most relevant passages are handed to the debaters as "
           "numbered sources, and the published text must cite the required number of them."));
    connect(m_corpus, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_groundedRequired->setEnabled(!text.trimmed().isEmpty());
        Q_EMIT changed();
    });

    m_groundedRequired = new QSpinBox;
    m_groundedRequired->setObjectName(QStringLiteral("groundedRequiredSpin"));
    m_groundedRequired->setRange(0, 20);
    m_groundedRequired->setValue(rundefaults::kGroundedRequired);
    m_groundedRequired->setEnabled(false);
    addRow(grid, row, tr("Required sources"), m_groundedRequired,
        tr("How many corpus sources the published text must cite (grounded mode only)."));
    connect(m_groundedRequired, &QSpinBox::valueChanged, this, &LaunchFormWidget::changed);

    m_redact = new QCheckBox(tr("Redact stored texts"));
    m_redact->setObjectName(QStringLiteral("redactCheck"));
    m_redact->setChecked(true);
    addRow(grid, row, tr("Redact"), m_redact,
        tr("On (default): API keys, e-mail addresses, phone and card numbers in the task and replies are replaced "
           "before the artifact is written."));
    connect(m_redact, &QCheckBox::toggled, this, &LaunchFormWidget::changed);

    m_trace = new QLineEdit;
    m_trace->setObjectName(QStringLiteral("traceEdit"));
    m_trace->setPlaceholderText(rundefaults::kTraceName);
    addRow(grid, row, tr("Trace &name"), m_trace,
        tr("A name recorded with the run, searchable in the filters (default %1).").arg(rundefaults::kTraceName));
    connect(m_trace, &QLineEdit::textChanged, this, &LaunchFormWidget::changed);

    outer->addLayout(grid);

    outer->addStretch(1);
    // Combo boxes would otherwise ask for their longest item ("anthropic/claude-3-5-sonnet-20241022"),
    // making the form too wide to share a 1024 px window with the projection.
    for (QComboBox* combo : findChildren<QComboBox*>()) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(14);
    }
}

void LaunchFormWidget::clearPreset()
{
    m_form.setPreset(QString());
    syncPresetFields();
}

// ---------------------------------------------------------------------------------------------
// Preset fields

void LaunchFormWidget::connectPresetField(Field field)
{
    const auto edited = [this, field] { onFieldEdited(field); };
    switch (field) {
    case Field::Policy:
        connect(m_policy, &QComboBox::currentIndexChanged, this, edited);
        break;
    case Field::MaxTokens:
        connect(m_maxTokens, &QSpinBox::valueChanged, this, edited);
        break;
    case Field::Temperature:
        connect(m_temperature, &QDoubleSpinBox::valueChanged, this, edited);
        break;
    case Field::Fastpath:
        connect(m_fastpath, &QCheckBox::toggled, this, edited);
        break;
    case Field::MaxDebaters:
        connect(m_maxDebaters, &QSpinBox::valueChanged, this, edited);
        break;
    case Field::RequireCitations:
        connect(m_citations, &QSpinBox::valueChanged, this, edited);
        break;
    case Field::Seed:
        connect(m_seed, &QLineEdit::textChanged, this, edited);
        break;
    }
}

QVariant LaunchFormWidget::editorValue(Field field) const
{
    switch (field) {
    case Field::Policy:
        return m_policy->currentData();
    case Field::MaxTokens:
        return m_maxTokens->value();
    case Field::Temperature:
        return m_temperature->value();
    case Field::Fastpath:
        return m_fastpath->isChecked();
    case Field::MaxDebaters:
        return m_maxDebaters->value();
    case Field::RequireCitations:
        return m_citations->value();
    case Field::Seed: {
        bool ok = false;
        const qint64 v = m_seed->text().trimmed().toLongLong(&ok);
        return ok ? QVariant::fromValue(v) : QVariant();
    }
    }
    return {};
}

void LaunchFormWidget::onFieldEdited(Field field)
{
    if (m_syncing)
        return;
    const QVariant v = editorValue(field);
    if (field == Field::Seed && !v.isValid())
        m_form.reset(field); // an emptied seed goes back to the preset's seed (or random)
    else
        m_form.setValue(field, v);
    updateSourceLabels();
    Q_EMIT changed();
}

void LaunchFormWidget::onPresetChosen()
{
    QString error;
    if (!m_form.setPreset(m_preset->currentData().toString(), &error)) {
        m_presetDescription->setText(error);
        return;
    }
    const auto& preset = m_form.preset();
    m_presetDescription->setText(preset ? preset->description : tr("No preset: defaults unless you set a field."));
    m_preset->setToolTip(preset ? tr("%1 (%2)").arg(preset->description, preset->origin) : QString());
    syncPresetFields();
    Q_EMIT changed();
}

void LaunchFormWidget::syncPresetFields()
{
    m_syncing = true;
    const int policyIndex = m_policy->findData(m_form.value(Field::Policy).toString());
    if (policyIndex >= 0)
        m_policy->setCurrentIndex(policyIndex);
    m_maxTokens->setValue(m_form.value(Field::MaxTokens).toInt());
    m_temperature->setValue(m_form.value(Field::Temperature).toDouble());
    m_fastpath->setChecked(m_form.value(Field::Fastpath).toBool());
    m_maxDebaters->setValue(m_form.value(Field::MaxDebaters).toInt());
    m_citations->setValue(m_form.value(Field::RequireCitations).toInt());
    const QVariant seed = m_form.value(Field::Seed);
    m_seed->setText(seed.isValid() ? QString::number(seed.toLongLong()) : QString());
    m_syncing = false;
    updateSourceLabels();
}

void LaunchFormWidget::updateSourceLabels()
{
    const QString preset = m_form.presetName();
    for (const PresetFieldRow& r : m_presetRows) {
        const LaunchForm::Source s = m_form.source(r.field);
        QFont f = r.source->font();
        f.setBold(s == LaunchForm::Source::User);
        f.setItalic(s != LaunchForm::Source::User);
        r.source->setFont(f);
        switch (s) {
        case LaunchForm::Source::Default:
            r.source->setText(tr("default"));
            r.source->setToolTip(tr("Not set by the preset or by you: the built-in default"));
            r.source->setForegroundRole(QPalette::PlaceholderText);
            break;
        case LaunchForm::Source::Preset:
            r.source->setText(preset);
            r.source->setToolTip(tr("From the preset %1").arg(preset));
            r.source->setForegroundRole(QPalette::Link);
            break;
        case LaunchForm::Source::User:
            r.source->setText(tr("yours"));
            r.source->setToolTip(tr("Set by you: an explicit option that beats the preset"));
            r.source->setForegroundRole(QPalette::WindowText);
            break;
        }
        r.reset->setVisible(s == LaunchForm::Source::User);
    }
    m_modelsSource->setText(m_models->isExplicit() ? tr("your selection") : tr("default roster"));
    QFont f = m_modelsSource->font();
    f.setBold(m_models->isExplicit());
    f.setItalic(!m_models->isExplicit());
    m_modelsSource->setFont(f);
}

// ---------------------------------------------------------------------------------------------
// Request

RunRequest LaunchFormWidget::request(QStringList* errors) const
{
    RunRequest r;
    r.task = m_task->toPlainText().trimmed();
    m_form.applyTo(r);
    if (m_models->isExplicit()) {
        r.models = m_models->checkedLabels();
        if (r.models->isEmpty() && errors)
            errors->append(tr("Check at least one model (or click Default roster)."));
    }
    const QString judge = m_judge->currentText().trimmed();
    if (!judge.isEmpty() && judge != rundefaults::kJudgeModel)
        r.judgeModel = judge;
    r.budgetUsd = parseOptional<double>(m_budgetUsd, tr("Budget USD"), errors);
    r.budgetTokens = parseOptional<qint64>(m_budgetTokens, tr("Budget tokens"), errors);
    r.maxCostUsd = parseOptional<double>(m_maxCost, tr("Max cost USD"), errors);
    if (m_offline->isChecked())
        r.offline = true;
    const QString corpus = m_corpus->text().trimmed();
    if (!corpus.isEmpty()) {
        r.groundedCorpus = QDir::fromNativeSeparators(corpus);
        r.groundedRequired = m_groundedRequired->value();
    }
    r.redact = m_redact->isChecked();
    if (!m_trace->text().trimmed().isEmpty())
        r.traceName = m_trace->text().trimmed();
    return r;
}

bool LaunchFormWidget::isOffline() const
{
    return m_offline->isChecked();
}

void LaunchFormWidget::focusTask()
{
    m_task->setFocus(Qt::ShortcutFocusReason);
    m_task->moveCursor(QTextCursor::End);
    m_task->ensureCursorVisible();
}

} // namespace djp
