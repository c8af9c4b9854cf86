// Response rendering for JSON and XML.
#include "server/api/render.hpp"

#include <sstream>

#include <boost/json.hpp>
#include <pugixml.hpp>

#include "codec/json.hpp"
#include "codec/utf8.hpp"

namespace sfkit::server {

Response JsonResponse(int status, const boost::json::value& body, bool pretty) {
    Response r;
    r.status = status;
    r.SetHeader("Content-Type", std::string(kJsonContentType));
    r.body = codec::WriteJson(body, pretty);
    return r;
}

Response XmlResponse(int status, std::string xml) {
    Response r;
    r.status = status;
    r.SetHeader("Content-Type", std::string(kXmlContentType));
    r.body = std::move(xml);
    return r;
}

Response NoContent() {
    Response r;
    r.status = 204;
    return r;
}

Response RenderError(const ApiError& error, Format format, bool pretty) {
    Response r;
    if (format == Format::kXml) {
        pugi::xml_document doc;
        auto decl = doc.append_child(pugi::node_declaration);
        decl.append_attribute("version") = "1.0";
        decl.append_attribute("encoding") = "UTF-8";
        auto root = doc.append_child("Errors");
        for (const auto& item : error.items) {
            auto e = root.append_child("Error");
            // Codes, fields and messages may echo request text: only characters XML carries.
            e.append_child("errorCode").text().set(codec::ToXmlChars(item.code).c_str());
            if (item.with_fields) {
                for (const auto& f : item.fields) {
                    e.append_child("fields").text().set(codec::ToXmlChars(f).c_str());
                }
            }
            e.append_child("message").text().set(codec::ToXmlChars(item.message).c_str());
        }
        std::ostringstream os;
        doc.save(os, pretty ? "    " : "", pretty ? pugi::format_indent : pugi::format_raw);
        r = XmlResponse(error.status, os.str());
    } else {
        boost::json::array arr;
        for (const auto& item : error.items) {
            boost::json::object o;
            if (error.code_first) {
                o["errorCode"] = item.code;
                o["message"] = item.message;
            } else {
                o["message"] = item.message;
                o["errorCode"] = item.code;
            }
            if (item.with_fields) {
                boost::json::array fields;
                for (const auto& f : item.fields) {
                    fields.emplace_back(f);
                }
                o["fields"] = std::move(fields);
            }
            arr.emplace_back(std::move(o));
        }
        r = JsonResponse(error.status, arr, pretty);
    }
    if (error.status == 401) {
        // Recorded: a real org's 401 names the scheme it wants (issue 14's comparison).
        r.SetHeader("WWW-Authenticate", "Token");
    }
    for (const auto& [k, v] : error.headers) {
        r.SetHeader(k, v);
    }
    return r;
}

Format NegotiateFormat(const Request& req, std::string_view suffix) {
    if (suffix == "xml") {
        return Format::kXml;
    }
    if (suffix == "json") {
        return Format::kJson;
    }
    const std::string* accept = req.Header("Accept");
    if (accept == nullptr) {
        return Format::kJson;
    }
    const auto xml = accept->find("application/xml");
    const auto text_xml = accept->find("text/xml");
    const auto json = accept->find("application/json");
    const auto first_xml = std::min(xml, text_xml);
    if (first_xml != std::string::npos && (json == std::string::npos || first_xml < json)) {
        return Format::kXml;
    }
    return Format::kJson;
}

}  // namespace sfkit::server
