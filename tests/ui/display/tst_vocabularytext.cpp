// The app's words for the engine's vocabularies (display/vocabularytext.h): every value has wording,
// distinct from the others; ids this version does not know are shown as written; the budget gate's
// sentences in the app are the same as the artifact's and the CLI's.
#include "display/vocabularytext.h"

#include <QSet>
#include <QtTest>

using namespace djp;

class TestVocabularyText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyProblemCodeHasWords()
    {
        QSet<QString> labels, sentences;
        for (const auto& e : kVocabulary<ProblemCode>) {
            const QString label = problemLabel(e.value);
            const QString sentence = problemSentence(e.value);
            QVERIFY2(!label.isEmpty() && label != QString(e.id), e.id.data());
            QVERIFY2(!sentence.isEmpty(), e.id.data());
            QVERIFY2(!problemAdvice(e.value).isEmpty(), e.id.data());
            QVERIFY2(!labels.contains(label), qPrintable(label));
            QVERIFY2(!sentences.contains(sentence), qPrintable(sentence));
            labels.insert(label);
            sentences.insert(sentence);
            // The id-taking overloads (what models and pages call) give the same words.
            QCOMPARE(problemLabel(QString(e.id)), label);
            QCOMPARE(problemSentence(QString(e.id)), sentence);
            QCOMPARE(problemAdvice(QString(e.id)), problemAdvice(e.value));
        }
        QCOMPARE(problemLabel(ProblemCode::NotJson), QStringLiteral("Not valid JSON"));
        QCOMPARE(problemSentence(ProblemCode::TooDeep), QStringLiteral("The JSON nests more than 128 levels deep."));
    }

    void foreignProblemCodeIsShownAsWritten()
    {
        const QString foreign = QStringLiteral("from_a_newer_version");
        QCOMPARE(problemLabel(foreign), foreign);
        QCOMPARE(problemSentence(foreign), QStringLiteral("The file cannot be used as a run artifact."));
        QVERIFY(problemAdvice(foreign).contains(QStringLiteral("not a run artifact")));
    }

    void everyRunStatusHasWords()
    {
        QSet<QString> texts;
        for (const auto& e : kVocabulary<RunStatus>) {
            const QString text = runStatusText(e.value);
            QVERIFY(!text.isEmpty());
            QVERIFY(!texts.contains(text));
            texts.insert(text);
            QCOMPARE(statusDisplayName(QString(e.id)), text);
        }
        QCOMPARE(statusDisplayName(QStringLiteral("advisory_only")), QStringLiteral("Advisory only"));
        QCOMPARE(statusDisplayName(QStringLiteral("cancelled")), QStringLiteral("Cancelled")); // the chart's bucket
        QCOMPARE(statusDisplayName(QStringLiteral("archived")), QStringLiteral("archived")); // foreign: as written
    }

    // The app words the gate itself, in the same English as budget.gate.message and `djp project`.
    void gateWordsMatchTheArtifact_data()
    {
        QTest::addColumn<double>("usd");
        QTest::addColumn<qint64>("tokens");
        QTest::addColumn<double>("usdBudget");
        QTest::addColumn<qint64>("tokenBudget");
        QTest::newRow("ok") << 0.5 << qint64(10) << 1.0 << qint64(1000);
        QTest::newRow("usd warning") << 0.95 << qint64(10) << 1.0 << qint64(1000);
        QTest::newRow("usd blocked, close amounts") << 0.0100004 << qint64(10) << 0.01 << qint64(1000);
        QTest::newRow("tokens warning") << 0.1 << qint64(950) << 1.0 << qint64(1000);
        QTest::newRow("both blocked") << 2.0 << qint64(2000) << 1.0 << qint64(1000);
        QTest::newRow("budget 0") << 0.01 << qint64(1) << 0.0 << qint64(0);
    }
    void gateWordsMatchTheArtifact()
    {
        QFETCH(double, usd);
        QFETCH(qint64, tokens);
        QFETCH(double, usdBudget);
        QFETCH(qint64, tokenBudget);
        const GateResult r
            = evaluateGate(usd, tokens, Budgets { usdBudget, tokenBudget }, { QStringLiteral("acme/x") });
        QCOMPARE(r.checks.size(), size_t(2));
        for (const GateCheck& c : r.checks)
            QCOMPARE(gateCheckText(c), gateRecordMessage(c));
        QCOMPARE(gateMessagesText(r), gateRecordMessages(r));
        QCOMPARE(gateMessagesText(r).last(),
            QStringLiteral("Unpriced models budgeted at the most expensive known price: acme/x"));
    }
};

QTEST_GUILESS_MAIN(TestVocabularyText)
#include "tst_vocabularytext.moc"
