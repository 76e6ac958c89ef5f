#include "filtersidebar.h"

#include "core/clock.h"
#include "display/chartseries.h"
#include "display/tones.h"
#include "display/vocabularytext.h"
#include "session/runsession.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace djp {

namespace {

QIcon swatch(const QColor& color)
{
    QPixmap pm(12, 12);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawEllipse(QRectF(1, 1, 10, 10));
    return QIcon(pm);
}

QDateTime startOfToday()
{
    return QDateTime(Clock::today(), QTime(0, 0));
}

} // namespace

FilterSidebar::FilterSidebar(QWidget* parent)
    : QWidget(parent)
    , m_range(new QComboBox(this))
    , m_customBox(new QWidget(this))
    , m_from(new QDateTimeEdit(m_customBox))
    , m_to(new QDateTimeEdit(m_customBox))
    , m_preset(new QComboBox(this))
    , m_provider(new QComboBox(this))
    , m_providerMatch(new QComboBox(this))
    , m_status(new QComboBox(this))
    , m_grounded(new QCheckBox(tr("Grounded runs only"), this))
    , m_redacted(new QCheckBox(tr("Redacted runs only"), this))
    , m_search(new QLineEdit(this))
    , m_reset(new QPushButton(tr("Reset filters"), this))
    , m_searchTimer(new QTimer(this))
{
    m_range->setObjectName(QStringLiteral("rangeCombo"));
    m_from->setObjectName(QStringLiteral("customFrom"));
    m_to->setObjectName(QStringLiteral("customTo"));
    m_preset->setObjectName(QStringLiteral("presetCombo"));
    m_provider->setObjectName(QStringLiteral("providerCombo"));
    m_providerMatch->setObjectName(QStringLiteral("providerMatchCombo"));
    m_status->setObjectName(QStringLiteral("statusCombo"));
    m_grounded->setObjectName(QStringLiteral("groundedOnly"));
    m_redacted->setObjectName(QStringLiteral("redactedOnly"));
    m_search->setObjectName(QStringLiteral("searchEdit"));
    m_reset->setObjectName(QStringLiteral("resetFilters"));

    m_range->addItem(tr("Last 24 hours"), timeRangeKey(TimeRange::Last24h));
    m_range->addItem(tr("Last 7 days"), timeRangeKey(TimeRange::Last7d));
    m_range->addItem(tr("Last 30 days"), timeRangeKey(TimeRange::Last30d));
    m_range->addItem(tr("Last 90 days"), timeRangeKey(TimeRange::Last90d));
    m_range->addItem(tr("All time"), timeRangeKey(TimeRange::All));
    m_range->addItem(tr("Custom range"), timeRangeKey(TimeRange::Custom));
    m_range->setToolTip(tr("Which runs to include, by start time in your local time zone"));

    for (QDateTimeEdit* edit : { m_from, m_to }) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        edit->setTimeSpec(Qt::LocalTime);
    }
    m_from->setToolTip(tr("First moment included (local time)"));
    m_to->setToolTip(tr("Runs up to, but not including, this moment (local time)"));
    m_from->setDateTime(startOfToday().addDays(-7));
    m_to->setDateTime(startOfToday().addDays(1));
    auto* customLayout = new QFormLayout(m_customBox);
    customLayout->setContentsMargins(0, 0, 0, 0);
    customLayout->addRow(tr("From"), m_from);
    customLayout->addRow(tr("To"), m_to);
    m_rangeError = new QLabel(m_customBox);
    m_rangeError->setObjectName(QStringLiteral("rangeError"));
    m_rangeError->setWordWrap(true);
    m_rangeError->setTextFormat(Qt::PlainText);
    m_rangeError->setStyleSheet(QStringLiteral("QLabel { color: %1; }").arg(tone::css(tone::bad())));
    m_rangeError->hide();
    customLayout->addRow(m_rangeError);

    fillCombo(m_preset, tr("Any preset"), {}, false);
    fillCombo(m_provider, tr("Any provider"), {}, false);
    fillCombo(m_status, tr("Any status"), {}, true);
    m_preset->setToolTip(tr("Only runs made with this preset"));
    m_provider->setToolTip(tr("Only runs whose published answer came from this model (\"published by\"), or, "
                              "with \"any call\" below, runs in which any call used it"));
    m_providerMatch->addItem(tr("Published the answer"), vocabularyId(ProviderMatch::PublishedBy));
    m_providerMatch->addItem(tr("Used by any call"), vocabularyId(ProviderMatch::AnyCall));
    m_providerMatch->setToolTip(tr("Published the answer: the model whose answer was published (the legacy "
                                   "meaning).\nUsed by any call: the publisher or any model with a priced call "
                                   "in the run (debaters and judge)."));
    m_providerMatch->setAccessibleName(tr("Provider filter matches"));
    m_range->setAccessibleName(tr("Time range"));
    m_from->setAccessibleName(tr("From"));
    m_to->setAccessibleName(tr("To"));
    m_preset->setAccessibleName(tr("Preset"));
    m_provider->setAccessibleName(tr("Published by (provider of the published answer)"));
    m_status->setAccessibleName(tr("Status"));
    m_search->setAccessibleName(tr("Search task or trace name"));
    m_status->setToolTip(tr("Only runs with this outcome"));
    m_grounded->setToolTip(tr("Only runs that used a grounding corpus"));
    m_redacted->setToolTip(tr("Only runs whose published text was redacted"));

    m_search->setPlaceholderText(tr("Search task or trace name"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(tr("Case-insensitive text search in the task and trace name (Ctrl+F)"));
    m_reset->setToolTip(tr("Show the last 7 days with no other filter"));

    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(kSearchDebounceMs);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::WrapAllRows);
    // Mnemonics avoid the menus' (F, E, V, R, H) and the tabs' (D, U, I, L, A) letters: Alt+E and
    // Alt+R must open the Edit and Run menus, not focus a filter.
    form->addRow(tr("&Time range"), m_range);
    form->addRow(m_customBox);
    form->addRow(tr("&Preset"), m_preset);
    form->addRow(tr("Provider (published &by)"), m_provider);
    form->addRow(m_providerMatch);
    form->addRow(tr("&Status"), m_status);
    form->addRow(m_grounded);
    form->addRow(m_redacted);
    form->addRow(tr("Sear&ch"), m_search);

    auto* title = new QLabel(tr("Filters"), this);
    QFont f = title->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.15);
    title->setFont(f);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addLayout(form);
    layout->addWidget(m_reset, 0, Qt::AlignLeft);
    layout->addStretch(1);

    const auto changed = [this] {
        if (!m_updating)
            emitChanged();
    };
    connect(m_range, &QComboBox::currentIndexChanged, this, [this, changed] {
        updateCustomVisibility();
        changed();
    });
    connect(m_from, &QDateTimeEdit::dateTimeChanged, this, changed);
    connect(m_to, &QDateTimeEdit::dateTimeChanged, this, changed);
    for (QComboBox* combo : { m_preset, m_provider, m_status })
        connect(combo, &QComboBox::currentIndexChanged, this, changed);
    connect(m_providerMatch, &QComboBox::currentIndexChanged, this, [this, changed] {
        fillProviderCombo();
        changed();
    });
    connect(m_grounded, &QCheckBox::toggled, this, changed);
    connect(m_redacted, &QCheckBox::toggled, this, changed);
    connect(m_search, &QLineEdit::textChanged, this, [this] {
        if (!m_updating)
            m_searchTimer->start();
    });
    // Enter applies at once instead of waiting for the debounce.
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        if (m_searchTimer->isActive()) {
            m_searchTimer->stop();
            emitChanged();
        }
    });
    connect(m_searchTimer, &QTimer::timeout, this, &FilterSidebar::emitChanged);
    connect(m_reset, &QPushButton::clicked, this, &FilterSidebar::reset);

    m_range->setCurrentIndex(1);
    updateCustomVisibility();
}

