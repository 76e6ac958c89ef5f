// The benchmark's synthetic folders (bench/benchdata) and the repository's fixtures are valid run
// artifacts: each file passes the bundled JSON Schema of its version, and each shape looks like the
// folders it stands for (docs/performance.md: legacy 1.1 folders written by Python, 2.x folders).
#include "testpaths.h"

#include "artifact/artifactdocument.h"
#include "artifact/artifactscanner.h"
#include "artifact/schemavalidator.h"
#include "benchdata/syntheticartifacts.h"
#include "store/dirscan.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace djp;

namespace {

struct FolderCheck
{
    int valid = 0;
    std::map<QString, QString> failed; // path -> first error (a load problem or a schema error)
    std::map<QString, int> versions; // schema_version -> files that passed
};

// Loads every candidate file under `dir` with the document loader and validates it against the
// schema of its own version.
FolderCheck checkFolder(const QString& dir)
{
    FolderCheck out;
    const store::DirScanResult scan = store::scanRunsDir(dir);
    for (const store::ScannedFile& f : scan.files) {
        const QString path = store::scannedPath(dir, f.rel);
        const ArtifactDocument doc = loadArtifactDocument(path);
        if (doc.problem) {
            out.failed[path] = doc.problem->code + QStringLiteral(": ") + doc.problem->detail;
            continue;
        }
        const std::vector<SchemaError> errors = validateArtifact(doc.json);
        if (!errors.empty()) {
            out.failed[path] = errors.front().pointer + QStringLiteral(" ") + errors.front().message;
            continue;
        }
        ++out.versions[QString::fromStdString(doc.json.value("schema_version", std::string()))];
        ++out.valid;
    }
    return out;
}

QString describe(const FolderCheck& c)
{
    QStringList lines;
    for (const auto& [path, why] : c.failed)
        lines << path + QStringLiteral(": ") + why;
    return lines.mid(0, 5).join(QLatin1Char('\n'));
}

} // namespace

