#include "artifact/artifacttimestamp.h"

#include <QDate>
#include <QDateTime>
#include <QTime>

namespace djp {

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out)
{
    if (pos + n > s.size())
        return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
qint64 daysFromCivil(int y, int m, int d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<qint64>(doe) - 719468;
}

int daysInMonth(int y, int m)
{
    static constexpr int kDays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kDays[m - 1];
}

} // namespace

bool parseArtifactTimestamp(std::string_view text, qint64& utcMs, qint32& offsetSeconds)
{
    return parseTimestampCached(text, utcMs, offsetSeconds, nullptr);
}

bool parseTimestampCached(std::string_view text, qint64& utcMs, qint32& offsetSeconds, LocalOffsetCache* cache)
{
    // YYYY-MM-DD[T ]HH:MM[:SS[.fraction]][Z|+HH:MM|-HH:MM|+HHMM]
    int y, mo, d, h, mi, s = 0, ms = 0;
    if (!digits(text, 0, 4, y) || text.size() < 16 || text[4] != '-' || !digits(text, 5, 2, mo) || text[7] != '-'
        || !digits(text, 8, 2, d) || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !digits(text, 11, 2, h)
        || text[13] != ':' || !digits(text, 14, 2, mi))
        return false;
    std::size_t i = 16;
    if (i < text.size() && text[i] == ':') {
        if (!digits(text, i + 1, 2, s))
            return false;
        i += 3;
        if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
            ++i;
            const std::size_t start = i;
            int scale = 100;
            while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
                ms += (text[i] - '0') * scale;
                scale /= 10;
                ++i;
            }
            if (i == start)
                return false;
        }
    }
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59)
        return false;

    const qint64 localMs = ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60000LL + s * 1000LL + ms;
    if (i == text.size()) {
        // Legacy naive timestamp: wall-clock time of the machine's time zone at that instant.
        if (cache) {
            if (const std::optional<qint32> offset = cache->offsetAt(localMs)) {
                offsetSeconds = *offset;
                utcMs = localMs - qint64(*offset) * 1000;
                return true;
            }
        }
        const QDateTime local(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::LocalTime);
        if (!local.isValid())
            return false;
        utcMs = local.toMSecsSinceEpoch();
        offsetSeconds = local.offsetFromUtc();
        return true;
    }
    if (text[i] == 'Z' || text[i] == 'z') {
        if (i + 1 != text.size())
            return false;
        utcMs = localMs;
        offsetSeconds = 0;
        return true;
    }
    if (text[i] != '+' && text[i] != '-')
        return false;
    const int sign = text[i] == '-' ? -1 : 1;
    int oh, om;
    if (!digits(text, i + 1, 2, oh))
        return false;
    std::size_t j = i + 3;
    if (j < text.size() && text[j] == ':')
        ++j;
    if (!digits(text, j, 2, om) || j + 2 != text.size() || oh > 23 || om > 59)
        return false;
    offsetSeconds = sign * (oh * 3600 + om * 60);
    utcMs = localMs - offsetSeconds * 1000LL;
    return true;
}

} // namespace djp
