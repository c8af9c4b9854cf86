// FakeOrg: canned token and sObject endpoints (see fake_org.hpp).
#include "support/fake_org.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "sfkit/client/oauth.hpp"

#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

server::Response Json(int status, std::string body) {
    server::Response r;
    r.status = status;
    r.SetHeader("Content-Type", "application/json;charset=UTF-8");
    r.body = std::move(body);
    return r;
}

std::string Base64Decode(const std::string& in) {
    static const std::string kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    int val = 0;
    int bits = -8;
    for (const char c : in) {
        const auto pos = kAlphabet.find(c);
        if (pos == std::string::npos) {
            break;
        }
        val = (val << 6) + static_cast<int>(pos);
        bits += 6;
        if (bits >= 0) {
            out += static_cast<char>((val >> bits) & 0xFF);
            bits -= 8;
        }
    }
    return out;
}

server::Response Xml(int status, std::string body) {
    server::Response r;
    r.status = status;
    r.SetHeader("Content-Type", "application/xml;charset=UTF-8");
    r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + std::move(body);
    return r;
}

server::Response NoContent() {
    server::Response r;
    r.status = 204;
    return r;
}

server::Response NotFound() {
    // Routing errors put errorCode first (§B.15).
    return Json(404,
                R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])");
}

/// describeGlobal entries: sorted keys, as Salesforce writes them (§B.3).
std::string GlobalEntry(const std::string& name,
                        const std::string& label,
                        const std::string& prefix,
                        bool custom) {
    const std::string c = custom ? "true" : "false";
    return R"({"createable":true,"custom":)" + c + R"(,"customSetting":false,"deletable":)" +
           (custom ? "false" : "true") + R"(,"keyPrefix":")" + prefix + R"(","label":")" + label +
           R"(","labelPlural":")" + label + R"(s","name":")" + name +
           R"(","queryable":true,"retrieveable":true,"searchable":true,"updateable":true,"urls":{"sobject":"/services/data/v60.0/sobjects/)" +
           name + R"("}})";
}

/// A small Account describe (§B.5): the kinds of field the CLI shows differently.
constexpr const char* kAccountDescribe =
    R"({"childRelationships":[{"cascadeDelete":true,"childSObject":"Contact","deprecatedAndHidden":false,"field":"AccountId","relationshipName":"Contacts","restrictedDelete":false}],"createable":true,"custom":false,"deletable":true,"fields":[)"
    R"({"createable":false,"custom":false,"defaultValue":null,"defaultedOnCreate":true,"externalId":false,"label":"Account ID","length":18,"name":"Id","nillable":false,"picklistValues":[],"referenceTo":[],"relationshipName":null,"type":"id","unique":false,"updateable":false},)"
    R"({"createable":true,"custom":false,"defaultValue":null,"defaultedOnCreate":false,"externalId":false,"label":"Account Name","length":255,"name":"Name","nillable":false,"picklistValues":[],"referenceTo":[],"relationshipName":null,"type":"string","unique":false,"updateable":true},)"
    R"({"createable":true,"custom":false,"defaultValue":null,"defaultedOnCreate":false,"externalId":false,"label":"Account Type","length":40,"name":"Type","nillable":true,"picklistValues":[{"active":true,"defaultValue":false,"label":"Prospect","validFor":null,"value":"Prospect"},{"active":true,"defaultValue":false,"label":"Customer","validFor":null,"value":"Customer"}],"referenceTo":[],"relationshipName":null,"type":"picklist","unique":false,"updateable":true},)"
    R"({"createable":true,"custom":false,"defaultValue":null,"defaultedOnCreate":false,"externalId":false,"label":"Parent Account ID","length":18,"name":"ParentId","nillable":true,"picklistValues":[],"referenceTo":["Account"],"relationshipName":"Parent","type":"reference","unique":false,"updateable":true},)"
    R"({"createable":true,"custom":false,"defaultValue":null,"defaultedOnCreate":false,"externalId":false,"label":"Annual Revenue","length":0,"name":"AnnualRevenue","nillable":true,"picklistValues":[],"precision":18,"referenceTo":[],"relationshipName":null,"scale":2,"type":"currency","unique":false,"updateable":true},)"
    R"({"createable":true,"custom":true,"defaultValue":null,"defaultedOnCreate":false,"externalId":true,"label":"External Id","length":20,"name":"External_Id__c","nillable":true,"picklistValues":[],"referenceTo":[],"relationshipName":null,"type":"string","unique":true,"updateable":true})"
    R"(],"keyPrefix":"001","label":"Account","labelPlural":"Accounts","name":"Account","queryable":true,"recordTypeInfos":[],"retrieveable":true,"searchable":true,"undeletable":true,"updateable":true})";

}  // namespace

FakeOrg::FakeOrg() {
    server::HttpServerOptions o;
    o.port = 0;
    o.threads = 2;
    http_ = std::make_unique<server::HttpServer>(
        o, [this](const server::Request& req) { return Handle(req); });
    http_->Start();
}

