#pragma once
// Validation of a run artifact against the bundled JSON Schema (docs/artifact-format.md): schema 2.x files against
// resources/schema/run-artifact-2.0.schema.json, legacy 1.x files against run-artifact-1.1.schema.json.
// Implements the subset of JSON Schema 2020-12 those files use: type (incl. type arrays, "integer"),
// properties, required, additionalProperties (bool or schema), items, enum, const, minimum, maximum,
// pattern, $ref to "#/$defs/...". Annotations ($schema, $id, title, description) are ignored.
#include "core/jsonutil.h"

#include <QString>
#include <memory>
#include <vector>

namespace djp {

struct SchemaError
{
    QString pointer; // RFC 6901 JSON pointer into the document ("" = the root)
    QString message;
};

class SchemaValidator
{
public:
    // Takes a parsed schema document; isValid() is false when it is not a usable schema.
    explicit SchemaValidator(Json schema);
    ~SchemaValidator();
    SchemaValidator(SchemaValidator&&) noexcept;
    SchemaValidator& operator=(SchemaValidator&&) noexcept;

    bool isValid() const;
    std::vector<SchemaError> validate(const Json& document) const;

    // The bundled schema for a "MAJOR.MINOR" version (1.x -> 1.1 layout, 2.0 -> 2.0, 2.1+ -> 2.1), loaded once
    // through djp::readResource and cached. Returns nullptr for other majors or a broken resource.
    // Thread-safe.
    static const SchemaValidator* forSchemaVersion(const QString& schemaVersion);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// Convenience: picks the schema from the document's own schema_version (a missing/non-string or
// unsupported version is reported as an error at "/schema_version").
std::vector<SchemaError> validateArtifact(const Json& document);

} // namespace djp
