#include "session/launchform.h"

namespace djp {

namespace {

template <typename T> QVariant variantOf(const std::optional<T>& v)
{
    return v ? QVariant::fromValue(*v) : QVariant();
}

} // namespace

QString launchFieldName(LaunchForm::Field field)
{
    switch (field) {
    case LaunchForm::Field::Policy:
        return QStringLiteral("policy");
    case LaunchForm::Field::MaxTokens:
        return QStringLiteral("max_tokens");
    case LaunchForm::Field::Temperature:
        return QStringLiteral("temperature");
    case LaunchForm::Field::Fastpath:
        return QStringLiteral("fastpath");
    case LaunchForm::Field::MaxDebaters:
        return QStringLiteral("max_debaters");
    case LaunchForm::Field::RequireCitations:
        return QStringLiteral("require_citations");
    case LaunchForm::Field::Seed:
        return QStringLiteral("seed");
    }
    return {};
}

LaunchForm::LaunchForm()
{
    refreshBase();
}

bool LaunchForm::setPreset(const QString& name, QString* error)
{
    std::optional<Preset> preset;
    if (!name.isEmpty() && name != rundefaults::kPresetName) {
        preset = loadPreset(name, error);
        if (!preset)
            return false;
    }
    m_preset = std::move(preset);
    m_explicit = RunRequest {};
    refreshBase();
    return true;
}

QString LaunchForm::presetName() const
{
    return m_preset ? m_preset->name : rundefaults::kPresetName;
}

void LaunchForm::refreshBase()
{
    // A stand-in task: only the preset and the defaults matter here.
    RunRequest r;
    r.task = QStringLiteral("-");
    if (m_preset)
        r.preset = m_preset->name;
    const ResolveResult resolved = resolveRunConfig(r);
    m_base = resolved.config.value_or(RunConfig {});
}

LaunchForm::Source LaunchForm::source(Field field) const
{
    const auto from = [this](bool userSet, bool presetSet) {
        if (userSet)
            return Source::User;
        return presetSet ? Source::Preset : Source::Default;
    };
    const Preset p = m_preset.value_or(Preset {});
    switch (field) {
    case Field::Policy:
        return from(m_explicit.policy.has_value(), p.policy.has_value());
    case Field::MaxTokens:
        return from(m_explicit.maxTokens.has_value(), p.maxTokens.has_value());
    case Field::Temperature:
        return from(m_explicit.temperature.has_value(), p.temperature.has_value());
    case Field::Fastpath:
        return from(m_explicit.fastpath.has_value(), p.fastpath.has_value());
    case Field::MaxDebaters:
        return from(m_explicit.maxDebaters.has_value(), p.maxDebaters.has_value());
    case Field::RequireCitations:
        return from(m_explicit.requireCitations.has_value(), p.requireCitations.has_value());
    case Field::Seed:
        return from(m_explicit.seed.has_value(), p.seed.has_value());
    }
    return Source::Default;
}

QVariant LaunchForm::value(Field field) const
{
    switch (field) {
    case Field::Policy:
        return m_explicit.policy.value_or(m_base.policy.name);
    case Field::MaxTokens:
        return m_explicit.maxTokens.value_or(m_base.maxTokens);
    case Field::Temperature:
        return m_explicit.temperature.value_or(m_base.temperature);
    case Field::Fastpath:
        return m_explicit.fastpath.value_or(m_base.fastpath);
    case Field::MaxDebaters:
        return m_explicit.maxDebaters.value_or(m_base.maxDebaters);
    case Field::RequireCitations:
        return m_explicit.requireCitations.value_or(m_base.requireCitations);
    case Field::Seed:
        return m_explicit.seed ? QVariant::fromValue(*m_explicit.seed) : variantOf(m_base.seed);
    }
    return {};
}

void LaunchForm::setValue(Field field, const QVariant& value)
{
    switch (field) {
    case Field::Policy:
        m_explicit.policy = value.toString();
        break;
    case Field::MaxTokens:
        m_explicit.maxTokens = value.toInt();
        break;
    case Field::Temperature:
        m_explicit.temperature = value.toDouble();
        break;
    case Field::Fastpath:
        m_explicit.fastpath = value.toBool();
        break;
    case Field::MaxDebaters:
        m_explicit.maxDebaters = value.toInt();
        break;
    case Field::RequireCitations:
        m_explicit.requireCitations = value.toInt();
        break;
    case Field::Seed:
        if (value.isValid())
            m_explicit.seed = value.toLongLong();
        else
            m_explicit.seed.reset();
        break;
    }
}

void LaunchForm::reset(Field field)
{
    switch (field) {
    case Field::Policy:
        m_explicit.policy.reset();
        break;
    case Field::MaxTokens:
        m_explicit.maxTokens.reset();
        break;
    case Field::Temperature:
        m_explicit.temperature.reset();
        break;
    case Field::Fastpath:
        m_explicit.fastpath.reset();
        break;
    case Field::MaxDebaters:
        m_explicit.maxDebaters.reset();
        break;
    case Field::RequireCitations:
        m_explicit.requireCitations.reset();
        break;
    case Field::Seed:
        m_explicit.seed.reset();
        break;
    }
}

void LaunchForm::applyTo(RunRequest& request) const
{
    if (m_preset)
        request.preset = m_preset->name;
    else
        request.preset.reset();
    request.policy = m_explicit.policy;
    request.maxTokens = m_explicit.maxTokens;
    request.temperature = m_explicit.temperature;
    request.fastpath = m_explicit.fastpath;
    request.maxDebaters = m_explicit.maxDebaters;
    request.requireCitations = m_explicit.requireCitations;
    request.seed = m_explicit.seed;
}

} // namespace djp
