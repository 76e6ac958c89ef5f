#pragma once
// The Launch tab's checkable model list: price per 1M tokens and how calls will be served (real
// provider with its key, or the simulated provider), never the key itself. Prices and routes come
// from the engine; nothing here computes a rule (docs/gui-launch.md).
//
// Threading: GUI thread only.
#include "pricing/pricingtable.h"
#include "providers/providerregistry.h"

#include <QAbstractTableModel>
#include <QHash>
#include <vector>

namespace djp {

class ModelChoiceModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Model,
        InputPrice,
        OutputPrice,
        Access,
        ColumnCount
    };
    enum Role
    {
        LabelRole = Qt::UserRole + 1,
        SimulatedRole, // bool: calls to this model will be simulated
        PricedRole, // bool
        SortRole, // raw value (label, price, 0/1)
    };

    // Rows: the default roster first (in roster order), then every other priced label, sorted.
    ModelChoiceModel(PricingTable pricing, ProviderRegistry registry, QObject* parent = nullptr);

    void setOffline(bool offline);
    bool offline() const { return m_offline; }

    QStringList labels() const;
    QStringList checkedLabels() const; // in row order
    // Checks exactly `labels` (appending rows for labels not listed yet); marks the choice explicit.
    void setCheckedLabels(const QStringList& labels);
    // Back to the default roster, not explicit (the run then uses the preset's roster rule).
    void resetToDefault();
    // True once the user changed the checks: the request then names its models explicitly.
    bool isExplicit() const { return m_explicit; }
    // Adds a label (e.g. a local model behind OPENAI_BASE_URL); false when already listed or not
    // a vendor/model label.
    bool addLabel(const QString& label, bool checked = true);
    int rowOf(const QString& label) const;
    // Models the budget rules dropped from the current plan, with why (the rule's own words): the
    // list marks them (struck out, "dropped by budget") instead of only naming them in the projection.
    void setDroppedByBudget(const QHash<QString, QString>& why);
    bool isDroppedByBudget(const QString& label) const { return m_dropped.contains(label); }
    ProviderRoute route(const QString& label) const { return m_registry.route(label, m_offline); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void selectionChanged(); // checks changed (by the user or programmatically)

private:
    struct Row
    {
        QString label;
        bool checked = false;
    };
    QString accessText(const ProviderRoute& route) const;
    QString accessToolTip(const QString& label, const ProviderRoute& route) const;

    QString priceTooltip(const ModelPrice& price) const;
    PricingTable m_pricing;
    ProviderRegistry m_registry;
    std::vector<Row> m_rows;
    bool m_offline = false;
    bool m_explicit = false;
    QHash<QString, QString> m_dropped;
};

} // namespace djp
