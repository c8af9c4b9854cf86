// Composite references: parsing `@{refId.path}` and resolving it against earlier bodies.
#include "server/api/composite_references.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "codec/json.hpp"

namespace sfkit::server {
namespace {

namespace json = boost::json;

bool IsAlnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/// The text a referenced value contributes inside a longer string.
std::string ValueText(const json::value& v) {
    if (v.is_string()) {
        return std::string(v.get_string());
    }
    return codec::WriteJson(v);
}

/// The referenceId at the start of an expression: up to the first `.` or `[`.
std::string_view ReferenceIdOf(std::string_view expression) {
    return expression.substr(0, expression.find_first_of(".["));
}

}  // namespace

std::optional<std::string> ReferenceIdProblem(std::string_view reference_id, int api_major) {
    bool ok = !reference_id.empty() && IsAlnum(reference_id.front());
    if (ok && api_major >= kStrictReferenceIdsSince) {
        ok = std::all_of(reference_id.begin(), reference_id.end(), [](char c) {
            return IsAlnum(c) || c == '_';
        });
    }
    if (ok) {
        return std::nullopt;
    }
    return "Provided referenceId ('" + std::string(reference_id) +
           "') must start with a letter or a number, and it can contain only letters, numbers "
           "and underscores ('_').";
}

const json::value* EvaluateReference(std::string_view expression, const ReferenceLookup& lookup) {
    const std::string_view ref = ReferenceIdOf(expression);
    if (ref.empty()) {
        return nullptr;
    }
    const json::value* v = lookup(ref);
    std::size_t i = ref.size();
    while (v != nullptr && i < expression.size()) {
        if (expression[i] == '.') {
            const std::size_t start = i + 1;
            std::size_t end = start;
            while (end < expression.size() && expression[end] != '.' && expression[end] != '[') {
                ++end;
            }
            const std::string_view name = expression.substr(start, end - start);
            if (name.empty() || !v->is_object()) {
                return nullptr;
            }
            v = v->get_object().if_contains(name);
            i = end;
        } else if (expression[i] == '[') {
            const std::size_t close = expression.find(']', i);
            if (close == std::string_view::npos || close == i + 1 || !v->is_array()) {
                return nullptr;
            }
            std::size_t index = 0;
            for (std::size_t k = i + 1; k < close; ++k) {
                const char c = expression[k];
                if (c < '0' || c > '9' || index > 1000000) {
                    return nullptr;
                }
                index = index * 10 + static_cast<std::size_t>(c - '0');
            }
            const json::array& a = v->get_array();
            v = index < a.size() ? &a[index] : nullptr;
            i = close + 1;
        } else {
            return nullptr;
        }
    }
    // `@{refId}` alone names no field; Salesforce's references always select one.
    return i == ref.size() ? nullptr : v;
}

std::optional<UnresolvedReference> SubstituteText(std::string& text,
                                                  const ReferenceLookup& lookup) {
    std::string out;
    std::size_t pos = 0;
    bool changed = false;
    while (true) {
        const std::size_t at = text.find("@{", pos);
        if (at == std::string::npos) {
            break;
        }
        const std::size_t close = text.find('}', at + 2);
        if (close == std::string::npos) {
            const std::string expression = text.substr(at + 2);
            return UnresolvedReference{expression, std::string(ReferenceIdOf(expression))};
        }
        const std::string_view expression = std::string_view(text).substr(at + 2, close - (at + 2));
        const json::value* v = EvaluateReference(expression, lookup);
        if (v == nullptr) {
            return UnresolvedReference{std::string(expression),
                                       std::string(ReferenceIdOf(expression))};
        }
        out.append(text, pos, at - pos);
        out += ValueText(*v);
        pos = close + 1;
        changed = true;
    }
    if (changed) {
        out.append(text, pos, std::string::npos);
        text = std::move(out);
    }
    return std::nullopt;
}

std::optional<UnresolvedReference> SubstituteJson(json::value& document,
                                                  const ReferenceLookup& lookup) {
    switch (document.kind()) {
        case json::kind::object:
            for (auto& member : document.get_object()) {
                if (auto bad = SubstituteJson(member.value(), lookup)) {
                    return bad;
                }
            }
            return std::nullopt;
        case json::kind::array:
            for (auto& element : document.get_array()) {
                if (auto bad = SubstituteJson(element, lookup)) {
                    return bad;
                }
            }
            return std::nullopt;
        case json::kind::string: {
            const std::string_view s = document.get_string();
            if (s.find("@{") == std::string_view::npos) {
                return std::nullopt;
            }
            // Exactly one reference: the value itself, keeping its type.
            if (s.size() > 3 && s.substr(0, 2) == "@{" && s.back() == '}' &&
                s.find('}') == s.size() - 1) {
                const std::string_view expression = s.substr(2, s.size() - 3);
                const json::value* v = EvaluateReference(expression, lookup);
                if (v == nullptr) {
                    return UnresolvedReference{std::string(expression),
                                               std::string(ReferenceIdOf(expression))};
                }
                json::value copy = *v;
                document = std::move(copy);
                return std::nullopt;
            }
            std::string text(s);
            if (auto bad = SubstituteText(text, lookup)) {
                return bad;
            }
            document = json::string(text);
            return std::nullopt;
        }
        default:
            return std::nullopt;
    }
}

}  // namespace sfkit::server
