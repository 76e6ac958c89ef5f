#include "launchpage.h"

#include "core/log.h"
#include "display/tones.h"
#include "display/vocabularytext.h"
#include "messagebar.h"
#include "models/activerunsmodel.h"
#include "models/modelchoicemodel.h"
#include "pricing/money.h"
#include "projectionpanel.h"
#include "providers/providerregistry.h"
#include "runprogresswidget.h"
#include "session/demoruns.h"
#include "session/launchcontroller.h"
#include "session/runsession.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QDoubleValidator>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

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

QLabel* sectionTitle(const QString& text)
{
    auto* l = new QLabel(text);
    QFont f = l->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.15);
    l->setFont(f);
    return l;
}

} // namespace

LaunchPage::LaunchPage(RunSession* session, LaunchController* controller, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_controller(controller ? controller : new LaunchController({}, this))
    , m_demo(new DemoRunner(m_controller, this))
    , m_pricing(PricingTable::load())
    , m_models(new ModelChoiceModel(m_pricing, ProviderRegistry::loadDefault(), this))
    , m_debounce(new QTimer(this))
{
    setObjectName(QStringLiteral("launchPage"));
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kProjectionDebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &LaunchPage::refreshProjection);

    m_projection = new ProjectionPanel;
    m_progress = new RunProgressWidget(m_controller);
    connect(m_progress, &RunProgressWidget::openArtifactRequested, this, &LaunchPage::openArtifactRequested);

    auto* formScroll = new QScrollArea;
    formScroll->setObjectName(QStringLiteral("launchFormScroll"));
    formScroll->setWidget(buildForm());
    formScroll->setWidgetResizable(true);
    formScroll->setFrameShape(QFrame::NoFrame);
    // As needed, not off: squeezed below its minimum the form scrolls instead of being cut.
    formScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);

    auto* projectionScroll = new QScrollArea;
    projectionScroll->setWidget(m_projection);
    projectionScroll->setWidgetResizable(true);
    projectionScroll->setFrameShape(QFrame::NoFrame);

    auto* right = new QSplitter(Qt::Vertical);
    right->setObjectName(QStringLiteral("launchRightSplitter"));
    right->addWidget(projectionScroll);
    QWidget* runsArea = buildRunsArea();
    right->addWidget(runsArea);
    // Until something runs, the projection gets the whole column.
    runsArea->setVisible(m_controller->runs()->rowCount() > 0);
    connect(m_controller->runs(), &QAbstractItemModel::rowsInserted, runsArea, [runsArea] { runsArea->show(); });
    right->setStretchFactor(0, 1);
    right->setStretchFactor(1, 1);
    right->setChildrenCollapsible(false);

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(formScroll, 1);
    leftLayout->addWidget(buildLaunchBar());

    auto* split = new QSplitter(Qt::Horizontal);
    split->setObjectName(QStringLiteral("launchSplitter"));
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    // The form's natural width (plus its scroll bar); balanceColumns() shares the width out so that the
    // projection keeps a readable column down to 1024x700.
    m_formNaturalWidth = formScroll->widget()->minimumSizeHint().width()
        + formScroll->style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 4;
    split->setSizes({ m_formNaturalWidth, std::max(600, 1200 - m_formNaturalWidth) });
    m_split = split;
    split->installEventFilter(this);
    connect(split, &QSplitter::splitterMoved, this, [this] { m_userSplit = true; });
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addWidget(buildDemoOffer());
    layout->addWidget(split, 1);

    // The run folder follows the session; runs in flight keep their folder (LaunchController).
    m_controller->setRunsDir(m_session->runsDir());
    connect(m_session, &RunSession::runsDirChanged, this, [this](const QString& dir) {
        m_controller->setRunsDir(dir);
        m_folderLoaded = false; // no offer before the new folder was read: it may well have runs
        updateDemoOffer();
    });
    // A team history receives every run launched here, after its artifact is written locally.
    connect(m_session, &RunSession::sourceChanged, this, [this] {
        m_controller->setTeamPush(m_session->teamPusher());
        updateDemoOffer();
    });
    m_controller->setTeamPush(m_session->teamPusher());
    connect(m_session, &RunSession::loadFinished, this, [this] {
        m_folderLoaded = true;
        updateDemoOffer();
    });
    connect(m_session, &RunSession::recordsChanged, this, &LaunchPage::updateDemoOffer);
    connect(m_session, &RunSession::problemsChanged, this, &LaunchPage::updateDemoOffer);
    connect(m_demo, &DemoRunner::progress, this, [this](int done, int total) {
        m_demoProgress->setText(tr("Creating demo runs: %1 of %2 finished…").arg(done).arg(total));
        updateDemoOffer();
    });
    connect(m_demo, &DemoRunner::finished, this, &LaunchPage::onDemoFinished);

    m_form.setPreset(QString());
    syncPresetFields();
    refreshProjection();
    updateDemoOffer();
}

