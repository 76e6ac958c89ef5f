#pragma once
// The inspector's JSON tree: an immutable flat node table built once off the GUI thread, and a
// QAbstractItemModel that only indexes into it (no per-node allocation on the GUI thread, O(1)
// index()/parent(), so very large arrays cost nothing until they are expanded).
#include "core/jsonutil.h"

#include <QAbstractItemModel>
#include <QString>
#include <memory>
#include <vector>

namespace djp {

enum class JsonNodeType : quint8
{
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object
};

// Immutable after build(); safe to read from any thread. Owns the document it points into.
class JsonNodeTable
{
public:
    struct Node
    {
        int parent = -1; // -1 for the root (node 0)
        int row = 0; // position among the parent's children
        int firstChild = 0; // offset of the children's ids in the child list
        int childCount = 0;
        int line = 0; // 0-based line where the node starts in prettyText()
        JsonNodeType type = JsonNodeType::Null;
        QString key; // object member name; empty for array items and the root
        QString text; // scalar value as text (strings raw, numbers/bools/null as JSON); empty for containers
        const Json* value = nullptr;
    };

    // Builds the table and the pretty text (2-space indent, like the legacy writer). Call off the GUI thread.
    static std::shared_ptr<const JsonNodeTable> build(std::shared_ptr<const Json> document);

    int size() const { return static_cast<int>(m_nodes.size()); }
    const Node& node(int id) const { return m_nodes[static_cast<size_t>(id)]; }
    int child(int id, int row) const { return m_children[static_cast<size_t>(node(id).firstChild + row)]; }

    QString pointer(int id) const; // RFC 6901 JSON pointer ("" for the root)
    int nodeForPointer(const QString& pointer) const; // -1 when the pointer names no node
    QString keyText(int id) const; // member name, or "[3]" for array items
    QString typeName(int id) const; // object, array, string, number, boolean, null
    QString preview(int id, int maxChars = 200) const; // one line, elided
    QString valueText(int id) const; // strings raw, scalars as JSON, containers as pretty JSON
    bool matches(int id, const QString& needle) const; // case-insensitive, key or scalar value
    // Next (or previous) matching node after `from` in document order, wrapping; -1 when none.
    // `from` may be -1 to start at the beginning (or the end when backward).
    int find(const QString& needle, int from, bool backward = false) const;
    int countMatches(const QString& needle) const;

    const QString& prettyText() const { return m_pretty; }
    const Json& document() const { return *m_document; }

    static QString escapePointerToken(const QString& token); // "~" -> "~0", "/" -> "~1"

private:
    JsonNodeTable() = default;
    int add(const Json& v, int parent, int row, QString key, std::string& out, int indent, int& line);

    std::shared_ptr<const Json> m_document;
    std::vector<Node> m_nodes; // document (pre-)order
    std::vector<int> m_children; // child ids, grouped per parent
    QString m_pretty;
};

// Thread contract: GUI thread only. setTable() resets the model once.
class JsonTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column
    {
        KeyColumn,
        TypeColumn,
        ValueColumn,
        ColumnCount
    };
    enum Role
    {
        NodeIdRole = Qt::UserRole + 1, // int
        JsonPointerRole, // QString
        ValueTextRole, // QString, full value (what "Copy value" copies)
        LineRole, // int, 0-based line in the pretty text
    };

    explicit JsonTreeModel(QObject* parent = nullptr);

    void setTable(std::shared_ptr<const JsonNodeTable> table);
    void clear() { setTable(nullptr); }
    const std::shared_ptr<const JsonNodeTable>& table() const { return m_table; }

    QModelIndex indexForNode(int id, int column = KeyColumn) const; // invalid for the root
    int nodeId(const QModelIndex& index) const; // 0 (root) when invalid

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const JsonNodeTable> m_table;
};

} // namespace djp
