// FakeOrg: canned token and sObject endpoints (see fake_org.hpp).
#include "support/fake_org.hpp"

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

server::Response FakeOrg::Sobject(const server::Request& req) {
    const std::string* accept = req.Header("Accept");
    const bool xml = accept != nullptr && accept->find("xml") != std::string::npos;
    const std::string base = "/services/data/v60.0/sobjects/Account";
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