LaunchPage::~LaunchPage() = default;

// ---------------------------------------------------------------------------------------------
// Building

void LaunchPage::addRow(QGridLayout* grid, int& row, const QString& label, QWidget* editor, const QString& tip,
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
            scheduleProjection();
        });
        m_presetRows.push_back(r);
        connectPresetField(f);
    }
    ++row;
}

QWidget* LaunchPage::buildForm()
{
    auto* form = new QWidget;
    form->setObjectName(QStringLiteral("launchForm"));
    auto* outer = new QVBoxLayout(form);
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
    connect(m_task, &QPlainTextEdit::textChanged, this, &LaunchPage::scheduleProjection);

    m_preset = new QComboBox;
    m_preset->setObjectName(QStringLiteral("presetCombo"));
    m_preset->addItem(tr("manual (no preset)"), rundefaults::kPresetName);
    for (const QString& name : presetNames())
        m_preset->addItem(name, name);
    addRow(grid, row, tr("Preset"), m_preset,
        tr("A preset fills max tokens, temperature, fast path, max debaters, citations, seed and policy. Fields you "
           "change afterwards are yours and beat the preset (shown next to each field)."));
    connect(m_preset, &QComboBox::currentIndexChanged, this, &LaunchPage::onPresetChosen);
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
        scheduleProjection();
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
    connect(m_budgetUsd, &QLineEdit::textChanged, this, &LaunchPage::scheduleProjection);

    m_budgetTokens = new QLineEdit;
    m_budgetTokens->setObjectName(QStringLiteral("budgetTokensEdit"));
    m_budgetTokens->setPlaceholderText(tr("none"));
    m_budgetTokens->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("^\\d{0,15}$")), m_budgetTokens));
    addRow(grid, row, tr("Budget tokens"), m_budgetTokens,
        tr("The same gate for projected expected tokens, and a token cap during the run. Empty means no token budget; "
           "0 means no tokens allowed."));
    connect(m_budgetTokens, &QLineEdit::textChanged, this, &LaunchPage::scheduleProjection);

    m_maxCost = moneyEdit(QStringLiteral("maxCostEdit"));
    addRow(grid, row, tr("Ma&x cost USD"), m_maxCost,
        tr("Hard cap enforced during the run: before each call its worst-case cost is reserved, and a call that would "
           "exceed the cap is not made. Measured spend never exceeds it. Below $0.02 only the preferred vendor "
           "debates; below $0.05 at most one other vendor."));
    connect(m_maxCost, &QLineEdit::textChanged, this, &LaunchPage::scheduleProjection);

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
    connect(m_judge, &QComboBox::currentTextChanged, this, &LaunchPage::scheduleProjection);

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
        scheduleProjection();
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
        scheduleProjection();
    });

    m_groundedRequired = new QSpinBox;
    m_groundedRequired->setObjectName(QStringLiteral("groundedRequiredSpin"));
    m_groundedRequired->setRange(0, 20);
    m_groundedRequired->setValue(rundefaults::kGroundedRequired);
    m_groundedRequired->setEnabled(false);
    addRow(grid, row, tr("Required sources"), m_groundedRequired,
        tr("How many corpus sources the published text must cite (grounded mode only)."));
    connect(m_groundedRequired, &QSpinBox::valueChanged, this, &LaunchPage::scheduleProjection);

    m_redact = new QCheckBox(tr("Redact stored texts"));
    m_redact->setObjectName(QStringLiteral("redactCheck"));
    m_redact->setChecked(true);
    addRow(grid, row, tr("Redact"), m_redact,
        tr("On (default): API keys, e-mail addresses, phone and card numbers in the task and replies are replaced "
           "before the artifact is written."));
    connect(m_redact, &QCheckBox::toggled, this, &LaunchPage::scheduleProjection);

    m_trace = new QLineEdit;
    m_trace->setObjectName(QStringLiteral("traceEdit"));
    m_trace->setPlaceholderText(rundefaults::kTraceName);
    addRow(grid, row, tr("Trace &name"), m_trace,
        tr("A name recorded with the run, searchable in the filters (default %1).").arg(rundefaults::kTraceName));
    connect(m_trace, &QLineEdit::textChanged, this, &LaunchPage::scheduleProjection);

    outer->addLayout(grid);

    outer->addStretch(1);
    // Combo boxes would otherwise ask for their longest item ("anthropic/claude-3-5-sonnet-20241022"),
    // making the form too wide to share a 1024 px window with the projection.
    for (QComboBox* combo : form->findChildren<QComboBox*>()) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(14);
    }
    return form;
}

