// Schema 2.0 / 1.1 validation (docs/artifact-format.md): the bundled example validates, and typical mistakes are
// reported at the right JSON pointer.
#include "artifact/schemavalidator.h"
#include "testpaths.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace djp;

class TestSchemaValidator : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_config;
    static Json load(const char* name)
    {
        QFile f(test::dataDir() + QStringLiteral("/artifacts/") + QLatin1String(name));
        if (!f.open(QIODevice::ReadOnly))
            qFatal("fixture %s missing", name);
        return *parseJson(f.readAll());
    }
    static QString dump(const std::vector<SchemaError>& errors)
    {
        QStringList lines;
        for (const auto& e : errors)
            lines << e.pointer + QStringLiteral(": ") + e.message;
        return lines.join(QLatin1Char('\n'));
    }

private slots:
    void initTestCase()
    {
        qputenv("DJP_CONFIG_DIR", m_config.path().toUtf8()); // never pick up a user's schema override
    }

    void bundledSchemasLoad()
    {
        QVERIFY(SchemaValidator::forSchemaVersion(QStringLiteral("2.0")));
        QVERIFY(SchemaValidator::forSchemaVersion(QStringLiteral("2.3")));
        QVERIFY(SchemaValidator::forSchemaVersion(QStringLiteral("1.0")));
        QVERIFY(!SchemaValidator::forSchemaVersion(QStringLiteral("3.0")));
    }

    void fixturesValidate_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("2.0 example") << "v2-example.json";
        QTest::newRow("legacy 1.1") << "legacy-1.1-full.json";
        QTest::newRow("legacy 1.0") << "legacy-1.0-minimal.json";
    }
    void fixturesValidate()
    {
        QFETCH(QString, name);
        const auto errors = validateArtifact(load(name.toUtf8().constData()));
        QVERIFY2(errors.empty(), qPrintable(dump(errors)));
    }

    void mistakes_data()
    {
        QTest::addColumn<QString>("patch"); // a JSON Patch (RFC 6902) applied to the example
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("messagePart");

        QTest::newRow("missing run_id") << R"([{"op":"remove","path":"/run_id"}])"
                                        << ""
                                        << "missing required property \"run_id\"";
        QTest::newRow("missing budget.gate") << R"([{"op":"remove","path":"/budget/gate"}])"
                                             << "/budget"
                                             << "\"gate\"";
        QTest::newRow("missing call key") << R"([{"op":"remove","path":"/calls/2/pricing_id"}])"
                                          << "/calls/2"
                                          << "pricing_id";
        QTest::newRow("wrong stage enum") << R"([{"op":"replace","path":"/calls/0/stage","value":"publish"}])"
                                          << "/calls/0/stage"
                                          << "not one of";
        QTest::newRow("wrong status enum") << R"([{"op":"replace","path":"/publish/status","value":"done"}])"
                                           << "/publish/status"
                                           << "not one of";
        QTest::newRow("wrong judge method") << R"([{"op":"replace","path":"/judge/method","value":"vote"}])"
                                            << "/judge/method"
                                            << "not one of";
        QTest::newRow("extra key in call") << R"([{"op":"add","path":"/calls/1/model","value":"gpt-4o"}])"
                                           << "/calls/1/model"
                                           << "unexpected property";
        QTest::newRow("attempt 0") << R"([{"op":"replace","path":"/calls/0/attempt","value":0}])"
                                   << "/calls/0/attempt"
                                   << "minimum";
        QTest::newRow("attempt float") << R"([{"op":"replace","path":"/calls/0/attempt","value":1.5}])"
                                       << "/calls/0/attempt"
                                       << "expected integer";
        QTest::newRow("cost string") << R"([{"op":"replace","path":"/calls/0/cost_usd","value":"0.1"}])"
                                     << "/calls/0/cost_usd"
                                     << "expected number or null";
        QTest::newRow("naive timestamp")
            << R"([{"op":"replace","path":"/run_metadata/timestamp","value":"2026-11-28T10:00:00"}])"
            << "/run_metadata/timestamp"
            << "does not match";
        QTest::newRow("publish array") << R"([{"op":"replace","path":"/publish","value":[]}])"
                                       << "/publish"
                                       << "expected object, got array";
        QTest::newRow("gate ratio string") << R"([{"op":"replace","path":"/budget/gate/ratio","value":"x"}])"
                                           << "/budget/gate/ratio"
                                           << "number or null";
        QTest::newRow("projection missing total") << R"([{"op":"remove","path":"/budget/projection/worst/total_usd"}])"
                                                  << "/budget/projection/worst"
                                                  << "total_usd";
        QTest::newRow("usage entry")
            << R"([{"op":"replace","path":"/provenance/model_usage/openai~1gpt-4o/tokens_in","value":-1}])"
            << "/provenance/model_usage/openai~1gpt-4o/tokens_in"
            << "minimum";
        QTest::newRow("version 1 in 2.0 schema") << R"([{"op":"replace","path":"/schema_version","value":"2.x"}])"
                                                 << "/schema_version"
                                                 << "does not match";
    }
    void mistakes()
    {
        QFETCH(QString, patch);
        QFETCH(QString, pointer);
        QFETCH(QString, messagePart);
        const Json doc = load("v2-example.json").patch(*parseJson(patch.toUtf8()));
        const auto errors = validateArtifact(doc);
        QVERIFY2(!errors.empty(), "expected at least one error");
        bool found = false;
        for (const auto& e : errors)
            found = found || (e.pointer == pointer && e.message.contains(messagePart));
        QVERIFY2(found, qPrintable(dump(errors)));
    }

    void legacyLayoutIsChecked()
    {
        Json legacy = load("legacy-1.1-full.json");
        QVERIFY(validateArtifact(legacy).empty());
        legacy["publish"]["redaction_events"] = "none";
        const auto errors = validateArtifact(legacy);
        QCOMPARE(errors.size(), std::size_t(1));
        QCOMPARE(errors[0].pointer, QStringLiteral("/publish/redaction_events"));
        // 2.0-only keys are not required of a 1.x file
        Json minimal = { { "schema_version", "1.0" }, { "run_metadata", Json::object() } };
        QVERIFY(validateArtifact(minimal).empty());
    }

    void unsupportedVersion()
    {
        const auto errors = validateArtifact(Json { { "schema_version", "3.0" }, { "run_metadata", Json::object() } });
        QCOMPARE(errors.size(), std::size_t(1));
        QCOMPARE(errors[0].pointer, QStringLiteral("/schema_version"));
    }

    void genericKeywords()
    {
        const SchemaValidator v(*parseJson(
            R"({"$defs":{"n":{"type":"integer","maximum":3}},)"
            R"("type":"object","properties":{"a":{"$ref":"#/$defs/n"},"b":{"const":"x"},)"
            R"("c":{"type":"array","items":{"type":"string"}}},"additionalProperties":{"type":"boolean"}})"));
        QVERIFY(v.isValid());
        QVERIFY(v.validate(*parseJson(R"({"a":2,"b":"x","c":["s"],"d":true})")).empty());
        const auto errors = v.validate(*parseJson(R"({"a":4,"b":"y","c":["s",1],"d":1})"));
        QStringList pointers;
        for (const auto& e : errors)
            pointers << e.pointer;
        pointers.sort();
        QCOMPARE(pointers, (QStringList { "/a", "/b", "/c/1", "/d" }));
    }
};

QTEST_GUILESS_MAIN(TestSchemaValidator)
#include "tst_schemavalidator.moc"
