#pragma once
// One table per vocabulary (docs/artifact-format.md, "Vocabularies"): an enum class whose values are
// 0..N-1 and, in the same order, the stable JSON id of each value (the exact string artifacts, the index
// and `--json` output carry). Lookups in both directions go through the table, so an id is spelled once.
#include <QLatin1String>
#include <QString>
#include <QStringView>
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace djp {

template <typename Enum> struct VocabularyEntry
{
    Enum value;
    QLatin1String id;
};

// The id of `value`; the table's entry i must hold Enum(i) (checked by tests/engine/core/tst_vocabulary).
template <typename Enum, std::size_t N>
constexpr QLatin1String vocabularyId(const std::array<VocabularyEntry<Enum>, N>& table, Enum value)
{
    return table[static_cast<std::size_t>(value)].id;
}

// The same id as UTF-8 bytes, for code that compares raw bytes before any QString exists (the artifact
// scanner's views into simdjson's buffers): a compile-time constant, so the comparison costs what a
// literal's would.
template <typename Enum, std::size_t N>
constexpr std::string_view vocabularyIdUtf8(const std::array<VocabularyEntry<Enum>, N>& table, Enum value)
{
    const QLatin1String id = table[static_cast<std::size_t>(value)].id;
    return std::string_view(id.data(), static_cast<std::size_t>(id.size()));
}

// The value whose id is `id`, or nullopt for an id the table does not know (the caller decides what a
// foreign id means: kept as-is, shown raw, or refused).
template <typename Enum, std::size_t N>
std::optional<Enum> parseVocabulary(const std::array<VocabularyEntry<Enum>, N>& table, QStringView id)
{
    for (const VocabularyEntry<Enum>& e : table) {
        if (id == e.id)
            return e.value;
    }
    return std::nullopt;
}

} // namespace djp
