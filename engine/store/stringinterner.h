#pragma once
// Shares the storage of repeated strings (status, preset, provider labels...): 100k records hold a
// few dozen distinct values in those fields, and sharing one QString each keeps RSS low. One instance
// per thread; not thread-safe.
#include <QSet>
#include <QString>

namespace djp::store {

class StringInterner
{
public:
    void intern(QString& s)
    {
        if (s.isEmpty()) {
            s = QString(); // the null string shares no allocation
            return;
        }
        const auto it = m_set.constFind(s);
        if (it != m_set.constEnd())
            s = *it;
        else
            m_set.insert(s);
    }
    QString interned(const QString& s)
    {
        QString copy = s;
        intern(copy);
        return copy;
    }

private:
    QSet<QString> m_set;
};

} // namespace djp::store
