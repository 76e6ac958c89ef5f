// Publish decision and guardrails (docs/pipeline.md).
#include "pipeline/guardrails.h"
#include "pipeline/publish.h"

#include <QElapsedTimer>
#include <QtTest>

using namespace djp;

namespace {

Policy policyOf(const QStringList& allowed)
{
    Policy p;
    p.name = "test";
    p.allowedModels = allowed;
    return p;
}

const Policy kOpenAi = policyOf({ "openai/gpt-4.1", "openai/gpt-4o", "openai/gpt-4o-mini" });

RankedDraft ranked(const QString& label, double score, const QString& answer = QStringLiteral("A fine answer."),
    QStringList flags = {}, bool disqualified = false)
{
    RankedDraft r;
    r.draft.label = label;
    r.draft.answer = answer;
    r.draft.safetyFlags = flags;
    r.score.score = score;
    r.score.reasons
        = disqualified ? QStringLiteral("DISQUALIFIED: Only 0 citations, 2 required") : QStringLiteral("ok");
    r.disqualified = disqualified;
    if (disqualified)
        r.draft.safetyFlags.append("disqualified_citations");
    r.allowed = kOpenAi.allows(label);
    return r;
}

QString wordsText(int words, int charsPerWord)
{
    QStringList l;
    for (int i = 0; i < words; ++i)
        l.append(QString(charsPerWord, 'a'));
    return l.join(' ');
}

} // namespace

class TestPipelinePublish : public QObject
{
    Q_OBJECT

private slots:
    // ---- publish paths ----------------------------------------------------------------------------
    void publishedWinner()
    {
        const auto d
            = decidePublish({ ranked("openai/gpt-4o", 8, "Winner text"), ranked("openai/gpt-4o-mini", 6) }, kOpenAi);
        QCOMPARE(d.status, QString("published"));
        QCOMPARE(d.provider, QString("openai/gpt-4o"));
        QCOMPARE(d.text, QString("Winner text"));
        QVERIFY(d.reason.isEmpty());
        QVERIFY(d.note.isEmpty());
        QCOMPARE(d.rankedIndex, 0);
    }
    void publishedNotWinnerHasNote()
    {
        const auto d = decidePublish(
            { ranked("anthropic/claude-3-5-sonnet-20240620", 9), ranked("openai/gpt-4o-mini", 6, "Allowed text") },
            kOpenAi);
        QCOMPARE(d.status, QString("published"));
        QCOMPARE(d.provider, QString("openai/gpt-4o-mini"));
        QCOMPARE(d.rankedIndex, 1);
        QVERIFY(d.reason.isEmpty());
        QCOMPARE(d.note,
            QString(
                "Published openai/gpt-4o-mini (rank 2), not the judge's winner anthropic/claude-3-5-sonnet-20240620 "
                "(not in allowed list ['openai/gpt-4.1', 'openai/gpt-4o', 'openai/gpt-4o-mini'])"));
    }
    void skipsGuardrailFailureToNextAllowed()
    {
        const auto d = decidePublish(
            { ranked("openai/gpt-4o", 9, "x", { "VIOLENCE" }), ranked("openai/gpt-4o-mini", 6) }, kOpenAi);
        QCOMPARE(d.status, QString("published"));
        QCOMPARE(d.provider, QString("openai/gpt-4o-mini"));
        QVERIFY(d.note.contains("failed validation: blocking safety flags: violence"));
    }
    void advisoryWinnerNotAllowed()
    {
        const auto d = decidePublish(
            { ranked("anthropic/claude-3-5-sonnet-20240620", 9, "Claude text"), ranked("google/gemini-1.5-pro", 7) },
            kOpenAi);
        QCOMPARE(d.status, QString("advisory_only"));
        QCOMPARE(d.provider, QString("anthropic/claude-3-5-sonnet-20240620"));
        QCOMPARE(d.text, QString("Claude text"));
        QCOMPARE(d.reason,
            QString(
                "Winner anthropic/claude-3-5-sonnet-20240620 not in allowed list ['openai/gpt-4.1', 'openai/gpt-4o', "
                "'openai/gpt-4o-mini']"));
    }
    void advisoryPolicyNone()
    {
        const auto d = decidePublish({ ranked("openai/gpt-4o", 9) }, policyOf({}));
        QCOMPARE(d.status, QString("advisory_only"));
        QCOMPARE(d.reason, QString("Winner openai/gpt-4o not in allowed list []"));
    }
    void advisoryAllowedDraftDisqualified()
    {
        // The only allowed draft is disqualified: never published; the best qualified one is advisory.
        const auto d = decidePublish(
            { ranked("anthropic/claude-3-5-sonnet-20240620", 7), ranked("openai/gpt-4o", 0, "dq", {}, true) }, kOpenAi);
        QCOMPARE(d.status, QString("advisory_only"));
        QCOMPARE(d.provider, QString("anthropic/claude-3-5-sonnet-20240620"));
        QVERIFY(d.reason.startsWith("Winner anthropic/claude-3-5-sonnet-20240620 not in allowed list"));
    }
    void disqualifiedNeverPublishedEvenIfScored()
    {
        // A draft flagged disqualified_citations is blocked by the guardrails even if something gave it a score.
        RankedDraft r = ranked("openai/gpt-4o", 9);
        r.draft.safetyFlags.append("disqualified_citations");
        const auto d = decidePublish({ r }, kOpenAi);
        QVERIFY(d.status != QString("published"));
    }
    void allDisqualified()
    {
        const auto d = decidePublish(
            { ranked("openai/gpt-4o", 0, "top text", {}, true), ranked("openai/gpt-4o-mini", 0, "other", {}, true) },
            kOpenAi);
        QCOMPARE(d.status, QString("advisory_only"));
        QCOMPARE(d.reason,
            QString("All drafts disqualified: openai/gpt-4o: DISQUALIFIED: Only 0 citations, 2 required; "
                    "openai/gpt-4o-mini: DISQUALIFIED: Only 0 citations, 2 required"));
        // Shown as advisory text: it carries only the disqualified_citations flag, which blocks publishing.
        QCOMPARE(d.provider, QString());
        QVERIFY(d.text.isEmpty());
        QVERIFY(d.note.contains("failed validation"));
    }
    void allScoredZero()
    {
        const auto d = decidePublish({ ranked("openai/gpt-4o", 0, "zero text") }, kOpenAi);
        QCOMPARE(d.status, QString("advisory_only"));
        QVERIFY(d.reason.startsWith("All drafts disqualified: openai/gpt-4o: score 0"));
        QCOMPARE(d.text, QString("zero text"));
    }
    void nothingRanked()
    {
        const auto d = decidePublish({}, kOpenAi);
        QCOMPARE(d.status, QString("none"));
        QCOMPARE(d.reason, QString("No ranked drafts available"));
        QVERIFY(d.provider.isEmpty());
        QVERIFY(d.text.isEmpty());
    }
    void topDraftValidationFailed()
    {
        const auto d = decidePublish({ ranked("openai/gpt-4o", 9, "I'm sorry, but I cannot help with that."),
                                         ranked("anthropic/claude-3-5-sonnet-20240620", 5) },
            kOpenAi);
        QCOMPARE(d.status, QString("none"));
        QCOMPARE(d.reason, QString("Top draft validation failed: refusal pattern \"I'm sorry ... I cannot\""));
        QVERIFY(d.text.isEmpty());
    }
    void groundingShortfall()
    {
        CitationReport bad;
        bad.required = 2;
        bad.failReason = QStringLiteral("Insufficient citations: 1 found, 2 required");
        auto d = decidePublish({ ranked("openai/gpt-4o", 9) }, kOpenAi);
        applyGroundingShortfall(d, bad);
        QCOMPARE(d.status, QString("advisory_only"));
        QCOMPARE(d.reason, QString("Insufficient citations: 1 found, 2 required"));
        QCOMPARE(d.provider, QString("openai/gpt-4o"));
        CitationReport ok;
        ok.required = 1;
        auto d2 = decidePublish({ ranked("openai/gpt-4o", 9) }, kOpenAi);
        applyGroundingShortfall(d2, ok);
        QCOMPARE(d2.status, QString("published"));
        auto d3 = decidePublish({}, kOpenAi);
        applyGroundingShortfall(d3, bad);
        QCOMPARE(d3.status, QString("none"));
        QCOMPARE(d3.reason, QString("No ranked drafts available"));
    }

