// A main() for the fuzz targets in builds without libFuzzer (docs/fuzzing.md): the ordinary GCC build
// links each target's LLVMFuzzerTestOneInput() with this file, so CTest runs every harness with its
// checks on every build, not only in a clang fuzz build.
//
// It feeds each seed file (arguments: files or folders, recursively) as it is, then a fixed number of
// deterministic mutations of it: bit flips, byte overwrites with boundary values, insertions and
// deletions of runs of bytes, truncations, duplicated blocks and splices with another seed. The
// mutation stream comes from std::mt19937_64 with a fixed seed, whose sequence the C++ standard
// fixes, so every machine runs exactly the same inputs and a failure reproduces. A finding aborts
// inside the harness (the test fails) and the input is saved as ./replay-crash.bin; on success it
// prints how many inputs it ran.
//
//   fuzz_<target>_replay [--mutations N] [--max-len BYTES] SEED_FILE_OR_DIR...
//
// This is regression replay, not fuzzing: it finds what the seeds and simple mutations reach. The
// libFuzzer runs (clang build) explore further.
#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

using Bytes = std::vector<uint8_t>;

// The input being run, so a harness's abort() leaves it behind for a replay (as libFuzzer's crash-*
// files): written to ./replay-crash.bin by the signal handler with async-signal-safe calls only.
const Bytes* g_current = nullptr;

extern "C" void saveCurrentInput(int sig)
{
    if (g_current) {
        const int fd = ::open("replay-crash.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            const ssize_t written = ::write(fd, g_current->data(), g_current->size());
            (void)written;
            ::close(fd);
        }
        static const char note[] = "replay: the failing input is in ./replay-crash.bin\n";
        const ssize_t shown = ::write(2, note, sizeof(note) - 1);
        (void)shown;
    }
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

bool readFile(const std::filesystem::path& path, Bytes& out)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return true;
}

void collectSeeds(const std::filesystem::path& path, std::vector<std::filesystem::path>& out)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(path, ec))
            if (entry.is_regular_file(ec))
                out.push_back(entry.path());
    } else if (std::filesystem::is_regular_file(path, ec)) {
        out.push_back(path);
    }
}

// Values that tend to find off-by-one and sign bugs, and JSON/structure bytes.
constexpr uint8_t kInteresting[]
    = { 0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, '"', '\\', '{', '}', '[', ']', ':', ',', '-', '0', '9', 'e', '\n', 0x1f };

Bytes mutate(const Bytes& seed, const Bytes& other, std::mt19937_64& rng, size_t maxLen)
{
    Bytes b = seed;
    const auto pick = [&rng](size_t n) { return n == 0 ? size_t(0) : size_t(rng() % n); };
    const int steps = 1 + int(pick(4));
    for (int s = 0; s < steps; ++s) {
        switch (pick(8)) {
        case 0: // flip one bit
            if (!b.empty())
                b[pick(b.size())] ^= uint8_t(1u << pick(8));
            break;
        case 1: // overwrite with an interesting byte
            if (!b.empty())
                b[pick(b.size())] = kInteresting[pick(std::size(kInteresting))];
            break;
        case 2: { // insert a run of one interesting byte
            const size_t at = pick(b.size() + 1);
            b.insert(b.begin() + std::ptrdiff_t(at), 1 + pick(16), kInteresting[pick(std::size(kInteresting))]);
            break;
        }
        case 3: { // delete a run
            if (b.empty())
                break;
            const size_t at = pick(b.size());
            const size_t n = std::min(b.size() - at, 1 + pick(32));
            b.erase(b.begin() + std::ptrdiff_t(at), b.begin() + std::ptrdiff_t(at + n));
            break;
        }
        case 4: // truncate
            b.resize(pick(b.size() + 1));
            break;
        case 5: { // duplicate a block in place
            if (b.empty())
                break;
            const size_t at = pick(b.size());
            const size_t n = std::min(b.size() - at, 1 + pick(64));
            const Bytes block(b.begin() + std::ptrdiff_t(at), b.begin() + std::ptrdiff_t(at + n));
            b.insert(b.begin() + std::ptrdiff_t(pick(b.size() + 1)), block.begin(), block.end());
            break;
        }
        case 6: { // splice: our head, the other seed's tail
            const size_t head = pick(b.size() + 1);
            const size_t tail = pick(other.size() + 1);
            b.resize(head);
            b.insert(b.end(), other.begin() + std::ptrdiff_t(tail), other.end());
            break;
        }
        case 7: { // random bytes over a short stretch
            if (b.empty())
                break;
            const size_t at = pick(b.size());
            const size_t n = std::min(b.size() - at, 1 + pick(8));
            for (size_t i = 0; i < n; ++i)
                b[at + i] = uint8_t(rng());
            break;
        }
        }
    }
    if (b.size() > maxLen)
        b.resize(maxLen);
    return b;
}

int usage()
{
    std::fprintf(stderr, "usage: replay [--mutations N] [--max-len BYTES] SEED_FILE_OR_DIR...\n");
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    long mutations = 200;
    size_t maxLen = 16384;
    std::vector<std::filesystem::path> seeds;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if ((arg == "--mutations" || arg == "--max-len") && i + 1 < argc) {
            char* end = nullptr;
            const long v = std::strtol(argv[++i], &end, 10);
            if (!end || *end || v < 0)
                return usage();
            if (arg == "--mutations")
                mutations = v;
            else
                maxLen = size_t(v);
        } else if (!arg.empty() && arg[0] == '-') {
            return usage();
        } else {
            collectSeeds(arg, seeds);
        }
    }
    std::sort(seeds.begin(), seeds.end()); // the same order on every file system
    if (seeds.empty()) {
        std::fprintf(stderr, "replay: no seed files found\n");
        return 2;
    }
    std::vector<Bytes> corpus;
    for (const auto& path : seeds) {
        Bytes b;
        if (!readFile(path, b)) {
            std::fprintf(stderr, "replay: cannot read %s\n", path.string().c_str());
            return 2;
        }
        if (b.size() > maxLen)
            b.resize(maxLen);
        corpus.push_back(std::move(b));
    }

    std::signal(SIGABRT, saveCurrentInput);
    std::signal(SIGSEGV, saveCurrentInput);
    std::mt19937_64 rng(0x0d15ea5e); // fixed: the same inputs everywhere
    long inputs = 0;
    LLVMFuzzerTestOneInput(nullptr, 0);
    ++inputs;
    for (size_t i = 0; i < corpus.size(); ++i) {
        g_current = &corpus[i];
        LLVMFuzzerTestOneInput(corpus[i].data(), corpus[i].size());
        ++inputs;
        const Bytes& other = corpus[(i + 1) % corpus.size()];
        for (long m = 0; m < mutations; ++m) {
            const Bytes input = mutate(corpus[i], other, rng, maxLen);
            g_current = &input;
            LLVMFuzzerTestOneInput(input.data(), input.size());
            ++inputs;
        }
    }
    std::printf("replay: %zu seed(s), %ld input(s), no finding\n", corpus.size(), inputs);
    return 0;
}