FakeOrg::~FakeOrg() {
    http_->Stop();
}

std::string FakeOrg::BaseUrl() const {
    return "http://127.0.0.1:" + std::to_string(http_->Port());
}

std::vector<server::Request> FakeOrg::Requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

std::string FakeOrg::LastTokenField(const std::string& name) const {
    std::lock_guard lock(mutex_);
    for (const auto& [k, v] : last_form_) {
        if (k == name) {
            return v;
        }
    }
    return "";
}

server::Response FakeOrg::Handle(const server::Request& req) {
    {
        std::lock_guard lock(mutex_);
        requests_.push_back(req);
    }
    if (req.method == "POST" && req.path == "/services/oauth2/token") {
        return Token(req);
    }
    if (req.path.rfind("/services/data/v", 0) == 0) {
        const std::string* auth = req.Header("Authorization");
        if (auth == nullptr || *auth != std::string("Bearer ") + kAccessToken) {
            return Json(
                401,
                R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])");
        }
        auto r = Sobject(req);
        r.SetHeader("Sforce-Limit-Info", "api-usage=14000/15000");
        return r;
    }
    return Json(404,
                R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])");
}

server::Response FakeOrg::Token(const server::Request& req) {
    auto form =
        server::ParseForm(req.body).value_or(std::vector<std::pair<std::string, std::string>>{});
    {
        std::lock_guard lock(mutex_);
        last_form_ = form;
    }
    auto field = [&form](const std::string& name) {
        for (const auto& [k, v] : form) {
            if (k == name) {
                return v;
            }
        }
        return std::string();
    };
    std::string client_id = field("client_id");
    std::string secret = field("client_secret");
    if (const std::string* basic = req.Header("Authorization");
        basic != nullptr && basic->rfind("Basic ", 0) == 0) {
        const std::string decoded = Base64Decode(basic->substr(6));
        client_id = decoded.substr(0, decoded.find(':'));
        secret = decoded.substr(decoded.find(':') + 1);
    }
    const std::string grant = field("grant_type");
    if (grant != "password" && grant != "client_credentials") {
        return Json(
            400,
            R"({"error":"unsupported_grant_type","error_description":"grant type not supported"})");
    }
    if (client_id != kClientId) {
        return Json(
            400,
            R"({"error":"invalid_client_id","error_description":"client identifier invalid"})");
    }
    if (secret != kClientSecret) {
        return Json(
            400, R"({"error":"invalid_client","error_description":"invalid client credentials"})");
    }
    if (grant == "password" && (field("username") != kUser ||
                                field("password") != std::string(kPassword) + kSecurityToken)) {
        return Json(400,
                    R"({"error":"invalid_grant","error_description":"authentication failure"})");
    }
    const std::string id = BaseUrl() + "/id/" + kOrgId + "/" + kUserId;
    const std::string issued_at = "1700000000123";
    boost::json::object o;
    o["access_token"] = kAccessToken;
    o["signature"] = client::TokenSignature(kClientSecret, id, issued_at);
    o["scope"] = "api";
    o["instance_url"] = BaseUrl();
    o["id"] = id;
    o["token_type"] = "Bearer";
    o["issued_at"] = issued_at;
    return Json(200, boost::json::serialize(o));
}

server::Response FakeOrg::Metadata(const server::Request& req, bool xml) {
    const std::string data = "/services/data/v60.0";
    if (req.method == "GET" &&
        (req.path == data + "/sobjects" || req.path == data + "/sobjects/")) {
        if (xml) {
            return Xml(200,
                       "<DescribeGlobal><encoding>UTF-8</encoding><maxBatchSize>200</maxBatchSize>"
                       "<sobjects><createable>true</createable><custom>false</custom><keyPrefix>"
                       "001</keyPrefix><label>Account</label><name>Account</name></sobjects>"
                       "</DescribeGlobal>");
        }
        return Json(200,
                    R"({"encoding":"UTF-8","maxBatchSize":200,"sobjects":[)" +
                        GlobalEntry("Account", "Account", "001", false) + "," +
                        GlobalEntry("Contact", "Contact", "003", false) + "," +
                        GlobalEntry("Widget__c", "Widget", "a00", true) + "]}");
    }
    if (req.method == "GET" && (req.path == data + "/sobjects/Account/describe" ||
                                req.path == data + "/sobjects/Account/describe/")) {
        return Json(200, kAccountDescribe);
    }
    if (req.method == "GET" && (req.path == data + "/limits" || req.path == data + "/limits/")) {
        if (xml) {
            return Xml(200,
                       "<LimitsSnapshot><DailyApiRequests><Max>15000</Max><Remaining>1000"
                       "</Remaining></DailyApiRequests></LimitsSnapshot>");
        }
        return Json(
            200,
            R"({"DailyApiRequests":{"Max":15000,"Remaining":1000,"My App":{"Max":200,"Remaining":150}},"DataStorageMB":{"Max":5,"Remaining":5},"SingleEmail":{"Max":0,"Remaining":0}})");
    }
    if (req.method == "GET" && req.path == data + "/limits/recordCount") {
        const auto which = req.QueryParam("sObjects").value_or("");
        std::string list;
        if (which.empty() || which.find("Account") != std::string::npos) {
            list = R"({"count":2,"name":"Account"})";
        }
        return Json(200, R"({"sObjects":[)" + list + "]}");
    }
    return NotFound();
}