    // ---- guardrails -------------------------------------------------------------------------------
    void blockingFlags_data()
    {
        QTest::addColumn<QString>("flag");
        QTest::addColumn<bool>("blocks");
        for (const QString& f : djp::blockingFlags()) {
            QTest::newRow(qPrintable(f)) << f << true;
            QTest::newRow(qPrintable(f.toUpper())) << f.toUpper() << true;
        }
        QTest::newRow("padded") << "  Policy_Violation " << true;
        QTest::newRow("json_parse_error") << "json_parse_error" << false;
        QTest::newRow("field_type_coerced") << "field_type_coerced" << false;
        QTest::newRow("medical_advice") << "medical_advice" << false;
    }
    void blockingFlags()
    {
        QFETCH(QString, flag);
        QFETCH(bool, blocks);
        const auto r = checkGuardrails("Plain text.", { flag });
        QCOMPARE(!r.ok, blocks);
    }
    void quoteSpans_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("blocks");
        // 75 words of 1 char + 74 spaces = 149 chars; 74 words of 2 chars = 221 chars; 75 words but 99 chars
        // is impossible with spaces, so "chars" is tested with fewer, longer words.
        const QString w75 = wordsText(75, 1); // 149 chars, 75 words
        const QString w74 = wordsText(74, 2); // 221 chars, 74 words
        const QString w76 = wordsText(76, 1);
        QTest::newRow("double 75 words") << "He said \"" + w75 + "\" today." << true;
        QTest::newRow("double 74 words") << "He said \"" + w74 + "\" today." << false;
        QTest::newRow("curly 75 words") << QString::fromUtf8("He said \u201C") + w75 + QString::fromUtf8("\u201D.")
                                        << true;
        QTest::newRow("single 75 words") << "He said '" + w75 + "' today." << true;
        QTest::newRow("single 74 words") << "He said '" + w74 + "' today." << false;
        QTest::newRow("apostrophes are not quotes")
            << "It's fine, don't worry " + w76 + " the users' files aren't quotes." << false;
        QTest::newRow("code block 75 words") << "Code:\n```\n" + w75 + "\n```\n" << true;
        QTest::newRow("code block 74 words") << "Code:\n```\n" + w74 + "\n```\n" << false;
        QTest::newRow("blockquote 75 words")
            << "Intro\n> " + wordsText(40, 1) + "\n> " + wordsText(35, 1) + "\nAfter" << true;
        QTest::newRow("blockquote 74 words")
            << "Intro\n> " + wordsText(40, 2) + "\n> " + wordsText(34, 2) + "\nAfter" << false;
        QTest::newRow("two short quotes") << "\"" + wordsText(40, 1) + "\" and \"" + wordsText(40, 1) + "\"" << false;
        QTest::newRow("unclosed quote") << "He said \"" + w76 << false;
        QTest::newRow("separate blockquotes") << "> " + wordsText(40, 2) + "\ntext\n> " + wordsText(40, 2) << false;
    }
    void quoteSpans()
    {
        QFETCH(QString, text);
        QFETCH(bool, blocks);
        const auto r = checkGuardrails(text, {});
        QVERIFY2(r.ok != blocks, qPrintable(r.reason()));
        if (blocks)
            QVERIFY(r.reason().startsWith("long quoted span"));
    }
    void quoteCharacterBoundary()
    {
        // With whitespace-separated words, 75 words already take >= 149 characters, so the word limit is
        // the binding one; check the measured span and that 100 characters in few words do not block.
        const QString w75 = wordsText(75, 1);
        const auto spans = findQuotedSpans(QString("\"" + w75 + "\""));
        QCOMPARE(spans.size(), size_t(1));
        QCOMPARE(spans[0].length, qsizetype(149));
        QCOMPARE(spans[0].words, 75);
        QCOMPARE(spans[0].kind, QString("double_quote"));
        QVERIFY(kQuoteMinChars == 100 && kQuoteMinWords == 75);
        // 100 characters with few words does not block.
        QVERIFY(checkGuardrails("\"" + QString(100, 'x') + "\"", {}).ok);
    }
    void refusals_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("blocks");
        QTest::newRow("cannot provide information") << "I cannot provide that kind of information." << true;
        QTest::newRow("can't provide information") << "Sorry, I can't provide medical information here." << true;
        QTest::newRow("sorry cannot") << "I'm sorry, but I cannot do that." << true;
        QTest::newRow("curly sorry") << QString::fromUtf8("I\u2019m sorry, I cannot.") << true;
        QTest::newRow("upper") << "I'M SORRY BUT I CANNOT ASSIST." << true;
        QTest::newRow("don't have access") << "I don't have real-time access to the internet." << true;
        QTest::newRow("do not have access") << "I do not have access to your files." << true;
        QTest::newRow("as an ai") << "As an AI language model, I cannot browse." << true;
        QTest::newRow("cannot without provide") << "I cannot stress this enough: water matters." << false;
        QTest::newRow("parts on separate lines") << "I cannot say.\nProvide more information later." << false;
        QTest::newRow("far apart") << "I cannot " + QString(300, 'x') + " provide information" << false;
        QTest::newRow("as an aid") << "Use it as an aid; I cannot stress it enough." << false;
        QTest::newRow("normal") << "Photosynthesis converts light into chemical energy." << false;
    }
    void refusals()
    {
        QFETCH(QString, text);
        QFETCH(bool, blocks);
        const auto r = checkGuardrails(text, {});
        QVERIFY2(r.ok != blocks, qPrintable(r.reason()));
    }
    void longTextPerformance()
    {
        // ~4 MB of adversarial text: unclosed quotes, apostrophes, many '>' lines, many refusal prefixes.
        QString text;
        text.reserve(4'200'000);
        for (int i = 0; i < 40000; ++i) {
            text += QStringLiteral("> it's \"a 'b ``` I cannot I'm sorry as an ai i don't have word word\n");
            text += QStringLiteral("plain line with [brackets and 'quotes and \"more\n");
        }
        QVERIFY(checkGuardrails(text, {}).ok); // none of that is a quote span or a refusal
        text += QStringLiteral("\nI'm sorry, but I cannot help with that.");
        QElapsedTimer t;
        t.start();
        const auto r = checkGuardrails(text, {});
        const qint64 ms = t.elapsed();
        qInfo() << "guardrails on" << text.size() << "chars:" << ms << "ms";
        QVERIFY(!r.ok);
        QVERIFY2(ms < 3000, qPrintable(QString::number(ms)));
    }
};

QTEST_GUILESS_MAIN(TestPipelinePublish)
#include "tst_pipelinepublish.moc"
