#include "models/jsontreemodel.h"

#include "core/strings.h"
#include "display/displayformat.h"

#include <QCoreApplication>

namespace djp {

namespace {

constexpr auto kReplace = Json::error_handler_t::replace;

JsonNodeType typeOf(const Json& v)
{
    switch (v.type()) {
    case Json::value_t::object:
        return JsonNodeType::Object;
    case Json::value_t::array:
        return JsonNodeType::Array;
    case Json::value_t::string:
        return JsonNodeType::String;
    case Json::value_t::boolean:
        return JsonNodeType::Boolean;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
        return JsonNodeType::Number;
    default:
        return JsonNodeType::Null;
    }
}

QString scalarText(const Json& v)
{
    if (v.is_string())
        return qs(v.get_ref<const std::string&>());
    return qs(v.dump(-1, ' ', false, kReplace));
}

constexpr int kToolTipChars = 2000;

} // namespace

std::shared_ptr<const JsonNodeTable> JsonNodeTable::build(std::shared_ptr<const Json> document)
{
    std::shared_ptr<JsonNodeTable> t(new JsonNodeTable);
    t->m_document = document ? std::move(document) : std::make_shared<const Json>();
    std::string out;
    int line = 0;
    t->add(*t->m_document, -1, 0, QString(), out, 0, line);
    out += '\n';
    t->m_pretty = qs(out);
    return t;
}

int JsonNodeTable::add(const Json& v, int parent, int row, QString key, std::string& out, int indent, int& line)
{
    const int id = size();
    Node n;
    n.parent = parent;
    n.row = row;
    n.line = line;
    n.type = typeOf(v);
    n.key = std::move(key);
    n.value = &v;
    if (!v.is_structured())
        n.text = scalarText(v);
    m_nodes.push_back(std::move(n)); // no references into m_nodes are held across the recursion below

    if (!v.is_structured()) {
        out += v.dump(-1, ' ', false, kReplace);
        return id;
    }
    const bool isObject = v.is_object();
    const int count = static_cast<int>(v.size());
    const int first = static_cast<int>(m_children.size());
    m_children.resize(m_children.size() + static_cast<size_t>(count));
    m_nodes[static_cast<size_t>(id)].firstChild = first;
    m_nodes[static_cast<size_t>(id)].childCount = count;
    if (count == 0) {
        out += isObject ? "{}" : "[]";
        return id;
    }
    out += isObject ? "{\n" : "[\n";
    ++line;
    const std::string pad(static_cast<size_t>(indent + 2), ' ');
    int r = 0;
    for (auto it = v.begin(); it != v.end(); ++it, ++r) {
        out += pad;
        QString childKey;
        if (isObject) {
            out += Json(it.key()).dump(-1, ' ', false, kReplace);
            out += ": ";
            childKey = qs(it.key());
        }
        const int c = add(it.value(), id, r, std::move(childKey), out, indent + 2, line);
        m_children[static_cast<size_t>(first + r)] = c;
        if (r + 1 < count)
            out += ',';
        out += '\n';
        ++line;
    }
    out.append(static_cast<size_t>(indent), ' ');
    out += isObject ? '}' : ']';
    return id;
}

QString JsonNodeTable::escapePointerToken(const QString& token)
{
    QString s = token;
    s.replace(u'~', QLatin1String("~0"));
    s.replace(u'/', QLatin1String("~1"));
    return s;
}

QString JsonNodeTable::pointer(int id) const
{
    QStringList tokens;
    for (int i = id; i > 0; i = node(i).parent) {
        const Node& n = node(i);
        tokens.prepend(
            node(n.parent).type == JsonNodeType::Object ? escapePointerToken(n.key) : QString::number(n.row));
    }
    return tokens.isEmpty() ? QString() : u'/' + tokens.join(u'/');
}

int JsonNodeTable::nodeForPointer(const QString& pointer) const
{
    if (pointer.isEmpty())
        return 0;
    if (!pointer.startsWith(u'/'))
        return -1;
    int id = 0;
    const QStringList tokens = pointer.mid(1).split(u'/');
    for (QString token : tokens) {
        token.replace(QLatin1String("~1"), QLatin1String("/"));
        token.replace(QLatin1String("~0"), QLatin1String("~"));
        const Node& n = node(id);
        int next = -1;
        if (n.type == JsonNodeType::Array) {
            bool ok = false;
            const int row = token.toInt(&ok);
            if (ok && row >= 0 && row < n.childCount && QString::number(row) == token)
                next = child(id, row);
        } else if (n.type == JsonNodeType::Object) {
            for (int r = 0; r < n.childCount && next < 0; ++r) {
                if (node(child(id, r)).key == token)
                    next = child(id, r);
            }
        }
        if (next < 0)
            return -1;
        id = next;
    }
    return id;
}

QString JsonNodeTable::keyText(int id) const
{
    const Node& n = node(id);
    if (n.parent < 0)
        return QStringLiteral("(root)");
    if (node(n.parent).type == JsonNodeType::Array)
        return u'[' + QString::number(n.row) + u']';
    return n.key;
}

QString JsonNodeTable::typeName(int id) const
{
    switch (node(id).type) {
    case JsonNodeType::Object:
        return QStringLiteral("object");
    case JsonNodeType::Array:
        return QStringLiteral("array");
    case JsonNodeType::String:
        return QStringLiteral("string");
    case JsonNodeType::Number:
        return QStringLiteral("number");
    case JsonNodeType::Boolean:
        return QStringLiteral("boolean");
    case JsonNodeType::Null:
        break;
    }
    return QStringLiteral("null");
}

QString JsonNodeTable::preview(int id, int maxChars) const
{
    const Node& n = node(id);
    if (n.type == JsonNodeType::Object)
        return QCoreApplication::translate("djp::JsonNodeTable", "{%n key(s)}", nullptr, n.childCount);
    if (n.type == JsonNodeType::Array)
        return QCoreApplication::translate("djp::JsonNodeTable", "[%n item(s)]", nullptr, n.childCount);
    QString s = n.text.size() > maxChars ? n.text.left(maxChars) + u'…' : n.text;
    // One line per row: show line breaks and tabs as visible marks.
    s.replace(u'\n', u'⏎');
    s.replace(u'\r', u' ');
    s.replace(u'\t', u' ');
    return s;
}

QString JsonNodeTable::valueText(int id) const
{
    const Node& n = node(id);
    if (n.type == JsonNodeType::Object || n.type == JsonNodeType::Array)
        return qs(n.value->dump(2, ' ', false, kReplace));
    return n.text;
}

bool JsonNodeTable::matches(int id, const QString& needle) const
{
    if (id <= 0 || needle.isEmpty())
        return false;
    const Node& n = node(id);
    return n.key.contains(needle, Qt::CaseInsensitive) || n.text.contains(needle, Qt::CaseInsensitive);
}

int JsonNodeTable::find(const QString& needle, int from, bool backward) const
{
    const int count = size();
    if (needle.isEmpty() || count <= 1)
        return -1;
    if (from < 0 || from >= count)
        from = backward ? count : 0;
    for (int step = 1; step <= count; ++step) {
        int i = backward ? from - step : from + step;
        i = ((i % count) + count) % count;
        if (matches(i, needle))
            return i;
    }
    return -1;
}

int JsonNodeTable::countMatches(const QString& needle) const
{
    int n = 0;
    for (int i = 1; i < size(); ++i)
        n += matches(i, needle) ? 1 : 0;
    return n;
}

// ---------------------------------------------------------------------------------------------

JsonTreeModel::JsonTreeModel(QObject* parent)
    : QAbstractItemModel(parent)
{ }

void JsonTreeModel::setTable(std::shared_ptr<const JsonNodeTable> table)
{
    beginResetModel();
    m_table = std::move(table);
    endResetModel();
}

QModelIndex JsonTreeModel::indexForNode(int id, int column) const
{
    if (!m_table || id <= 0 || id >= m_table->size())
        return {};
    return createIndex(m_table->node(id).row, column, quintptr(id));
}

int JsonTreeModel::nodeId(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<int>(index.internalId()) : 0;
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!m_table || row < 0 || column < 0 || column >= ColumnCount || (parent.isValid() && parent.column() != 0))
        return {};
    const int p = nodeId(parent);
    if (row >= m_table->node(p).childCount)
        return {};
    return createIndex(row, column, quintptr(m_table->child(p, row)));
}

