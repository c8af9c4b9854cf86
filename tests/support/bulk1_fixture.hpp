// The Bulk API 1.0 wire-test fixture (/services/async/60.0 over HTTP against a TestOrg with the
// custom org definition): XML and JSON bodies, job and batch helpers, polling. Used by
// bulk1_test.cpp and bulk1_ingest_test.cpp.
#pragma once

#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "support/custom_org_test.hpp"
#include "support/raw_http.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {

constexpr const char* kNs = "http://www.force.com/2009/06/asyncapi/dataload";
inline const std::string kAsync = "/services/async/60.0";
constexpr const char* kXmlType = "Content-Type: application/xml; charset=UTF-8";
constexpr const char* kJsonType = "Content-Type: application/json";
constexpr const char* kCsvType = "Content-Type: text/csv";

inline std::string ErrorXml(const std::string& code, const std::string& message) {
    return std::string(R"(<?xml version="1.0" encoding="UTF-8"?><error)") + "\n   xmlns=\"" + kNs +
           "\">\n <exceptionCode>" + code + "</exceptionCode>\n <exceptionMessage>" + message +
           "</exceptionMessage>\n</error>";
}

inline std::string ErrorJson(const std::string& code, const std::string& message) {
    return boost::json::serialize(
        boost::json::object{{"exceptionCode", code}, {"exceptionMessage", message}});
}

inline std::string JobXml(const std::string& operation,
                          const std::string& object,
                          const std::string& content_type,
                          const std::string& external_id = {},
                          const std::string& concurrency_mode = {}) {
    return std::string(R"(<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns=")") + kNs +
           R"("><operation>)" + operation + "</operation><object>" + object + "</object>" +
           (external_id.empty()
                ? ""
                : "<externalIdFieldName>" + external_id + "</externalIdFieldName>") +
           (concurrency_mode.empty()
                ? ""
                : "<concurrencyMode>" + concurrency_mode + "</concurrencyMode>") +
           "<contentType>" + content_type + "</contentType></jobInfo>";
}

inline std::string StateXml(const std::string& state) {
    return std::string(R"(<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns=")") + kNs +
           R"("><state>)" + state + "</state></jobInfo>";
}

/// Text of the first element `name` anywhere under the document's root ("" when absent).
inline std::string XmlText(const std::string& body, const std::string& name) {
    pugi::xml_document doc;
    if (!doc.load_string(body.c_str())) {
        return "<not xml>";
    }
    const pugi::xml_node n =
        doc.document_element().find_node([&](pugi::xml_node x) { return name == x.name(); });
    return n ? n.child_value() : "";
}

/// Names of the root's child elements, in order.
inline std::vector<std::string> XmlChildren(const std::string& body) {
    pugi::xml_document doc;
    doc.load_string(body.c_str());
    std::vector<std::string> out;
    for (auto c : doc.document_element().children()) {
        out.emplace_back(c.name());
    }
    return out;
}

/// A Bulk 1.0 request to `org` with the session `token` (tests that restart their org).
inline RawResponse AsyncCall(TestOrg& org,
                             const std::string& token,
                             const std::string& method,
                             const std::string& path,
                             std::vector<std::string> headers = {},
                             const std::string& body = {}) {
    headers.push_back("X-SFDC-Session: " + token);
    return Fetch(org.Port(), method, kAsync + path, headers, body);
}

class Bulk1Test : public CustomOrgTest {
protected:
    Bulk1Test() = default;
    explicit Bulk1Test(server::LocalOrgOptions options) : CustomOrgTest(std::move(options)) {}

    RawResponse Async(const std::string& method,
                      const std::string& path,
                      std::vector<std::string> headers = {},
                      const std::string& body = {}) {
        headers.push_back("X-SFDC-Session: " + token_);
        return Fetch(org_.Port(), method, kAsync + path, headers, body);
    }

    /// Creates a job with an XML jobInfo (as jsforce does); returns its id.
    std::string CreateJob(const std::string& operation,
                          const std::string& object,
                          const std::string& content_type = "CSV",
                          const std::string& external_id = {},
                          const std::string& concurrency_mode = {}) {
        auto r = Async("POST",
                       "/job",
                       {kXmlType},
                       JobXml(operation, object, content_type, external_id, concurrency_mode));
        EXPECT_EQ(r.status, 201) << r.body;
        return XmlText(r.body, "id");
    }

    /// Adds a batch; returns its id.
    std::string AddBatch(const std::string& job,
                         const std::string& content_type,
                         const std::string& body) {
        auto r = Async("POST", "/job/" + job + "/batch", {content_type}, body);
        EXPECT_EQ(r.status, 201) << r.body;
        if (content_type == kJsonType) {
            return std::string(boost::json::parse(r.body).at("id").as_string());
        }
        return XmlText(r.body, "id");
    }

    /// Polls the batch (XML jobs) until it is Completed, Failed or NotProcessed; its batchInfo.
    std::string WaitXml(const std::string& job, const std::string& batch) {
        for (int i = 0; i < 400; ++i) {
            auto r = Async("GET", "/job/" + job + "/batch/" + batch);
            const std::string state = XmlText(r.body, "state");
            if (state == "Completed" || state == "Failed" || state == "NotProcessed") {
                return r.body;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        ADD_FAILURE() << "batch " << batch << " did not finish";
        return {};
    }
    /// Records /queryAll finds (deleted ones included).
    std::size_t AllRows(const std::string& soql) {
        auto r = Call("GET", "/services/data/v60.0/queryAll?q=" + client::PercentEncode(soql));
        EXPECT_EQ(r.status, 200) << r.body;
        return boost::json::parse(r.body).at("records").as_array().size();
    }
    double Amount(const std::string& ext) {
        const auto v =
            Column("SELECT Amount__c FROM Invoice__c WHERE ExtId__c = '" + ext + "'", "Amount__c");
        return v.size() == 1 ? std::stod(v[0]) : -1;
    }
    boost::json::object WaitJson(const std::string& job, const std::string& batch) {
        for (int i = 0; i < 400; ++i) {
            auto r = Async("GET", "/job/" + job + "/batch/" + batch, {kJsonType});
            boost::json::object o = boost::json::parse(r.body).as_object();
            const std::string state(o.at("state").as_string());
            if (state == "Completed" || state == "Failed" || state == "NotProcessed") {
                return o;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        ADD_FAILURE() << "batch " << batch << " did not finish";
        return {};
    }
};

}  // namespace sfkit::test
