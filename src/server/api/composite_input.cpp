// Shared input handling of the composite resources (see composite_input.hpp).
#include "server/api/composite_input.hpp"

#include <boost/json.hpp>

#include "codec/json.hpp"
#include "server/api/api_versions.hpp"
#include "server/schema/schema.hpp"

namespace sfkit::server {

namespace json = boost::json;

int RequireCompositeVersion(const Call& call, int since) {
    const int major = RequireServedVersion(call.api_version);
    if (major < since) {
        throw NotFound();
    }
    return major;
}

void RequireJsonExchange(const Call& call, bool with_body) {
    const auto unsupported = [](const std::string& type) {
        return ApiError(415,
                        "UNSUPPORTED_MEDIA_TYPE",
                        "MediaType of '" + type + "' is not supported by this resource");
    };
    if (call.format == Format::kXml) {
        throw unsupported("application/xml");
    }
    if (with_body && RequireBodyFormat(call.req) == BodyFormat::kXml) {
        const std::string& ct = *call.req.Header("Content-Type");
        std::string type = ct.substr(0, ct.find(';'));
        while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) {
            type.pop_back();
        }
        throw unsupported(type);
    }
}

json::value ParseCompositeBody(std::string_view text, std::string_view type_name) {
    auto parsed = codec::ParseJson(text);
    if (!parsed) {
        throw ApiError(400, "JSON_PARSER_ERROR", parsed.error().message);
    }
    if (!parsed->is_object()) {
        std::size_t start = 0;
        while (start < text.size() && (text[start] == ' ' || text[start] == '\t' ||
                                       text[start] == '\n' || text[start] == '\r')) {
            ++start;
        }
        throw JsonCannotDeserialize(type_name, *parsed, text, start + 1);
    }
    return std::move(*parsed);
}

bool ReadJsonBoolean(const json::value& v, std::string_view text, const JsonSpan& span) {
    if (v.is_bool()) {
        return v.get_bool();
    }
    if (v.is_null()) {
        return false;
    }
    if (v.is_string()) {
        const std::string s = ToLowerAscii(std::string(v.get_string()));
        if (s == "true" || s == "false") {
            return s == "true";
        }
    }
    throw JsonCannotDeserialize("boolean", v, text, span.end);
}

ApiError RequiredField(std::string_view name) {
    return ApiError(400, "JSON_PARSER_ERROR", "'" + std::string(name) + "' is a required field.");
}

ApiError MalformedRequest(std::string message) {
    return ApiError(400, "JSON_PARSER_ERROR", std::move(message));
}

ApiError LimitExceeded(std::string message) {
    return ApiError(400, "LIMIT_EXCEEDED", std::move(message));
}

}  // namespace sfkit::server
