// Redaction covers every stored text (docs/pipeline.md, "Redaction"), property style: each secret
// kind is generated, planted into every text field a run stores, and the written artifact is read
// back: the secret must appear nowhere, neither in the file bytes nor in any decoded string.
//
// Two layers:
// - end to end: the real engine against the fake provider server (task, trace name, drafts'
//   answers, evidence and safety flags, judge reasons, publish text, grounding titles, paths and
//   doc ids through a real corpus, the corpus parameter);
// - the artifact builder the engine uses (buildRedactedRunArtifact + writeArtifact) for the fields
//   a provider cannot reach on demand (invalid-draft reasons, pass problems, method reason, publish
//   reason and note, fail reason, stop reason, call errors).
#include "fakeproviderserver.h"

#include "artifact/artifactscanner.h"
#include "artifact/artifactwriter.h"
#include "artifact/schemavalidator.h"
#include "isolatedenv.h"
#include "pipeline/artifactredaction.h"
#include "pipeline/runengine.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace djp;
using djp::test::FakeProviderServer;
using djp::test::FakeReply;

namespace {

struct SecretKind
{
    QString name;
    QString planted; // the text put into a field
    QString secret; // the part that must disappear (may be all of `planted`)
    QString core; // a distinctive fragment that must disappear too
};

QString randomFrom(QRandomGenerator& rng, const QString& alphabet, int n)
{
    QString s;
    for (int i = 0; i < n; ++i)
        s += alphabet[int(rng.bounded(quint32(alphabet.size())))];
    return s;
}

const QString kAlnum = QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
const QString kUpperDigits = QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
const QString kDigits = QStringLiteral("0123456789");

// Random alphanumerics that hold at least one digit (real keys practically always do).
QString keyBody(QRandomGenerator& rng, int n)
{
    return randomFrom(rng, kAlnum, n - 1) + randomFrom(rng, kDigits, 1);
}

// A Luhn-valid card number: prefix + random digits + check digit, `len` digits.
QString cardNumber(QRandomGenerator& rng, const QString& prefix, int len)
{
    QString digits = prefix + randomFrom(rng, kDigits, len - 1 - int(prefix.size()));
    int sum = 0;
    for (qsizetype i = digits.size() - 1, k = 0; i >= 0; --i, ++k) {
        int d = digits[i].digitValue();
        if (k % 2 == 0) { // doubled: they are every second digit left of the (future) check digit
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return digits + QString::number((10 - sum % 10) % 10);
}

QString grouped(const QString& s, int group, QChar sep)
{
    QString out;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (i > 0 && i % group == 0)
            out += sep;
        out += s[i];
    }
    return out;
}

// ISO 13616: check digits = 98 - (BBAN + country + "00") mod 97.
QString iban(const QString& country, const QString& bban)
{
    const QString moved = bban + country + QStringLiteral("00");
    int rem = 0;
    for (QChar c : moved) {
        if (c.isDigit())
            rem = (rem * 10 + c.digitValue()) % 97;
        else
            rem = (rem * 100 + (c.unicode() - 'A' + 10)) % 97;
    }
    return country + QStringLiteral("%1").arg(98 - rem, 2, 10, QLatin1Char('0')) + bban;
}

std::vector<SecretKind> secretKinds(quint32 seed)
{
    QRandomGenerator rng(seed);
    std::vector<SecretKind> k;
    const auto whole = [&](const QString& name, const QString& s, int coreLen = 10) {
        k.push_back({ name, s, s, s.right(coreLen) });
    };
    whole("openai_key", QStringLiteral("sk-") + keyBody(rng, 48));
    whole("openai_project_key", QStringLiteral("sk-proj-") + keyBody(rng, 40));
    whole("openai_short_key", QStringLiteral("sk-") + keyBody(rng, 9), 8);
    whole("anthropic_key", QStringLiteral("sk-ant-api03-") + keyBody(rng, 40));
    whole("anthropic_short_key", QStringLiteral("sk-ant-") + keyBody(rng, 8), 8);
    whole("google_key", QStringLiteral("AIza") + keyBody(rng, 35));
    whole("google_short_key", QStringLiteral("AIza") + keyBody(rng, 12));
    whole("github_ghp", QStringLiteral("ghp_") + keyBody(rng, 36));
    whole("github_gho", QStringLiteral("gho_") + keyBody(rng, 36));
    whole("github_ghs", QStringLiteral("ghs_") + keyBody(rng, 36));
    // The legacy leak: a token whose tail looks like a phone number kept its head.
    whole("github_phone_tail", QStringLiteral("ghp_") + randomFrom(rng, kAlnum, 6) + QStringLiteral("5551234567"), 14);
    whole("github_pat", QStringLiteral("github_pat_") + keyBody(rng, 22) + QLatin1Char('_') + keyBody(rng, 59));
    whole("slack_bot_token",
        QStringLiteral("xoxb-") + randomFrom(rng, kDigits, 12) + QLatin1Char('-') + randomFrom(rng, kDigits, 13)
            + QLatin1Char('-') + keyBody(rng, 24));
    whole("slack_user_token",
        QStringLiteral("xoxp-") + randomFrom(rng, kDigits, 12) + QLatin1Char('-') + keyBody(rng, 32));
    whole("aws_access_key_id", QStringLiteral("AKIA") + randomFrom(rng, kUpperDigits, 16));
    {
        const QString secret = keyBody(rng, 40);
        k.push_back(
            { "aws_secret_access_key", QStringLiteral("aws_secret_access_key=") + secret, secret, secret.right(12) });
    }
    {
        const QString secret = keyBody(rng, 24);
        k.push_back({ "password_assignment", QStringLiteral("password: ") + secret, secret, secret.right(12) });
    }
    {
        const QString secret = keyBody(rng, 32);
        k.push_back({ "bearer_token", QStringLiteral("Bearer ") + secret, secret, secret.right(12) });
    }
    whole("jwt",
        QStringLiteral("eyJ") + keyBody(rng, 20) + QStringLiteral(".eyJ") + keyBody(rng, 30) + QLatin1Char('.')
            + keyBody(rng, 43));
    whole("private_key",
        QStringLiteral("-----BEGIN RSA PRIVATE KEY-----\n") + keyBody(rng, 64) + QLatin1Char('\n') + keyBody(rng, 40)
            + QStringLiteral("\n-----END RSA PRIVATE KEY-----"),
        50);
    whole("email", randomFrom(rng, QStringLiteral("abcdefghij"), 8) + QStringLiteral(".doe@example-mail.com"), 16);
    whole("us_phone", QStringLiteral("(555) %1-%2").arg(randomFrom(rng, kDigits, 3), randomFrom(rng, kDigits, 4)), 8);
    whole("intl_phone_uk", QStringLiteral("+44 20 7946 ") + randomFrom(rng, kDigits, 4), 9);
    whole("intl_phone_de", QStringLiteral("+49 30 ") + randomFrom(rng, kDigits, 8), 8);
    whole("intl_phone_fr",
        QStringLiteral("+33 1 23 45 ") + randomFrom(rng, kDigits, 2) + QLatin1Char(' ') + randomFrom(rng, kDigits, 2),
        8);
    whole("us_ssn", QStringLiteral("123-45-") + randomFrom(rng, QStringLiteral("123456789"), 4), 11);
    whole("card_grouped", grouped(cardNumber(rng, QStringLiteral("4"), 16), 4, QLatin1Char(' ')), 14);
    {
        // The legacy miss: a card after another number in one digit run.
        const QString card = grouped(cardNumber(rng, QStringLiteral("4"), 16), 4, QLatin1Char(' '));
        k.push_back({ "card_after_number", QStringLiteral("Card: 2 ") + card, card, card.right(14) });
    }
    {
        const QString card = cardNumber(rng, QStringLiteral("51"), 16);
        k.push_back({ "card_glued_to_digits", QStringLiteral("ref 99") + card, card, card.right(12) });
    }
    whole("card_amex_dashes", grouped(cardNumber(rng, QStringLiteral("37"), 15), 5, QLatin1Char('-')), 11);
    whole(
        "iban_de_grouped", grouped(iban(QStringLiteral("DE"), randomFrom(rng, kDigits, 18)), 4, QLatin1Char(' ')), 14);
    whole("iban_gb_compact", iban(QStringLiteral("GB"), QStringLiteral("WEST") + randomFrom(rng, kDigits, 14)), 12);
    whole("ipv4", QStringLiteral("10.%1.%2.%3").arg(rng.bounded(256)).arg(rng.bounded(256)).arg(rng.bounded(256)), 6);
    whole("slack_webhook_url",
        QStringLiteral("https://hooks.slack.com/services/T") + randomFrom(rng, kUpperDigits, 8) + QStringLiteral("/B")
            + randomFrom(rng, kUpperDigits, 8) + QLatin1Char('/') + keyBody(rng, 24),
        20);
    whole("www_url",
        QStringLiteral("www.") + randomFrom(rng, QStringLiteral("abcdefgh"), 10) + QStringLiteral(".example/private"),
        14);
    return k;
}

// A secret can go into a file or folder name when it has no path separator and no line break.
bool fitsInFileName(const QString& s)
{
    return !s.contains(QLatin1Char('/')) && !s.contains(QLatin1Char('\n')) && s.size() < 200;
}

void collectStrings(const Json& j, QString& out)
{
    if (j.is_string()) {
        out += QString::fromStdString(j.get<std::string>());
        out += QChar(0x1); // never part of a secret: no match across two strings
    } else if (j.is_structured()) {
        for (const Json& e : j)
            collectStrings(e, out);
        if (j.is_object())
            for (auto it = j.begin(); it != j.end(); ++it)
                out += QString::fromStdString(it.key()) + QChar(0x1);
    }
}

// Fails (with the field) when `secret` or `core` survived anywhere in the artifact file.
void assertGone(const QString& path, const SecretKind& kind)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    const std::optional<Json> doc = parseJson(bytes);
    QVERIFY2(doc, qPrintable(path));
    QString strings;
    collectStrings(*doc, strings);
    for (const QString& s : { kind.secret, kind.core }) {
        QVERIFY2(
            !bytes.contains(s.toUtf8()), qPrintable(kind.name + QStringLiteral(": '") + s + "' in the file bytes"));
        QVERIFY2(!strings.contains(s), qPrintable(kind.name + QStringLiteral(": '") + s + "' in a decoded string"));
    }
}

QString str(const Json& j)
{
    return j.is_string() ? QString::fromStdString(j.get<std::string>()) : QString();
}

std::string u8(const QString& s)
{
    return s.toStdString();
}

} // namespace