void FilterSidebar::fillCombo(QComboBox* combo, const QString& anyText, const QStringList& values, bool statuses)
{
    const QString current = combo->currentData().toString();
    const QSignalBlocker block(combo);
    combo->clear();
    combo->addItem(anyText, QString());
    QStringList all = values;
    if (!current.isEmpty() && !all.contains(current))
        all << current;
    for (const QString& v : std::as_const(all)) {
        if (statuses)
            combo->addItem(swatch(statusColor(v)), statusDisplayName(v), v);
        else
            combo->addItem(v, v);
    }
    selectValue(combo, current, statuses);
}

void FilterSidebar::selectValue(QComboBox* combo, const QString& value, bool statuses)
{
    int i = combo->findData(value);
    if (i < 0) {
        // A saved filter value not (yet) in the data: keep it, so the filter is shown as it applies.
        if (statuses)
            combo->addItem(swatch(statusColor(value)), statusDisplayName(value), value);
        else
            combo->addItem(value, value);
        i = combo->count() - 1;
    }
    combo->setCurrentIndex(i);
}

void FilterSidebar::setFacets(const FacetValues& facets)
{
    fillCombo(m_preset, tr("Any preset"), facets.presets, false);
    m_publishers = facets.providers;
    m_models = facets.models;
    fillProviderCombo();
    fillCombo(m_status, tr("Any status"), facets.statuses, true);
}

