// Wire tests of Bulk API 1.0 (/services/async/XX.X, wire reference §4) over HTTP against a
// TestOrg with the custom org definition (Invoice__c with the unique external id ExtId__c and a
// required Due_Date__c): jobInfo / batchInfo / batchInfoList / results in XML, JSON and CSV, the
// job and batch states, ingest and query batches, the errors of §0 item 10 and §4.6 with their
// statuses, and jobs that survive a restart (and batches that resume after one).
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "server/bulk/async_store.hpp"
#include "server/bulk/async_wire.hpp"
#include "server/storage/database.hpp"

#include "support/bulk_rows.hpp"
#include "support/custom_org_test.hpp"
#include "support/raw_http.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

constexpr const char* kNs = "http://www.force.com/2009/06/asyncapi/dataload";
const std::string kAsync = "/services/async/60.0";
constexpr const char* kXmlType = "Content-Type: application/xml; charset=UTF-8";
constexpr const char* kJsonType = "Content-Type: application/json";
constexpr const char* kCsvType = "Content-Type: text/csv";

std::string ErrorXml(const std::string& code, const std::string& message) {
    return std::string(R"(<?xml version="1.0" encoding="UTF-8"?><error)") + "\n   xmlns=\"" +
           kNs + "\">\n <exceptionCode>" + code + "</exceptionCode>\n <exceptionMessage>" +
           message + "</exceptionMessage>\n</error>";
}

std::string ErrorJson(const std::string& code, const std::string& message) {
    return json::serialize(json::object{{"exceptionCode", code}, {"exceptionMessage", message}});
}

std::string JobXml(const std::string& operation,
                   const std::string& object,
                   const std::string& content_type,
                   const std::string& external_id = {}) {
    return std::string(R"(<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns=")") + kNs +
           R"("><operation>)" + operation + "</operation><object>" + object + "</object>" +
           (external_id.empty() ? ""
                                : "<externalIdFieldName>" + external_id + "</externalIdFieldName>") +
           "<contentType>" + content_type + "</contentType></jobInfo>";
}

std::string StateXml(const std::string& state) {
    return std::string(R"(<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns=")") + kNs +
           R"("><state>)" + state + "</state></jobInfo>";
}

/// Text of the first element `name` anywhere under the document's root ("" when absent).
std::string XmlText(const std::string& body, const std::string& name) {
    pugi::xml_document doc;
    if (!doc.load_string(body.c_str())) {
        return "<not xml>";
    }
    const pugi::xml_node n = doc.document_element().find_node(
        [&](pugi::xml_node x) { return name == x.name(); });
    return n ? n.child_value() : "";
}

/// Names of the root's child elements, in order.
std::vector<std::string> XmlChildren(const std::string& body) {
    pugi::xml_document doc;
    doc.load_string(body.c_str());
    std::vector<std::string> out;
    for (auto c : doc.document_element().children()) {
        out.emplace_back(c.name());
    }
    return out;
}

