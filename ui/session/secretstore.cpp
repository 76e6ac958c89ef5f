#include "session/secretstore.h"

#include "core/jsonutil.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/strings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QPointer>
#include <QtConcurrent>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <qt6keychain/keychain.h>
#include <sys/stat.h>
#include <unistd.h>

namespace djp {

namespace {

// Keyring errors that mean "there is no keyring here", as opposed to "no such entry".
bool keyringUnavailable(QKeychain::Error e)
{
    return e == QKeychain::NoBackendAvailable || e == QKeychain::NotImplemented || e == QKeychain::OtherError
        || e == QKeychain::AccessDenied || e == QKeychain::AccessDeniedByUser;
}

std::optional<Json> readSecretJson(const QString& path, QString* error)
{
    QFile f(path);
    if (!f.exists())
        return Json::object();
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    QString parseError;
    auto j = parseJson(f.readAll(), &parseError);
    if (!j || !j->is_object()) {
        *error = QStringLiteral("%1 is not a JSON object").arg(path);
        return std::nullopt;
    }
    return j;
}

} // namespace

std::optional<QString> readSecretFile(const QString& path, const QString& key, QString* error)
{
    QString why;
    const auto j = readSecretJson(path, &why);
    if (!j) {
        if (error)
            *error = why;
        return std::nullopt;
    }
    const auto it = j->find(ss(key));
    if (it == j->end() || !it->is_string())
        return std::nullopt;
    return qs(it->get<std::string>());
}

bool writeSecretFile(const QString& path, const QString& key, const std::optional<QString>& value, QString* error)
{
    const auto fail = [&](const QString& why) {
        if (error)
            *error = why;
        return false;
    };
    QString why;
    std::optional<Json> j = readSecretJson(path, &why);
    if (!j)
        j = Json::object(); // unreadable: replaced (the user is typing the secret again)
    if (value)
        (*j)[ss(key)] = ss(*value);
    else
        j->erase(ss(key));
    const QString dir = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(dir))
        return fail(QStringLiteral("cannot create %1").arg(dir));
    QByteArray tmpl = QFile::encodeName(path) + ".tmp-XXXXXX";
    const int fd = ::mkstemp(tmpl.data()); // created 0600
    if (fd < 0)
        return fail(QStringLiteral("cannot create a temp file next to %1: %2")
                        .arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    ::fchmod(fd, S_IRUSR | S_IWUSR); // whatever the umask did
    const std::string text = j->dump(2) + "\n";
    bool ok = true;
    for (std::size_t done = 0; ok && done < text.size();) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        done += n > 0 ? std::size_t(n) : 0;
    }
    ok = ok && ::fsync(fd) == 0;
    ok = (::close(fd) == 0) && ok;
    if (!ok || ::rename(tmpl.constData(), QFile::encodeName(path).constData()) != 0) {
        const QString err = QString::fromLocal8Bit(std::strerror(errno));
        ::unlink(tmpl.constData());
        return fail(QStringLiteral("cannot write %1: %2").arg(path, err));
    }
    return true;
}

SecretStore::SecretStore(QObject* parent)
    : SecretStore(Options {}, parent)
{ }

SecretStore::SecretStore(Options options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    if (m_options.fallbackPath.isEmpty())
        m_options.fallbackPath = configDir() + QStringLiteral("/secrets.json");
    if (qEnvironmentVariable("DJP_SECRET_STORE") == QLatin1String("file"))
        m_options.useKeyring = false;
    m_fallback = !m_options.useKeyring;
    m_pool.setMaxThreadCount(1);
}

SecretStore::~SecretStore()
{
    m_pool.waitForDone();
}

void SecretStore::setFallback()
{
    if (m_fallback)
        return;
    m_fallback = true;
    logger("ui")->info("no desktop keyring: secrets are kept in {}", ss(m_options.fallbackPath));
    Q_EMIT fallbackChanged(true);
}

void SecretStore::fileRead(const QString& key, std::function<void(std::optional<QString>, QString)> done)
{
    auto* watcher = new QFutureWatcher<std::pair<std::optional<QString>, QString>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [watcher, done] {
        watcher->deleteLater();
        const auto [value, error] = watcher->result();
        if (done)
            done(value, error);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, [path = m_options.fallbackPath, key] {
        QString error;
        auto value = readSecretFile(path, key, &error);
        return std::make_pair(value, error);
    }));
}

void SecretStore::fileWrite(const QString& key, std::optional<QString> value, std::function<void(bool, QString)> done)
{
    auto* watcher = new QFutureWatcher<std::pair<bool, QString>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [watcher, done] {
        watcher->deleteLater();
        const auto [ok, error] = watcher->result();
        if (done)
            done(ok, error);
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, [path = m_options.fallbackPath, key, value] {
        QString error;
        const bool ok = writeSecretFile(path, key, value, &error);
        return std::make_pair(ok, error);
    }));
}

void SecretStore::read(const QString& key, std::function<void(std::optional<QString>, QString)> done)
{
    if (m_fallback) {
        fileRead(key, std::move(done));
        return;
    }
    // No parent: libsecret may answer after the store is gone; autoDelete frees the job.
    auto* job = new QKeychain::ReadPasswordJob(m_options.service);
    job->setKey(key);
    job->setAutoDelete(true);
    connect(job, &QKeychain::Job::finished, this, [this, job, key, done](QKeychain::Job*) {
        if (job->error() == QKeychain::NoError) {
            if (done)
                done(job->textData(), {});
            return;
        }
        if (keyringUnavailable(job->error()))
            setFallback();
        // Not in the keyring (or no keyring): the file may hold it from a session without one.
        fileRead(key, done);
    });
    job->start();
}

void SecretStore::write(const QString& key, const QString& value, std::function<void(bool, QString)> done)
{
    if (m_fallback) {
        fileWrite(key, value, std::move(done));
        return;
    }
    // No parent: libsecret may answer after the store is gone; autoDelete frees the job.
    auto* job = new QKeychain::WritePasswordJob(m_options.service);
    job->setKey(key);
    job->setTextData(value);
    job->setAutoDelete(true);
    connect(job, &QKeychain::Job::finished, this, [this, job, key, value, done](QKeychain::Job*) {
        if (job->error() == QKeychain::NoError) {
            // Stored in the keyring: no copy may stay in the file.
            fileWrite(key, std::nullopt, [done](bool, QString) {
                if (done)
                    done(true, {});
            });
            return;
        }
        setFallback();
        fileWrite(key, value, done);
    });
    job->start();
}

void SecretStore::remove(const QString& key, std::function<void(bool, QString)> done)
{
    // Both places: a secret written while no keyring ran may still be in the file.
    if (m_fallback) {
        fileWrite(key, std::nullopt, std::move(done));
        return;
    }
    // No parent: libsecret may answer after the store is gone; autoDelete frees the job.
    auto* job = new QKeychain::DeletePasswordJob(m_options.service);
    job->setKey(key);
    job->setAutoDelete(true);
    connect(job, &QKeychain::Job::finished, this, [this, job, key, done](QKeychain::Job*) {
        if (keyringUnavailable(job->error()))
            setFallback();
        fileWrite(key, std::nullopt, done);
    });
    job->start();
}

} // namespace djp
