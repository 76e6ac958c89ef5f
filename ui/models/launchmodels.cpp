#include "launchmodels.h"

#include "core/clock.h"
#include "displayformat.h"
#include "pricing/money.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>
#include <QRegularExpression>
#include <algorithm>

namespace djp {

namespace {

QString pricePerM(double usd)
{
    return QStringLiteral("$") + QLocale::c().toString(usd, 'f', usd > 0.0 && usd < 0.1 ? 3 : 2);
}

QString tokensText(qint64 n)
{
    return formatCount(n);
}

bool isLabel(const QString& label)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_.-]+/\\S+$"));
    return re.match(label).hasMatch();
}

} // namespace

// ---------------------------------------------------------------------------------------------
// ModelChoiceModel

ModelChoiceModel::ModelChoiceModel(PricingTable pricing, ProviderRegistry registry, QObject* parent)
    : QAbstractTableModel(parent)
    , m_pricing(std::move(pricing))
    , m_registry(std::move(registry))
{
    for (const QString& label : rundefaults::kRoster)
        m_rows.push_back({ label, true });
    for (const ModelPrice& p : m_pricing.entries())
        if (!rundefaults::kRoster.contains(p.label))
            m_rows.push_back({ p.label, false });
}

void ModelChoiceModel::setOffline(bool offline)
{
    if (offline == m_offline)
        return;
    m_offline = offline;
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, Access), index(rowCount() - 1, Access));
}

QStringList ModelChoiceModel::labels() const
{
    QStringList out;
    for (const Row& r : m_rows)
        out << r.label;
    return out;
}

QStringList ModelChoiceModel::checkedLabels() const
{
    QStringList out;
    for (const Row& r : m_rows)
        if (r.checked)
            out << r.label;
    return out;
}

int ModelChoiceModel::rowOf(const QString& label) const
{
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].label == label)
            return static_cast<int>(i);
    return -1;
}

void ModelChoiceModel::setCheckedLabels(const QStringList& labels)
{
    for (const QString& l : labels)
        if (rowOf(l) < 0)
            addLabel(l, false);
    for (Row& r : m_rows)
        r.checked = labels.contains(r.label);
    m_explicit = true;
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, Model), index(rowCount() - 1, Model), { Qt::CheckStateRole });
    Q_EMIT selectionChanged();
}

void ModelChoiceModel::resetToDefault()
{
    for (Row& r : m_rows)
        r.checked = rundefaults::kRoster.contains(r.label);
    m_explicit = false;
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, Model), index(rowCount() - 1, Model), { Qt::CheckStateRole });
    Q_EMIT selectionChanged();
}

bool ModelChoiceModel::addLabel(const QString& label, bool checked)
{
    const QString l = label.trimmed();
    if (!isLabel(l) || rowOf(l) >= 0)
        return false;
    const int row = rowCount();
    beginInsertRows({}, row, row);
    m_rows.push_back({ l, checked });
    endInsertRows();
    if (checked) {
        m_explicit = true;
        Q_EMIT selectionChanged();
    }
    return true;
}

int ModelChoiceModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ModelChoiceModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ModelChoiceModel::accessText(const ProviderRoute& route) const
{
    if (!route.simulated)
        return m_registry.keyStatus(route.vendor).set ? tr("key set") : tr("no key needed");
    if (route.simulatedBecause == QLatin1String("offline"))
        return tr("simulated (offline)");
    if (route.simulatedBecause == QLatin1String("no_key"))
        return tr("simulated (no key)");
    return tr("simulated");
}

QString ModelChoiceModel::accessToolTip(const QString& label, const ProviderRoute& route) const
{
    const ProviderSpec* spec = m_registry.find(route.vendor);
    const QString vars = spec ? spec->keyEnv.join(QStringLiteral(" or ")) : QString();
    if (!route.simulated) {
        const KeyStatus key = m_registry.keyStatus(route.vendor);
        if (key.set)
            return tr("Calls to %1 go to %2 with the key from %3 (the key itself is never shown).")
                .arg(label, route.baseUrl, key.envVar);
        return tr("Calls to %1 go to %2; this provider needs no key.").arg(label, route.baseUrl);
    }
    if (route.simulatedBecause == QLatin1String("offline"))
        return tr("Offline mode: calls to %1 are served by the simulated provider. Answers, tokens and costs are "
                  "not real, and the run is marked simulated.")
            .arg(label);
    if (route.simulatedBecause == QLatin1String("no_key"))
        return tr("No key for %1: set %2 in the environment or in a .env file to call the real model. Until "
                  "then its calls are served by the simulated provider and marked simulated.")
            .arg(route.vendor, vars.isEmpty() ? tr("its key variable") : vars);
    return tr("The vendor of %1 is not in the provider registry: its calls are simulated.").arg(label);
}

