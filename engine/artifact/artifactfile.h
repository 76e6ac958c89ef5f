#pragma once
// Internal to the artifact module (describeNonRegular also serves the store's listing): reading one artifact file into
// a reusable buffer with the trailing padding simdjson needs, with the size checks of docs/artifact-format.md decided
// before reading.
#include "artifact/problem.h"

#include <QString>
#include <cstddef>
#include <memory>
#include <optional>

namespace djp {

// A growable byte buffer that always keeps at least kPadding readable bytes after size().
// Grows geometrically and never shrinks, so a scanner reading many files allocates rarely.
class PaddedBuffer
{
public:
    static constexpr std::size_t kPadding = 64; // >= SIMDJSON_PADDING (checked in artifactscanner.cpp)

    char* data() { return m_data.get(); }
    const char* data() const { return m_data.get(); }
    std::size_t size() const { return m_size; }
    std::size_t capacity() const { return m_capacity; } // usable bytes, padding excluded
    // Makes room for n bytes and sets size() to n; zeroes the padding. The contents are kept when n <=
    // capacity(), otherwise not.
    void resize(std::size_t n);

private:
    std::unique_ptr<char[]> m_data;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
};

struct FileFacts
{
    qint64 size = 0;
    qint64 mtimeMs = 0;
};

// Reads the whole file with POSIX open/fstat/read. Returns a Problem (io_error, not_regular_file,
// empty, too_large) or nullopt with `buffer` holding the bytes. Never blocks on a FIFO or device
// (they are refused as not_regular_file). Never throws.
std::optional<Problem> readArtifactFile(const QString& path, PaddedBuffer& buffer, FileFacts& facts);

// "a FIFO (named pipe), not a regular file" etc., for a st_mode that is not a regular file (the
// detail of not_regular_file problems, shared by the file reader and the store's directory scan).
QString describeNonRegular(unsigned mode);

} // namespace djp