class Bulk1Test : public CustomOrgTest {
protected:
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
                          const std::string& external_id = {}) {
        auto r = Async(
            "POST", "/job", {kXmlType}, JobXml(operation, object, content_type, external_id));
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
            return std::string(json::parse(r.body).at("id").as_string());
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
    json::object WaitJson(const std::string& job, const std::string& batch) {
        for (int i = 0; i < 400; ++i) {
            auto r = Async("GET", "/job/" + job + "/batch/" + batch, {kJsonType});
            json::object o = json::parse(r.body).as_object();
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

// ---- jobs -----------------------------------------------------------------------------------

TEST_F(Bulk1Test, CreateJobAnswersJobInfoInTheRecordedXmlLayout) {
    auto r = Async("POST", "/job", {kXmlType}, JobXml("insert", "Account", "CSV"));
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.Header("Content-Type").rfind("application/xml", 0), 0u);
    const std::string head = std::string(R"(<?xml version="1.0" encoding="UTF-8"?><jobInfo)") +
                             "\n   xmlns=\"" + kNs + "\">\n <id>750";
    EXPECT_EQ(r.body.substr(0, head.size()), head);
    EXPECT_EQ(XmlChildren(r.body),
              (std::vector<std::string>{"id",
                                        "operation",
                                        "object",
                                        "createdById",
                                        "createdDate",
                                        "systemModstamp",
                                        "state",
                                        "concurrencyMode",
                                        "contentType",
                                        "numberBatchesQueued",
                                        "numberBatchesInProgress",
                                        "numberBatchesCompleted",
                                        "numberBatchesFailed",
                                        "numberBatchesTotal",
                                        "numberRecordsProcessed",
                                        "numberRetries",
                                        "apiVersion",
                                        "numberRecordsFailed",
                                        "totalProcessingTime",
                                        "apiActiveProcessingTime",
                                        "apexProcessingTime"}));
    const std::string id = XmlText(r.body, "id");
    EXPECT_EQ(id.size(), 18u);
    EXPECT_EQ(XmlText(r.body, "state"), "Open");
    EXPECT_EQ(XmlText(r.body, "operation"), "insert");
    EXPECT_EQ(XmlText(r.body, "object"), "Account");
    EXPECT_EQ(XmlText(r.body, "concurrencyMode"), "Parallel");
    EXPECT_EQ(XmlText(r.body, "apiVersion"), "60.0");
    EXPECT_EQ(XmlText(r.body, "createdById"), org_.Org().Org().admin_user_id);
    // `2024-11-21T09:28:59.000Z`
    const std::string created = XmlText(r.body, "createdDate");
    EXPECT_EQ(created.size(), 24u) << created;
    EXPECT_EQ(created.back(), 'Z');

    auto got = Async("GET", "/job/" + id);
    EXPECT_EQ(got.status, 200);
    EXPECT_EQ(got.body, r.body);
}

TEST_F(Bulk1Test, JsonJobInfoHasAlphabeticalKeysAndAcceptsAnOrdinalConcurrencyMode) {
    // simple-salesforce's create body (§4.2): concurrencyMode 1 means Serial.
    auto r = Async("POST",
                   "/job",
                   {kJsonType},
                   R"({"operation":"query","object":"Account","concurrencyMode":1,)"
                   R"("contentType":"JSON"})");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.Header("Content-Type").rfind("application/json", 0), 0u);
    const json::object o = json::parse(r.body).as_object();
    std::vector<std::string> keys;
    for (const auto& [k, v] : o) {
        keys.emplace_back(k);
    }
    EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end())) << r.body;
    EXPECT_EQ(o.at("concurrencyMode"), "Serial");
    EXPECT_EQ(o.at("contentType"), "JSON");
    EXPECT_EQ(o.at("state"), "Open");
    EXPECT_NE(r.body.find(R"("apiVersion":60.0)"), std::string::npos) << r.body;
    const std::string created(o.at("createdDate").as_string());
    EXPECT_EQ(created.substr(created.size() - 5), "+0000");
    // A JSON job answers JSON to a GET without any Content-Type.
    auto got = Fetch(org_.Port(),
                     "GET",
                     kAsync + "/job/" + std::string(o.at("id").as_string()),
                     {"X-SFDC-Session: " + token_});
    EXPECT_EQ(json::parse(got.body).at("id"), o.at("id"));
}

TEST_F(Bulk1Test, UpsertJobCarriesItsExternalIdAfterState) {
    auto r =
        Async("POST", "/job", {kXmlType}, JobXml("upsert", "invoice__c", "CSV", "extid__c"));
    ASSERT_EQ(r.status, 201) << r.body;
    const auto children = XmlChildren(r.body);
    const auto state = std::find(children.begin(), children.end(), "state");
    ASSERT_NE(state, children.end());
    EXPECT_EQ(*(state + 1), "externalIdFieldName");
    EXPECT_EQ(XmlText(r.body, "externalIdFieldName"), "ExtId__c");
    EXPECT_EQ(XmlText(r.body, "object"), "Invoice__c");

    auto missing = Async("POST", "/job", {kXmlType}, JobXml("upsert", "Invoice__c", "CSV"));
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(XmlText(missing.body, "exceptionCode"), "InvalidJob");
    auto bad = Async("POST", "/job", {kXmlType}, JobXml("upsert", "Invoice__c", "CSV", "Nope"));
    EXPECT_EQ(bad.body, ErrorXml("InvalidJob", "Invalid external ID field name: Nope"));
}

