#include "store/runindex.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cstring>
#include <limits>
#include <sys/mman.h>
#include <type_traits>
#include <unistd.h>

namespace djp::store {

namespace {

constexpr char kMagic[8] = { 'D', 'J', 'P', 'I', 'N', 'D', 'E', 'X' };
constexpr char kEndMagic[8] = { 'D', 'J', 'P', 'I', 'E', 'N', 'D', '1' };
constexpr char kBlockMagic[4] = { 'D', 'J', 'P', 'B' };
constexpr quint32 kByteOrderMark = 0x01020304;
constexpr size_t kTrailerSize = 4 + 4 + 8 + 8;

// Detects flipped bits inside a block (strings and numbers would otherwise decode "fine"). Not
// cryptographic; ~10 ms for 100k records.
quint64 blockChecksum(const uchar* p, size_t n)
{
    quint64 h = 0x9E3779B97F4A7C15ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        quint64 w;
        std::memcpy(&w, p + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    quint64 tail = 0;
    std::memcpy(&tail, p + i, n - i);
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 29);
}

enum RecordFlag : quint16
{
    HasTimestamp = 1 << 0,
    CitationsOk = 1 << 1,
    Grounded = 1 << 2,
    Redacted = 1 << 3,
    Fastpath = 1 << 4,
    Simulated = 1 << 5,
    CostComplete = 1 << 6,
    HasBudget = 1 << 7,
    StoppedEarly = 1 << 8,
    TimestampDropped = 1 << 9,
};

class Encoder
{
public:
    std::string out;

    template <typename T> void put(T v)
    {
        static_assert(std::is_trivially_copyable_v<T>);
        out.append(reinterpret_cast<const char*>(&v), sizeof v);
    }
    void bytes(const void* p, size_t n) { out.append(static_cast<const char*>(p), n); }
    void utf16(const QString& s)
    {
        put<quint32>(quint32(s.size()));
        bytes(s.constData(), size_t(s.size()) * sizeof(QChar));
    }
};

} // namespace

// The index's string table: repeated values (status, labels, tasks...) are stored once per index.
// Each block carries the strings first used in it; ids count on across blocks.
class StringTable
{
public:
    size_t size() const { return m_strings.size(); }
    quint32 id(const QString& s)
    {
        const auto it = m_ids.constFind(s);
        if (it != m_ids.constEnd())
            return *it;
        const quint32 id = quint32(m_strings.size());
        m_ids.insert(s, id);
        m_strings.push_back(s);
        return id;
    }
    const std::vector<QString>& strings() const { return m_strings; }

private:
    QHash<QString, quint32> m_ids;
    std::vector<QString> m_strings;
};

namespace {

class Decoder
{
public:
    Decoder(const uchar* begin, const uchar* end)
        : p(begin)
        , e(end)
    { }
    bool ok = true;
    const uchar* p;
    const uchar* e;