class TestRedactionCoverage : public QObject
{
    Q_OBJECT

private:
    test::IsolatedEnvironment m_env;

private Q_SLOTS:
    void initTestCase() { m_env.apply(); }

    void kindsAreDistinctAndMany()
    {
        const auto kinds = secretKinds(1);
        QVERIFY(kinds.size() >= 25);
        // Every kind is redacted on its own (the generator and the rules agree).
        const auto redactor = Redactor::loadDefault();
        QVERIFY(redactor);
        for (const SecretKind& k : kinds) {
            const QString out = redactor->redact(QStringLiteral("x ") + k.planted + QStringLiteral(" y")).text;
            QVERIFY2(!out.contains(k.secret) && !out.contains(k.core), qPrintable(k.name + ": " + out));
        }
    }

    // End to end through the engine, three seeds (different random secrets of every kind).
    void everyKindInEveryFieldThroughTheEngine_data()
    {
        QTest::addColumn<quint32>("seed");
        QTest::newRow("seed 7") << 7u;
        QTest::newRow("seed 2026") << 2026u;
        QTest::newRow("seed 424242") << 424242u;
    }
    void everyKindInEveryFieldThroughTheEngine()
    {
        QFETCH(quint32, seed);
        FakeProviderServer server;
        QVERIFY(server.listen());
        server.exportToEnvironment();
        QString planted; // the secret of the run in progress
        server.setResponder([&planted](const djp::test::RecordedRequest& req) -> std::optional<FakeReply> {
            if (req.userText().contains(QStringLiteral("[Draft 1]"))) {
                nlohmann::json evals = nlohmann::json::array();
                for (int n = 1; n <= 2; ++n)
                    evals.push_back({ { "draft_index", n }, { "score", 9 - n },
                        { "reasons", u8(QStringLiteral("Cites the source; mentions ") + planted) } });
                return FakeReply::success(QString::fromStdString(nlohmann::json({ { "evaluations", evals } }).dump()));
            }
            const nlohmann::json draft
                = { { "answer", u8(QStringLiteral("Solar panels turn sunlight into power [S1]. Contact: ") + planted) },
                      { "evidence", { u8(QStringLiteral("[S1] says so, see ") + planted), "plain evidence" } },
                      { "confidence", 0.8 }, { "safety_flags", { u8(QStringLiteral("model note ") + planted) } } };
            return FakeReply::success(QString::fromStdString(draft.dump()));
        });

        for (const SecretKind& kind : secretKinds(seed)) {
            planted = kind.planted;
            QTemporaryDir runs;
            QTemporaryDir corpusParent;
            const bool inNames = fitsInFileName(kind.planted);
            const QString corpus
                = corpusParent.filePath(inNames ? QStringLiteral("corpus ") + kind.planted : QStringLiteral("corpus"));
            QVERIFY(QDir().mkpath(corpus));
            {
                QFile doc(corpus + QLatin1Char('/')
                    + (inNames ? QStringLiteral("solar ") + kind.planted : QStringLiteral("solar")) + ".md");
                QVERIFY(doc.open(QIODevice::WriteOnly));
                doc.write(("# Solar power " + kind.planted
                    + "\n\nSolar panels turn sunlight into power. Solar power "
                      "is cheap.\n")
                              .toUtf8());
            }
            EngineOptions options;
            options.runsDir = runs.path();
            options.hub.loadDotEnv = false;
            options.hub.retry.baseDelayMs = 20;
            RunEngine engine(options);
            RunRequest r;
            r.task = QStringLiteral("How does solar power work? Reference ") + kind.planted;
            r.traceName = QStringLiteral("trace ") + kind.planted;
            r.models = QStringList { QStringLiteral("openai/gpt-4o"), QStringLiteral("openai/gpt-4o-mini") };
            r.judgeModel = QStringLiteral("openai/gpt-4o");
            r.marginThreshold = 0;
            r.groundedCorpus = corpus;
            r.groundedRequired = 1;
            const RunOutcome out = runToCompletion(engine, r);
            QVERIFY2(!out.artifactPath.isEmpty(), qPrintable(kind.name + ": " + out.errors.join(' ')));
            assertGone(out.artifactPath, kind);
            if (QTest::currentTestFailed())
                return;

            // Every field was planted (and so the assertion above is about something).
            const std::optional<Json> doc = parseJson([&] {
                QFile f(out.artifactPath);
                f.open(QIODevice::ReadOnly);
                return f.readAll();
            }());
            QVERIFY(doc);
            const Json& d = *doc;
            const auto marked = [&](const Json& field, const char* what) {
                QVERIFY2(str(field).contains(QStringLiteral("[REDACTED:")),
                    qPrintable(kind.name + QStringLiteral(": ") + what + QStringLiteral(" = ") + str(field)));
            };
            marked(d["run_metadata"]["task"], "task");
            marked(d["run_metadata"]["trace_name"], "trace_name");
            marked(d["debate"]["drafts"][0]["answer"], "answer");
            marked(d["debate"]["drafts"][0]["evidence"][0], "evidence");
            marked(d["debate"]["drafts"][0]["safety_flags"][0], "safety flag");
            marked(d["judge"]["ranked_drafts"][0]["reasons"], "judge reasons");
            marked(d["judge"]["passes"][0]["evaluations"][0]["reasons"], "pass reasons");
            QCOMPARE(str(d["publish"]["status"]), QStringLiteral("published"));
            marked(d["publish"]["text"], "publish text");
            QVERIFY2(d["grounding"]["sources"].size() == 1u, qPrintable(kind.name));
            marked(d["grounding"]["sources"][0]["title"], "source title");
            QVERIFY2(d["grounding"]["citations"].size() == 1u, qPrintable(kind.name));
            marked(d["grounding"]["citations"][0]["title"], "citation title");
            if (inNames) {
                marked(d["grounding"]["sources"][0]["path"], "source path");
                marked(d["grounding"]["sources"][0]["doc_id"], "source doc_id");
                marked(d["grounding"]["citations"][0]["path"], "citation path");
                marked(d["run_metadata"]["parameters"]["grounded_corpus"], "grounded_corpus");
            }
            // Legacy meaning kept, wider fact recorded.
            QVERIFY((d["publish"]["redacted"]) == (true));
            QVERIFY((d["redaction"]["any_redacted"]) == (true));
            QVERIFY(d["redaction"]["fields"].contains("run_metadata.trace_name"));
            QVERIFY(d["redaction"]["fields"].contains("debate.drafts[].safety_flags[]"));
            QVERIFY2(validateArtifact(d).empty(), qPrintable(kind.name));
            if (QTest::currentTestFailed())
                return;
        }
    }

