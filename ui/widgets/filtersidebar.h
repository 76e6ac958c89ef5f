#pragma once
// The filter sidebar (docs/metrics.md): time range, preset, provider, status, grounded/redacted toggles
// and a debounced search box. It edits a FilterState and says when it changed; the filtering itself
// happens in the engine (RunSession). Combo values come from the loaded data (setFacets).
#include "models/filterstate.h"

#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTimer;

namespace djp {

struct FacetValues;

class FilterSidebar : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kSearchDebounceMs = 300;

    explicit FilterSidebar(QWidget* parent = nullptr);

    FilterState state() const;
    // Shows `state` without emitting filterChanged (the caller already knows it).
    void setState(const FilterState& state);
    // Fills the preset/provider/status combos; a current value absent from the data stays selectable.
    void setFacets(const FacetValues& facets);
    // Why the custom range is refused (To not after From); empty when the filter is valid.
    QString rangeError() const;

public Q_SLOTS:
    void focusSearch();
    void reset(); // back to the defaults (last 7 days, everything else "any"); emits filterChanged

Q_SIGNALS:
    void filterChanged(const djp::FilterState& state);

private:
    void emitChanged();
    void updateCustomVisibility();
    void fillProviderCombo(); // the publishers, or every model, by the match mode
    static void fillCombo(QComboBox* combo, const QString& anyText, const QStringList& values, bool statuses);
    static void selectValue(QComboBox* combo, const QString& value, bool statuses);

    QComboBox* m_range;
    QWidget* m_customBox;
    QDateTimeEdit* m_from;
    QDateTimeEdit* m_to;
    QLabel* m_rangeError = nullptr;
    QComboBox* m_preset;
    QComboBox* m_provider;
    QComboBox* m_providerMatch; // published by / used by any call
    QStringList m_publishers; // facets
    QStringList m_models;
    QComboBox* m_status;
    QCheckBox* m_grounded;
    QCheckBox* m_redacted;
    QLineEdit* m_search;
    QPushButton* m_reset;
    QTimer* m_searchTimer;
    bool m_updating = false;
};

} // namespace djp
