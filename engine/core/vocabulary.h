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

namespace djp {

template <typename Enum> struct VocabularyEntry
{
    Enum value;
    QLatin1String id;
};

// Each vocabulary specialises this next to its enum: the table of its values and their ids, in enum order.
// The primary is empty, so that using an enum without a table fails to compile (see vocabularyId()).
template <typename Enum> inline constexpr std::array<VocabularyEntry<Enum>, 0> kVocabulary {};

// The id of `value`; entry i of the table must hold Enum(i) (checked by tests/engine/core/tst_vocabulary).
template <typename Enum> constexpr QLatin1String vocabularyId(Enum value)
{
    static_assert(!kVocabulary<Enum>.empty(), "this enum has no vocabulary table (kVocabulary<Enum>)");
    return kVocabulary<Enum>[static_cast<std::size_t>(value)].id;
}

// The value whose id is `id`, or nullopt for an id the table does not know (a foreign id: each
// vocabulary's header says what that means there: kept as-is, shown raw, or refused).
template <typename Enum> std::optional<Enum> parseVocabulary(QStringView id)
{
    for (const VocabularyEntry<Enum>& e : kVocabulary<Enum>) {
        if (id == e.id)
            return e.value;
    }
    return std::nullopt;
}

} // namespace djp
