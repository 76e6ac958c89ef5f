// libFuzzer entry point for the run index reader (docs/fuzzing.md). The index is a cache the app
// reads at every start, so a damaged or hostile file must be rejected or read, never crash, hang or
// allocate without bound. Each input is written after a valid header for the fuzz runs folder (so
// inputs reach the blocks instead of dying at the version check) and read with IndexReader; the
// fuzz build compiles the reader with FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION, which skips the block
// checksum so mutations reach the decoders behind it.
//
// Checks besides crashes and sanitizer reports: a successful read is self-consistent (every record
// has its key, every key points at an existing record or problem), a failed read leaves nothing.
#include "store/runindex.h"

#include <QByteArray>
#include <QFile>
#include <QTemporaryDir>
#include <cstdio>
#include <cstdlib>

using namespace djp;
using namespace djp::store;

namespace {

const QString kRoot = QStringLiteral("/fuzz/runs");

// The header an empty index of kRoot starts with, as the writer makes it (everything before the
// fixed-size trailer).
QByteArray validHeader(const QString& dir)
{
    const QString path = dir + QStringLiteral("/header.djpindex");
    IndexWriter w(path);
    QString why;
    if (!w.open(kRoot, &why) || !w.commit(&why)) {
        std::fprintf(stderr, "cannot write a header: %s\n", qPrintable(why));
        std::abort();
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        std::abort();
    const QByteArray whole = f.readAll();
    constexpr qsizetype kTrailer = 4 + 4 + 8 + 8;
    return whole.left(whole.size() - kTrailer);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static QTemporaryDir dir;
    static const QByteArray header = validHeader(dir.path());
    static const QString path = dir.path() + QStringLiteral("/fuzz.djpindex");
    {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            std::abort();
        f.write(header);
        f.write(reinterpret_cast<const char*>(data), qint64(size));
    }
    IndexReader reader;
    QString why;
    const bool ok = reader.read(path, kRoot, &why);
    if (!ok) {
        if (!reader.keys.empty() || reader.recordCount() != 0 || !reader.problems.empty() || why.isEmpty())
            std::abort();
        return 0;
    }
    if (reader.recordKeys.size() != reader.recordCount())
        std::abort();
    for (qint32 k : reader.recordKeys)
        if (k < 0 || size_t(k) >= reader.keys.size())
            std::abort();
    for (const IndexKey& key : reader.keys) {
        const size_t limit = key.problem ? reader.problems.size() : reader.recordCount();
        if (key.slot < 0 || size_t(key.slot) >= limit || key.rel.empty())
            std::abort();
    }
    return 0;
}
