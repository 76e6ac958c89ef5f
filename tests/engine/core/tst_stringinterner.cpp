// The one string interner of the load path (engine/core/stringinterner.h): equal values come back
// sharing one allocation, whether they arrive as UTF-8 bytes or as QStrings; empty values become the
// null string; the byte-keyed table stops growing at its bound without changing any value.
#include "core/stringinterner.h"

#include <QTest>

#include <string>

using namespace djp;

class TestStringInterner : public QObject
{
    Q_OBJECT
private slots:
    void utf8ValuesShareOneString()
    {
        StringInterner in;
        const std::string first = "published";
        const std::string second = "published"; // other bytes, same value
        const QString a = in.get(first);
        const QString b = in.get(second);
        QCOMPARE(a, QStringLiteral("published"));
        QCOMPARE(b, a);
        QCOMPARE(b.constData(), a.constData());
        const QString other = in.get("advisory_only");
        QCOMPARE(other, QStringLiteral("advisory_only"));
        QVERIFY(other.constData() != a.constData());
    }

    void utf8IsDecoded()
    {
        StringInterner in;
        QCOMPARE(in.get("caf\xC3\xA9 \xE2\x82\xAC"), QString::fromUtf8("café €"));
    }

    void emptyBecomesNull()
    {
        StringInterner in;
        QVERIFY(in.get(std::string_view()).isNull());
        QString s = QStringLiteral("");
        in.intern(s);
        QVERIFY(s.isNull());
    }

    void qstringValuesShareOneString()
    {
        StringInterner in;
        QString a = QStringLiteral("nightly report");
        QString b = QString::fromUtf8("nightly report"); // own allocation
        QVERIFY(b.constData() != a.constData());
        in.intern(a);
        in.intern(b);
        QCOMPARE(b, QStringLiteral("nightly report"));
        QCOMPARE(b.constData(), a.constData());
        QString c = QStringLiteral("weekly report");
        const QChar* before = c.constData();
        in.intern(c); // a new value is remembered as it is
        QCOMPARE(c.constData(), before);
    }

    void byteTableStopsGrowingAtItsBound()
    {
        StringInterner in;
        for (int i = 0; i < 65536; ++i)
            in.get(std::to_string(i));
        // Past the bound a new value is still right, only no longer shared...
        const QString x = in.get("beyond");
        const QString y = in.get("beyond");
        QCOMPARE(x, QStringLiteral("beyond"));
        QCOMPARE(y, x);
        QVERIFY(y.constData() != x.constData());
        // ...while values seen before still are.
        const QString z = in.get("42");
        QCOMPARE(z, QStringLiteral("42"));
        QCOMPARE(in.get("42").constData(), z.constData());
    }
};

QTEST_GUILESS_MAIN(TestStringInterner)
#include "tst_stringinterner.moc"
