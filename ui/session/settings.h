#pragma once
// The desktop application's remembered state, typed, over an injected QSettings (the application's
// default one, or an INI file in a temp dir for tests). Widgets never read QSettings directly.
//
// Never stored here: API keys (they live in the environment / .env, read by the providers module)
// and secrets typed in the GUI such as the alert webhook URL (SecretStore: the desktop keyring or
// a 0600 file). 0.1 kept the webhook URL here, base64-encoded; it is only read to be moved out.
//
// Threading: GUI thread only (QSettings itself is reentrant, this wrapper holds no locks).
#include "session/filterstate.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

class QSettings;

namespace djp {

class Settings
{
public:
    // Bump when the layout of saved window/splitter/header state changes in a way that old blobs
    // would restore wrongly; stale blobs are then ignored instead of restored.
    static constexpr int kStateVersion = 1;
    static constexpr int kMaxRecentFolders = 8;

    explicit Settings(QSettings* store); // not owned; must outlive this object
    QSettings* store() const { return m_store; }

    // Window, splitter and header state: empty when absent or saved by another kStateVersion.
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray& state);
    QByteArray splitterState() const;
    void setSplitterState(const QByteArray& state);
    QByteArray runsHeaderState() const;
    void setRunsHeaderState(const QByteArray& state);

    QString lastFolder() const;
    void setLastFolder(const QString& folder);
    // Most recent first, without duplicates, at most kMaxRecentFolders.
    QStringList recentFolders() const;
    void addRecentFolder(const QString& folder);
    void clearRecentFolders();

    // The team history last opened, as a URL without its password (passwords go to SecretStore).
    QString lastTeamHistory() const;
    void setLastTeamHistory(const QString& urlWithoutPassword);

    FilterState filters() const;
    void setFilters(const FilterState& filters);

    // Folder of the last successful CSV export; the next save dialog opens there. Empty when none.
    QString lastExportFolder() const;
    void setLastExportFolder(const QString& folder);

    QString lastTab() const; // "dashboard", "runs", ... ; empty when never saved
    void setLastTab(const QString& tab);

    // The webhook URL 0.1 left in the settings (empty when none), for the move to SecretStore.
    QString legacyAlertWebhookUrl() const;
    void removeLegacyAlertWebhookUrl();

    void sync();

private:
    QByteArray versionedBlob(const QString& key) const;
    void setVersionedBlob(const QString& key, const QByteArray& value);

    QSettings* m_store;
};

} // namespace djp
