#pragma once
// The launch form's preset bookkeeping (docs/gui.md Launch, docs/pipeline.md): which value each preset-controlled
// field shows and where it comes from. Choosing a preset fills those fields with its values; a field
// the user changes afterwards becomes an explicit option that beats the preset (the same rule as
// `djp run --preset P --max-tokens N`). Values shown for untouched fields come from the engine's own
// resolveRunConfig(), so the form never re-implements the preset/default precedence.
//
// Threading: a plain value; GUI thread in practice.
#include "pipeline/runrequest.h"

#include <QString>
#include <QVariant>
#include <optional>

namespace djp {

class LaunchForm
{
public:
    // The run options a preset can set (resources/presets/*.json).
    enum class Field
    {
        Policy,
        MaxTokens,
        Temperature,
        Fastpath,
        MaxDebaters,
        RequireCitations,
        Seed,
    };
    static constexpr int kFieldCount = 7;

    enum class Source
    {
        Default, // neither the preset nor the user set it
        Preset,
        User,
    };

    LaunchForm();

    // Selects a preset ("" or "manual": none) and drops every explicit value of the preset fields,
    // so the form shows exactly the preset. False with *error when the preset cannot be loaded
    // (the form then keeps the previous preset).
    bool setPreset(const QString& name, QString* error = nullptr);
    QString presetName() const; // "manual" when none
    const std::optional<Preset>& preset() const { return m_preset; }

    // What the field shows: the explicit value, else the preset's, else the default. QVariant types:
    // Policy QString, MaxTokens/MaxDebaters/RequireCitations int, Temperature double, Fastpath bool,
    // Seed qint64 or an invalid QVariant for "random".
    QVariant value(Field field) const;
    Source source(Field field) const;
    bool isExplicit(Field field) const { return source(field) == Source::User; }

    // The user set the field: it becomes explicit even when equal to the preset's value. An invalid
    // QVariant for Seed means "random" (explicitly no seed cannot be expressed; it resets instead).
    void setValue(Field field, const QVariant& value);
    void reset(Field field); // back to the preset's value or the default

    // Fills `request` (its other fields untouched) with the preset and the explicit values only, so
    // resolveRunConfig() applies the preset to everything else.
    void applyTo(RunRequest& request) const;

private:
    void refreshBase();

    std::optional<Preset> m_preset;
    RunRequest m_explicit; // only the preset fields are used
    RunConfig m_base; // resolved preset + defaults, for display
};

QString launchFieldName(LaunchForm::Field field); // "policy", "max_tokens", ... (the preset file keys)

} // namespace djp
