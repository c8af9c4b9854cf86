// Wire tests of base64 (blob) fields, written with whatever object of the schema has one
// (Attachment.Body today): multipart/form-data create, and the binary retrieve of
// /sobjects/{Type}/{id}/{field} (REST guide "Insert or Update Blob Data", "sObject Blob
// Retrieve" [D]).
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/raw_http.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

constexpr const char* kData = "/services/data/v60.0";

class BlobFieldsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        org_ = new TestOrg();
        token_ = new std::string(org_->Login());
        auto r = Send("POST",
                      std::string(kData) + "/sobjects/Account",
                      {"Content-Type: application/json"},
                      R"({"Name":"Blob parent"})");
        ASSERT_EQ(r.status, 201) << r.body;
        parent_ = new std::string(json::parse(r.body).at("id").as_string());
    }
    static void TearDownTestSuite() {
        delete org_;
        delete token_;
        delete parent_;
    }
    static RawResponse Send(const std::string& method,
                            const std::string& target,
                            std::vector<std::string> headers = {},
                            const std::string& body = {}) {
        headers.push_back("Authorization: Bearer " + *token_);
        return Fetch(org_->Port(), method, target, headers, body);
    }
    /// A multipart body: the record as JSON, then `field` holding `bytes`.
    static std::string Multipart(const std::string& record,
                                 const std::string& field,
                                 const std::string& bytes) {
        return "--BOUNDARY\r\n"
               "Content-Disposition: form-data; name=\"entity_attachment\"\r\n"
               "Content-Type: application/json\r\n\r\n" +
               record +
               "\r\n--BOUNDARY\r\n"
               "Content-Type: application/octet-stream\r\n"
               "Content-Disposition: form-data; name=\"" +
               field + "\"; filename=\"blob.bin\"\r\n\r\n" + bytes + "\r\n--BOUNDARY--\r\n";
    }
    static const char* MultipartType() {
        return "Content-Type: multipart/form-data; boundary=BOUNDARY";
    }

    static TestOrg* org_;
    static std::string* token_;
    static std::string* parent_;
};

TestOrg* BlobFieldsTest::org_ = nullptr;
std::string* BlobFieldsTest::token_ = nullptr;
std::string* BlobFieldsTest::parent_ = nullptr;

TEST_F(BlobFieldsTest, MultipartCreateThenBinaryRetrieve) {
    const std::string bytes = std::string("\x00\x01\xff binary\r\n--not a boundary", 28);
    auto created =
        Send("POST",
             std::string(kData) + "/sobjects/Attachment",
             {MultipartType()},
             Multipart(R"({"Name":"blob.bin","ParentId":")" + *parent_ + "\"}", "Body", bytes));
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id(json::parse(created.body).at("id").as_string());
    auto blob = Send("GET", std::string(kData) + "/sobjects/Attachment/" + id + "/Body");
    ASSERT_EQ(blob.status, 200) << blob.body;
    EXPECT_EQ(blob.body, bytes);
    EXPECT_EQ(blob.Header("Content-Type"), "application/octetstream");
    // Field names are case-insensitive; a field that is not a blob is not a blob resource.
    EXPECT_EQ(Send("GET", std::string(kData) + "/sobjects/Attachment/" + id + "/body").body, bytes);
    EXPECT_EQ(Send("GET", std::string(kData) + "/sobjects/Attachment/" + id + "/Name").status, 404);
    // Deleted: gone.
    ASSERT_EQ(Send("DELETE", std::string(kData) + "/sobjects/Attachment/" + id).status, 204);
    EXPECT_EQ(Send("GET", std::string(kData) + "/sobjects/Attachment/" + id + "/Body").status, 404);
}

TEST_F(BlobFieldsTest, JsonCreateWithBase64ReadsBackAsBytes) {
    auto created = Send("POST",
                        std::string(kData) + "/sobjects/Attachment",
                        {"Content-Type: application/json"},
                        R"({"Name":"a.txt","Body":"aGVsbG8=","ParentId":")" + *parent_ + "\"}");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id(json::parse(created.body).at("id").as_string());
    EXPECT_EQ(Send("GET", std::string(kData) + "/sobjects/Attachment/" + id + "/Body").body,
              "hello");
}

// ContentVersion.VersionData: the file of a content version, created as base64 and downloaded
// as bytes ("Download file" of the Postman collection); an id no record has is 404.
TEST_F(BlobFieldsTest, ContentVersionFileDownload) {
    auto created =
        Send("POST",
             std::string(kData) + "/sobjects/ContentVersion",
             {"Content-Type: application/json"},
             R"({"Title":"notes","PathOnClient":"notes.txt","VersionData":"aGVsbG8sIGZpbGU="})");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id(json::parse(created.body).at("id").as_string());
    EXPECT_EQ(id.substr(0, 3), "068");
    auto file = Send("GET", std::string(kData) + "/sobjects/ContentVersion/" + id + "/VersionData");
    ASSERT_EQ(file.status, 200) << file.body;
    EXPECT_EQ(file.body, "hello, file");
    EXPECT_EQ(file.Header("Content-Type"), "application/octetstream");
    auto unknown =
        Send("GET", "/services/data/v54.0/sobjects/ContentVersion/0681k0000020wLFAAY/VersionData");
    EXPECT_EQ(unknown.status, 404) << unknown.body;
    EXPECT_EQ(unknown.body,
              R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])");
}

TEST_F(BlobFieldsTest, BadMultipartBodiesAreRefused) {
    auto no_record = Send("POST",
                          std::string(kData) + "/sobjects/Attachment",
                          {MultipartType()},
                          "--BOUNDARY\r\nContent-Disposition: form-data; name=\"Body\"\r\n\r\nx\r\n"
                          "--BOUNDARY--\r\n");
    EXPECT_EQ(no_record.status, 400);
    EXPECT_NE(no_record.body.find("JSON_PARSER_ERROR"), std::string::npos) << no_record.body;
    auto unknown = Send("POST",
                        std::string(kData) + "/sobjects/Attachment",
                        {MultipartType()},
                        Multipart(R"({"Name":"x","ParentId":")" + *parent_ + "\"}", "Name", "x"));
    EXPECT_EQ(unknown.status, 400);
    EXPECT_NE(unknown.body.find("INVALID_FIELD"), std::string::npos) << unknown.body;
    auto unterminated = Send("POST",
                             std::string(kData) + "/sobjects/Attachment",
                             {MultipartType()},
                             "--BOUNDARY\r\nContent-Type: application/json\r\n\r\n{}");
    EXPECT_EQ(unterminated.status, 400);
    auto no_boundary = Send("POST",
                            std::string(kData) + "/sobjects/Attachment",
                            {"Content-Type: multipart/form-data"},
                            "x");
    EXPECT_EQ(no_boundary.status, 400);
    // Objects without blob fields: an id then a field name is no resource of theirs.
    EXPECT_EQ(Send("GET", std::string(kData) + "/sobjects/Account/" + *parent_ + "/Name").status,
              404);
}

}  // namespace
}  // namespace sfkit::test
