#include "artifact/artifactdocument.h"

#include "artifact/artifactfile.h"
#include "artifact/artifactscanner.h"

#include <cstring>

namespace djp {

ArtifactDocument loadArtifactDocument(const QString& absolutePath)
{
    ArtifactDocument out;
    PaddedBuffer buffer;
    FileFacts facts;
    if (auto p = readArtifactFile(absolutePath, buffer, facts)) {
        out.problem = std::move(*p);
        return out;
    }
    return parseArtifactDocument(absolutePath, std::string_view(buffer.data(), buffer.size()));
}

ArtifactDocument parseArtifactDocument(const QString& absolutePath, std::string_view bytes)
{
    ArtifactDocument out;
    // The scanner classifies first, so both paths accept exactly the same files and nlohmann only
    // ever sees valid JSON no deeper than kMaxArtifactDepth (its recursion stays shallow).
    ArtifactScanner scanner;
    RecordParse scan = scanner.parse(absolutePath, bytes);
    if (scan.problem) {
        out.problem = std::move(scan.problem);
        return out;
    }
    const std::string_view json = bytes.substr(bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0);
    Json doc = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/false);
    if (doc.is_discarded()) {
        // Only reachable if the two parsers disagree on some corner of RFC 8259.
        out.problem = Problem { absolutePath, vocabularyId(ProblemCode::NotJson),
            QStringLiteral("rejected by the DOM parser") };
        return out;
    }
    out.json = std::move(doc);
    return out;
}

} // namespace djp