QModelIndex JsonTreeModel::parent(const QModelIndex& child) const
{
    if (!m_table || !child.isValid())
        return {};
    const int p = m_table->node(nodeId(child)).parent;
    return p > 0 ? createIndex(m_table->node(p).row, 0, quintptr(p)) : QModelIndex();
}

int JsonTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!m_table || (parent.isValid() && parent.column() != 0))
        return 0;
    return m_table->node(nodeId(parent)).childCount;
}

int JsonTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

bool JsonTreeModel::hasChildren(const QModelIndex& parent) const
{
    return rowCount(parent) > 0;
}

QVariant JsonTreeModel::data(const QModelIndex& index, int role) const
{
    if (!m_table || !index.isValid())
        return {};
    const int id = nodeId(index);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case KeyColumn:
            return m_table->keyText(id);
        case TypeColumn:
            return m_table->typeName(id);
        case ValueColumn:
            return m_table->preview(id);
        }
        break;
    case Qt::ToolTipRole: {
        if (index.column() == KeyColumn)
            return plainTextToolTip(m_table->pointer(id));
        const QString v = m_table->valueText(id);
        return plainTextToolTip(v.size() > kToolTipChars ? v.left(kToolTipChars) + u'…' : v);
    }
    case NodeIdRole:
        return id;
    case JsonPointerRole:
        return m_table->pointer(id);
    case ValueTextRole:
        return m_table->valueText(id);
    case LineRole:
        return m_table->node(id).line;
    }
    return {};
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyColumn:
        return tr("Key");
    case TypeColumn:
        return tr("Type");
    case ValueColumn:
        return tr("Value");
    }
    return {};
}

} // namespace djp
