// Redaction (docs/pipeline.md): bundled rules, merged overlapping matches, Luhn, events, whole-run redaction.
#include "pipeline/artifactsections.h"
#include "pipeline/pipelineresult.h"
#include "pipeline/redaction.h"

#include "testjson.h"
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <QtTest>

using namespace djp;

namespace {

// Fake but well-formed secrets, assembled at run time so no scanner flags this file.
const QString kOpenAiKey
    = QStringLiteral("sk-") + QStringLiteral("proj-") + QString("Ab3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI");
const QString kAnthropicKey
    = QStringLiteral("sk-") + QStringLiteral("ant-api03-") + QString("Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0");
const QString kGoogleKey = QStringLiteral("AI") + QStringLiteral("za") + QString("SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6q");
const QString kAwsKey = QStringLiteral("AK") + QStringLiteral("IA") + QString("IOSFODNN7EXAMPLE");

} // namespace

class TestRedaction : public QObject
{
    Q_OBJECT

private:
    std::optional<Redactor> m_redactor;
    QTemporaryDir m_config;

private slots:
    void initTestCase()
    {
        qputenv("DJP_CONFIG_DIR", m_config.path().toUtf8());
        QString err;
        m_redactor = Redactor::loadDefault(&err);
        QVERIFY2(m_redactor, qPrintable(err));
        QCOMPARE(m_redactor->origin(), QString(":/djp/redaction_rules.json"));
        QVERIFY(m_redactor->rules().size() >= 12);
    }

