// RunWatcher: new, replaced and deleted artifacts (also in new sub-folders) produce a debounced
// runsChanged; a missing or deleted folder is harmless.
#include "benchdata/syntheticartifacts.h"
#include "store/runwatcher.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

using namespace djp;

namespace {

// Like ArtifactWriter: hidden temp file in the same folder, then rename over the final name.
bool writeAtomically(const QString& path, int i)
{
    SyntheticOptions o;
    o.endMs = 1767225600000;
    const std::string bytes = syntheticArtifactBytes(o, i, false);
    const QFileInfo info(path);
    const QString tmp = info.absolutePath() + QStringLiteral("/.") + info.fileName() + QStringLiteral(".tmp");
    QFile f(tmp);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes.data(), qint64(bytes.size())) != qint64(bytes.size()))
        return false;
    f.close();
    return ::rename(QFile::encodeName(tmp).constData(), QFile::encodeName(path).constData()) == 0;
}

} // namespace

class TestRunWatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { qputenv("DJP_CACHE_DIR", m_cache.path().toUtf8()); }

    void newChangedAndDeletedFiles()
    {
        QTemporaryDir dir;
        RunWatcher w;
        w.setDebounceMs(100);
        w.setDirectory(dir.path());
        QCOMPARE(w.directory(), QDir::cleanPath(dir.path()));
        QSignalSpy spy(&w, &RunWatcher::runsChanged);

        const QString a = dir.filePath(QStringLiteral("2026.01.01-000000-00000001.json"));
        QVERIFY(writeAtomically(a, 1));
        QTRY_VERIFY_WITH_TIMEOUT(spy.size() >= 1, 10000);

        spy.clear();
        QVERIFY(writeAtomically(a, 2)); // replaced by rename
        QTRY_VERIFY_WITH_TIMEOUT(spy.size() >= 1, 10000);

        spy.clear();
        QVERIFY(QFile::remove(a));
        QTRY_VERIFY_WITH_TIMEOUT(spy.size() >= 1, 10000);
    }

    void newSubFolders()
    {
        QTemporaryDir dir;
        RunWatcher w;
        w.setDebounceMs(100);
        w.setDirectory(dir.path());
        QSignalSpy spy(&w, &RunWatcher::runsChanged);

        // A folder and a file in it at once (both inside one debounce period).
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("2026-01"))));
        QVERIFY(writeAtomically(dir.filePath(QStringLiteral("2026-01/a.json")), 1));
        QTRY_VERIFY_WITH_TIMEOUT(spy.size() >= 1, 10000);

        // Later files in that folder are seen: the folder is watched now.
        QTest::qWait(250);
        spy.clear();
        QVERIFY(writeAtomically(dir.filePath(QStringLiteral("2026-01/b.json")), 2));
        QTRY_VERIFY_WITH_TIMEOUT(spy.size() >= 1, 10000);

        // Nested folders created later too.
        spy.clear();
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("x/y"))));
        QTRY_VERIFY_WITH_TIMEOUT(spy.size() >= 1, 10000);
        QTest::qWait(250);
        spy.clear();
        QVERIFY(writeAtomically(dir.filePath(QStringLiteral("x/y/c.json")), 3));
        QTRY_VERIFY_WITH_TIMEOUT(spy.size() >= 1, 10000);
        spy.clear();
        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("x/y/c.json"))));
        QTRY_VERIFY_WITH_TIMEOUT(spy.size() >= 1, 10000);
    }

    void burstsAreDebounced()
    {
        QTemporaryDir dir;
        RunWatcher w;
        w.setDebounceMs(300);
        w.setDirectory(dir.path());
        QSignalSpy spy(&w, &RunWatcher::runsChanged);
        // A witness with a much longer debounce reports only once the folder has been quiet for that
        // long: by then every signal of the burst has been emitted.
        RunWatcher witness;
        witness.setDebounceMs(2000);
        witness.setDirectory(dir.path());
        QSignalSpy quiet(&witness, &RunWatcher::runsChanged);
        for (int i = 0; i < 30; ++i)
            QVERIFY(writeAtomically(dir.filePath(QStringLiteral("r%1.json").arg(i)), i));
        QTRY_VERIFY_WITH_TIMEOUT(quiet.size() >= 1, 20000);
        QVERIFY(spy.size() >= 1);
        // Not one per file (a loaded machine may split the burst into a few periods, never into 30).
        QVERIFY2(spy.size() < 10, qPrintable(QString::number(spy.size())));
    }

    void missingAndDeletedFolder()
    {
        QTemporaryDir parent;
        const QString dir = parent.filePath(QStringLiteral("runs"));
        RunWatcher w;
        w.setDebounceMs(100);
        w.setDirectory(dir); // does not exist yet: fine
        QSignalSpy spy(&w, &RunWatcher::runsChanged);

        QVERIFY(QDir().mkpath(dir)); // its creation counts
        QTRY_VERIFY_WITH_TIMEOUT(spy.size() >= 1, 10000);
        QTest::qWait(250);
        spy.clear();
        QVERIFY(writeAtomically(dir + QStringLiteral("/a.json"), 1));
        QTRY_VERIFY_WITH_TIMEOUT(spy.size() >= 1, 10000);

        spy.clear();
        QVERIFY(QDir(dir).removeRecursively()); // deleted under our feet: reported, no crash
        QTRY_VERIFY_WITH_TIMEOUT(spy.size() >= 1, 10000);
        QTest::qWait(250);
        spy.clear();
        QVERIFY(QDir().mkpath(dir)); // and re-created
        QTRY_VERIFY_WITH_TIMEOUT(spy.size() >= 1, 10000);

        w.setDirectory(QString()); // stop watching
        QVERIFY(w.directory().isEmpty());
        spy.clear();
        // A witness that still watches, with a longer debounce: had `w` seen the change, its shorter
        // timer, started by the same notification, would have fired first.
        RunWatcher witness;
        witness.setDebounceMs(500);
        witness.setDirectory(dir);
        QSignalSpy witnessed(&witness, &RunWatcher::runsChanged);
        QVERIFY(writeAtomically(dir + QStringLiteral("/b.json"), 2));
        QTRY_VERIFY_WITH_TIMEOUT(witnessed.size() >= 1, 20000);
        QCOMPARE(spy.size(), 0);
    }

private:
    QTemporaryDir m_cache;
};

QTEST_GUILESS_MAIN(TestRunWatcher)
#include "tst_runwatcher.moc"
