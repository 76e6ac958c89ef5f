// libFuzzer entry point for the artifact readers (docs/fuzzing.md). Besides crashes and sanitizer
// reports it checks the contract that both reading paths agree (docs/artifact-format.md):
//  - a file the scanner accepts must parse with nlohmann (the inspector's DOM path), and
//  - a file the scanner calls not_json must also be rejected by nlohmann (so the scanner is not
//    stricter than RFC 8259 beyond its documented number-range limit).
#include "artifact/artifactscanner.h"
#include "artifact/artifacttimestamp.h"
#include "artifact/schemavalidator.h"

#include <cstdio>
#include <cstdlib>

using namespace djp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static ArtifactScanner scanner; // reused like the store does: buffer reuse bugs show up too
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const RecordParse r = scanner.parse(QStringLiteral("/fuzz.json"), bytes);
    if (r.record.has_value() == r.problem.has_value())
        std::abort(); // exactly one of record / problem

    std::string_view json = bytes;
    if (json.size() >= 3 && json.substr(0, 3) == "\xEF\xBB\xBF")
        json.remove_prefix(3);
    const bool tooDeepForDom = r.problem && r.problem->code == QLatin1String("too_deep");
    if (!tooDeepForDom) {
        const Json doc = Json::parse(json.begin(), json.end(), nullptr, false, false);
        if (r.record && doc.is_discarded()) {
            std::fprintf(stderr, "scanner accepted, nlohmann rejected\n");
            std::abort();
        }
        // Documented limit: numbers simdjson refuses although their syntax is valid (beyond the double
        // range, or exponents like 24E-0779999...) are not_json in both of our paths, while
        // nlohmann accepts an underflow as 0.
        const bool refusedNumber = r.problem && r.problem->detail.startsWith(QLatin1String("number out of range"));
        if (r.problem && r.problem->code == QLatin1String("not_json") && !doc.is_discarded() && !refusedNumber) {
            std::fprintf(stderr, "scanner said not_json (%s), nlohmann accepted\n", qPrintable(r.problem->detail));
            std::abort();
        }
        if (r.record && doc.is_object())
            (void)validateArtifact(doc); // exercise the schema validator on whatever got through
    }

    qint64 ms;
    qint32 offset;
    (void)parseArtifactTimestamp(bytes.substr(0, 64), ms, offset);
    return 0;
}
