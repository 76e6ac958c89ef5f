// Grounded mode (docs/pipeline.md) and the artifact sections the pipeline writes (docs/artifact-format.md), checked
// against the bundled 2.0 JSON Schema.
#include "artifact/schemavalidator.h"
#include "core/resources.h"
#include "pipeline/artifactsections.h"
#include "pipeline/grounding.h"
#include "pipeline/judge.h"
#include "pipeline/prompts.h"
#include "pipeline/publish.h"
#include "pipeline/runrequest.h"
#include "testjson.h"
#include "testpaths.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace djp;

namespace {

QString corpusDir()
{
    return test::dataDir() + "/pipeline/corpus";
}

// A validator for one $defs entry of the 2.0 schema.
SchemaValidator defValidator(const std::string& def)
{
    const auto bytes = readResource("schema/run-artifact-2.0.schema.json");
    Json schema = bytes ? *parseJson(*bytes) : Json::object();
    Json sub { { "$defs", schema["$defs"] }, { "$ref", "#/$defs/" + def } };
    return SchemaValidator(sub);
}

QString errorsText(const std::vector<SchemaError>& errors)
{
    QStringList l;
    for (const auto& e : errors)
        l.append(e.pointer + ": " + e.message);
    return l.join('\n');
}

Draft draft(const QString& label, const QString& answer, int evidence)
{
    Draft d;
    d.label = label;
    d.answer = answer;
    for (int i = 0; i < evidence; ++i)
        d.evidence.append(QStringLiteral("evidence %1").arg(i));
    d.confidence = 0.8;
    return d;
}

} // namespace

