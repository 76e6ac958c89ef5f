#include "providers/dotenv.h"

#include "core/log.h"
#include "core/strings.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <mutex>

namespace djp {

namespace {

QString unescapeDoubleQuoted(QStringView s)
{
    QString out;
    out.reserve(s.size());
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s[i];
        if (c == u'\\' && i + 1 < s.size()) {
            const QChar n = s[++i];
            if (n == u'n')
                out += u'\n';
            else if (n == u't')
                out += u'\t';
            else if (n == u'r')
                out += u'\r';
            else
                out += n; // \" \\ \$ and anything else: the character itself
        } else {
            out += c;
        }
    }
    return out;
}

// Returns the closing quote's index, skipping backslash escapes for double quotes; -1 if unclosed.
qsizetype closingQuote(QStringView s, QChar quote)
{
    for (qsizetype i = 1; i < s.size(); ++i) {
        if (quote == u'"' && s[i] == u'\\') {
            ++i;
            continue;
        }
        if (s[i] == quote)
            return i;
    }
    return -1;
}

} // namespace

DotEnvParse parseDotEnv(const QByteArray& content)
{
    static const QRegularExpression keyRe(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    DotEnvParse out;
    QString text = QString::fromUtf8(content);
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    const QStringList lines = text.split(u'\n');
    for (int n = 0; n < lines.size(); ++n) {
        QString line = lines[n];
        if (line.endsWith(u'\r'))
            line.chop(1);
        QStringView v = QStringView(line).trimmed();
        if (v.isEmpty() || v.startsWith(u'#'))
            continue;
        if (v.startsWith(u"export ") || v.startsWith(u"export\t"))
            v = v.mid(7).trimmed();
        const qsizetype eq = v.indexOf(u'=');
        if (eq <= 0) {
            out.badLines.push_back(n + 1);
            continue;
        }
        const QString key = v.left(eq).trimmed().toString();
        if (!keyRe.match(key).hasMatch()) {
            out.badLines.push_back(n + 1);
            continue;
        }
        QStringView raw = v.mid(eq + 1).trimmed();
        QString value;
        if (!raw.isEmpty() && (raw.front() == u'"' || raw.front() == u'\'')) {
            const QChar quote = raw.front();
            const qsizetype close = closingQuote(raw, quote);
            if (close < 0) {
                out.badLines.push_back(n + 1);
                continue;
            }
            const QStringView inner = raw.mid(1, close - 1);
            value = quote == u'"' ? unescapeDoubleQuoted(inner) : inner.toString();
        } else {
            // An unquoted '#' starts a comment only after whitespace, so "abc#def" stays whole.
            static const QRegularExpression comment(QStringLiteral("\\s#"));
            const auto m = comment.match(raw);
            value = (m.hasMatch() ? raw.left(m.capturedStart()) : raw).trimmed().toString();
        }
        out.entries.emplace_back(key, value);
    }
    return out;
}

QStringList applyDotEnv(const QByteArray& content)
{
    const DotEnvParse parsed = parseDotEnv(content);
    QStringList set;
    for (const auto& [key, value] : parsed.entries) {
        const QByteArray name = key.toUtf8();
        if (qEnvironmentVariableIsSet(name.constData()) && !set.contains(key))
            continue;
        qputenv(name.constData(), value.toUtf8());
        if (!set.contains(key))
            set << key;
    }
    if (!parsed.badLines.empty())
        logger("providers")->warn(".env: malformed lines skipped: {}", parsed.badLines.size());
    return set;
}

QStringList loadDotEnvFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QStringList set = applyDotEnv(f.readAll());
    logger("providers")->debug("variables loaded: {} from {}", set.size(), ss(path));
    return set;
}

void loadDotEnvFromWorkingDirOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { loadDotEnvFile(QDir::current().filePath(QStringLiteral(".env"))); });
}

} // namespace djp
