#pragma once
// The full artifact document for the inspector, validate and replay (nlohmann DOM), with the same
// acceptance rules as the scanner (docs/artifact-format.md): an unusable file is a Problem, never an
// exception.
#include "artifact/problem.h"
#include "core/jsonutil.h"

#include <QString>
#include <optional>
#include <string_view>

namespace djp {

struct ArtifactDocument
{
    Json json; // the whole document (null on failure)
    std::optional<Problem> problem; // set on failure
};
ArtifactDocument loadArtifactDocument(const QString& absolutePath);
// The same for bytes already in memory (an artifact fetched from the team history); `path` names it.
ArtifactDocument parseArtifactDocument(const QString& path, std::string_view bytes);

} // namespace djp