class TestGrounding : public QObject
{
    Q_OBJECT

private slots:
    void loadCorpus()
    {
        const Corpus c = djp::loadCorpus(corpusDir());
        QVERIFY(c.loaded);
        QCOMPARE(c.documents.size(), size_t(4)); // hidden folder, .json and the empty file are not documents
        QStringList ids;
        for (const auto& d : c.documents)
            ids.append(d.docId);
        QCOMPARE(ids,
            (QStringList {
                "biology/cell_division", "biology/photosynthesis", "energy/solar_power", "energy/wind-turbines" }));
        QCOMPARE(c.documents[1].title, QString("Photosynthesis in Plants")); // Markdown heading
        QCOMPARE(c.documents[3].title, QString("wind turbines")); // from the file name
        QVERIFY(QFileInfo(c.documents[0].path).isAbsolute());
        QCOMPARE(c.problems.size(), size_t(1));
        QCOMPARE(c.problems[0].code, QString("empty"));
    }
    void loadProblems()
    {
        QTemporaryDir dir;
        auto write = [&](const QString& name, const QByteArray& bytes) {
            QFile f(dir.path() + "/" + name);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        };
        write("big.txt", QByteArray(5000, 'a'));
        write("latin1.txt", QByteArray("caf\xe9 au lait"));
        write("ok.md", "# Fine\n\nText.");
        CorpusLimits limits;
        limits.maxFileBytes = 1000;
        const Corpus c = djp::loadCorpus(dir.path(), limits);
        QVERIFY(c.loaded);
        QCOMPARE(c.documents.size(), size_t(1));
        QStringList codes;
        for (const auto& p : c.problems)
            codes.append(p.code);
        QCOMPARE(codes, (QStringList { "too_large", "not_utf8" }));

        const Corpus missing = djp::loadCorpus(dir.path() + "/nope");
        QVERIFY(!missing.loaded);
        QCOMPARE(missing.problems.at(0).code, QString("not_found"));
    }
    void retrieval_data()
    {
        QTest::addColumn<QString>("task");
        QTest::addColumn<QString>("topDoc");
        QTest::newRow("photosynthesis") << "How do plants use chlorophyll and light to make glucose?"
                                        << "biology/photosynthesis";
        QTest::newRow("solar") << "How efficient are silicon solar panels?"
                               << "energy/solar_power";
        QTest::newRow("wind") << "Why are offshore wind farms built?"
                              << "energy/wind-turbines";
        QTest::newRow("mitosis") << "Explain the phases of mitosis"
                                 << "biology/cell_division";
    }
    void retrieval()
    {
        QFETCH(QString, task);
        QFETCH(QString, topDoc);
        const Corpus c = djp::loadCorpus(corpusDir());
        const auto sources = retrieveSources(c, task, 3);
        QVERIFY(!sources.empty());
        QCOMPARE(sources[0].docId, topDoc);
        QCOMPARE(sources[0].number, 1);
        for (size_t i = 0; i < sources.size(); ++i)
            QCOMPARE(sources[i].number, int(i) + 1);
        QVERIFY(!sources[0].passage.isEmpty());
    }
    void retrievalNothingRelevant()
    {
        const Corpus c = djp::loadCorpus(corpusDir());
        QVERIFY(retrieveSources(c, "zebra quantum banking", 3).empty());
        QCOMPARE(retrieveSources(c, "light energy", 1).size(), size_t(1));
    }
    void passagesOfLongDocument()
    {
        QTemporaryDir dir;
        QFile f(dir.path() + "/long.txt");
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray body;
        for (int i = 0; i < 50; ++i)
            body += "filler words about nothing in particular here. ";
        body += "\n\nThe aurora borealis appears near the magnetic poles.\n\n";
        for (int i = 0; i < 50; ++i)
            body += "more filler words about nothing in particular. ";
        f.write(body);
        f.close();
        const auto sources = retrieveSources(djp::loadCorpus(dir.path()), "aurora borealis", 1, 40);
        QCOMPARE(sources.size(), size_t(1));
        QVERIFY2(sources[0].passage.contains("aurora borealis"), qPrintable(sources[0].passage));
        QVERIFY(sources[0].passage.size() < 400); // a passage, not the whole file
    }
    void citations_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("required");
        QTest::addColumn<QStringList>("cited");
        QTest::addColumn<QString>("fail");
        QTest::newRow("markers") << "Plants use light [S1]; panels too [S2]." << 2 << QStringList { "a", "b" } << "";
        QTest::newRow("grouped") << "Both [S1, S3] and [s2; S9]." << 3 << QStringList { "a", "b", "c" } << "";
        QTest::newRow("adjacent") << "Both [S3][S1]." << 2 << QStringList { "a", "c" } << "";
        QTest::newRow("title mention") << "As Photosynthesis in Plants explains..." << 1 << QStringList { "a" } << "";
        QTest::newRow("short title not enough")
            << "Wind matters." << 1 << QStringList {} << "Insufficient citations: 0 found, 1 required";
        QTest::newRow("shortfall") << "Only [S2] here, and S1 without brackets." << 2 << QStringList { "b" }
                                   << "Insufficient citations: 1 found, 2 required";
        QTest::newRow("not a marker") << "See [SS1] and [S1a] and [Section 2]." << 1 << QStringList {}
                                      << "Insufficient citations: 0 found, 1 required";
    }
    void citations()
    {
        QFETCH(QString, text);
        QFETCH(int, required);
        QFETCH(QStringList, cited);
        QFETCH(QString, fail);
        const std::vector<Source> sources { { 1, "a", "Photosynthesis in Plants", "/c/a.md", "p" },
            { 2, "b", "Solar Photovoltaic Power", "/c/b.md", "p" }, { 3, "c", "Wind", "/c/c.txt", "p" } };
        const CitationReport r = countCitations(text, sources, required);
        QStringList got;
        for (const auto& s : r.cited)
            got.append(s.docId);
        QCOMPARE(got, cited);
        QCOMPARE(r.failReason.value_or(QString()), fail);
        QCOMPARE(r.required, required);
    }

    // ---- artifact sections ------------------------------------------------------------------------
    void groundedRunSectionsMatchSchema()
    {
        // A whole grounded run through the pure pipeline: sources -> prompts -> drafts -> judge -> publish.
        const Corpus c = djp::loadCorpus(corpusDir());
        const QString task = "How do plants use chlorophyll and light to make glucose?";
        PipelineResult res;
        res.task = task;
        res.grounding.enabled = true;
        res.grounding.corpusLoaded = c.loaded;
        res.grounding.corpusDocs = int(c.documents.size());
        res.grounding.sources = retrieveSources(c, task, 3);
        QVERIFY(buildDebatePrompt(task, 2, res.grounding.sources).user.contains("[S1] Photosynthesis in Plants: "));

        res.drafts = { draft("openai/gpt-4o", "Chlorophyll absorbs light [S1], making glucose.", 2),
            draft("anthropic/claude-3-5-sonnet-20240620", "Plants make sugar.", 1) };
        res.invalidDrafts = { { "google/gemini-1.5-pro", "empty answer" } };
        Policy policy;
        policy.name = "openai_only";
        policy.allowedModels = { "openai/gpt-4o" };
        JudgeContext ctx { task, res.drafts, 2, policy };
        const auto order = shuffledOrder(2, 99);
        const JudgePass p1 = parseJudgeReply(J("{'evaluations': [{'draft_index': 1, 'score': 7, 'reasons': 'r', "
                                               "'subscores': {'task_fit': 3, 'support': 3, 'clarity': 1}}]}"),
            order);
        res.judge = judgeDrafts(ctx, { p1 });
        res.publish = decidePublish(res.judge.ranked, policy);
        res.grounding.report = countCitations(res.publish.text, res.grounding.sources, 2);
        applyGroundingShortfall(res.publish, res.grounding.report);
        res.redaction.enabled = true;
        res.redaction.events = { { "EMAIL", 2, "email" } };
        res.redaction.publishedTextRedacted = true; // publish.redacted: the published text itself was redacted

        Json doc = Json::object();
        addPipelineSections(doc, res);
        for (const char* section : { "debate", "judge", "publish", "grounding" }) {
            const auto errors = defValidator(section).validate(doc[section]);
            QVERIFY2(errors.empty(),
                qPrintable(QString(section) + "\n" + errorsText(errors) + "\n"
                    + QString::fromStdString(doc[section].dump(2))));
        }
        // Legacy field names and values.
        QCOMPARE(doc["debate"]["total_drafts"].get<int>(), 2);
        QCOMPARE(doc["debate"]["drafts"][0]["provider"].get<std::string>(), std::string("openai/gpt-4o"));
        QCOMPARE(
            doc["debate"]["invalid_drafts"][0]["provider"].get<std::string>(), std::string("google/gemini-1.5-pro"));
        const Json& judge = doc["judge"];
        QCOMPARE(judge["total_ranked"].get<int>(), 2);
        QCOMPARE(judge["winner_provider"].get<std::string>(), std::string("openai/gpt-4o"));
        QCOMPARE(judge["method"].get<std::string>(), std::string("llm"));
        QVERIFY(judge["second_pass_agreed"].is_null());
        QCOMPARE(judge["passes"].size(), size_t(1));
        QCOMPARE(judge["passes"][0]["order"].get<std::vector<int>>(), order);
        const Json& dq = judge["ranked_drafts"][1];
        QCOMPARE(dq["reasons"].get<std::string>(), std::string("DISQUALIFIED: Only 1 citations, 2 required"));
        QCOMPARE(dq["score"].get<double>(), 0.0);
        QCOMPARE(dq["subscores"]["support"].get<double>(), 0.0);
        const Json& pub = doc["publish"];
        QCOMPARE(pub["status"].get<std::string>(), std::string("advisory_only")); // 1 of 2 sources cited
        QCOMPARE(pub["reason"].get<std::string>(), std::string("Insufficient citations: 1 found, 2 required"));
        QCOMPARE(pub["text_length"].get<int>(), int(res.publish.text.size()));
        QVERIFY(pub["note"].is_null());
        QCOMPARE(pub["redacted"].get<bool>(), true);
        const Json& g = doc["grounding"];
        QCOMPARE(g["corpus_docs"].get<int>(), 4);
        QCOMPARE(g["required_citations"].get<int>(), 2);
        QCOMPARE(g["citations"].size(), size_t(1));
        QCOMPARE(g["citations"][0]["doc_id"].get<std::string>(), std::string("biology/photosynthesis"));
        QCOMPARE(
            g["grounded_fail_reason"].get<std::string>(), std::string("Insufficient citations: 1 found, 2 required"));
    }
    void emptyRunSectionsMatchSchema()
    {
        PipelineResult res;
        res.judge = judgeDrafts(JudgeContext {}, {}, "no drafts");
        res.publish = decidePublish(res.judge.ranked, Policy {});
        Json doc = Json::object();
        addPipelineSections(doc, res);
        for (const char* section : { "debate", "judge", "publish", "grounding" }) {
            const auto errors = defValidator(section).validate(doc[section]);
            QVERIFY2(errors.empty(), qPrintable(QString(section) + "\n" + errorsText(errors)));
        }
        QVERIFY(doc["judge"]["winner_provider"].is_null());
        QCOMPARE(doc["judge"]["method"].get<std::string>(), std::string("heuristic"));
        QCOMPARE(doc["publish"]["status"].get<std::string>(), std::string("none"));
        QCOMPARE(doc["publish"]["reason"].get<std::string>(), std::string("No ranked drafts available"));
        QVERIFY(doc["publish"]["provider"].is_null());
        QCOMPARE(doc["publish"]["redacted"].get<bool>(), false);
        QCOMPARE(doc["grounding"]["enabled"].get<bool>(), false);
        QVERIFY(doc["grounding"]["grounded_fail_reason"].is_null());
        // A clean publish omits "reason".
        PipelineResult ok;
        ok.publish.status = "published";
        ok.publish.provider = "openai/gpt-4o";
        ok.publish.text = QString::fromUtf8("caf\u00e9 \U0001F600");
        const Json p = publishSection(ok);
        QVERIFY(!p.contains("reason"));
        QCOMPARE(p["text_length"].get<int>(), 6); // code points, as the legacy len()
    }
    void parametersMatchSchema_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::newRow("manual") << "";
        QTest::newRow("quick") << "quick";
        QTest::newRow("thorough") << "thorough";
        QTest::newRow("deterministic") << "deterministic";
    }
    void parametersMatchSchema()
    {
        QFETCH(QString, preset);
        RunRequest r;
        r.task = "t";
        if (!preset.isEmpty())
            r.preset = preset;
        r.budgetUsd = 0.5;
        const auto res = resolveRunConfig(r);
        QVERIFY(res.config);
        const Json p = parametersSection(*res.config, ":/djp/redaction_rules.json");
        const auto errors = defValidator("parameters").validate(p);
        QVERIFY2(errors.empty(), qPrintable(errorsText(errors)));
        QCOMPARE(p["preset_name"].get<std::string>(), preset.isEmpty() ? std::string("manual") : preset.toStdString());
        QCOMPARE(p["budget_usd"].get<double>(), 0.5);
        QVERIFY(p["max_cost_usd"].is_null());
        QCOMPARE(p["allowed_models"].size(), size_t(3));
    }
    void schemaValidatorCatchesMistakes()
    {
        // Guard against a validator that accepts anything: a broken section must fail.
        Json bad { { "status", "published" }, { "provider", 3 } };
        QVERIFY(!defValidator("publish").validate(bad).empty());
    }
};

QTEST_GUILESS_MAIN(TestGrounding)
#include "tst_grounding.moc"
