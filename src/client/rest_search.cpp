// RestClient::Search (SOSL, §B.12) and SoslEscape: the search answer's record list in JSON
// (wrapped from API 36.0, a bare array before) or XML.
#include <boost/json.hpp>
#include <pugixml.hpp>

#include "client/record_codec.hpp"
#include "client/rest_client_impl.hpp"
#include "codec/json.hpp"

namespace sfkit::client {
namespace {

Error BadSearchAnswer(std::string what, std::string_view body) {
    return MakeError(ErrorKind::kProtocol,
                     "INVALID_RESPONSE",
                     std::move(what) + " (" + detail::Excerpt(body) + ")");
}

Result<std::vector<Record>> RecordsFromJson(std::string_view body) {
    auto parsed = codec::ParseJson(body);
    if (!parsed) {
        return BadSearchAnswer("the search answer is not JSON: " + parsed.error().message, body);
    }
    const boost::json::array* list = parsed->if_array();
    if (const boost::json::object* o = parsed->if_object()) {
        if (const boost::json::value* v = o->if_contains("searchRecords")) {
            list = v->if_array();
        }
    }
    if (list == nullptr) {
        return BadSearchAnswer("the answer is not a search result (searchRecords)", body);
    }
    std::vector<Record> out;
    out.reserve(list->size());
    for (const boost::json::value& item : *list) {
        if (!item.is_object()) {
            return BadSearchAnswer("a search record is not a JSON object", body);
        }
        out.push_back(detail::RecordFromJsonObject(item.get_object()));
    }
    return out;
}

/// `<SearchResult><searchRecords>..</searchRecords>..</SearchResult>` (36.0+) or
/// `<SearchResults><SearchResult>..</SearchResult>..</SearchResults>`: every child element of
/// the document element is a record.
Result<std::vector<Record>> RecordsFromXml(std::string_view body) {
    pugi::xml_document doc;
    const auto r =
        doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!r) {
        return BadSearchAnswer(std::string("the search answer is not XML: ") + r.description(),
                               body);
    }
    std::vector<Record> out;
    for (const pugi::xml_node rec : doc.document_element().children()) {
        if (rec.type() == pugi::node_element) {
            out.push_back(detail::RecordFromXmlNode(rec));
        }
    }
    return out;
}

}  // namespace

Result<std::vector<Record>> RestClient::Search(std::string_view sosl) {
    auto resp = impl_->Call("GET", "search?q=" + PercentEncode(sosl), {}, {});
    if (!resp) {
        return resp.error();
    }
    const std::string_view body = detail::TrimBody(resp->body);
    auto records = detail::IsXmlAnswer(*resp) ? RecordsFromXml(body) : RecordsFromJson(body);
    if (records && detail::IsXmlAnswer(*resp)) {
        for (Record& rec : *records) {
            impl_->TypeFromCache(rec, rec.Type());
        }
    }
    return records;
}

std::string SoslEscape(std::string_view value) {
    static constexpr std::string_view kReserved = "?&|!{}[]()^~*:\\\"'+-";
    std::string out;
    out.reserve(value.size() + 8);
    for (char c : value) {
        if (kReserved.find(c) != std::string_view::npos) {
            out += '\\';
        }
        out += c;
    }
    return out;
}

}  // namespace sfkit::client