    void rules_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("rule");
        QTest::newRow("openai project key") << "key " + kOpenAiKey + " end"
                                            << "key [REDACTED:API_KEY] end"
                                            << "openai_project_key";
        QTest::newRow("openai key") << "use sk-" + QString("abcdefghijklmnopqrstuvwxyz0123") + "."
                                    << "use [REDACTED:API_KEY]."
                                    << "openai_api_key";
        QTest::newRow("anthropic key") << kAnthropicKey << "[REDACTED:API_KEY]"
                                       << "anthropic_api_key";
        QTest::newRow("google key") << "g=" + kGoogleKey << "g=[REDACTED:API_KEY]"
                                    << "google_api_key";
        QTest::newRow("generic key") << "api_key: \"abcd1234efgh5678ijkl\""
                                     << "api_key: \"[REDACTED:API_KEY]\""
                                     << "generic_api_key";
        QTest::newRow("password") << "password=hunter2hunter2hunter2"
                                  << "password=[REDACTED:API_KEY]"
                                  << "generic_api_key";
        QTest::newRow("bearer") << "Authorization: Bearer abcdefghijklmnop1234"
                                << "Authorization: Bearer [REDACTED:API_KEY]"
                                << "bearer_token";
        QTest::newRow("aws access key") << "id " + kAwsKey + " ok"
                                        << "id [REDACTED:AWS_KEY] ok"
                                        << "aws_access_key_id";
        QTest::newRow("email") << "mail bob.smith+x@mail.example.co.uk now"
                               << "mail [REDACTED:EMAIL] now"
                               << "email";
        QTest::newRow("phone dashes") << "call 555-123-4567."
                                      << "call [REDACTED:PHONE]."
                                      << "us_phone";
        QTest::newRow("phone parentheses") << "call (555) 123-4567 today"
                                           << "call [REDACTED:PHONE] today"
                                           << "us_phone";
        QTest::newRow("phone +1") << "call +1 (555) 123-4567"
                                  << "call [REDACTED:PHONE]"
                                  << "us_phone";
        QTest::newRow("phone in parentheses") << "office (555-123-4567)"
                                              << "office ([REDACTED:PHONE])"
                                              << "us_phone";
        QTest::newRow("ssn") << "SSN 123-45-6789"
                             << "SSN [REDACTED:SSN]"
                             << "us_ssn";
        QTest::newRow("card valid") << "card 4111 1111 1111 1111 ok"
                                    << "card [REDACTED:CREDIT_CARD] ok"
                                    << "credit_card";
        QTest::newRow("card dashes") << "card 5500-0000-0000-0004"
                                     << "card [REDACTED:CREDIT_CARD]"
                                     << "credit_card";
        QTest::newRow("card trailing group") << "card 4111 1111 1111 1111 22"
                                             << "card [REDACTED:CREDIT_CARD] 22"
                                             << "credit_card";
        QTest::newRow("ipv4") << "host 192.168.1.20."
                              << "host [REDACTED:IP_ADDRESS]."
                              << "ipv4";
        QTest::newRow("url") << "see https://example.com/a?b=1, then"
                             << "see [REDACTED:URL], then"
                             << "url";
        QTest::newRow("www url") << "(www.example.org/path)"
                                 << "([REDACTED:URL])"
                                 << "www_url";
        QTest::newRow("jwt")
            << "t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
            << "t=[REDACTED:JWT]"
            << "jwt";
        QTest::newRow("private key")
            << "k:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nabc+/=\n-----END RSA PRIVATE KEY-----\nafter"
            << "k:\n[REDACTED:PRIVATE_KEY]\nafter"
            << "private_key";
        QTest::newRow("card after another number") << "Card: 2 4111 1111 1111 1111"
                                                   << "Card: 2 [REDACTED:CREDIT_CARD]"
                                                   << "credit_card";
        // Without separators every offset is tried; here windows starting at the 9s pass Luhn too and
        // merge with the card's window.
        QTest::newRow("card glued to digits") << "ref 994111111111111111 end"
                                              << "ref [REDACTED:CREDIT_CARD] end"
                                              << "credit_card";
        QTest::newRow("github token with phone-like tail") << "tok ghp_" + QString("Ab5551234567") + " end"
                                                           << "tok [REDACTED:API_KEY] end"
                                                           << "github_token";
        QTest::newRow("github fine-grained") << "github_pat_" + QString("11AB_cdEF") << "[REDACTED:API_KEY]"
                                             << "github_fine_grained_token";
        QTest::newRow("slack bot token") << "xoxb-" + QString("123-456-abcDEF") + "."
                                         << "[REDACTED:API_KEY]."
                                         << "slack_token";
        QTest::newRow("short openai key") << "key sk-" + QString("a1b2c3") + " ok"
                                          << "key [REDACTED:API_KEY] ok"
                                          << "openai_short_key";
        QTest::newRow("short google key") << "AI" + QString("zaSyAb12cd34") << "[REDACTED:API_KEY]"
                                          << "google_api_key";
        QTest::newRow("iban grouped then word") << "IBAN DE89 3704 0044 0532 0130 00 AND MORE"
                                                << "IBAN [REDACTED:IBAN] AND MORE"
                                                << "iban";
        QTest::newRow("iban compact letters") << "GB82WEST12345698765432."
                                              << "[REDACTED:IBAN]."
                                              << "iban";
        QTest::newRow("international phone") << "ring +44 20 7946 0958 now"
                                             << "ring [REDACTED:PHONE] now"
                                             << "international_phone";
        QTest::newRow("international phone dots") << "+33.1.23.45.67.89"
                                                  << "[REDACTED:PHONE]"
                                                  << "international_phone";
        QTest::newRow("truncated private key") << "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC"
                                               << "[REDACTED:PRIVATE_KEY]"
                                               << "private_key_truncated";
    }
    void rules()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QFETCH(QString, rule);
        const auto r = m_redactor->redact(input);
        QCOMPARE(r.text, expected);
        QCOMPARE(r.events.size(), size_t(1));
        QCOMPARE(r.events[0].ruleName, rule);
        QCOMPARE(r.events[0].count, 1);
    }
    void notRedacted_data()
    {
        QTest::addColumn<QString>("input");
        QTest::newRow("luhn invalid card") << "card 4111 1111 1111 1112";
        QTest::newRow("plain numbers") << "In 2023 about 1200 people came; 45% agreed.";
        QTest::newRow("short sk") << "the sk-learn library";
        QTest::newRow("version") << "version 1.2.3 released";
        QTest::newRow("token word") << "the token limit is large";
        QTest::newRow("ip out of range") << "999.1.1.1";
        QTest::newRow("iban with a wrong check") << "DE88 3704 0044 0532 0130 00";
        QTest::newRow("plus and few digits") << "score +3 4 5";
        QTest::newRow("long number without card") << "9999999999999999999999999999";
        QTest::newRow("gh word") << "ghp_ and gho_";
    }
    void notRedacted()
    {
        QFETCH(QString, input);
        const auto r = m_redactor->redact(input);
        QCOMPARE(r.text, input);
        QVERIFY(r.events.empty());
    }
    void luhn()
    {
        QVERIFY(luhnValid(u"4111111111111111"));
        QVERIFY(luhnValid(u"4111-1111-1111-1111"));
        QVERIFY(luhnValid(u"378282246310005")); // Amex, 15 digits
        QVERIFY(!luhnValid(u"4111111111111112"));
        QVERIFY(!luhnValid(u"411111111111")); // 12 digits: too short
    }

    // ---- overlaps -----------------------------------------------------------------------------------
    void keyFollowedByText()
    {
        // The key runs straight into prose; generic (api_key=), OpenAI and project rules all overlap.
        const QString text = "api_key=" + kOpenAiKey + ".Then more text, and " + kAnthropicKey + "!";
        const auto r = m_redactor->redact(text);
        QCOMPARE(r.text, QString("api_key=[REDACTED:API_KEY].Then more text, and [REDACTED:API_KEY]!"));
        // No fragment of either key survives.
        for (const QString& key : { kOpenAiKey, kAnthropicKey })
            for (qsizetype i = 0; i + 8 <= key.size(); ++i)
                QVERIFY2(!r.text.contains(key.mid(i, 8)), qPrintable(key.mid(i, 8)));
        int total = 0;
        for (const auto& e : r.events) {
            QCOMPARE(e.type, QString("API_KEY"));
            total += e.count;
        }
        QCOMPARE(total, 2);
    }
    // Found by fuzz_redaction: a replacement gives its neighbour a new left context.
    void redactionIsIdempotent()
    {
        const auto once = m_redactor->redact("ap*_key=192.168.0.10www.x.org end");
        QCOMPARE(once.text, QString("ap*_key=[REDACTED:IP_ADDRESS][REDACTED:URL] end"));
        QCOMPARE(m_redactor->redact(once.text).text, once.text);
        QVERIFY(m_redactor->redact(once.text).events.empty());
    }
    void emailInsideUrl()
    {
        const auto r = m_redactor->redact("Write via https://example.com/contact?to=bob@example.com&x=1 please");
        QCOMPARE(r.text, QString("Write via [REDACTED:URL] please"));
        QCOMPARE(r.events.size(), size_t(1));
        QCOMPARE(r.events[0].type, QString("URL"));
    }
    void phoneInParenthesesNoDangling()
    {
        const auto r = m_redactor->redact("Reach me at (555) 123-4567 or 555.987.6543");
        QCOMPARE(r.text, QString("Reach me at [REDACTED:PHONE] or [REDACTED:PHONE]"));
        QCOMPARE(r.events.size(), size_t(1));
        QCOMPARE(r.events[0].count, 2);
    }
    void adjacentSpansMerge()
    {
        const auto spans = m_redactor->findSpans("x bob@example.com192.168.0.1 y");
        QCOMPARE(spans.size(), size_t(1));
        const auto r = m_redactor->redact("x bob@example.com192.168.0.1 y");
        QCOMPARE(r.text, QString("x [REDACTED:EMAIL] y"));
    }
    void eventsCounted()
    {
        const QString text = "a@b.com, c@d.org, 10.0.0.1, 10.0.0.2, 10.0.0.3, 123-45-6789 " + kAwsKey;
        const auto r = m_redactor->redact(text);
        QCOMPARE(r.events.size(), size_t(4));
        // Sorted by type, then rule.
        QCOMPARE(r.events[0].type, QString("AWS_KEY"));
        QCOMPARE(r.events[0].count, 1);
        QCOMPARE(r.events[1].type, QString("EMAIL"));
        QCOMPARE(r.events[1].count, 2);
        QCOMPARE(r.events[2].type, QString("IP_ADDRESS"));
        QCOMPARE(r.events[2].count, 3);
        QCOMPARE(r.events[3].type, QString("SSN"));
        std::vector<RedactionEvent> agg = r.events;
        mergeRedactionEvents(agg, r.events);
        QCOMPARE(agg[2].count, 6);
    }
    void rulesFromJson()
    {
        QString err;
        QVERIFY(
            !Redactor::fromJson(J("{'rules': [{'name': 'x', 'type': 'X', 'pattern': '(unclosed'}]}").toUtf8(), &err));
        QVERIFY(err.contains("invalid pattern"));
        QVERIFY(!Redactor::fromJson(
            J("{'rules': [{'name': 'x', 'type': 'X', 'pattern': 'a', 'group': 2}]}").toUtf8(), &err));
        QVERIFY(err.contains("group 2"));
        auto r = Redactor::fromJson(
            J("{'replacement': '<{type}>', 'rules': [{'name': 'word', 'type': 'SECRET', 'pattern': 'hunter2'}]}")
                .toUtf8(),
            &err);
        QVERIFY(r);
        QCOMPARE(r->redact("pw hunter2 ok").text, QString("pw <SECRET> ok"));
    }
    void performance()
    {
        // 2 MB of near-misses (long alphanumeric runs, digits, dots, '@' at the end) must stay fast.
        QString text;
        for (int i = 0; i < 2000; ++i)
            text += QString(500, 'a') + QStringLiteral(" 1234567890123 1.2.3 sk-short @ ") + QString(400, '9') + ' ';
        text += "a@b.co";
        QElapsedTimer t;
        t.start();
        const auto r = m_redactor->redact(text);
        qInfo() << "redaction of" << text.size() << "chars:" << t.elapsed() << "ms";
        QVERIFY(t.elapsed() < 5000);
        QVERIFY(r.text.endsWith("[REDACTED:EMAIL]"));
    }

    // ---- whole run ----------------------------------------------------------------------------------
    void redactsEveryStoredText()
    {
        PipelineResult res;
        res.task = "Summarise the mail from bob@example.com";
        Draft d;
        d.label = "openai/gpt-4o";
        d.answer = "Contact bob@example.com or call (555) 123-4567.";
        d.evidence = { "Source: https://example.com/page", "plain evidence" };
        Draft d2;
        d2.label = "openai/gpt-4o-mini";
        d2.answer = "Key " + kOpenAiKey + " leaked.";
        res.drafts = { d, d2 };
        RankedDraft r1;
        r1.draft = d;
        r1.score.score = 8;
        r1.score.reasons = "Mentions bob@example.com";
        RankedDraft r2;
        r2.draft = d2;
        r2.score.score = 5;
        r2.score.reasons = "ok";
        res.judge.ranked = { r1, r2 };
        res.judge.method = "llm";
        res.publish.status = "published";
        res.publish.provider = d.label;
        res.publish.text = d.answer;
        redactPipelineResult(*m_redactor, res);

        QCOMPARE(res.task, QString("Summarise the mail from [REDACTED:EMAIL]"));
        QCOMPARE(res.drafts[0].answer, QString("Contact [REDACTED:EMAIL] or call [REDACTED:PHONE]."));
        QCOMPARE(res.drafts[0].evidence[0], QString("Source: [REDACTED:URL]"));
        QCOMPARE(res.drafts[1].answer, QString("Key [REDACTED:API_KEY] leaked."));
        QCOMPARE(res.judge.ranked[0].draft.answer, res.drafts[0].answer);
        QCOMPARE(res.judge.ranked[0].score.reasons, QString("Mentions [REDACTED:EMAIL]"));
        QCOMPARE(res.judge.ranked[1].draft.answer, res.drafts[1].answer);
        QCOMPARE(res.publish.text, res.drafts[0].answer);
        QVERIFY(res.redaction.enabled);
        // Distinct texts counted once: task email, draft email (answer), reasons email = 3 EMAIL;
        // copies of the answer (ranked, publish) do not count again.
        std::map<QString, int> byType;
        for (const auto& e : res.redaction.events)
            byType[e.type] += e.count;
        QCOMPARE(byType["EMAIL"], 3);
        QCOMPARE(byType["PHONE"], 1);
        QCOMPARE(byType["URL"], 1);
        QCOMPARE(byType["API_KEY"], 1);

        // Nothing secret anywhere in the serialized sections.
        Json doc = Json::object();
        addPipelineSections(doc, res);
        const QString dumped = QString::fromStdString(doc.dump());
        QVERIFY(!dumped.contains("bob@example.com"));
        QVERIFY(!dumped.contains("123-4567"));
        QVERIFY(!dumped.contains(kOpenAiKey.mid(10, 10)));
        QCOMPARE(doc["publish"]["redacted"].get<bool>(), true);
        QCOMPARE(doc["publish"]["redaction_events"].size(), size_t(4));
    }
};

QTEST_GUILESS_MAIN(TestRedaction)
#include "tst_redaction.moc"
