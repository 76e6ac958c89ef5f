#include "artifact/artifactfile.h"

#include "artifact/artifactscanner.h"

#include <QFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace djp {

void PaddedBuffer::resize(std::size_t n)
{
    if (n > m_capacity) {
        std::size_t cap = std::max<std::size_t>(n, std::max<std::size_t>(64 * 1024, m_capacity * 2));
        m_data.reset(new char[cap + kPadding]);
        m_capacity = cap;
    }
    m_size = n;
    std::memset(m_data.get() + n, 0, kPadding);
}

namespace {

Problem ioProblem(const QString& path, const char* what, int err)
{
    return Problem { path, vocabularyId(ProblemCode::IoError),
        QString::fromLatin1(what) + QStringLiteral(": ") + QString::fromLocal8Bit(std::strerror(err)) };
}

// Closes the descriptor on every return path.
struct Fd
{
    int fd;
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

} // namespace

QString describeNonRegular(unsigned mode)
{
    if (S_ISFIFO(mode))
        return QStringLiteral("a FIFO (named pipe), not a regular file");
    if (S_ISCHR(mode))
        return QStringLiteral("a character device, not a regular file");
    if (S_ISBLK(mode))
        return QStringLiteral("a block device, not a regular file");
    if (S_ISSOCK(mode))
        return QStringLiteral("a socket, not a regular file");
    if (S_ISDIR(mode))
        return QStringLiteral("a directory, not a regular file");
    return QStringLiteral("not a regular file");
}

std::optional<Problem> readArtifactFile(const QString& path, PaddedBuffer& buffer, FileFacts& facts)
{
    const QByteArray native = QFile::encodeName(path);
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait forever for a writer (and a
    // device may block too). The type is checked on the descriptor itself, so nothing can swap the
    // file between the check and the read; regular files ignore O_NONBLOCK.
    Fd f { ::open(native.constData(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY) };
    if (f.fd < 0)
        return ioProblem(path, "open", errno);
    struct stat st;
    if (::fstat(f.fd, &st) != 0)
        return ioProblem(path, "fstat", errno);
    if (!S_ISREG(st.st_mode))
        return Problem { path, vocabularyId(ProblemCode::NotRegularFile), describeNonRegular(st.st_mode) };
    facts.size = st.st_size;
    facts.mtimeMs = qint64(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
    if (st.st_size == 0)
        return Problem { path, vocabularyId(ProblemCode::Empty), QStringLiteral("0 bytes") };
    // Decided from the size alone, so a huge file is never read.
    if (st.st_size > kMaxArtifactBytes)
        return Problem { path, vocabularyId(ProblemCode::TooLarge),
            QStringLiteral("%1 bytes, limit %2").arg(st.st_size).arg(kMaxArtifactBytes) };

    const auto expected = static_cast<std::size_t>(st.st_size);
    buffer.resize(expected);
    std::size_t got = 0;
    while (got < expected) {
        const ssize_t n = ::read(f.fd, buffer.data() + got, expected - got);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return ioProblem(path, "read", errno);
        }
        if (n == 0)
            break; // shrank while we read: parse what is there
        got += static_cast<std::size_t>(n);
    }
    buffer.resize(got);
    if (got == 0)
        return Problem { path, vocabularyId(ProblemCode::Empty), QStringLiteral("0 bytes") };
    return std::nullopt;
}

} // namespace djp
