// LatestRequest: the one "latest request wins" rule of RunSession, AlertMonitor and the Inspector.
#include "session/latestrequest.h"

#include <QtConcurrent>
#include <QtTest>

using namespace djp;

class TestLatestRequest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void newerRequestSupersedes()
    {
        LatestRequest latest;
        const LatestRequest::Ticket first = latest.next();
        QVERIFY(first.isLatest());
        QVERIFY(latest.isLatest(first.id()));
        const LatestRequest::Ticket second = latest.next();
        QVERIFY(!first.isLatest());
        QVERIFY(!latest.isLatest(first.id()));
        QVERIFY(second.isLatest());
        QVERIFY(second.id() != first.id());
    }

    void dropAllLeavesNoCurrentRequest()
    {
        LatestRequest latest;
        const LatestRequest::Ticket t = latest.next();
        latest.dropAll();
        QVERIFY(!t.isLatest());
        QVERIFY(!latest.isLatest(t.id()));
        QVERIFY(latest.next().isLatest()); // and a later request is current again
    }

    void closeStopsEveryTicketForGood()
    {
        LatestRequest latest;
        const LatestRequest::Ticket t = latest.next();
        latest.close();
        QVERIFY(!t.isLatest());
        QVERIFY(!latest.isLatest(t.id()));
        QVERIFY(!latest.isLatest(std::numeric_limits<quint64>::max()));
    }

    void defaultTicketIsNeverLatest()
    {
        const LatestRequest::Ticket none;
        QVERIFY(!none.isLatest());
        LatestRequest latest;
        QVERIFY(!latest.isLatest(none.id())); // id 0 is never handed out
        QVERIFY(latest.next().id() != none.id());
    }

    void ticketOutlivesItsOwnerAndIsReadOffThread()
    {
        // A worker may still hold its ticket after the owner is gone (a result in flight at close).
        LatestRequest::Ticket t;
        {
            LatestRequest latest;
            t = latest.next();
            QVERIFY(QtConcurrent::run([t] { return t.isLatest(); }).result());
            latest.next();
            QVERIFY(!QtConcurrent::run([t] { return t.isLatest(); }).result());
        }
        QVERIFY(!t.isLatest());
    }
};

QTEST_GUILESS_MAIN(TestLatestRequest)
#include "tst_latestrequest.moc"