TEST_F(Bulk1Test, CloseAndAbortChangeTheJobState) {
    const std::string job = CreateJob("insert", "Account");
    auto closed = Async("POST", "/job/" + job, {kXmlType}, StateXml("Closed"));
    EXPECT_EQ(closed.status, 200) << closed.body;
    EXPECT_EQ(XmlText(closed.body, "state"), "Closed");
    EXPECT_EQ(XmlText(Async("GET", "/job/" + job).body, "state"), "Closed");
    // Closing twice is harmless (jsforce closes again when it cleans up).
    EXPECT_EQ(Async("POST", "/job/" + job, {kXmlType}, StateXml("Closed")).status, 200);
    auto aborted = Async("POST", "/job/" + job, {kXmlType}, StateXml("Aborted"));
    EXPECT_EQ(XmlText(aborted.body, "state"), "Aborted");
    auto reclose = Async("POST", "/job/" + job, {kXmlType}, StateXml("Closed"));
    EXPECT_EQ(reclose.status, 400);
    EXPECT_EQ(reclose.body, ErrorXml("InvalidJobState", "Aborted Job cannot be closed"));

    // The JSON form, as simple-salesforce closes its jobs: answered in JSON.
    const std::string other = CreateJob("insert", "Account", "JSON");
    auto json_close = Async("POST", "/job/" + other, {kJsonType}, R"({"state":"Closed"})");
    EXPECT_EQ(json_close.status, 200);
    EXPECT_EQ(json::parse(json_close.body).at("state"), "Closed");
    // Bulk 2.0's UploadComplete is not a 1.0 state (the Postman "Bulk Close Job" sends it).
    auto wrong = Async("POST", "/job/" + other, {kJsonType}, R"({"state":"UploadComplete"})");
    EXPECT_EQ(wrong.status, 400);
    EXPECT_EQ(json::parse(wrong.body).at("exceptionCode"), "InvalidJobState");
}

// ---- errors ---------------------------------------------------------------------------------

TEST_F(Bulk1Test, ABadSessionIs400InvalidSessionIdNot401) {
    const std::string body = JobXml("insert", "Account", "CSV");
    // No session at all, an unknown one, and a REST-style bearer token only (jsforce's Bulk 1.0
    // client sends X-SFDC-Session and nothing else).
    for (const auto& headers :
         {std::vector<std::string>{kXmlType},
          std::vector<std::string>{kXmlType, "X-SFDC-Session: 00Dxx0000000001!bogus"},
          std::vector<std::string>{kXmlType, "Authorization: Bearer " + token_}}) {
        auto r = Fetch(org_.Port(), "POST", kAsync + "/job", headers, body);
        EXPECT_EQ(r.status, 400);
        // jsforce refreshes on exactly `<exceptionCode>InvalidSessionId</exceptionCode>`.
        EXPECT_EQ(r.body, ErrorXml("InvalidSessionId", "Invalid session id"));
    }
    // The header name is matched case-insensitively (jsforce writes X-SFDC-SESSION).
    auto upper = Fetch(
        org_.Port(), "POST", kAsync + "/job", {kXmlType, "X-SFDC-SESSION: " + token_}, body);
    EXPECT_EQ(upper.status, 201);
    // JSON requests get the JSON form (simple-salesforce#619).
    auto j = Fetch(org_.Port(), "GET", kAsync + "/job/750000000000000AAA", {kJsonType});
    EXPECT_EQ(j.status, 400);
    EXPECT_EQ(j.body, ErrorJson("InvalidSessionId", "Invalid session id"));
}

TEST(Bulk1SessionTest, AnExpiredSessionIs400InvalidSessionId) {
    auto options = TestOrg::DefaultOptions();
    options.session_timeout = std::chrono::seconds(1);
    TestOrg org(options);
    const std::string token = org.Login();
    auto ok = Fetch(org.Port(),
                    "POST",
                    kAsync + "/job",
                    {kXmlType, "X-SFDC-Session: " + token},
                    JobXml("insert", "Account", "CSV"));
    ASSERT_EQ(ok.status, 201) << ok.body;
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    auto r = Fetch(org.Port(),
                   "GET",
                   kAsync + "/job/" + XmlText(ok.body, "id"),
                   {"X-SFDC-Session: " + token});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, ErrorXml("InvalidSessionId", "Invalid session id"));
}