    // Fields the fake provider cannot fill on demand, through the builder the engine uses.
    void everyKindInEveryResultFieldThroughTheBuilder()
    {
        const auto redactor = Redactor::loadDefault();
        QVERIFY(redactor);
        RunRequest request;
        request.task = QStringLiteral("placeholder");
        request.offline = true;
        request.models = QStringList { QStringLiteral("openai/gpt-4o"), QStringLiteral("openai/gpt-4o-mini") };
        const PlanResult planned = planRun(request, PricingTable::load());
        QVERIFY(planned.plan);
        QTemporaryDir runs;
        for (const SecretKind& kind : secretKinds(99)) {
            const QString t = QStringLiteral("text ") + kind.planted + QStringLiteral(" end");
            PipelineResult res;
            res.task = t;
            Draft d;
            d.label = QStringLiteral("openai/gpt-4o");
            d.answer = QStringLiteral("answer ") + t;
            d.evidence = { QStringLiteral("evidence ") + t };
            d.safetyFlags = { QStringLiteral("flag ") + t };
            res.drafts = { d };
            res.invalidDrafts = { { QStringLiteral("openai/gpt-4o-mini"), QStringLiteral("reason ") + t } };
            RankedDraft rd;
            rd.draft = d;
            rd.score.score = 7;
            rd.score.reasons = QStringLiteral("judge ") + t;
            res.judge.ranked = { rd };
            PassSummary pass;
            pass.order = { 0 };
            pass.scores = { rd.score };
            pass.problem = QStringLiteral("problem ") + t;
            res.judge.passes = { pass };
            res.judge.method = QStringLiteral("heuristic");
            res.judge.methodReason = QStringLiteral("method ") + t;
            res.publish.status = QStringLiteral("advisory_only");
            res.publish.provider = d.label;
            res.publish.text = QStringLiteral("published ") + t;
            res.publish.reason = QStringLiteral("publish reason ") + t;
            res.publish.note = QStringLiteral("note ") + t;
            res.grounding.enabled = true;
            Source s { 1, QStringLiteral("doc ") + t, QStringLiteral("title ") + t, QStringLiteral("/p/") + t,
                QStringLiteral("passage ") + t };
            res.grounding.sources = { s };
            res.grounding.report.cited = { s };
            res.grounding.report.failReason = QStringLiteral("fail ") + t;
            CallRecord call;
            call.attempt.stage = QStringLiteral("debate");
            call.attempt.label = d.label;
            call.attempt.status = QStringLiteral("error");
            call.attempt.error = QStringLiteral("provider said ") + t;
            RunFacts facts;
            facts.runId = newRunId();
            facts.startedAt = QDateTime::fromSecsSinceEpoch(1767225600, Qt::OffsetFromUTC, 3600);
            facts.stopReason = QStringLiteral("stop ") + t;
            const Json doc = buildRedactedRunArtifact(*planned.plan, res, { call }, facts, &*redactor);
            QString error;
            const QString path = writeArtifact(runs.path(), doc, facts.runId, facts.startedAt, &error);
            QVERIFY2(!path.isEmpty(), qPrintable(error));
            assertGone(path, kind);
            // The result the engine reports from is redacted too.
            QVERIFY2(!res.publish.reason.contains(kind.secret), qPrintable(kind.name));
            QVERIFY(res.publish.text.contains(QStringLiteral("[REDACTED:")));
            const Json& f = doc["redaction"]["fields"];
            for (const char* field :
                { "run_metadata.task", "debate.drafts[].answer", "debate.drafts[].evidence[]",
                    "debate.drafts[].safety_flags[]", "debate.invalid_drafts[].reason", "judge.ranked_drafts[].reasons",
                    "judge.passes[].problem", "judge.method_reason", "publish.text", "publish.reason", "publish.note",
                    "grounding.sources[].title", "grounding.sources[].path", "grounding.sources[].doc_id",
                    "grounding.grounded_fail_reason", "budget.stop_reason", "calls[].error" })
                QVERIFY2(f.contains(field), qPrintable(kind.name + QStringLiteral(": no count for ") + field));
            if (QTest::currentTestFailed())
                return;
        }
    }

