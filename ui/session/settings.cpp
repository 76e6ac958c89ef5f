#include "session/settings.h"

#include <QDir>
#include <QSettings>

namespace djp {

namespace {
const QString kStateVersionKey = QStringLiteral("window/stateVersion");
const QString kDateTimeFormat = QStringLiteral("yyyy-MM-ddTHH:mm:ss");

// Custom range ends are local wall-clock times; store them as such so a saved "from 09:00" stays
// 09:00 after a DST change or a move to another zone.
QString dateTimeToText(const QDateTime& dt)
{
    return dt.isValid() ? dt.toString(kDateTimeFormat) : QString();
}
QDateTime dateTimeFromText(const QString& text)
{
    if (text.isEmpty())
        return {};
    QDateTime dt = QDateTime::fromString(text, kDateTimeFormat);
    dt.setTimeSpec(Qt::LocalTime);
    return dt;
}
} // namespace

Settings::Settings(QSettings* store)
    : m_store(store)
{
    Q_ASSERT(store);
}

QByteArray Settings::versionedBlob(const QString& key) const
{
    if (m_store->value(kStateVersionKey).toInt() != kStateVersion)
        return {};
    return m_store->value(key).toByteArray();
}

void Settings::setVersionedBlob(const QString& key, const QByteArray& value)
{
    if (m_store->value(kStateVersionKey).toInt() != kStateVersion) {
        // Another version's blobs are useless to us: drop them all so none is restored half-way.
        m_store->remove(QStringLiteral("window"));
        m_store->setValue(kStateVersionKey, kStateVersion);
    }
    m_store->setValue(key, value);
}

QByteArray Settings::windowGeometry() const
{
    return versionedBlob(QStringLiteral("window/geometry"));
}
void Settings::setWindowGeometry(const QByteArray& g)
{
    setVersionedBlob(QStringLiteral("window/geometry"), g);
}
QByteArray Settings::windowState() const
{
    return versionedBlob(QStringLiteral("window/state"));
}
void Settings::setWindowState(const QByteArray& s)
{
    setVersionedBlob(QStringLiteral("window/state"), s);
}
QByteArray Settings::splitterState() const
{
    return versionedBlob(QStringLiteral("window/splitter"));
}
void Settings::setSplitterState(const QByteArray& s)
{
    setVersionedBlob(QStringLiteral("window/splitter"), s);
}
QByteArray Settings::runsHeaderState() const
{
    // "runsHeader2": the table gained the Task and Trace name columns; an older blob would restore
    // them at the far right, so it is ignored once.
    return versionedBlob(QStringLiteral("window/runsHeader2"));
}
void Settings::setRunsHeaderState(const QByteArray& s)
{
    setVersionedBlob(QStringLiteral("window/runsHeader2"), s);
}

QString Settings::lastFolder() const
{
    return m_store->value(QStringLiteral("folders/last")).toString();
}
void Settings::setLastFolder(const QString& folder)
{
    m_store->setValue(QStringLiteral("folders/last"), folder);
}

QStringList Settings::recentFolders() const
{
    return m_store->value(QStringLiteral("folders/recent")).toStringList();
}

void Settings::addRecentFolder(const QString& folder)
{
    const QString clean = QDir::cleanPath(folder);
    if (clean.isEmpty())
        return;
    QStringList list = recentFolders();
    list.removeAll(clean);
    list.prepend(clean);
    while (list.size() > kMaxRecentFolders)
        list.removeLast();
    m_store->setValue(QStringLiteral("folders/recent"), list);
}

void Settings::clearRecentFolders()
{
    m_store->remove(QStringLiteral("folders/recent"));
}

FilterState Settings::filters() const
{
    FilterState f;
    m_store->beginGroup(QStringLiteral("filters"));
    f.range = timeRangeFromKey(m_store->value(QStringLiteral("range")).toString()).value_or(TimeRange::Last7d);
    f.customFrom = dateTimeFromText(m_store->value(QStringLiteral("customFrom")).toString());
    f.customTo = dateTimeFromText(m_store->value(QStringLiteral("customTo")).toString());
    f.preset = m_store->value(QStringLiteral("preset")).toString();
    f.provider = m_store->value(QStringLiteral("provider")).toString();
    f.providerAnyCall = parseVocabulary<ProviderMatch>(m_store->value(QStringLiteral("providerMatch")).toString())
        == ProviderMatch::AnyCall;
    f.status = m_store->value(QStringLiteral("status")).toString();
    f.groundedOnly = m_store->value(QStringLiteral("groundedOnly"), false).toBool();
    f.redactedOnly = m_store->value(QStringLiteral("redactedOnly"), false).toBool();
    f.search = m_store->value(QStringLiteral("search")).toString();
    m_store->endGroup();
    return f;
}

void Settings::setFilters(const FilterState& f)
{
    m_store->beginGroup(QStringLiteral("filters"));
    m_store->setValue(QStringLiteral("range"), timeRangeKey(f.range));
    m_store->setValue(QStringLiteral("customFrom"), dateTimeToText(f.customFrom));
    m_store->setValue(QStringLiteral("customTo"), dateTimeToText(f.customTo));
    m_store->setValue(QStringLiteral("preset"), f.preset);
    m_store->setValue(QStringLiteral("provider"), f.provider);
    m_store->setValue(QStringLiteral("providerMatch"),
        vocabularyId(f.providerAnyCall ? ProviderMatch::AnyCall : ProviderMatch::PublishedBy));
    m_store->setValue(QStringLiteral("status"), f.status);
    m_store->setValue(QStringLiteral("groundedOnly"), f.groundedOnly);
    m_store->setValue(QStringLiteral("redactedOnly"), f.redactedOnly);
    m_store->setValue(QStringLiteral("search"), f.search);
    m_store->endGroup();
}

QString Settings::lastTeamHistory() const
{
    return m_store->value(QStringLiteral("team/lastHistory")).toString();
}

void Settings::setLastTeamHistory(const QString& urlWithoutPassword)
{
    m_store->setValue(QStringLiteral("team/lastHistory"), urlWithoutPassword);
}

QString Settings::lastExportFolder() const
{
    return m_store->value(QStringLiteral("export/lastFolder")).toString();
}

void Settings::setLastExportFolder(const QString& folder)
{
    m_store->setValue(QStringLiteral("export/lastFolder"), QDir::cleanPath(folder));
}

QString Settings::lastTab() const
{
    return m_store->value(QStringLiteral("ui/lastTab")).toString();
}
void Settings::setLastTab(const QString& tab)
{
    m_store->setValue(QStringLiteral("ui/lastTab"), tab);
}

QString Settings::legacyAlertWebhookUrl() const
{
    const QByteArray stored = m_store->value(QStringLiteral("alerts/webhook")).toByteArray();
    return QString::fromUtf8(QByteArray::fromBase64(stored));
}

void Settings::removeLegacyAlertWebhookUrl()
{
    m_store->remove(QStringLiteral("alerts/webhook"));
}

void Settings::sync()
{
    m_store->sync();
}

} // namespace djp
