#pragma once
// The persistent run index (docs/architecture.md): for every candidate file of a runs directory, its identity
// (relative path, size, mtime and ctime in ns) and what reading it gave (a full RunRecord, or the Problem of a
// bad file, so unchanged bad files are reported without being read again).
//
// Format (native little-endian, version kIndexFormatVersion; see docs/performance.md for why binary):
//   header  "DJPINDEX" u32 format, u32 0x01020304, u16+bytes app version, u32+bytes runs dir (UTF-8)
//   blocks  "DJPB" u32 payload bytes, u64 payload checksum, the strings first used in this block
//           (u32 n, n x (u32 UTF-16 units, data); ids count on from the previous blocks' strings),
//           u32 entries, entries (u16 + relative path UTF-8, i64 size, i64 mtime ns, i64 ctime ns, u8 kind, then
//           for a record u32 body length + fields, for a problem the code id + detail; repeated
//           strings are ids into the index's table, as far as this block has defined it)
//   trailer u32 blocks, u32 0, u64 entries, "DJPIEND1"
// A file from another format/app version/runs dir, or one that fails any structural check, is
// rejected as a whole (and rebuilt by the store). Written through QSaveFile: readers see the old or
// the new file, never a partial one. Internal to the store.
#include "artifact/problem.h"
#include "artifact/runrecord.h"
#include "store/dirscan.h"

#include <QFile>
#include <QHash>
#include <QSaveFile>
#include <QString>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace djp::store {

// 3: 0.2 usage buckets and exact money; 4: ctime in the key; 5: one string table for the whole index
inline constexpr quint32 kIndexFormatVersion = 5;

struct IndexKey
{
    std::string_view rel; // points into the reader's copy of the paths: valid until release()
    qint64 size = 0;
    qint64 mtimeNs = 0;
    qint64 ctimeNs = 0;
    qint32 slot = 0; // index into records, or into problems when `problem`
    bool problem = false;
};

class IndexReader
{
public:
    IndexReader() = default;
    IndexReader(const IndexReader&) = delete;
    IndexReader& operator=(const IndexReader&) = delete;

    // Maps and decodes the whole index of `root`. False (with the reason) when the file is missing,
    // foreign or corrupt; the contents are then empty.
    bool read(const QString& indexPath, const QString& root, QString* why);
    // Drops the contents and unmaps the file (keys become invalid).
    void release();
    // Unmaps the file and drops the keys but keeps the decoded records and problems: after the
    // store has joined the keys with the directory scan.
    void unmap();

    // Records sorted by timestamp, then path; artifactFile = root + '/' + rel. Held in blocks of
    // kRecordBlock so that the store can free them while it hands them out (peak memory).
    static constexpr size_t kRecordBlock = 512;
    size_t recordCount() const { return m_recordCount; }
    RunRecord& record(size_t slot) { return m_records[slot / kRecordBlock][slot % kRecordBlock]; }
    // Frees the blocks that hold only slots below `slot` (already moved out).
    void releaseRecordsBefore(size_t slot);

    std::vector<IndexKey> keys;
    std::vector<qint32> recordKeys; // for each record, its entry in keys
    std::vector<Problem> problems;

private:
    std::vector<std::vector<RunRecord>> m_records;
    std::string m_paths; // the keys' relative paths (IndexKey::rel points here)
    size_t m_recordCount = 0;
    QFile m_file;
    uchar* m_map = nullptr;
};

class StringTable;

class IndexWriter
{
public:
    explicit IndexWriter(const QString& indexPath);
    ~IndexWriter();

    bool open(const QString& root, QString* why);
    // One block per call, typically one load chunk.
    void addBlock(const std::vector<const ScannedFile*>& recordFiles, const std::vector<const RunRecord*>& records,
        const std::vector<const ScannedFile*>& problemFiles, const std::vector<const Problem*>& problems);
    bool commit(QString* why);
    void cancel();
    qint64 bytesWritten() const { return m_bytes; }

private:
    void flush(const std::string& bytes);

    QSaveFile m_file;
    std::unique_ptr<StringTable> m_strings; // across blocks
    quint32 m_blocks = 0;
    quint64 m_entries = 0;
    qint64 m_bytes = 0;
    bool m_failed = false;
};

} // namespace djp::store
