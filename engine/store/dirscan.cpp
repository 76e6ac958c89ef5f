#include "store/dirscan.h"

#include "artifact/artifactscanner.h"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <string_view>
#include <sys/stat.h>
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

// Walks the tree below `root`; `onFile` gets (rel, struct stat) for regular files, `onDir` gets the
// relative path of every directory entered (including "" for the root).
template <typename OnFile, typename OnDir>
bool walk(
    const std::string& root, const std::function<bool()>& cancelled, DirScanResult* result, OnFile onFile, OnDir onDir)
{
    std::vector<std::string> pending { std::string() };
    bool first = true;
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
            if (name.front() == '.') // ".", "..", hidden files and folders
                continue;
            unsigned char type = e->d_type;
            struct stat st;
            bool haveStat = false;
            if (type == DT_UNKNOWN || type == DT_LNK) {
                // Follow links to files; never descend through a link (loops, escaping the tree).
                struct stat lst;
                if (::fstatat(dfd, e->d_name, &lst, AT_SYMLINK_NOFOLLOW) != 0)
                    continue;
                if (S_ISLNK(lst.st_mode)) {
                    if (::fstatat(dfd, e->d_name, &st, 0) != 0 || !S_ISREG(st.st_mode))
                        continue;
                    type = DT_REG;
                } else {
                    st = lst;
                    type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
                }
                haveStat = true;
            }
            if (type == DT_DIR) {
                pending.push_back(prefix + std::string(name));
                continue;
            }
            if (type != DT_REG)
                continue;
            onFile(prefix, name, dfd, haveStat ? &st : nullptr);
        }
    }
    return true;
}

} // namespace

DirScanResult scanRunsDir(const QString& root, const std::function<bool()>& cancelled)
{
    DirScanResult result;
    const std::string rootUtf8 = root.toStdString();
    result.files.reserve(1024);
    walk(
        rootUtf8, cancelled, &result,
        [&](const std::string& prefix, std::string_view name, int dfd, const struct stat* known) {
            // Cheap byte-level pre-filter; isArtifactCandidate() stays the authority.
            if (!endsWithJson(name) || !isArtifactCandidate(QString::fromUtf8(name.data(), qsizetype(name.size()))))
                return;
            struct stat st;
            if (known) {
                st = *known;
            } else if (::fstatat(dfd, name.data(), &st, 0) != 0 || !S_ISREG(st.st_mode)) {
                return;
            }
            ScannedFile f;
            f.rel.reserve(prefix.size() + name.size());
            f.rel.append(prefix).append(name);
            f.size = qint64(st.st_size);
            f.mtimeNs = qint64(st.st_mtim.tv_sec) * 1000000000 + qint64(st.st_mtim.tv_nsec);
            result.files.push_back(std::move(f));
        },
        [](const std::string&) {});
    return result;
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