void FilterSidebar::fillProviderCombo()
{
    const bool anyCall
        = parseVocabulary<ProviderMatch>(m_providerMatch->currentData().toString()) == ProviderMatch::AnyCall;
    // Without a model list (a source that does not report one) the publishers are all we know.
    const QStringList& values = anyCall && !m_models.isEmpty() ? m_models : m_publishers;
    fillCombo(m_provider, anyCall ? tr("Any model") : tr("Any provider"), values, false);
}

FilterState FilterSidebar::state() const
{
    FilterState s;
    s.range = timeRangeFromKey(m_range->currentData().toString()).value_or(TimeRange::Last7d);
    if (s.range == TimeRange::Custom) {
        s.customFrom = m_from->dateTime();
        s.customTo = m_to->dateTime();
    }
    s.preset = m_preset->currentData().toString();
    s.provider = m_provider->currentData().toString();
    s.providerAnyCall
        = parseVocabulary<ProviderMatch>(m_providerMatch->currentData().toString()) == ProviderMatch::AnyCall;
    s.status = m_status->currentData().toString();
    s.groundedOnly = m_grounded->isChecked();
    s.redactedOnly = m_redacted->isChecked();
    s.search = m_search->text();
    return s;
}

void FilterSidebar::setState(const FilterState& s)
{
    m_updating = true;
    m_range->setCurrentIndex(std::max(0, m_range->findData(timeRangeKey(s.range))));
    if (s.customFrom.isValid())
        m_from->setDateTime(s.customFrom);
    if (s.customTo.isValid())
        m_to->setDateTime(s.customTo);
    selectValue(m_preset, s.preset, false);
    m_providerMatch->setCurrentIndex(s.providerAnyCall ? 1 : 0);
    selectValue(m_provider, s.provider, false);
    selectValue(m_status, s.status, true);
    m_grounded->setChecked(s.groundedOnly);
    m_redacted->setChecked(s.redactedOnly);
    m_search->setText(s.search);
    m_searchTimer->stop();
    updateCustomVisibility();
    m_updating = false;
}

void FilterSidebar::reset()
{
    setState(FilterState {});
    emitChanged();
}

void FilterSidebar::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void FilterSidebar::emitChanged()
{
    m_searchTimer->stop();
    const FilterState s = state();
    // A custom range that ends before it starts would silently show nothing: refuse it and say why;
    // the views keep the last valid filter until the dates are fixed.
    if (s.range == TimeRange::Custom && !(s.customTo > s.customFrom)) {
        m_rangeError->setText(tr("\"To\" must be later than \"From\". The views keep the previous range."));
        m_rangeError->show();
        m_rangeError->setAccessibleName(m_rangeError->text());
        return;
    }
    m_rangeError->hide();
    m_rangeError->clear();
    Q_EMIT filterChanged(s);
}

QString FilterSidebar::rangeError() const
{
    return m_rangeError->isHidden() ? QString() : m_rangeError->text();
}

void FilterSidebar::updateCustomVisibility()
{
    const bool custom = m_range->currentData().toString() == timeRangeKey(TimeRange::Custom);
    m_customBox->setVisible(custom);
    if (!custom)
        m_rangeError->hide();
}

} // namespace djp