TEST_F(Bulk1Test, UrlsOutsideTheResourcesAreInvalidUrl) {
    auto r = Async("GET", "/services/async/60.0/job");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body,
              ErrorXml("InvalidUrl", "Failed to parse URL. Was expecting 'job' but found:services"));
    const std::string job = CreateJob("insert", "Account");
    auto del = Async("DELETE", "/job/" + job);
    EXPECT_EQ(del.status, 400);
    EXPECT_EQ(XmlText(del.body, "exceptionCode"), "InvalidUrl");
    auto bad_version = Fetch(
        org_.Port(), "GET", "/services/async/abc/job/" + job, {"X-SFDC-Session: " + token_});
    EXPECT_EQ(bad_version.status, 400);
    EXPECT_EQ(XmlText(bad_version.body, "exceptionCode"), "InvalidUrl");
    auto spec = Async("POST", "/job/" + job + "/spec", {kCsvType}, "Salesforce Field,Csv Header\n");
    EXPECT_EQ(spec.status, 400);
    EXPECT_EQ(XmlText(spec.body, "exceptionCode"), "FeatureNotEnabled");
}

TEST_F(Bulk1Test, BadJobRequestsAreInvalidJob) {
    auto unknown = Async("GET", "/job/750000000000000AAA");
    EXPECT_EQ(unknown.status, 400);
    EXPECT_EQ(unknown.body, ErrorXml("InvalidJob", "Invalid job id: 750000000000000AAA"));
    auto garbage = Async("GET", "/job/nope");
    EXPECT_EQ(garbage.body, ErrorXml("InvalidJob", "Invalid job id: nope"));
    // Operations are case-sensitive.
    auto upper = Async("POST", "/job", {kXmlType}, JobXml("INSERT", "Account", "CSV"));
    EXPECT_EQ(upper.status, 400);
    EXPECT_EQ(upper.body, ErrorXml("InvalidJob", "Invalid job operation: INSERT"));
    auto object = Async("POST", "/job", {kXmlType}, JobXml("insert", "Nope__c", "CSV"));
    EXPECT_EQ(object.body, ErrorXml("InvalidJob", "Unable to find object: Nope__c"));
    auto type = Async("POST", "/job", {kXmlType}, JobXml("insert", "Account", "PDF"));
    EXPECT_EQ(type.body, ErrorXml("InvalidJob", "Invalid content type: PDF"));
    auto xml = Async("POST", "/job", {kXmlType}, "<jobInfo><operation>insert");
    EXPECT_EQ(xml.status, 400);
    EXPECT_EQ(XmlText(xml.body, "exceptionCode"), "InvalidXML");
    auto js = Async("POST", "/job", {kJsonType}, R"({"operation":)");
    EXPECT_EQ(js.status, 400);
    EXPECT_EQ(json::parse(js.body).at("exceptionCode"), "InvalidJob");
}

TEST_F(Bulk1Test, BadBatchRequestsAreInvalidBatchOrInvalidJobState) {
    const std::string job = CreateJob("insert", "Account");
    auto wrong_type = Async("POST", "/job/" + job + "/batch", {kJsonType}, R"([{"Name":"x"}])");
    EXPECT_EQ(wrong_type.status, 400);
    EXPECT_EQ(
        wrong_type.body,
        ErrorXml("InvalidBatch", "Unsupported content type application/json for a CSV job"));
    auto wrong_version = Fetch(org_.Port(),
                               "POST",
                               "/services/async/59.0/job/" + job + "/batch",
                               {kCsvType, "X-SFDC-Session: " + token_},
                               "Name\nx\n");
    EXPECT_EQ(XmlText(wrong_version.body, "exceptionCode"), "InvalidBatch");
    auto unknown = Async("GET", "/job/" + job + "/batch/751000000000000AAA");
    EXPECT_EQ(unknown.body, ErrorXml("InvalidBatch", "Invalid batch id: 751000000000000AAA"));
    Async("POST", "/job/" + job, {kXmlType}, StateXml("Closed"));
    auto closed = Async("POST", "/job/" + job + "/batch", {kCsvType}, "Name\nx\n");
    EXPECT_EQ(closed.status, 400);
    EXPECT_EQ(closed.body, ErrorXml("InvalidJobState", "Job " + job + " is not open"));
    EXPECT_EQ(XmlText(Async("GET", "/job/" + job).body, "numberBatchesTotal"), "0");
    // The empty batch list is the recorded self-closed element.
    auto list = Async("GET", "/job/" + job + "/batch");
    EXPECT_EQ(list.body,
              std::string(R"(<?xml version="1.0" encoding="UTF-8"?><batchInfoList)") +
                  "\n   xmlns=\"" + kNs + "\" />");
}

}  // namespace
}  // namespace sfkit::test