QVariant ModelChoiceModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows[static_cast<size_t>(index.row())];
    const ModelPrice* price = m_pricing.find(r.label);
    if (role == LabelRole)
        return r.label;
    if (role == PricedRole)
        return price != nullptr;
    if (role == SimulatedRole)
        return route(r.label).simulated;
    if (role == Qt::CheckStateRole && index.column() == Model)
        return r.checked ? Qt::Checked : Qt::Unchecked;

    switch (index.column()) {
    case Model:
        if (role == Qt::DisplayRole || role == SortRole)
            return r.label;
        if (role == Qt::ToolTipRole)
            return price ? tr("%1: $%2 input / $%3 output per 1M tokens (prices of %4)")
                               .arg(r.label)
                               .arg(price->input)
                               .arg(price->output)
                               .arg(price->updated.isEmpty() ? m_pricing.updated() : price->updated)
                         : tr("%1 is not in the pricing table: its cost is unknown, and budgets count it at "
                              "the most expensive known price.")
                               .arg(r.label);
        break;
    case InputPrice:
    case OutputPrice: {
        if (role == SortRole)
            return price ? (index.column() == InputPrice ? price->input : price->output) : -1.0;
        if (role == Qt::DisplayRole)
            return price ? pricePerM(index.column() == InputPrice ? price->input : price->output) : tr("unpriced");
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        if (role == Qt::ToolTipRole)
            return price ? tr("USD per 1M %1 tokens").arg(index.column() == InputPrice ? tr("input") : tr("output"))
                         : tr("Unpriced: budgets count this model at the most expensive known price");
        break;
    }
    case Access: {
        const ProviderRoute rt = route(r.label);
        if (role == Qt::DisplayRole)
            return accessText(rt);
        if (role == SortRole)
            return rt.simulated ? 1 : 0;
        if (role == Qt::ToolTipRole)
            return accessToolTip(r.label, rt);
        if (role == Qt::ForegroundRole && rt.simulated)
            return QBrush(QColor(0xb3, 0x86, 0x00)); // dark amber: readable on light and dark rows
        break;
    }
    default:
        break;
    }
    return {};
}

bool ModelChoiceModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
        || role != Qt::CheckStateRole || index.column() != Model)
        return false;
    Row& r = m_rows[static_cast<size_t>(index.row())];
    const bool checked = value.toInt() == Qt::Checked;
    if (checked == r.checked)
        return true;
    r.checked = checked;
    m_explicit = true;
    Q_EMIT dataChanged(index, index, { Qt::CheckStateRole });
    Q_EMIT selectionChanged();
    return true;
}

Qt::ItemFlags ModelChoiceModel::flags(const QModelIndex& index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == Model)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant ModelChoiceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Model:
            return tr("Model");
        case InputPrice:
            return tr("In $/1M");
        case OutputPrice:
            return tr("Out $/1M");
        case Access:
            return tr("Access");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Model:
            return tr("Check the models that debate. Untouched, the run uses the default roster cut by max debaters.");
        case InputPrice:
            return tr("USD per 1M input tokens (pricing table)");
        case OutputPrice:
            return tr("USD per 1M output tokens (pricing table)");
        case Access:
            return tr("Whether calls go to the real provider (its key is set) or to the simulated provider");
        }
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// ProjectionModel

ProjectionModel::ProjectionModel(Part part, QObject* parent)
    : QAbstractTableModel(parent)
    , m_part(part)
{ }

void ProjectionModel::setPlan(std::shared_ptr<const RunPlan> plan)
{
    beginResetModel();
    m_plan = std::move(plan);
    rebuild();
    endResetModel();
}

