#pragma once
// JSON test data written with single quotes: J("{'a': 1}"). Raw string literals holding JSON trip
// moc's tokenizer (Qt 6.4), so the pipeline tests use this instead.
#include <QString>

inline QString J(const char* s)
{
    return QString::fromUtf8(s).replace(QLatin1Char('\''), QLatin1Char('"'));
}
