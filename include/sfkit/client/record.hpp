// sObject records as plain C++ values: an ordered list of fields (name -> Value), plus the
// `attributes` (type, url) Salesforce puts first. Converts to and from the JSON and XML wire
// forms; no JSON or XML library appears in this header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sfkit/client/datetime.hpp"
#include "sfkit/core/error.hpp"

namespace sfkit::client {

class Record;

/// One field value: null, boolean, integer, double, string, nested record (compound fields such
/// as Address, or a parent relationship), or a list. Nested values are shared and immutable, so
/// copying a Value is cheap. XML answers carry no types: their leaves arrive as strings (or null).
/// Thread-safety as for Record (copies may be used on other threads: the shared parts are
/// immutable and their reference counts atomic).
class Value {
public:
    enum class Kind { kNull, kBool, kInt, kDouble, kString, kRecord, kList };

    Value() noexcept = default;
    Value(std::nullptr_t) noexcept {}  // NOLINT(google-explicit-constructor): null literal
    Value(bool b) : kind_(Kind::kBool), bool_(b) {}                                // NOLINT
    Value(int i) : kind_(Kind::kInt), int_(i) {}                                   // NOLINT
    Value(long i) : kind_(Kind::kInt), int_(i) {}                                  // NOLINT
    Value(long long i) : kind_(Kind::kInt), int_(static_cast<std::int64_t>(i)) {}  // NOLINT
    Value(unsigned i) : kind_(Kind::kInt), int_(i) {}                              // NOLINT
    Value(unsigned long i) : Value(static_cast<unsigned long long>(i)) {}          // NOLINT
    /// Above INT64_MAX the value is kept as a double (as JSON parsers do).
    Value(unsigned long long i);                                           // NOLINT
    Value(double d) : kind_(Kind::kDouble), double_(d) {}                  // NOLINT
    Value(std::string s) : kind_(Kind::kString), string_(std::move(s)) {}  // NOLINT
    Value(std::string_view s) : kind_(Kind::kString), string_(s) {}        // NOLINT
    Value(const char* s) : kind_(Kind::kString), string_(s) {}             // NOLINT
    Value(Record r);                                                       // NOLINT
    Value(std::vector<Value> list);                                        // NOLINT

    Kind kind() const noexcept { return kind_; }
    bool IsNull() const noexcept { return kind_ == Kind::kNull; }

    /// The boolean, or nullopt for any other kind.
    std::optional<bool> AsBool() const noexcept;
    /// The integer, or nullopt for any other kind (doubles are not narrowed).
    std::optional<std::int64_t> AsInt() const noexcept;
    /// The number (integers widen), or nullopt for non-numbers.
    std::optional<double> AsDouble() const noexcept;
    /// The string, or nullptr for any other kind.
    const std::string* AsString() const noexcept;
    /// The nested record, or nullptr.
    const Record* AsRecord() const noexcept;
    /// The list, or nullptr.
    const std::vector<Value>* AsList() const noexcept;

    /// Display text: strings as is, numbers as Salesforce prints them (`23.0`), booleans as
    /// `true`/`false`, null as an empty string, nested values as compact JSON.
    std::string ToText() const;

    friend bool operator==(const Value& a, const Value& b);

private:
    Kind kind_ = Kind::kNull;
    bool bool_ = false;
    std::int64_t int_ = 0;
    double double_ = 0;
    std::string string_;
    std::shared_ptr<const Record> record_;
    std::shared_ptr<const std::vector<Value>> list_;
};

struct Field {
    std::string name;
    Value value;
    friend bool operator==(const Field& a, const Field& b) = default;
};

/// An sObject record (or a nested compound value). Field names compare case-insensitively, as
/// Salesforce's do; order is kept as inserted (as received for parsed records). A value type
/// like std::map: const use from many threads is fine, changing one needs exclusive access.
class Record {
public:
    Record() = default;
    /// A record of that sObject type (for a create body, the type comes from the call instead).
    explicit Record(std::string type) : type_(std::move(type)) {}

    /// `attributes.type`, empty when unknown (compound values have none).
    const std::string& Type() const noexcept { return type_; }
    /// `attributes.url`, empty when absent.
    const std::string& Url() const noexcept { return url_; }
    void SetType(std::string type) { type_ = std::move(type); }
    void SetUrl(std::string url) { url_ = std::move(url); }