QWidget* LaunchPage::buildLaunchBar()
{
    // Outside the form's scroll area: Launch and its reason stay visible whatever the form's scroll.
    auto* bar = new QWidget;
    bar->setObjectName(QStringLiteral("launchBar"));
    auto* layout = new QVBoxLayout(bar);
    layout->setContentsMargins(0, 6, 8, 0);
    auto* launchRow = new QHBoxLayout;
    m_launch = new QPushButton(tr("Launch"));
    m_launch->setObjectName(QStringLiteral("launchButton"));
    m_launch->setDefault(true);
    m_launch->setToolTip(tr("Start the run (Ctrl+R on this tab). Disabled, with the reason, while the task is empty "
                            "or the budget gate blocks the projected cost."));
    QFont lf = m_launch->font();
    lf.setBold(true);
    m_launch->setFont(lf);
    m_launch->setMinimumWidth(120);
    connect(m_launch, &QPushButton::clicked, this, &LaunchPage::launch);
    m_launchReason = new QLabel;
    m_launchReason->setObjectName(QStringLiteral("launchReason"));
    m_launchReason->setWordWrap(true);
    m_launchReason->setTextFormat(Qt::RichText);
    launchRow->addWidget(m_launch, 0, Qt::AlignTop);
    launchRow->addWidget(m_launchReason, 1);
    m_simulatedNote = new QLabel;
    m_simulatedNote->setObjectName(QStringLiteral("simulatedNote"));
    m_simulatedNote->setWordWrap(true);
    m_simulatedNote->setTextFormat(Qt::PlainText);
    layout->addLayout(launchRow);
    layout->addWidget(m_simulatedNote);
    return bar;
}

QWidget* LaunchPage::buildDemoOffer()
{
    m_demoOffer = new QFrame;
    m_demoOffer->setObjectName(QStringLiteral("demoOffer"));
    m_demoOffer->setFrameShape(QFrame::StyledPanel);
    m_demoOffer->setAutoFillBackground(true);
    m_demoOffer->setBackgroundRole(QPalette::AlternateBase);
    auto* layout = new QHBoxLayout(m_demoOffer);
    m_demoText = new QLabel;
    m_demoText->setObjectName(QStringLiteral("demoOfferText"));
    m_demoText->setWordWrap(true);
    m_demoText->setTextFormat(Qt::RichText);
    m_demoText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* side = new QVBoxLayout;
    m_demoButton = new QPushButton(tr("Create demo runs"));
    m_demoButton->setObjectName(QStringLiteral("createDemoButton"));
    m_demoButton->setToolTip(tr("Run six short demo runs through the simulated provider into this folder: no network, "
                                "no cost, every run marked simulated"));
    connect(m_demoButton, &QPushButton::clicked, this, &LaunchPage::createDemoRuns);
    m_demoProgress = new QLabel;
    m_demoProgress->setObjectName(QStringLiteral("demoProgress"));
    side->addWidget(m_demoButton);
    side->addWidget(m_demoProgress);
    side->addStretch(1);
    layout->addWidget(m_demoText, 1);
    layout->addLayout(side);
    m_demoOffer->hide();
    return m_demoOffer;
}

