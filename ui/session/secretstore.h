#pragma once
// Keeps secrets the user types into the desktop application (alert webhook URLs; team database
// passwords later) out of the settings file: in the desktop keyring (Secret Service / KWallet,
// through QtKeychain), or — when no keyring answers (headless machines, CI, offscreen tests) — in a
// file of its own in the config dir, created with mode 0600. usingFallback() tells the UI to say
// so. docs/gui-alerts.md, "Secrets at rest".
//
// Threading: lives on the GUI thread; every operation is asynchronous (keyring jobs over D-Bus,
// file work on a private one-thread pool, in order) and reports back on the GUI thread, so the GUI
// never waits on disk or D-Bus.
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <functional>
#include <optional>

namespace djp {

class SecretStore : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString service = QStringLiteral("DJP Studio"); // keyring service name
        QString fallbackPath; // default: djp::configDir() + "/secrets.json"
        bool useKeyring = true; // false: the file only (also DJP_SECRET_STORE=file)
    };

    explicit SecretStore(QObject* parent = nullptr);
    SecretStore(Options options, QObject* parent = nullptr);
    ~SecretStore() override;

    // `done(value, error)`: value is nullopt when there is no such secret (error empty) or it could
    // not be read (error set).
    void read(const QString& key, std::function<void(std::optional<QString> value, QString error)> done);
    void write(const QString& key, const QString& value, std::function<void(bool ok, QString error)> done = {});
    void remove(const QString& key, std::function<void(bool ok, QString error)> done = {});

    // True once the keyring was found unavailable (or was not wanted): secrets live in the file.
    bool usingFallback() const { return m_fallback; }
    QString fallbackPath() const { return m_options.fallbackPath; }

Q_SIGNALS:
    void fallbackChanged(bool usingFallback);

private:
    void setFallback();
    void fileRead(const QString& key, std::function<void(std::optional<QString>, QString)> done);
    void fileWrite(const QString& key, std::optional<QString> value, std::function<void(bool, QString)> done);

    Options m_options;
    bool m_fallback = false;
    QThreadPool m_pool;
};

// The file fallback on its own (synchronous; call off the GUI thread). A JSON object key → value,
// written atomically with mode 0600 (the temp file is created 0600, fsynced, then renamed).
std::optional<QString> readSecretFile(const QString& path, const QString& key, QString* error);
bool writeSecretFile(const QString& path, const QString& key, const std::optional<QString>& value, QString* error);

} // namespace djp
