// Internal: lenient readers over generic Record answers, shared by the metadata, record and
// limits calls. Lenient because the same answer arrives typed (JSON) or as text (XML), and
// because an XML list of one element is indistinguishable from a single element.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sfkit/client/record.hpp"

namespace sfkit::client::detail {

/// The value as text ("" when absent or null).
inline std::string ReadText(const Record& r, std::string_view key) {
    const Value* v = r.Find(key);
    return v == nullptr ? std::string() : v->ToText();
}

/// A boolean, or the text "true"; false otherwise.
inline bool ReadBool(const Record& r, std::string_view key) {
    const Value* v = r.Find(key);
    if (v == nullptr) {
        return false;
    }
    if (auto b = v->AsBool()) {
        return *b;
    }
    const auto* s = v->AsString();
    return s != nullptr && *s == "true";
}

/// A number (doubles truncated) or numeric text; 0 otherwise.
inline std::int64_t ValueToInt(const Value& v) {
    if (auto i = v.AsInt()) {
        return *i;
    }
    if (auto d = v.AsDouble()) {
        // In range only: converting a double beyond int64 is undefined behaviour.
        return *d > -9.2e18 && *d < 9.2e18 ? static_cast<std::int64_t>(*d) : 0;
    }
    if (const auto* s = v.AsString()) {
        std::int64_t i = 0;
        const auto r = std::from_chars(s->data(), s->data() + s->size(), i);
        if (r.ec == std::errc() && r.ptr != s->data() && r.ptr < s->data() + s->size() &&
            *r.ptr == '.') {
            return i;  // "5.0"
        }
        return r.ec == std::errc() ? i : 0;
    }
    return 0;
}

inline std::int64_t ReadInt(const Record& r, std::string_view key) {
    const Value* v = r.Find(key);
    return v == nullptr ? 0 : ValueToInt(*v);
}

/// A JSON array, a repeated XML element (a list), a single XML element, or nothing.
inline std::vector<Value> ReadItems(const Record& r, std::string_view key) {
    const Value* v = r.Find(key);
    if (v == nullptr || v->IsNull()) {
        return {};
    }
    if (const auto* list = v->AsList()) {
        return *list;
    }
    return {*v};
}

/// ReadItems as text, nulls skipped.
inline std::vector<std::string> ReadStrings(const Record& r, std::string_view key) {
    std::vector<std::string> out;
    for (const auto& item : ReadItems(r, key)) {
        if (!item.IsNull()) {
            out.push_back(item.ToText());
        }
    }
    return out;
}

}  // namespace sfkit::client::detail
