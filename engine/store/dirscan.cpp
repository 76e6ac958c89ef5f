#include "store/dirscan.h"

#include "artifact/artifactfile.h"
#include "artifact/artifactscanner.h"
#include "store/runsfolderrepair.h"

#include <QByteArray>

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <string_view>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace djp::store {

namespace {

bool endsWithJson(std::string_view name)
{
    return name.size() > 5 && name.substr(name.size() - 5) == ".json";
}

struct DirHandle
{
    DIR* d = nullptr;
    explicit DirHandle(const std::string& path)
        : d(::opendir(path.c_str()))
    { }
    ~DirHandle()
    {
        if (d)
            ::closedir(d);
    }
    DirHandle(const DirHandle&) = delete;
    DirHandle& operator=(const DirHandle&) = delete;
};

bool validUtf8(std::string_view name)
{
    return QByteArray::fromRawData(name.data(), qsizetype(name.size())).isValidUtf8();
}

bool candidateName(std::string_view name)
{
    // Cheap byte-level pre-filter; isArtifactCandidate() stays the authority.
    return endsWithJson(name) && isArtifactCandidate(QString::fromUtf8(name.data(), qsizetype(name.size())));
}

// Walks the tree below `root`; `onFile` gets (prefix, name, dirfd, stat or null) for regular files
// and links to them, `onDir` gets the relative path of every directory entered (including "" for the
// root). Entries that break the rule (see scanRunsDir) go to result->skipped when `result` is set.
template <typename OnFile, typename OnDir>
bool walk(
    const std::string& root, const std::function<bool()>& cancelled, DirScanResult* result, OnFile onFile, OnDir onDir)
{
    const auto hiddenFile = [&](const std::string& prefix, std::string_view name, unsigned char type) {
        if (!result || name == "." || name == ".." || (type != DT_REG && type != DT_UNKNOWN))
            return;
        if (isRepairCandidateName(QString::fromUtf8(name.data(), qsizetype(name.size()))))
            result->repairCandidates.push_back(prefix + std::string(name));
    };
    std::vector<std::string> pending { std::string() };
    bool first = true;
    const auto skip = [&](std::string rel, const char* code, QString detail) {
        if (result)
            result->skipped.push_back({ std::move(rel), QString::fromLatin1(code), std::move(detail) });
    };
    while (!pending.empty()) {
        if (cancelled && cancelled())
            return false;
        const std::string rel = std::move(pending.back());
        pending.pop_back();
        const std::string abs = rel.empty() ? root : root + '/' + rel;
        DirHandle dir(abs);
        if (!dir.d) {
            if (first && result) {
                result->rootMissing = (errno == ENOENT || errno == ENOTDIR);
                result->rootError = QString::fromLocal8Bit(std::strerror(errno));
            } else if (result) {
                result->unreadable.push_back(rel);
            }
            first = false;
            continue;
        }
        first = false;
        onDir(rel);
        const int dfd = ::dirfd(dir.d);
        const std::string prefix = rel.empty() ? std::string() : rel + '/';
        while (const dirent* e = ::readdir(dir.d)) {
            const std::string_view name(e->d_name);
            if (name.front() == '.') { // ".", "..", hidden files and folders
                hiddenFile(prefix, name, e->d_type);
                continue;
            }
            unsigned char type = e->d_type;
            struct stat st;
            bool haveStat = false;
            bool viaLink = false;
            if (type == DT_UNKNOWN || type == DT_LNK) {
                struct stat lst;
                if (::fstatat(dfd, e->d_name, &lst, AT_SYMLINK_NOFOLLOW) != 0)
                    continue; // gone since readdir
                if (S_ISLNK(lst.st_mode)) {
                    // Follow links to files; never descend through a link (loops, escaping the tree).
                    viaLink = true;
                    if (::fstatat(dfd, e->d_name, &st, 0) != 0) {
                        if (candidateName(name))
                            skip(prefix + std::string(name), errno == ELOOP ? "link_loop" : "dangling_link",
                                errno == ELOOP ? QStringLiteral("symbolic link loop")
                                               : QStringLiteral("symbolic link to nothing (%1)")
                                                     .arg(QString::fromLocal8Bit(std::strerror(errno))));
                        continue;
                    }
                    if (S_ISDIR(st.st_mode)) {
                        if (candidateName(name))
                            skip(prefix + std::string(name), "not_regular_file",
                                QStringLiteral("symbolic link to a folder (not followed)"));
                        continue;
                    }
                } else {
                    st = lst;
                }
                type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
                haveStat = true;
            }
            if (type == DT_DIR) {
                if (!validUtf8(name)) {
                    skip(prefix + std::string(name), "bad_file_name",
                        QStringLiteral("folder name is not valid UTF-8 (not entered)"));
                    continue;
                }
                pending.push_back(prefix + std::string(name));
                continue;
            }
            const bool nameIsValid = validUtf8(name);
            if (!nameIsValid) {
                // Decide on the bytes: a name that is not UTF-8 cannot pass isArtifactCandidate's
                // QString test faithfully, so look for the suffix only.
                if (endsWithJson(name))
                    skip(prefix + std::string(name), "bad_file_name", QStringLiteral("file name is not valid UTF-8"));
                continue;
            }
            if (type != DT_REG) {
                if (!candidateName(name))
                    continue;
                if (!haveStat && ::fstatat(dfd, e->d_name, &st, 0) != 0)
                    continue;
                skip(prefix + std::string(name), "not_regular_file",
                    (viaLink ? QStringLiteral("symbolic link to ") : QString()) + describeNonRegular(st.st_mode));
                continue;
            }
            onFile(prefix, name, dfd, haveStat ? &st : nullptr);
        }
    }
    return true;
}

} // namespace

namespace {

void fillStat(ScannedFile& f, const struct stat& st)
{
    f.size = qint64(st.st_size);
    f.mtimeNs = qint64(st.st_mtim.tv_sec) * 1000000000 + qint64(st.st_mtim.tv_nsec);
    f.ctimeNs = qint64(st.st_ctim.tv_sec) * 1000000000 + qint64(st.st_ctim.tv_nsec);
}

} // namespace

bool isArtifactCandidate(const QString& fileName)
{
    const qsizetype slash = fileName.lastIndexOf(QLatin1Char('/'));
    const QStringView name = QStringView(fileName).mid(slash + 1);
    // Hidden covers ArtifactWriter's ".<name>.tmp-XXXXXX" temp files and ".djp-index*".
    return name.size() > 5 && !name.startsWith(QLatin1Char('.')) && name.endsWith(QLatin1String(".json"))
        && !name.endsWith(QLatin1String(".tmp.json"));
}

DirScanResult scanRunsDir(const QString& root, const std::function<bool()>& cancelled, int statThreads)
{
    DirScanResult result;
    const std::string rootUtf8 = root.toStdString();
    result.files.reserve(1024);
    // Regular files (by d_type) are listed first and stat'ed afterwards, relative to the root, in
    // parallel when asked; entries whose type needed a stat already (links, unknown types) carry it.
    std::vector<char> needStat;
    walk(
        rootUtf8, cancelled, &result,
        [&](const std::string& prefix, std::string_view name, int, const struct stat* known) {
            if (!candidateName(name))
                return;
            ScannedFile f;
            f.rel.reserve(prefix.size() + name.size());
            f.rel.append(prefix).append(name);
            if (known)
                fillStat(f, *known);
            needStat.push_back(known ? 0 : 1);
            result.files.push_back(std::move(f));
        },
        [](const std::string&) {});
    if (result.files.empty())
        return result;

    const int rootFd = ::open(rootUtf8.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    // 0: fine, 1: gone since readdir, 2: not a regular file (replaced meanwhile)
    std::vector<char> outcome(result.files.size(), 0);
    std::vector<unsigned> modes(result.files.size(), 0);
    const auto statRange = [&](size_t from, size_t to) {
        for (size_t i = from; i < to; ++i) {
            if (!needStat[i])
                continue;
            struct stat st;
            if (rootFd < 0 || ::fstatat(rootFd, result.files[i].rel.c_str(), &st, 0) != 0) {
                outcome[i] = 1;
            } else if (!S_ISREG(st.st_mode)) {
                outcome[i] = 2;
                modes[i] = st.st_mode;
            } else {
                fillStat(result.files[i], st);
            }
        }
    };
    const size_t n = result.files.size();
    const int threads = std::clamp<int>(statThreads, 1, int(std::max<size_t>(1, n / 2048)));
    std::vector<std::thread> helpers;
    for (int t = 1; t < threads; ++t)
        helpers.emplace_back(statRange, n * size_t(t) / size_t(threads), n * size_t(t + 1) / size_t(threads));
    statRange(0, n / size_t(threads));
    for (std::thread& h : helpers)
        h.join();
    if (rootFd >= 0)
        ::close(rootFd);

    // Drop what vanished; report what is no longer a regular file. Order is kept otherwise.
    size_t keep = 0;
    for (size_t i = 0; i < n; ++i) {
        if (outcome[i] == 2)
            result.skipped.push_back(
                { result.files[i].rel, vocabularyId(ProblemCode::NotRegularFile), describeNonRegular(modes[i]) });
        if (outcome[i] != 0)
            continue;
        if (keep != i)
            result.files[keep] = std::move(result.files[i]);
        ++keep;
    }
    result.files.resize(keep);
    return result;
}

QString scannedPath(const QString& root, const std::string& rel)
{
    return root + QLatin1Char('/') + QString::fromUtf8(rel.data(), qsizetype(rel.size()));
}

std::vector<QString> listDirectories(const QString& root)
{
    std::vector<QString> dirs;
    const std::string rootUtf8 = root.toStdString();
    walk(
        rootUtf8, {}, nullptr, [](const std::string&, std::string_view, int, const struct stat*) {},
        [&](const std::string& rel) {
            dirs.push_back(rel.empty() ? root : root + QLatin1Char('/') + QString::fromStdString(rel));
        });
    return dirs;
}

} // namespace djp::store