    // publish.redacted keeps its legacy meaning: only the published text counts.
    void publishRedactedMeansThePublishedText()
    {
        const auto redactor = Redactor::loadDefault();
        QVERIFY(redactor);
        RunRequest request;
        request.task = QStringLiteral("placeholder");
        request.offline = true;
        const PlanResult planned = planRun(request, PricingTable::load());
        QVERIFY(planned.plan);
        RunFacts facts;
        facts.runId = newRunId();
        facts.startedAt = QDateTime::fromSecsSinceEpoch(1767225600, Qt::OffsetFromUTC, 0);

        PipelineResult res;
        res.task = QStringLiteral("Mail bob@example.com about the plan");
        Draft clean;
        clean.label = QStringLiteral("openai/gpt-4o");
        clean.answer = QStringLiteral("A clean answer.");
        Draft leaky;
        leaky.label = QStringLiteral("openai/gpt-4o-mini");
        leaky.answer = QStringLiteral("Call +44 20 7946 0958.");
        res.drafts = { clean, leaky };
        res.publish.status = QStringLiteral("published");
        res.publish.provider = clean.label;
        res.publish.text = clean.answer;
        PipelineResult copy = res;
        Json doc = buildRedactedRunArtifact(*planned.plan, copy, {}, facts, &*redactor);
        QVERIFY((doc["publish"]["redacted"]) == (false));
        QVERIFY((doc["redaction"]["enabled"]) == (true));
        QVERIFY((doc["redaction"]["any_redacted"]) == (true));
        QCOMPARE(doc["redaction"]["fields"]["run_metadata.task"].get<int>(), 1);
        QCOMPARE(doc["redaction"]["fields"]["debate.drafts[].answer"].get<int>(), 1);
        QCOMPARE(doc["redaction"]["replacements"].get<int>(), 2);
        QVERIFY(doc["publish"]["redaction_events"].size() == 2u); // events still cover all stored texts

        // The record the KPIs, --redacted-only and the alert use reads the legacy meaning.
        QTemporaryDir runs;
        const QString path = writeArtifact(runs.path(), doc, facts.runId, facts.startedAt);
        ArtifactScanner scanner;
        const RecordParse parsed = scanner.readFile(path);
        QVERIFY(parsed.record);
        QVERIFY(!parsed.record->redacted);

        copy = res;
        copy.publish.provider = leaky.label;
        copy.publish.text = leaky.answer;
        doc = buildRedactedRunArtifact(*planned.plan, copy, {}, facts, &*redactor);
        QVERIFY((doc["publish"]["redacted"]) == (true));
        QCOMPARE(str(doc["publish"]["text"]), QStringLiteral("Call [REDACTED:PHONE]."));

        // Redaction off: nothing changes, the section says so.
        copy = res;
        doc = buildRedactedRunArtifact(*planned.plan, copy, {}, facts, nullptr);
        QVERIFY((doc["redaction"]["enabled"]) == (false));
        QVERIFY((doc["redaction"]["any_redacted"]) == (false));
        QCOMPARE(str(doc["run_metadata"]["task"]), res.task);
    }
};

QTEST_MAIN(TestRedactionCoverage)
#include "tst_redactioncoverage.moc"