QWidget* LaunchPage::buildRunsArea()
{
    auto* area = new QWidget;
    auto* layout = new QVBoxLayout(area);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addWidget(sectionTitle(tr("Runs from this window")));
    m_runsList = new QTableView;
    m_runsList->setAccessibleName(tr("Runs started from this window"));
    m_runsList->setObjectName(QStringLiteral("runsList"));
    m_runsList->setModel(m_controller->runs());
    m_runsList->verticalHeader()->hide();
    m_runsList->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runsList->setSelectionMode(QAbstractItemView::SingleSelection);
    m_runsList->setShowGrid(false);
    m_runsList->setAlternatingRowColors(true);
    m_runsList->setWordWrap(false);
    m_runsList->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_runsList->horizontalHeader()->setSectionResizeMode(ActiveRunsModel::Task, QHeaderView::Stretch);
    m_runsList->verticalHeader()->setDefaultSectionSize(m_runsList->fontMetrics().height() + 6);
    m_runsList->setMaximumHeight(m_runsList->verticalHeader()->defaultSectionSize() * 5 + 28);
    m_runsList->setToolTip(tr("Runs started here (this session). Select one to follow it; all runs of the folder are "
                              "in the Runs tab"));
    connect(m_runsList->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) {
            m_progress->setRun(
                current.isValid() ? current.siblingAtColumn(0).data(ActiveRunsModel::RunIdRole).toString() : QString());
        });
    connect(m_controller, &LaunchController::runStarted, this, [this](const QString& runId) {
        // Show the first run started (e.g. a demo run) when nothing is shown; launch() selects its own run.
        if (!m_progress->runId().isEmpty())
            return;
        const int row = m_controller->runs()->rowOf(runId);
        m_runsList->selectionModel()->setCurrentIndex(
            m_controller->runs()->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    });
    layout->addWidget(m_runsList);
    layout->addWidget(m_progress, 1);
    return area;
}

// ---------------------------------------------------------------------------------------------
// Preset fields

void LaunchPage::connectPresetField(Field field)
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

QVariant LaunchPage::editorValue(Field field) const
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

void LaunchPage::onFieldEdited(Field field)
{
    if (m_syncing)
        return;
    const QVariant v = editorValue(field);
    if (field == Field::Seed && !v.isValid())
        m_form.reset(field); // an emptied seed goes back to the preset's seed (or random)
    else
        m_form.setValue(field, v);
    updateSourceLabels();
    scheduleProjection();
}

void LaunchPage::onPresetChosen()
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
    scheduleProjection();
}

void LaunchPage::syncPresetFields()
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

void LaunchPage::updateSourceLabels()
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
// Request, projection, launch

RunRequest LaunchPage::request(QStringList* errors) const
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

void LaunchPage::scheduleProjection()
{
    m_debounce->start();
}

void LaunchPage::refreshProjection()
{
    m_debounce->stop();
    QStringList errors;
    RunRequest r = request(&errors);
    m_taskEmpty = r.task.isEmpty();
    if (m_taskEmpty)
        r.task = tr("(no task yet)"); // plan anyway, so the projection is visible while typing
    m_plan.reset();
    if (errors.isEmpty()) {
        PlanOptions options;
        options.loadCorpus = false; // never read the disk here; the run reads the corpus itself
        options.seed = 0; // a fixed seed: the projection does not depend on it, and no random draw is needed
        QElapsedTimer clock;
        clock.start();
        PlanResult planned = planRun(r, m_pricing, options);
        m_lastPlanMicros = clock.nsecsElapsed() / 1000;
        m_maxPlanMicros = std::max(m_maxPlanMicros, m_lastPlanMicros);
        if (planned.plan)
            m_plan = std::make_shared<const RunPlan>(std::move(*planned.plan));
        else
            errors = planned.errors;
    }
    m_planErrors = errors;
    QHash<QString, QString> dropped;
    if (m_plan)
        for (const DroppedDebater& d : m_plan->selection.dropped)
            dropped.insert(d.label, d.detail);
    m_models->setDroppedByBudget(dropped);
    if (m_plan)
        m_projection->setPlan(m_plan, m_lastPlanMicros);
    else
        m_projection->setErrors(errors);
    updateLaunchState();
    Q_EMIT projectionUpdated();
}

QString LaunchPage::blockedReason() const
{
    if (m_taskEmpty)
        return tr("Enter a task to launch a run.");
    if (!m_planErrors.isEmpty())
        return m_planErrors.join(QLatin1Char('\n'));
    if (!m_plan)
        return tr("The run could not be planned.");
    if (m_plan->blocked()) {
        QStringList blocked;
        for (const GateCheck& c : m_plan->gate.checks)
            if (c.status == GateStatus::Blocked)
                blocked << gateCheckText(c);
        return blocked.isEmpty() ? gateMessagesText(m_plan->gate).join(QLatin1Char('\n'))
                                 : blocked.join(QLatin1Char('\n'));
    }
    return {};
}