    template <typename T> T get()
    {
        T v {};
        if (size_t(e - p) < sizeof v) {
            ok = false;
            return v;
        }
        std::memcpy(&v, p, sizeof v);
        p += sizeof v;
        return v;
    }
    const uchar* take(size_t n)
    {
        if (size_t(e - p) < n) {
            ok = false;
            return nullptr;
        }
        const uchar* at = p;
        p += n;
        return at;
    }
    QString utf16()
    {
        const quint32 n = get<quint32>();
        const uchar* data = take(size_t(n) * sizeof(QChar));
        if (!data || n == 0)
            return {};
        QString s(qsizetype(n), Qt::Uninitialized);
        std::memcpy(s.data(), data, size_t(n) * sizeof(QChar));
        return s;
    }
};

void encodeRecord(Encoder& enc, StringTable& table, const RunRecord& r)
{
    quint16 flags = 0;
    flags |= r.hasTimestamp ? HasTimestamp : 0;
    flags |= r.citationsOk ? CitationsOk : 0;
    flags |= r.grounded ? Grounded : 0;
    flags |= r.redacted ? Redacted : 0;
    flags |= r.fastpath ? Fastpath : 0;
    flags |= r.simulated ? Simulated : 0;
    flags |= r.costComplete ? CostComplete : 0;
    flags |= r.budgetUsd ? HasBudget : 0;
    flags |= r.stoppedEarly ? StoppedEarly : 0;
    flags |= r.timestampDropped ? TimestampDropped : 0;
    enc.put<qint64>(r.timestampMs);
    enc.put<qint32>(r.utcOffsetSeconds);
    enc.put<quint16>(flags);
    for (const QString* s : { &r.task, &r.traceName, &r.presetName, &r.status, &r.provider, &r.winnerProvider,
             &r.redactionTypes, &r.advisoryReason, &r.schemaVersion, &r.budgetStatus, &r.judgeMethod })
        enc.put<quint32>(table.id(*s));
    enc.put<qint64>(r.tokensIn);
    enc.put<qint64>(r.tokensOut);
    enc.put<qint64>(r.totalTokens);
    enc.put<qint64>(r.textLength);
    enc.put<double>(r.estCost);
    enc.put<double>(r.duration);
    enc.put<double>(r.temperature);
    enc.put<double>(r.budgetUsd.value_or(0.0));
    for (int v : { r.numDrafts, r.numRanked, r.citationsRequired, r.groundedRequired, r.citationsCount,
             r.redactionCount, r.maxTokens, r.calls, r.failedCalls, r.retries })
        enc.put<qint32>(v);
    enc.utf16(r.runId);
    enc.put<quint16>(quint16(std::min<size_t>(r.costByLabel.size(), 0xffff)));
    for (size_t i = 0; i < r.costByLabel.size() && i < 0xffff; ++i) {
        enc.put<quint32>(table.id(r.costByLabel[i].first));
        enc.put<double>(r.costByLabel[i].second);
    }
    for (qint64 v : { r.estCostNano, r.cacheReadTokens, r.cacheWriteTokens, r.reasoningTokens, r.reportedCostNano,
             r.computedCostNano })
        enc.put<qint64>(v);
    enc.put<qint32>(r.estimatedUsageCalls);
    enc.put<qint32>(r.reportedCostCalls);
    enc.put<quint16>(quint16(std::min<size_t>(r.bucketsByLabel.size(), 0xffff)));
    for (size_t i = 0; i < r.bucketsByLabel.size() && i < 0xffff; ++i) {
        const RunRecord::LabelBuckets& b = r.bucketsByLabel[i];
        enc.put<quint32>(table.id(b.label));
        for (qint64 v :
            { b.inputTokens, b.cacheReadTokens, b.cacheWriteTokens, b.outputTokens, b.maxCallInputTokens, b.costNano })
            enc.put<qint64>(v);
    }
}

// `known`: how many strings of the table the record's block may refer to.
bool decodeRecord(Decoder& d, const std::vector<QString>& table, size_t known, RunRecord& r)
{
    r.timestampMs = d.get<qint64>();
    r.utcOffsetSeconds = d.get<qint32>();
    const quint16 flags = d.get<quint16>();
    r.hasTimestamp = flags & HasTimestamp;
    r.timestampDropped = flags & TimestampDropped;
    r.citationsOk = flags & CitationsOk;
    r.grounded = flags & Grounded;
    r.redacted = flags & Redacted;
    r.fastpath = flags & Fastpath;
    r.simulated = flags & Simulated;
    r.costComplete = flags & CostComplete;
    r.stoppedEarly = flags & StoppedEarly;
    bool idsOk = true;
    auto str = [&](QString& out) {
        const quint32 id = d.get<quint32>();
        if (id >= known) {
            idsOk = false;
            return;
        }
        out = table[id];
    };
    for (QString* s : { &r.task, &r.traceName, &r.presetName, &r.status, &r.provider, &r.winnerProvider,
             &r.redactionTypes, &r.advisoryReason, &r.schemaVersion, &r.budgetStatus, &r.judgeMethod })
        str(*s);
    r.tokensIn = d.get<qint64>();
    r.tokensOut = d.get<qint64>();
    r.totalTokens = d.get<qint64>();
    r.textLength = d.get<qint64>();
    r.estCost = d.get<double>();
    r.duration = d.get<double>();
    r.temperature = d.get<double>();
    const double budget = d.get<double>();
    if (flags & HasBudget)
        r.budgetUsd = budget;
    for (int* v : { &r.numDrafts, &r.numRanked, &r.citationsRequired, &r.groundedRequired, &r.citationsCount,
             &r.redactionCount, &r.maxTokens, &r.calls, &r.failedCalls, &r.retries })
        *v = d.get<qint32>();
    r.runId = d.utf16();
    const quint16 nCost = d.get<quint16>();
    if (nCost) {
        r.costByLabel.reserve(nCost);
        for (quint16 i = 0; i < nCost && d.ok; ++i) {
            QString label;
            str(label);
            const double cost = d.get<double>();
            r.costByLabel.emplace_back(std::move(label), cost);
        }
    }
    for (qint64* v : { &r.estCostNano, &r.cacheReadTokens, &r.cacheWriteTokens, &r.reasoningTokens, &r.reportedCostNano,
             &r.computedCostNano })
        *v = d.get<qint64>();
    r.estimatedUsageCalls = d.get<qint32>();
    r.reportedCostCalls = d.get<qint32>();
    const quint16 nBuckets = d.get<quint16>();
    if (nBuckets) {
        r.bucketsByLabel.reserve(nBuckets);
        for (quint16 i = 0; i < nBuckets && d.ok; ++i) {
            RunRecord::LabelBuckets b;
            str(b.label);
            for (qint64* v : { &b.inputTokens, &b.cacheReadTokens, &b.cacheWriteTokens, &b.outputTokens,
                     &b.maxCallInputTokens, &b.costNano })
                *v = d.get<qint64>();
            r.bucketsByLabel.push_back(std::move(b));
        }
    }
    return d.ok && idsOk;
}

QByteArray appVersion()
{
    return QByteArrayLiteral(DJP_VERSION);
}

} // namespace

// ---- reader -------------------------------------------------------------------------------------

bool IndexReader::read(const QString& indexPath, const QString& root, QString* why)
{
    auto fail = [&](const QString& reason) {
        keys.clear(), m_records.clear(), problems.clear(), recordKeys.clear();
        m_recordCount = 0;
        if (why)
            *why = reason;
        return false;
    };
    m_file.setFileName(indexPath);
    if (!m_file.exists())
        return fail(QStringLiteral("no index yet"));
    if (!m_file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot open: %1").arg(m_file.errorString()));
    const qint64 size = m_file.size();
    if (size < qint64(sizeof kMagic + 8 + kTrailerSize))
        return fail(QStringLiteral("too short"));
    m_map = m_file.map(0, size);
    if (!m_map)
        return fail(QStringLiteral("cannot map: %1").arg(m_file.errorString()));

    const uchar* begin = m_map;
    const uchar* end = m_map + size;
    Decoder h(begin, end - kTrailerSize);
    const uchar* magic = h.take(sizeof kMagic);
    if (!magic || std::memcmp(magic, kMagic, sizeof kMagic) != 0)
        return fail(QStringLiteral("not a run index"));
    if (h.get<quint32>() != kIndexFormatVersion)
        return fail(QStringLiteral("other format version"));
    if (h.get<quint32>() != kByteOrderMark)
        return fail(QStringLiteral("other byte order"));
    const quint16 verLen = h.get<quint16>();
    const uchar* ver = h.take(verLen);
    if (!ver || QByteArray(reinterpret_cast<const char*>(ver), verLen) != appVersion())
        return fail(QStringLiteral("written by another app version"));
    const quint32 rootLen = h.get<quint32>();
    const uchar* rootBytes = h.take(rootLen);
    if (!h.ok || QString::fromUtf8(reinterpret_cast<const char*>(rootBytes), rootLen) != root)
        return fail(QStringLiteral("index of another runs directory"));

    Decoder t(end - kTrailerSize, end);
    const quint32 blockCount = t.get<quint32>();
    t.get<quint32>();
    const quint64 entryCount = t.get<quint64>();
    const uchar* endMagic = t.take(sizeof kEndMagic);
    if (!endMagic || std::memcmp(endMagic, kEndMagic, sizeof kEndMagic) != 0)
        return fail(QStringLiteral("truncated (no trailer)"));
    // Every entry takes more than 16 bytes: reject absurd counts before reserving memory.
    if (entryCount > quint64(size) / 16)
        return fail(QStringLiteral("corrupt entry count"));

    // Pass 1: validate every block, decode string tables and keys, note where each record body is
    // and its sort key (timestamp). Pass 2 decodes the records straight into sorted order, so a load
    // where nothing changed hands out an already sorted list (no permutation of fat records later).
    struct Pending
    {
        qint64 sortKey;
        std::string_view rel;
        const uchar* body;
        quint32 bodyLen;
        quint32 block;
        quint32 key;
    };
    std::vector<Pending> pending;
    pending.reserve(entryCount);
    keys.reserve(entryCount);
    const QString prefix = root + QLatin1Char('/');
    std::vector<QString> table; // one for the index, decoded once: every distinct string is one QString
    std::vector<quint32> knownStrings; // per block: the table's size at its end
    quint32 blocks = 0;
    while (h.ok && h.p < h.e) {
        const uchar* bm = h.take(sizeof kBlockMagic);
        const quint32 payload = h.get<quint32>();
        const quint64 sum = h.get<quint64>();
        if (!bm || std::memcmp(bm, kBlockMagic, sizeof kBlockMagic) != 0 || size_t(h.e - h.p) < payload)
            return fail(QStringLiteral("corrupt block header"));
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION // the fuzzer must reach the decoders behind it
        if (blockChecksum(h.p, payload) != sum)
            return fail(QStringLiteral("block checksum mismatch"));
#else
        (void)sum;
#endif
        Decoder b(h.p, h.p + payload);
        h.p += payload;
        ++blocks;

        const quint32 nStrings = b.get<quint32>();
        if (nStrings > payload / 4)
            return fail(QStringLiteral("corrupt string table"));
        table.reserve(table.size() + nStrings);
        for (quint32 i = 0; i < nStrings && b.ok; ++i)
            table.push_back(b.utf16());
        knownStrings.push_back(quint32(table.size()));
        const quint32 nEntries = b.get<quint32>();
        for (quint32 i = 0; i < nEntries && b.ok; ++i) {
            IndexKey key;
            const quint16 relLen = b.get<quint16>();
            const uchar* rel = b.take(relLen);
            key.size = b.get<qint64>();
            key.mtimeNs = b.get<qint64>();
            key.ctimeNs = b.get<qint64>();
            const quint8 kind = b.get<quint8>();
            if (!b.ok || relLen == 0)
                return fail(QStringLiteral("corrupt entry"));
            key.rel = std::string_view(reinterpret_cast<const char*>(rel), relLen);
            if (kind == 0) {
                const quint32 bodyLen = b.get<quint32>();
                const uchar* body = b.take(bodyLen);
                if (!body || bodyLen < 14)
                    return fail(QStringLiteral("corrupt record"));
                Decoder k(body, body + bodyLen);
                const qint64 ts = k.get<qint64>();
                k.get<qint32>();
                const bool hasTs = k.get<quint16>() & HasTimestamp;
                pending.push_back({ runOrderKey(hasTs, ts), key.rel, body, bodyLen, quint32(knownStrings.size() - 1),
                    quint32(keys.size()) });
            } else if (kind == 1) {
                Problem& pr = problems.emplace_back();
                const quint32 code = b.get<quint32>();
                if (code >= table.size())
                    return fail(QStringLiteral("corrupt problem"));
                pr.code = table[code];
                pr.detail = b.utf16();
                pr.path = prefix + QString::fromUtf8(key.rel.data(), qsizetype(relLen));
                key.problem = true;
                key.slot = qint32(problems.size() - 1);
            } else {
                return fail(QStringLiteral("unknown entry kind"));
            }
            keys.push_back(key);
        }
        if (!b.ok || b.p != b.e)
            return fail(QStringLiteral("corrupt block"));
    }
    if (!h.ok || blocks != blockCount || keys.size() != entryCount)
        return fail(QStringLiteral("inconsistent counts"));

    // The canonical order (runOrderLess, runrecord.h), except that paths compare as UTF-8 bytes of
    // the relative path: the store re-checks and re-sorts if that ever differs from QString order.
    std::vector<quint32> order(pending.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = quint32(i);
    std::sort(order.begin(), order.end(), [&](quint32 x, quint32 y) {
        const Pending& a = pending[x];
        const Pending& b = pending[y];
        return a.sortKey != b.sortKey ? a.sortKey < b.sortKey : a.rel < b.rel;
    });
    std::vector<quint32> slotOf(pending.size());
    for (size_t k = 0; k < order.size(); ++k)
        slotOf[order[k]] = quint32(k);
    order = {};

    // The keys' paths move out of the mapping, so that the mapping can be let go of while the
    // records are decoded (in file order, each straight into its sorted slot): the mapped file and
    // the decoded records are then not both in memory at the peak.
    size_t pathBytes = 0;
    for (const IndexKey& key : keys)
        pathBytes += key.rel.size();
    m_paths.clear();
    m_paths.reserve(pathBytes);
    for (IndexKey& key : keys) {
        const size_t at = m_paths.size();
        m_paths.append(key.rel);
        key.rel = std::string_view(m_paths.data() + at, key.rel.size());
    }

    m_recordCount = pending.size();
    m_records.resize((pending.size() + kRecordBlock - 1) / kRecordBlock);
    for (size_t b = 0; b < m_records.size(); ++b)
        m_records[b].resize(std::min(kRecordBlock, pending.size() - b * kRecordBlock));
    recordKeys.resize(pending.size());
    const size_t page = size_t(::sysconf(_SC_PAGESIZE));
    size_t released = 0;
    for (size_t i = 0; i < pending.size(); ++i) {
        const Pending& pe = pending[i];
        const size_t slot = slotOf[i];
        RunRecord& r = record(slot);
        Decoder d(pe.body, pe.body + pe.bodyLen);
        if (!decodeRecord(d, table, knownStrings[pe.block], r) || d.p != d.e)
            return fail(QStringLiteral("corrupt record"));
        IndexKey& key = keys[pe.key];
        r.artifactFile = prefix + QString::fromUtf8(key.rel.data(), qsizetype(key.rel.size()));
        r.fileSize = key.size;
        r.fileMtimeMs = key.mtimeNs / 1000000;
        key.slot = qint32(slot);
        recordKeys[slot] = qint32(pe.key);
        // Bodies come in file order: what lies before the next one is done with.
        const size_t upto = (size_t(pe.body + pe.bodyLen - m_map) / page) * page;
        if (upto >= released + (4u << 20)) {
            ::madvise(m_map + released, upto - released, MADV_DONTNEED);
            released = upto;
        }
    }
    return true;
}

void IndexReader::release()
{
    m_records = {};
    m_recordCount = 0;
    recordKeys = {};
    problems = {};
    unmap();
}

void IndexReader::unmap()
{
    keys = {};
    m_paths = {};
    if (m_map)
        m_file.unmap(m_map);
    m_map = nullptr;
    m_file.close();
}

void IndexReader::releaseRecordsBefore(size_t slot)
{
    for (size_t b = 0; b < m_records.size() && (b + 1) * kRecordBlock <= slot; ++b)
        if (!m_records[b].empty())
            std::vector<RunRecord>().swap(m_records[b]);
}

// ---- writer -------------------------------------------------------------------------------------

IndexWriter::IndexWriter(const QString& indexPath)
    : m_file(indexPath)
    , m_strings(std::make_unique<StringTable>())
{ }

IndexWriter::~IndexWriter()
{
    if (m_file.isOpen())
        m_file.cancelWriting();
}

bool IndexWriter::open(const QString& root, QString* why)
{
    QDir().mkpath(QFileInfo(m_file.fileName()).absolutePath());
    if (!m_file.open(QIODevice::WriteOnly)) {
        if (why)
            *why = m_file.errorString();
        m_failed = true;
        return false;
    }
    Encoder enc;
    enc.bytes(kMagic, sizeof kMagic);
    enc.put<quint32>(kIndexFormatVersion);
    enc.put<quint32>(kByteOrderMark);
    const QByteArray ver = appVersion();
    enc.put<quint16>(quint16(ver.size()));
    enc.bytes(ver.constData(), size_t(ver.size()));
    const QByteArray rootUtf8 = root.toUtf8();
    enc.put<quint32>(quint32(rootUtf8.size()));
    enc.bytes(rootUtf8.constData(), size_t(rootUtf8.size()));
    flush(enc.out);
    return !m_failed;
}

void IndexWriter::addBlock(const std::vector<const ScannedFile*>& recordFiles,
    const std::vector<const RunRecord*>& records, const std::vector<const ScannedFile*>& problemFiles,
    const std::vector<const Problem*>& problems)
{
    if (m_failed || (records.empty() && problems.empty()))
        return;
    StringTable& table = *m_strings;
    const size_t knownBefore = table.size();
    Encoder entries;
    entries.out.reserve(records.size() * 320 + problems.size() * 200);
    auto keyOf = [&](const ScannedFile& f, quint8 kind) {
        const size_t n = std::min<size_t>(f.rel.size(), 0xffff);
        entries.put<quint16>(quint16(n));
        entries.bytes(f.rel.data(), n);
        entries.put<qint64>(f.size);
        entries.put<qint64>(f.mtimeNs);
        entries.put<qint64>(f.ctimeNs);
        entries.put<quint8>(kind);
    };
    for (size_t i = 0; i < records.size(); ++i) {
        keyOf(*recordFiles[i], 0);
        const size_t lenAt = entries.out.size();
        entries.put<quint32>(0); // body length, patched below: lets a reader skip or locate a body
        encodeRecord(entries, table, *records[i]);
        const quint32 bodyLen = quint32(entries.out.size() - lenAt - 4);
        std::memcpy(entries.out.data() + lenAt, &bodyLen, sizeof bodyLen);
    }
    for (size_t i = 0; i < problems.size(); ++i) {
        keyOf(*problemFiles[i], 1);
        entries.put<quint32>(table.id(problems[i]->code));
        entries.utf16(problems[i]->detail);
    }

    Encoder block;
    block.out.reserve(entries.out.size() + 4096);
    block.bytes(kBlockMagic, sizeof kBlockMagic);
    block.put<quint32>(0); // payload size, patched below
    block.put<quint64>(0); // payload checksum, patched below
    block.put<quint32>(quint32(table.size() - knownBefore));
    for (size_t i = knownBefore; i < table.size(); ++i)
        block.utf16(table.strings()[i]);
    block.put<quint32>(quint32(records.size() + problems.size()));
    block.bytes(entries.out.data(), entries.out.size());
    constexpr size_t headerSize = sizeof kBlockMagic + 4 + 8;
    const quint32 payload = quint32(block.out.size() - headerSize);
    const quint64 sum = blockChecksum(reinterpret_cast<const uchar*>(block.out.data()) + headerSize, payload);
    std::memcpy(block.out.data() + sizeof kBlockMagic, &payload, sizeof payload);
    std::memcpy(block.out.data() + sizeof kBlockMagic + 4, &sum, sizeof sum);
    flush(block.out);
    ++m_blocks;
    m_entries += records.size() + problems.size();
}

bool IndexWriter::commit(QString* why)
{
    if (!m_failed) {
        Encoder t;
        t.put<quint32>(m_blocks);
        t.put<quint32>(0);
        t.put<quint64>(m_entries);
        t.bytes(kEndMagic, sizeof kEndMagic);
        flush(t.out);
    }
    if (m_failed || !m_file.commit()) {
        if (why)
            *why = m_file.errorString();
        if (m_file.isOpen())
            m_file.cancelWriting();
        return false;
    }
    return true;
}

void IndexWriter::cancel()
{
    if (m_file.isOpen())
        m_file.cancelWriting();
    m_failed = true;
}

void IndexWriter::flush(const std::string& bytes)
{
    if (m_failed)
        return;
    if (m_file.write(bytes.data(), qint64(bytes.size())) != qint64(bytes.size()))
        m_failed = true;
    m_bytes += qint64(bytes.size());
}

} // namespace djp::store