    /// Replaces the value of a field with that name (case-insensitive) or appends a new field.
    Record& Set(std::string_view name, Value value);
    /// The value of that field, or nullptr when the record has no such field.
    const Value* Find(std::string_view name) const noexcept;
    /// Removes a field; returns whether it was there.
    bool Remove(std::string_view name);

    /// The value at a dotted path through nested records (`Owner.Name`, `BillingAddress.city`),
    /// or nullptr. A name without dots is the same as Find.
    const Value* FindPath(std::string_view path) const noexcept;

    // Typed access. `name` may be a dotted path (see FindPath). Errors are kInvalidArgument with
    // code NO_SUCH_FIELD (the record has no such field: not queried, or misspelt), NULL_VALUE
    // (the field is null) or INVALID_TYPE (the value is not of that type). Strings are accepted
    // where they spell the asked type exactly ("true", "42", "2.5"), since XML answers carry
    // every value as text; RestClient types XML records from a cached describe.

    /// A string value (text, picklist, id, email, date as text, ...); numbers are INVALID_TYPE.
    Result<std::string> GetString(std::string_view name) const;
    /// A boolean, or the text `true`/`false`.
    Result<bool> GetBool(std::string_view name) const;
    /// An integer; a double with no fraction (`5.0`, as Salesforce writes numbers) is accepted.
    Result<std::int64_t> GetInt(std::string_view name) const;
    /// Any number.
    Result<double> GetDouble(std::string_view name) const;
    /// A date field (`2024-01-31`).
    Result<std::chrono::year_month_day> GetDate(std::string_view name) const;
    /// A dateTime field (`2024-01-31T12:00:00.000+0000`, or the XML `...Z` form) as UTC.
    Result<DateTime> GetDateTime(std::string_view name) const;
    /// A time field (`11:59:59.000Z`) as the time since midnight.
    Result<std::chrono::milliseconds> GetTime(std::string_view name) const;
    /// A nested record (compound field or parent relationship).
    Result<Record> GetRecord(std::string_view name) const;
    /// The records of a child subquery (`Contacts` in `SELECT Name, (SELECT LastName FROM
    /// Contacts) FROM Account`), in order; none when the value is null (Salesforce's answer for
    /// a parent without children). NO_SUCH_FIELD / INVALID_TYPE as above. Only the records
    /// inline in the answer: see ReadSubquery (query.hpp) for totalSize and a nextRecordsUrl.
    Result<std::vector<Record>> GetSubquery(std::string_view relationship) const;
    /// Whether the field is there and null. False for a missing field.
    bool IsNull(std::string_view name) const noexcept;

    const std::vector<Field>& Fields() const noexcept { return fields_; }
    std::size_t size() const noexcept { return fields_.size(); }
    bool empty() const noexcept { return fields_.empty(); }

    /// JSON object text, compact. With `with_attributes` and a known type, starts with
    /// `"attributes":{"type":..,"url":..}` as Salesforce does; without, it is a create/update body.
    std::string ToJson(bool with_attributes = true, bool pretty = false) const;
    /// Parses a JSON object; `attributes` becomes Type()/Url() (at every nesting level).
    /// Fails with kInvalidArgument (JSON_PARSER_ERROR, or INVALID_TYPE when not an object).
    static Result<Record> FromJson(std::string_view json);

    /// XML document `<?xml ...?><root>...</root>` where `root` is the element name (the sObject
    /// name for a create body, as Salesforce's REST XML expects). Null fields become
    /// `<Name xsi:nil="true"/>`; lists repeat the element.
    std::string ToXml(std::string_view root) const;
    /// Parses an XML record: the root's `type`/`url` attributes (or an `<attributes>` child)
    /// become Type()/Url(), the root element's name being the type otherwise; leaf elements become
    /// strings, `xsi:nil="true"` null, elements with children nested records, repeated names lists.
    static Result<Record> FromXml(std::string_view xml);

    friend bool operator==(const Record& a, const Record& b) = default;

private:
    /// The value at `name` or the NO_SUCH_FIELD / NULL_VALUE error.
    Result<const Value*> Require(std::string_view name) const;

    std::string type_;
    std::string url_;
    std::vector<Field> fields_;
};

}  // namespace sfkit::client