bool LaunchPage::canLaunch() const
{
    return blockedReason().isEmpty();
}

void LaunchPage::updateLaunchState()
{
    const QString reason = blockedReason();
    m_launch->setEnabled(reason.isEmpty());
    if (!reason.isEmpty()) {
        const bool gate = m_plan && m_plan->blocked() && !m_taskEmpty;
        m_launchReason->setText(
            QStringLiteral("<span style=\"color:%1\">%2</span>")
                .arg(gate || !m_planErrors.isEmpty() ? tone::css(tone::bad()) : QStringLiteral("gray"),
                    reason.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"))));
    } else if (m_plan && m_plan->gate.status == GateStatus::Warning) {
        QStringList warnings;
        for (const GateCheck& c : m_plan->gate.checks)
            if (c.status == GateStatus::Warning)
                warnings << gateCheckText(c).toHtmlEscaped();
        m_launchReason->setText(QStringLiteral("<span style=\"color:%1\">%2</span>")
                                    .arg(tone::css(tone::warningOnRows()), warnings.join(QStringLiteral("<br>"))));
    } else if (m_plan) {
        m_launchReason->setText(
            tr("Ready: %n debater(s), expected %1", nullptr, static_cast<int>(m_plan->config.debaters.size()))
                .arg(formatUsd(m_plan->projection.total.expectedUsd)));
    }

    // Which calls of this plan will be simulated (no key, or offline).
    if (m_plan) {
        QStringList simulated;
        QStringList labels = m_plan->config.debaters;
        labels << m_plan->config.judgeModel;
        labels.removeDuplicates();
        for (const QString& l : labels)
            if (m_models->route(l).simulated)
                simulated << l;
        if (simulated.isEmpty())
            m_simulatedNote->clear();
        else if (simulated.size() == labels.size())
            m_simulatedNote->setText(m_offline->isChecked()
                    ? tr("Offline: every call is simulated; the run is marked simulated and costs nothing real.")
                    : tr("No API key is set for these models: every call will be simulated (marked simulated). Set "
                         "OPENAI_API_KEY / ANTHROPIC_API_KEY / GEMINI_API_KEY to call real models."));
        else
            m_simulatedNote->setText(tr("Simulated (no key): %1").arg(simulated.join(QStringLiteral(", "))));
    } else {
        m_simulatedNote->clear();
    }
}

bool LaunchPage::eventFilter(QObject* watched, QEvent* event)
{
    // Queued: the filter sees the Resize before QSplitter has shared out the new width by its stretch
    // factors; the balance must come after that.
    if (watched == m_split && event->type() == QEvent::Resize)
        QMetaObject::invokeMethod(this, &LaunchPage::balanceColumns, Qt::QueuedConnection);
    return QWidget::eventFilter(watched, event);
}

void LaunchPage::balanceColumns()
{
    // The form takes its natural width when there is room; below that it gives way to the projection
    // down to kMinFormWidth, so the projection keeps kMinProjectionWidth. A position the user dragged
    // is kept unless it would leave the projection narrower than that.
    const QList<int> sizes = m_split->sizes();
    if (sizes.size() != 2)
        return;
    const int total = sizes[0] + sizes[1];
    if (total <= 0)
        return;
    // Untouched, the form takes 45% (its editors grow with it), at least its natural width, at most
    // kMaxFormWidth; the projection gets the rest.
    int form = m_userSplit
        ? sizes[0]
        : std::clamp(static_cast<int>(total * 0.45), std::min(m_formNaturalWidth, kMaxFormWidth), kMaxFormWidth);
    if (total - form < kMinProjectionWidth)
        form = total - kMinProjectionWidth;
    form = std::max(form, std::min(kMinFormWidth, total / 2));
    if (form != sizes[0])
        m_split->setSizes({ form, total - form });
}

void LaunchPage::focusTask()
{
    m_task->setFocus(Qt::ShortcutFocusReason);
    m_task->moveCursor(QTextCursor::End);
    m_task->ensureCursorVisible();
}

QString LaunchPage::launch()
{
    if (m_debounce->isActive() || !m_plan)
        refreshProjection(); // a change is pending: gate on the form as it is now
    if (!canLaunch())
        return {};
    QStringList errors;
    const RunRequest r = request(&errors);
    if (!errors.isEmpty())
        return {};
    const QString runId = m_controller->start(r);
    const int row = m_controller->runs()->rowOf(runId);
    m_runsList->selectionModel()->setCurrentIndex(
        m_controller->runs()->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    updateDemoOffer();
    Q_EMIT runLaunched(runId);
    return runId;
}

// ---------------------------------------------------------------------------------------------
// First-run demo

bool LaunchPage::isDemoOfferVisible() const
{
    return !m_demoOffer->isHidden();
}

void LaunchPage::createDemoRuns()
{
    if (m_demo->isRunning())
        return;
    m_controller->setRunsDir(m_session->runsDir());
    if (m_demo->start()) {
        m_demoButton->setEnabled(false);
        m_demoProgress->setText(tr("Preparing demo runs…"));
        if (m_messageBar)
            m_messageBar->showMessage(tr("Creating simulated demo runs in %1…")
                                          .arg(QDir::toNativeSeparators(m_session->runsDir()).toHtmlEscaped()),
                MessageBar::Level::Info);
        updateDemoOffer();
    }
}

void LaunchPage::onDemoFinished(int artifacts, int total)
{
    m_demoArtifacts = artifacts;
    m_demoButton->setEnabled(true);
    m_demoProgress->setText(tr("%1 of %2 demo runs written.").arg(artifacts).arg(total));
    m_demoNoticePending = true;
    m_session->reload(); // the watcher would notice too; this makes it immediate
    updateDemoOffer();
}

void LaunchPage::updateDemoOffer()
{
    const bool empty = m_folderLoaded && !m_session->isTeamHistory() && !m_session->isLoading() && m_session->view()
        && m_session->totalLoaded() == 0 && m_session->problemCount() == 0 && !m_session->runsDir().isEmpty();
    // Once a run was launched from here the folder is no longer "first run", even before its artifact lands.
    const bool show = m_demo->isRunning() || (empty && m_controller->runs()->rowCount() == 0);
    const QString folder = QDir::toNativeSeparators(m_session->runsDir()).toHtmlEscaped();
    m_demoText->setText(
        tr("<b>No runs in %1 yet.</b> Create six short <b>demo runs</b> to see the dashboard, the inspector and the "
           "cost figures at work: they run through the built-in <i>simulated provider</i> (offline, no cost) and are "
           "marked <i>simulated</i> everywhere, so they are never mistaken for real spend.<br>"
           "To call real models, set <tt>OPENAI_API_KEY</tt>, <tt>ANTHROPIC_API_KEY</tt> or <tt>GEMINI_API_KEY</tt> in "
           "the environment or in a <tt>.env</tt> file in the working folder and restart DJP Studio. For a local "
           "Ollama server set <tt>OPENAI_BASE_URL=http://localhost:11434/v1</tt> and add its models below "
           "(e.g. <tt>openai/llama3.1</tt>).")
            .arg(folder));
    m_demoOffer->setVisible(show);

    if (!m_messageBar)
        return;
    if (m_demoNoticePending && !m_demo->isRunning() && m_session->totalLoaded() > 0) {
        m_demoNoticePending = false;
        m_messageBar->showMessage(
            tr("Created %1 simulated demo runs in %2. They are marked simulated; delete them from "
               "the folder when you no longer need them.")
                .arg(m_demoArtifacts)
                .arg(folder),
            MessageBar::Level::Info);
    } else if (show && !m_demo->isRunning()) {
        m_messageBar->showMessage(tr("No runs in %1 yet. <a href=\"demo\">Create demo runs</a> (simulated, no cost) or "
                                     "<a href=\"launch\">launch a run</a>. Real providers need OPENAI_API_KEY, "
                                     "ANTHROPIC_API_KEY or GEMINI_API_KEY (environment or .env).")
                                      .arg(folder),
            MessageBar::Level::Info);
    }
}

void LaunchPage::setMessageBar(MessageBar* bar)
{
    m_messageBar = bar;
    connect(bar, &MessageBar::linkActivated, this, [this](const QString& link) {
        if (link == QLatin1String("demo"))
            createDemoRuns();
    });
    updateDemoOffer();
}

} // namespace djp