void ProjectionModel::rebuild()
{
    m_lines.clear();
    if (!m_plan)
        return;
    const Projection& p = m_plan->projection;
    if (m_part == Part::Stages) {
        m_lines.push_back({ tr("Debate"), &p.debate, true, false });
        m_lines.push_back({ tr("Judge"), &p.judge, true, false });
        m_lines.push_back({ tr("Overhead"), &p.overhead, true, false });
        m_lines.push_back({ tr("Total"), &p.total, p.complete(), true });
    } else {
        for (const ModelLine& m : p.byModel)
            m_lines.push_back({ m.label, &m.cost, m.priced, false });
    }
}

int ProjectionModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_lines.size());
}

int ProjectionModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProjectionModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Line& line = m_lines[static_cast<size_t>(index.row())];
    const CostLine& c = *line.cost;
    if (role == Qt::FontRole && line.total) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role == Qt::TextAlignmentRole && index.column() != Item)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    // Unpriced amounts are fail-safe upper figures, not measured prices: mark them.
    const QString mark = line.priced ? QString() : QStringLiteral(" *");
    if (role == Qt::ToolTipRole && !line.priced)
        return m_part == Part::Models
            ? tr("%1 is unpriced: counted at the most expensive known price (fail safe)").arg(line.name)
            : tr("Includes unpriced models counted at the most expensive known price (fail safe)");
    if (role == SortRole) {
        switch (index.column()) {
        case Item:
            return line.name;
        case Calls:
            return c.calls;
        case ExpectedUsd:
            return c.expectedUsd;
        case WorstUsd:
            return c.worstUsd;
        case ExpectedTokens:
            return c.expectedTokens();
        case WorstTokens:
            return c.worstTokens();
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Item:
        return QString(line.name + mark);
    case Calls:
        return c.calls;
    case ExpectedUsd:
        return formatUsd(c.expectedUsd);
    case WorstUsd:
        return formatUsd(c.worstUsd);
    case ExpectedTokens:
        return tokensText(c.expectedTokens());
    case WorstTokens:
        return tokensText(c.worstTokens());
    }
    return {};
}

QVariant ProjectionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Item:
            return m_part == Part::Stages ? tr("Stage") : tr("Model");
        case Calls:
            return tr("Calls");
        case ExpectedUsd:
            return tr("Expected");
        case WorstUsd:
            return tr("Worst case");
        case ExpectedTokens:
            return tr("Exp. tokens");
        case WorstTokens:
            return tr("Worst tokens");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case ExpectedUsd:
        case ExpectedTokens:
            return tr("Expected: debaters min(max tokens, 800) output each (+20% per required citation), judge 300, "
                      "overhead 200 in / 100 out; each call priced with its own model");
        case WorstUsd:
        case WorstTokens:
            return tr("Worst case: every debater writes max tokens, the judge its own maximum, plus a possible "
                      "second judge pass");
        case Calls:
            return tr("Calls counted in the expected case");
        }
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// RunProgress / ActiveRunsModel

QString RunProgress::statusText() const
{
    switch (state) {
    case State::Starting:
        return QObject::tr("starting");
    case State::Running:
        if (cancelRequested)
            return QObject::tr("cancelling…");
        return stage.isEmpty() ? QObject::tr("planning") : stage + QStringLiteral("…");
    case State::Finished:
        break;
    }
    if (!outcome)
        return QObject::tr("finished");
    if (outcome->blocked)
        return QObject::tr("blocked");
    if (outcome->cancelled)
        return QObject::tr("cancelled");
    if (outcome->status.isEmpty())
        return QObject::tr("failed");
    return outcome->status;
}

bool RunProgress::simulated() const
{
    if (outcome && outcome->simulated)
        return true;
    return std::any_of(calls.begin(), calls.end(), [](const CallRecord& c) { return c.attempt.simulated; });
}

ActiveRunsModel::ActiveRunsModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void ActiveRunsModel::addRun(const QString& runId, const RunRequest& request, const QString& runsDir)
{
    auto run = std::make_unique<RunProgress>();
    run->runId = runId;
    run->task = request.task.simplified();
    run->preset = request.preset.value_or(rundefaults::kPresetName);
    run->runsDir = runsDir;
    run->startedAt = Clock::nowLocal();
    const int row = rowCount();
    beginInsertRows({}, row, row);
    m_runs.push_back(std::move(run));
    endInsertRows();
}