class TestBenchData : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shapesPassTheSchema_data()
    {
        QTest::addColumn<int>("shape");
        QTest::newRow("mixed") << int(SyntheticShape::Mixed);
        QTest::newRow("legacy") << int(SyntheticShape::Legacy);
        QTest::newRow("current") << int(SyntheticShape::Current);
    }
    void shapesPassTheSchema()
    {
        QFETCH(int, shape);
        QTemporaryDir dir;
        SyntheticOptions o;
        o.shape = SyntheticShape(shape);
        o.count = 400;
        o.endMs = 1795000000000; // fixed: the set does not depend on today
        const SyntheticResult res = writeSyntheticArtifacts(dir.path(), o);
        QVERIFY2(res.ok, qPrintable(res.error));
        const FolderCheck check = checkFolder(dir.path());
        // Only the files written with an unusable timestamp on purpose ("yesterday afternoon") fail,
        // and only there.
        QStringList failed;
        for (const auto& [path, why] : check.failed) {
            failed << path;
            QVERIFY2(why.startsWith(QLatin1String("/run_metadata/timestamp ")), qPrintable(path + why));
        }
        QCOMPARE(failed, res.badTimestampFiles);
        QCOMPARE(check.valid, 400 - int(res.badTimestampFiles.size()));
        std::map<QString, int> versions = check.versions;
        if (o.shape == SyntheticShape::Legacy) {
            QCOMPARE(versions[QStringLiteral("1.1")] + versions[QStringLiteral("1.0")], 400);
            QVERIFY(versions[QStringLiteral("1.0")] > 0);
        } else if (o.shape == SyntheticShape::Current) {
            QCOMPARE(versions[QStringLiteral("2.0")], check.valid);
        } else {
            QVERIFY(versions[QStringLiteral("2.0")] > 0 && versions[QStringLiteral("1.1")] > 0);
        }
    }

    // What makes a legacy folder harder than our own files: Python's writer escaped every non-ASCII
    // character, answers are markdown of very different lengths, runs have 2 to 5 drafts, and the
    // files sit in one folder under minute names.
    void legacyShapeLooksLikeLegacyFolders()
    {
        QTemporaryDir dir;
        SyntheticOptions o;
        o.shape = SyntheticShape::Legacy;
        o.count = 600;
        o.endMs = 1795000000000;
        const SyntheticResult res = writeSyntheticArtifacts(dir.path(), o);
        QVERIFY(res.ok);
        const QRegularExpression minuteName(QStringLiteral("^\\d{4}\\.\\d{2}\\.\\d{2}-\\d{4}(-\\d+)?\\.json$"));
        const QStringList names = QDir(dir.path()).entryList(QDir::Files);
        QCOMPARE(names.size(), 600);
        QVERIFY(QDir(dir.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot).isEmpty());
        int escaped = 0;
        qint64 smallest = std::numeric_limits<qint64>::max(), largest = 0;
        std::map<size_t, int> drafts;
        for (const QString& name : names) {
            QVERIFY2(minuteName.match(name).hasMatch(), qPrintable(name));
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            QVERIFY2(std::all_of(bytes.begin(), bytes.end(), [](char c) { return (c & 0x80) == 0; }),
                qPrintable(name)); // ASCII only
            escaped += bytes.contains("\\u") ? 1 : 0;
            QVERIFY(bytes.startsWith("{\n  \"schema_version\": \"1.")); // 2-space indentation
            smallest = std::min(smallest, qint64(bytes.size()));
            largest = std::max(largest, qint64(bytes.size()));
            const ArtifactDocument doc = loadArtifactDocument(dir.filePath(name));
            QVERIFY(!doc.problem);
            ++drafts[doc.json["debate"]["drafts"].size()];
            QVERIFY(doc.json["provenance"]["model_usage"].empty()); // the legacy tool never filled it
        }
        QVERIFY(escaped > 300);
        const double average = double(res.bytes) / 600.0;
        QVERIFY2(average > 9000 && average < 16000, qPrintable(QString::number(average)));
        QVERIFY(largest > 3 * smallest);
        for (size_t n = 2; n <= 5; ++n)
            QVERIFY2(drafts[n] > 0, qPrintable(QString::number(n)));
        QCOMPARE(drafts.begin()->first, size_t(2));
        QCOMPARE(drafts.rbegin()->first, size_t(5));

        // The same options give the same bytes.
        QTemporaryDir again;
        QVERIFY(writeSyntheticArtifacts(again.path(), o).ok);
        QFile a(dir.filePath(names.first())), b(again.filePath(names.first()));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(a.readAll(), b.readAll());
    }

    void currentShapeCarriesRawUtf8()
    {
        QTemporaryDir dir;
        SyntheticOptions o;
        o.shape = SyntheticShape::Current;
        o.count = 200;
        o.endMs = 1795000000000;
        QVERIFY(writeSyntheticArtifacts(dir.path(), o).ok);
        int utf8 = 0;
        for (const QString& name : QDir(dir.path()).entryList(QDir::Files)) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            utf8 += std::any_of(bytes.begin(), bytes.end(), [](char c) { return (c & 0x80) != 0; }) ? 1 : 0;
            QVERIFY(bytes.contains("\"calls\": ["));
        }
        QVERIFY(utf8 > 100);
    }

    // The repository's own fixtures follow the schema too. The KPI fixture holds one file that is
    // cut short on purpose (a problem the KPIs must ignore); every file the store reads as a run
    // passes its schema. The pricing and corpus files are not run artifacts.
    void fixturesPassTheSchema()
    {
        const QString data = test::dataDir();
        QVERIFY(!data.isEmpty());
        const FolderCheck artifacts = checkFolder(data + QStringLiteral("/artifacts"));
        QVERIFY2(artifacts.failed.empty(), qPrintable(describe(artifacts)));
        QCOMPARE(artifacts.valid, 4);
        QCOMPARE(artifacts.versions.at(QStringLiteral("1.0")), 1);
        QCOMPARE(artifacts.versions.at(QStringLiteral("1.1")), 1);
        QCOMPARE(artifacts.versions.at(QStringLiteral("2.0")), 1);
        QCOMPARE(artifacts.versions.at(QStringLiteral("2.1")), 1);

        const QString kpiDir = data + QStringLiteral("/kpi-fixture");
        const FolderCheck kpi = checkFolder(kpiDir);
        QCOMPARE(kpi.valid, 10); // the golden file's total_runs
        QCOMPARE(kpi.failed.size(), size_t(1));
        QVERIFY(kpi.failed.begin()->second.startsWith(QLatin1String("not_json")));
        ArtifactScanner scanner;
        QVERIFY(scanner.readFile(kpi.failed.begin()->first).problem.has_value());
    }
};

QTEST_GUILESS_MAIN(TestBenchData)
#include "tst_benchdata.moc"