server::Response FakeOrg::ExternalId(const server::Request& req, bool xml) {
    const std::string prefix = "/services/data/v60.0/sobjects/Account/";
    const std::string rest = req.path.substr(prefix.size());
    const auto slash = rest.find('/');
    const std::string field = rest.substr(0, slash);
    const std::string value = rest.substr(slash + 1);
    if (field != "External_Id__c") {
        return Json(
            404,
            R"([{"message":"Provided external ID field does not exist or is not accessible: )" +
                field + R"(","errorCode":"NOT_FOUND"}])");
    }
    if (value == kDupExtId) {
        return Json(
            300,
            std::string(R"([")") + prefix + kRecordId + R"(",")" + prefix + kNewRecordId + R"("])");
    }
    if (req.method == "PATCH") {
        if (value == kNewExtId) {
            if (xml) {
                return Xml(201,
                           std::string("<Result><id>") + kNewRecordId +
                               "</id><success>true</success><created>true</created></Result>");
            }
            return Json(201,
                        std::string(R"({"id":")") + kNewRecordId +
                            R"(","success":true,"errors":[],"created":true})");
        }
        if (value == kOneExtId) {
            return Json(200,
                        std::string(R"({"id":")") + kRecordId +
                            R"(","success":true,"errors":[],"created":false})");
        }
        return NotFound();
    }
    if (req.method == "GET" && value == kOneExtId) {
        return Json(200,
                    std::string(R"({"attributes":{"type":"Account","url":")") + prefix + kRecordId +
                        R"("},"Id":")" + kRecordId +
                        R"(","Name":"Test Account","External_Id__c":"EXT-1"})");
    }
    return NotFound();
}

server::Response FakeOrg::Sobject(const server::Request& req) {
    const std::string* accept = req.Header("Accept");
    const bool xml = accept != nullptr && accept->find("xml") != std::string::npos;
    const std::string base = "/services/data/v60.0/sobjects/Account";
    if (req.path.rfind(base + "/", 0) == 0 &&
        std::count(req.path.begin() + static_cast<std::ptrdiff_t>(base.size()) + 1,
                   req.path.end(),
                   '/') == 1 &&
        req.path.back() != '/' && req.path.find("/describe") == std::string::npos) {
        return ExternalId(req, xml);
    }
    const std::string record = base + "/" + kRecordId;
    if (req.method == "PATCH" && req.path == record) {
        if (req.body.find("NoSuchField__c") != std::string::npos) {
            return Json(
                400,
                R"([{"message":"No such column 'NoSuchField__c' on sobject of type Account","errorCode":"INVALID_FIELD"}])");
        }
        return NoContent();
    }
    if (req.method == "DELETE" && req.path == record) {
        return NoContent();
    }
    if ((req.method == "PATCH" || req.method == "DELETE") && req.path.rfind(base + "/", 0) == 0) {
        return NotFound();
    }
    if (req.path.rfind(base, 0) != 0 || req.path.find("/describe") != std::string::npos) {
        return Metadata(req, xml);
    }
    if (req.method == "POST" && (req.path == base || req.path == base + "/")) {
        if (req.body.find("NoSuchField__c") != std::string::npos) {
            return Json(
                400,
                R"([{"message":"No such column 'NoSuchField__c' on sobject of type Account","errorCode":"INVALID_FIELD"}])");
        }
        if (xml) {
            server::Response r;
            r.status = 201;
            r.SetHeader("Content-Type", "application/xml;charset=UTF-8");
            r.body =
                std::string(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Result><id>") +
                kRecordId + "</id><success>true</success></Result>";
            return r;
        }
        return Json(201,
                    std::string(R"({"id":")") + kRecordId + R"(","success":true,"errors":[]})");
    }
    if (req.method == "GET" && req.path == base + "/" + kRecordId) {
        if (xml) {
            server::Response r;
            r.SetHeader("Content-Type", "application/xml;charset=UTF-8");
            r.body =
                std::string(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Account type=\"Account\" url=\"") +
                base + "/" + kRecordId + "\"><Id>" + kRecordId +
                "</Id><Name>Test Account</Name></Account>";
            return r;
        }
        return Json(200,
                    std::string(R"({"attributes":{"type":"Account","url":")") + base + "/" +
                        kRecordId + R"("},"Id":")" + kRecordId +
                        R"(","Name":"Test Account","Phone":"1234567890","Fax":null})");
    }
    return Json(404,
                R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])");
}

}  // namespace sfkit::test