int ActiveRunsModel::rowOf(const QString& runId) const
{
    for (size_t i = 0; i < m_runs.size(); ++i)
        if (m_runs[i]->runId == runId)
            return static_cast<int>(i);
    return -1;
}

const RunProgress* ActiveRunsModel::run(const QString& runId) const
{
    const int row = rowOf(runId);
    return row < 0 ? nullptr : m_runs[static_cast<size_t>(row)].get();
}

const RunProgress* ActiveRunsModel::runAt(int row) const
{
    return row >= 0 && row < rowCount() ? m_runs[static_cast<size_t>(row)].get() : nullptr;
}

int ActiveRunsModel::inFlight() const
{
    return static_cast<int>(std::count_if(
        m_runs.begin(), m_runs.end(), [](const auto& r) { return r->state != RunProgress::State::Finished; }));
}

void ActiveRunsModel::markCancelRequested(const QString& runId)
{
    const int row = rowOf(runId);
    if (row < 0)
        return;
    RunProgress& r = *m_runs[static_cast<size_t>(row)];
    if (r.state == RunProgress::State::Finished)
        return;
    r.cancelRequested = true;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    Q_EMIT runChanged(runId);
}

void ActiveRunsModel::applyEvent(const RunEvent& e)
{
    const int row = rowOf(e.runId);
    if (row < 0)
        return;
    RunProgress& r = *m_runs[static_cast<size_t>(row)];
    switch (e.kind) {
    case RunEvent::Kind::Planned:
        r.plan = e.plan;
        r.state = RunProgress::State::Running;
        break;
    case RunEvent::Kind::StageStarted:
        r.state = RunProgress::State::Running;
        r.stage = e.stage;
        break;
    case RunEvent::Kind::StageFinished:
        if (!r.stagesDone.contains(e.stage))
            r.stagesDone << e.stage;
        break;
    case RunEvent::Kind::CallStarted:
        r.calls.push_back(e.call);
        Q_EMIT callAdded(r.runId, static_cast<int>(r.calls.size()) - 1);
        break;
    case RunEvent::Kind::CallFinished: {
        // The attempt that started with the same stage, label and attempt number, still running.
        const CallAttempt& a = e.call.attempt;
        auto it = std::find_if(r.calls.begin(), r.calls.end(), [&](const CallRecord& c) {
            return c.attempt.status == QLatin1String("running") && c.attempt.stage == a.stage
                && c.attempt.label == a.label && c.attempt.attempt == a.attempt;
        });
        if (it != r.calls.end()) {
            *it = e.call;
            Q_EMIT callChanged(r.runId, static_cast<int>(it - r.calls.begin()));
        } else {
            r.calls.push_back(e.call);
            Q_EMIT callAdded(r.runId, static_cast<int>(r.calls.size()) - 1);
        }
        break;
    }
    case RunEvent::Kind::SpendChanged:
        r.spend = e.spend;
        break;
    case RunEvent::Kind::Finished:
        r.outcome = e.outcome;
        r.state = RunProgress::State::Finished;
        // The engine reports no StageFinished for publish: writing the artifact is its end.
        if (r.stage == QLatin1String("publish") && e.outcome && !e.outcome->artifactPath.isEmpty()
            && !r.stagesDone.contains(r.stage))
            r.stagesDone << r.stage;
        if (!r.plan && e.outcome)
            r.plan = e.outcome->plan;
        break;
    }
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    Q_EMIT runChanged(r.runId);
    if (e.kind == RunEvent::Kind::Finished)
        Q_EMIT runFinished(r.runId);
}

int ActiveRunsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int ActiveRunsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ActiveRunsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunProgress& r = *m_runs[static_cast<size_t>(index.row())];
    if (role == RunIdRole)
        return r.runId;
    if (role == FinishedRole)
        return r.state == RunProgress::State::Finished;
    const double spent = r.outcome ? r.outcome->measuredCostUsd : r.spend.spentUsd;
    switch (index.column()) {
    case Task:
        if (role == Qt::DisplayRole)
            return r.task;
        if (role == Qt::ToolTipRole)
            return plainTextToolTip(tr("%1\n\nRun %2, preset %3").arg(r.task, r.runId, r.preset));
        break;
    case Status:
        if (role == Qt::DisplayRole)
            return r.simulated() ? tr("%1 · simulated").arg(r.statusText()) : r.statusText();
        if (role == Qt::ToolTipRole && r.simulated())
            return tr("Served by the simulated provider: answers, tokens and cost are not real");
        break;
    case Spent:
        if (role == Qt::DisplayRole)
            return formatUsd(spent);
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Started:
        if (role == Qt::DisplayRole)
            return QLocale().toString(r.startedAt.time(), QLocale::ShortFormat);
        if (role == Qt::ToolTipRole)
            return QLocale().toString(r.startedAt, QLocale::LongFormat);
        break;
    }
    return {};
}

QVariant ActiveRunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Task:
        return tr("Task");
    case Status:
        return tr("Status");
    case Spent:
        return tr("Spent");
    case Started:
        return tr("Started");
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// LiveCallsModel

LiveCallsModel::LiveCallsModel(ActiveRunsModel* runs, QObject* parent)
    : QAbstractTableModel(parent)
    , m_runs(runs)
{
    connect(runs, &ActiveRunsModel::callAdded, this, [this](const QString& runId, int i) {
        if (runId != m_runId || i < m_rows)
            return;
        beginInsertRows({}, m_rows, i);
        m_rows = i + 1;
        endInsertRows();
    });
    connect(runs, &ActiveRunsModel::callChanged, this, [this](const QString& runId, int i) {
        if (runId == m_runId && i < m_rows)
            Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
    });
}

void LiveCallsModel::setRun(const QString& runId)
{
    beginResetModel();
    m_runId = runId;
    const auto* c = calls();
    m_rows = c ? static_cast<int>(c->size()) : 0;
    endResetModel();
}

const std::vector<CallRecord>* LiveCallsModel::calls() const
{
    const RunProgress* r = m_runs && !m_runId.isEmpty() ? m_runs->run(m_runId) : nullptr;
    return r ? &r->calls : nullptr;
}

int LiveCallsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int LiveCallsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LiveCallsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto* c = calls();
    if (!c || index.row() >= static_cast<int>(c->size()))
        return {};
    const CallRecord& rec = (*c)[static_cast<size_t>(index.row())];
    const CallAttempt& a = rec.attempt;
    const bool running = a.status == QLatin1String("running");
    if (role == Qt::TextAlignmentRole && index.column() >= Attempt && index.column() != Status)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        if (!a.error.isEmpty())
            return plainTextToolTip(a.error);
        if (a.simulated)
            return tr("Simulated call: tokens and cost are not real");
        return {};
    }
    if (role == Qt::ForegroundRole && index.column() == Status && !running && a.status != QLatin1String("ok"))
        return QBrush(QColor(0xdc, 0x35, 0x45));
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Stage:
        return a.stage;
    case Label:
        return a.simulated ? tr("%1 (sim)").arg(a.label) : a.label;
    case Attempt:
        return a.attempt;
    case Status:
        if (a.httpStatus)
            return QStringLiteral("%1 (HTTP %2)").arg(a.status).arg(*a.httpStatus);
        return a.status;
    case Tokens:
        return running ? QString() : tr("%1 in / %2 out").arg(tokensText(a.inputTokens), tokensText(a.outputTokens));
    case Latency:
        return running ? QString() : formatLatencyMs(static_cast<double>(a.latencyMs));
    case Cost:
        return running ? QString() : (rec.costUsd ? formatUsd(*rec.costUsd) : tr("unknown"));
    }
    return {};
}

QVariant LiveCallsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Stage:
        return tr("Stage");
    case Label:
        return tr("Model");
    case Attempt:
        return tr("Attempt");
    case Status:
        return tr("Status");
    case Tokens:
        return tr("Tokens");
    case Latency:
        return tr("Latency");
    case Cost:
        return tr("Cost");
    }
    return {};
}

} // namespace djp
