// The folder listing's name rule (store/dirscan.h): which directory entries readers consider at
// all, and that scanRunsDir lists exactly those.
#include "store/dirscan.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace djp;

class TestDirScan : public QObject
{
    Q_OBJECT
private slots:
    void candidates_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("candidate");
        QTest::newRow("artifact") << "2026.11.28-100000-3f9c2b1e.json" << true;
        QTest::newRow("legacy") << "2024.09.02-1431.json" << true;
        QTest::newRow("with folder") << "/runs/sub/2024.09.02-1431.json" << true;
        QTest::newRow("hidden") << ".hidden.json" << false;
        QTest::newRow("writer temp") << ".2026.11.28-100000-3f9c2b1e.json.tmp-Ab12Cd" << false;
        QTest::newRow("index") << ".djp-index.sqlite" << false;
        QTest::newRow("index json") << ".djp-index.json" << false;
        QTest::newRow("tmp") << "run.tmp" << false;
        QTest::newRow("tmp json") << "run.tmp.json" << false;
        QTest::newRow("not json") << "notes.txt" << false;
        QTest::newRow("upper case") << "RUN.JSON" << false;
        QTest::newRow("bare .json") << ".json" << false;
        QTest::newRow("hidden in folder name only") << "/runs/.git/x.json" << true; // folders are the walker's job
    }
    void candidates()
    {
        QFETCH(QString, name);
        QFETCH(bool, candidate);
        QCOMPARE(store::isArtifactCandidate(name), candidate);
    }

    // The walk lists by the same rule: of these files only the two artifacts, at any depth.
    void scanListsOnlyCandidates()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("sub")));
        for (const char* name : { "2024.09.02-1431.json", "sub/2026.11.28-100000-3f9c2b1e.json", ".hidden.json",
                 ".2026.11.28-100000-3f9c2b1e.json.tmp-Ab12Cd", "run.tmp.json", "notes.txt", "RUN.JSON" }) {
            QFile f(dir.filePath(QLatin1String(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            QVERIFY(f.write("{}") == 2);
        }
        const store::DirScanResult result = store::scanRunsDir(dir.path());
        std::vector<std::string> listed;
        for (const store::ScannedFile& f : result.files)
            listed.push_back(f.rel);
        std::sort(listed.begin(), listed.end());
        QCOMPARE(listed, (std::vector<std::string> { "2024.09.02-1431.json", "sub/2026.11.28-100000-3f9c2b1e.json" }));
        QVERIFY(result.skipped.empty());
    }
};

QTEST_GUILESS_MAIN(TestDirScan)
#include "tst_dirscan.moc"
