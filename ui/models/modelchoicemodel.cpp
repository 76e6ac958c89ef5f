#include "models/modelchoicemodel.h"

#include "display/displayformat.h"
#include "display/tones.h"
#include "pipeline/runrequest.h"

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

bool isLabel(const QString& label)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_.-]+/\\S+$"));
    return re.match(label).hasMatch();
}

} // namespace

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
    const std::optional<SimulationReason> why = parseVocabulary<SimulationReason>(route.simulatedBecause);
    if (why == SimulationReason::Offline)
        return tr("simulated (offline)");
    if (why == SimulationReason::NoKey)
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
    const std::optional<SimulationReason> why = parseVocabulary<SimulationReason>(route.simulatedBecause);
    if (why == SimulationReason::Offline)
        return tr("Offline mode: calls to %1 are served by the simulated provider. Answers, tokens and costs are "
                  "not real, and the run is marked simulated.")
            .arg(label);
    if (why == SimulationReason::NoKey)
        return tr("No key for %1: set %2 in the environment or in a .env file to call the real model. Until "
                  "then its calls are served by the simulated provider and marked simulated.")
            .arg(route.vendor, vars.isEmpty() ? tr("its key variable") : vars);
    return tr("The vendor of %1 is not in the provider registry: its calls are simulated.").arg(label);
}

QString ModelChoiceModel::priceTooltip(const ModelPrice& price) const
{
    // The same rates the projection uses: the entry's newest period.
    const PricePeriod& p = price.current();
    auto usd = [](RatePerM r) -> QString { return QLatin1Char('$') + nanoToDecimal(r); };
    QString text = tr("%1: %2 input / %3 output per 1M tokens; cache read %4, cache write %5")
                       .arg(price.label, usd(p.rates.input), usd(p.rates.output), usd(p.rates.cacheReadRate()),
                           usd(p.rates.cacheWriteRate()));
    for (const PriceTier& t : p.tiers)
        text += tr("; prompts above %1 tokens: %2 input / %3 output")
                    .arg(t.aboveInputTokens)
                    .arg(usd(t.rates.input), usd(t.rates.output));
    text += tr(" (prices of %1").arg(p.updated.isEmpty() ? m_pricing.updated() : p.updated);
    if (p.effective.isValid())
        text += tr(", in force since %1").arg(p.effective.toString(Qt::ISODate));
    return text + QLatin1Char(')');
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
        if (role == Qt::FontRole && m_dropped.contains(r.label)) {
            QFont f;
            f.setStrikeOut(true);
            return f;
        }
        if (role == Qt::ToolTipRole && m_dropped.contains(r.label))
            return tr("%1 is ticked but the budget dropped it from this run: %2")
                .arg(r.label, m_dropped.value(r.label));
        if (role == Qt::ToolTipRole)
            return price ? priceTooltip(*price)
                         : tr("%1 is not in the pricing table: its cost is unknown, and budgets count it at "
                              "the most expensive known price.")
                               .arg(r.label);
        break;
    case InputPrice:
    case OutputPrice: {
        if (role == SortRole)
            return price ? (index.column() == InputPrice ? price->inputPerM() : price->outputPerM()) : -1.0;
        if (role == Qt::DisplayRole)
            return price ? pricePerM(index.column() == InputPrice ? price->inputPerM() : price->outputPerM())
                         : tr("unpriced");
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        if (role == Qt::ToolTipRole)
            return price ? tr("USD per 1M %1 tokens").arg(index.column() == InputPrice ? tr("input") : tr("output"))
                         : tr("Unpriced: budgets count this model at the most expensive known price");
        break;
    }
    case Access: {
        const ProviderRoute rt = route(r.label);
        if (m_dropped.contains(r.label)) {
            if (role == Qt::DisplayRole)
                return tr("dropped by budget");
            if (role == Qt::ToolTipRole)
                return m_dropped.value(r.label);
            if (role == Qt::ForegroundRole)
                return QBrush(tone::bad());
        }
        if (role == Qt::DisplayRole)
            return accessText(rt);
        if (role == SortRole)
            return rt.simulated ? 1 : 0;
        if (role == Qt::ToolTipRole)
            return accessToolTip(r.label, rt);
        if (role == Qt::ForegroundRole && rt.simulated)
            return QBrush(tone::warningOnRows());
        break;
    }
    default:
        break;
    }
    return {};
}

void ModelChoiceModel::setDroppedByBudget(const QHash<QString, QString>& why)
{
    if (why == m_dropped)
        return;
    m_dropped = why;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
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

} // namespace djp
