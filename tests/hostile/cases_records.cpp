// Record ids in paths (length, checksum, key prefix, non-ASCII, encoded bytes), object names,
// API versions, field lists, replication dates, and the Authorization / Accept / other headers.
#include "hostile/hostile.hpp"

namespace sfkit::test::hostile {

std::vector<Case> IdAndHeaderCases() {
    using F = ExpectedAfterFix;
    std::vector<Case> c;
    const std::string record = std::string(kApi) + "/sobjects/Account/";
    // Ids that are not 15/18 characters are read as external ids of a field that does not exist.
    const std::vector<std::pair<std::string, std::string>> not_ids = {
        {"3", "001"},
        {"14", "001lm000000000"},
        {"16", "001lm00000000001"},
        {"17", "001lm000000000012"},
        {"19", "001lm0000000001AAAA"},
        {"5000", std::string(5000, '0')},
        {"dots", ".."},
        {"symbols", "001lm00000000!@#AA"},
        {"encoded_space", "001lm%2000000001AAA"},
        {"non_ascii",
         "001lm00000000\xc3\xa9"
         "AAA"},
        {"encoded_nul", "001lm0000000001%00"},
    };
    for (const auto& [name, id] : not_ids) {
        for (const char* method : {"GET", "DELETE"}) {
            c.push_back({std::string("id_") + name + "_" + method,
                         Request(method, record + id),
                         404,
                         Shape::kRestError,
                         "NOT_FOUND"});
        }
    }
    c.push_back({"id_14_PATCH",
                 Request("PATCH", record + "001lm000000000", {kJson}, R"({"Name":"x"})"),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND"});
    // 15/18-character ids with a bad checksum or in the wrong case: MALFORMED_ID.
    for (const char* method : {"GET", "DELETE"}) {
        c.push_back({std::string("id_bad_checksum_") + method,
                     Request(method, record + "001lm0000000001ZZZ"),
                     400,
                     Shape::kRestError,
                     "MALFORMED_ID"});
        c.push_back({std::string("id_uppercased_") + method,
                     Request(method, record + "001LM0000000001AAA"),
                     400,
                     Shape::kRestError,
                     "MALFORMED_ID"});
    }
    c.push_back({"id_bad_checksum_PATCH",
                 Request("PATCH", record + "001lm0000000001ZZZ", {kJson}, R"({"Name":"x"})"),
                 400,
                 Shape::kRestError,
                 "MALFORMED_ID"});
    // Well-formed ids of another object or of nothing: not found.
    for (const auto& [name, id] :
         std::vector<std::pair<std::string, std::string>>{{"contact_prefix", "003lm0000000001AAA"},
                                                          {"unknown_prefix", "zzzlm0000000001AAA"},
                                                          {"15_not_found", "001lm0000009999"},
                                                          {"18_not_found", "001lm000000999zAAA"}}) {
        c.push_back({"id_" + name + "_GET",
                     Request("GET", record + id),
                     404,
                     Shape::kRestError,
                     "NOT_FOUND"});
        c.push_back({"id_" + name + "_PATCH",
                     Request("PATCH", record + id, {kJson}, R"({"Name":"x"})"),
                     404,
                     Shape::kRestError,
                     "NOT_FOUND"});
    }
    // Encoded bytes that are not UTF-8 in an id position are echoed in the message (defect 3).
    c.push_back({"id_invalid_utf8_GET",
                 Request("GET", record + "%ff%fe"),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND",
                 F::kDefect3Utf8Echo});
    c.push_back({"id_invalid_utf8_DELETE",
                 Request("DELETE", record + "%c0%af"),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND",
                 F::kDefect3Utf8Echo});
    c.push_back({"id_invalid_utf8_15_chars",
                 Request("GET", record + "001lm000000%ff%fe%ed%a0"),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND",
                 F::kDefect3Utf8Echo});
    c.push_back({"external_id_invalid_utf8",
                 Request("GET", std::string(kApi) + "/sobjects/Widget__c/Ext__c/%ff%fe"),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND"});
    c.push_back({"external_id_unknown_field",
                 Request("GET", record + "Nope__c/abc"),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND"});
    c.push_back({"external_id_field_not_external",
                 Request("GET", record + "Name/abc"),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND"});
    c.push_back({"external_id_field_invalid_utf8",
                 Request("GET", record + "%ff%fe/abc"),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND",
                 F::kDefect3Utf8Echo});
    c.push_back({"lookup_id_in_related_path",
                 Request("GET", std::string(kApi) + "/sobjects/Widget__c/zzz/Parent__r"),
                 404,
                 Shape::kRestError,
                 ""});

    // Object names, versions and field lists.
    c.push_back({"unknown_sobject",
                 Request("GET", std::string(kApi) + "/sobjects/Nope/{ID}"),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND"});
    c.push_back({"sobject_invalid_utf8",
                 Request("GET", std::string(kApi) + "/sobjects/%ff%fe/describe"),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND"});
    c.push_back({"sobject_5000_chars",
                 Request("GET", std::string(kApi) + "/sobjects/" + std::string(5000, 'A')),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND"});
    c.push_back({"create_unknown_sobject",
                 Request("POST", std::string(kApi) + "/sobjects/Nope/", {kJson}, R"({"Name":"a"})"),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND"});
    c.push_back({"version_unknown",
                 Request("GET", "/services/data/v99.0/sobjects"),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND"});
    c.push_back({"version_text",
                 Request("GET", "/services/data/vabc/sobjects"),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND"});
    c.push_back({"version_invalid_utf8",
                 Request("GET", "/services/data/v%ff/sobjects"),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND"});
    c.push_back({"version_retired",
                 Request("GET", "/services/data/v5.0/sobjects"),
                 410,
                 Shape::kRestError,
                 "GONE"});
    c.push_back({"path_traversal",
                 Request("GET", "/services/data/../../etc/passwd"),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND"});
    c.push_back({"path_encoded_nul",
                 Request("GET", "/services/data/%00"),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND"});
    c.push_back({"path_raw_high_bytes",
                 Request("GET", "/services/\xff\xfe"),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND"});
    c.push_back({"fields_unknown",
                 Request("GET", record + "{ID}?fields=Nope"),
                 400,
                 Shape::kRestError,
                 "INVALID_FIELD"});
    c.push_back({"fields_invalid_utf8",
                 Request("GET", record + "{ID}?fields=%ff%fe"),
                 400,
                 Shape::kRestError,
                 "INVALID_FIELD",
                 F::kDefect3Utf8Echo});
    c.push_back({"fields_5000_unknown",
                 Request(
                     "GET",
                     record + "{ID}?fields=" +
                         [] {
                             std::string s;
                             for (int i = 0; i < 5000; ++i) {
                                 s += (i ? ",F" : "F") + std::to_string(i);
                             }
                             return s;
                         }()),
                 400,
                 Shape::kRestError,
                 "INVALID_FIELD"});
    c.push_back({"updated_bad_dates",
                 Request("GET", record + "updated/?start=garbage&end=x"),
                 400,
                 Shape::kRestError,
                 "INVALID_REPLICATION_DATE"});
    c.push_back({"deleted_bad_dates",
                 Request("GET", record + "deleted/?start=2020-13-01T00:00:00Z&end=x"),
                 400,
                 Shape::kRestError,
                 "INVALID_REPLICATION_DATE"});
    c.push_back({"updated_invalid_utf8_dates",
                 Request("GET", record + "updated/?start=%ff&end=%fe"),
                 400,
                 Shape::kRestError,
                 "INVALID_REPLICATION_DATE"});
    c.push_back(
        {"updated_missing_dates", Request("GET", record + "updated/"), 400, Shape::kRestError, ""});

    // Authorization forms: every wrong one is 401 INVALID_SESSION_ID (JSON, or XML when asked).
    const std::string get = record + "{ID}";
    auto unauthorized = [&](std::string name, std::vector<std::string> headers) {
        c.push_back({std::move(name),
                     Request("GET", get, headers, {}, false),
                     401,
                     Shape::kRestError,
                     "INVALID_SESSION_ID"});
    };
    unauthorized("auth_missing", {});
    unauthorized("auth_bearer_empty", {"Authorization: Bearer "});
    unauthorized("auth_bearer_garbage", {"Authorization: Bearer garbage"});
    unauthorized("auth_basic", {"Authorization: Basic YWRtaW46eA=="});
    unauthorized("auth_oauth_scheme_garbage", {"Authorization: OAuth x!x"});
    unauthorized("auth_token_without_scheme", {"Authorization: {TOKEN}"});
    unauthorized("auth_bearer_invalid_utf8", {"Authorization: Bearer \xff\xfe"});
    unauthorized("auth_bearer_60000_chars", {"Authorization: Bearer " + std::string(60000, 'A')});
    unauthorized("auth_bearer_tab", {"Authorization: Bearer\t{TOKEN}"});
    unauthorized("auth_bearer_token_with_suffix", {"Authorization: Bearer {TOKEN}x"});
    unauthorized("auth_bearer_token_org_only", {"Authorization: Bearer 00D000000000000!"});
    unauthorized("auth_bearer_token_twice", {"Authorization: Bearer {TOKEN} {TOKEN}"});
    unauthorized("auth_two_headers_first_bad",
                 {"Authorization: Bearer x", "Authorization: Bearer {TOKEN}"});
    unauthorized("auth_session_cookie_only", {"Cookie: sid={TOKEN}"});
    unauthorized("auth_query_parameter_only", {"X-Dummy: 1"});
    c.back().request = Request("GET", get + "?oauth_token={TOKEN}", {}, {}, false);
    unauthorized("auth_nul_in_token", {"Authorization: Bearer %00"});
    c.push_back({"auth_xml_client",
                 Request("GET", record + "{ID}.xml", {"Authorization: Bearer bad"}, {}, false),
                 401,
                 Shape::kXmlRestError,
                 "INVALID_SESSION_ID"});
    c.push_back(
        {"auth_accept_xml",
         Request("GET", get, {"Authorization: Bearer bad", "Accept: application/xml"}, {}, false),
         401,
         Shape::kXmlRestError,
         "INVALID_SESSION_ID"});
    // Other headers with odd bytes do not change the answer of a failing request.
    c.push_back({"accept_invalid_utf8_on_error",
                 Request("GET", record + "Nope__c/x", {"Accept: \xff\xfe"}),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND"});
    c.push_back({"prettyprint_invalid_on_error",
                 Request("GET", record + "Nope__c/x", {"X-PrettyPrint: \xff"}),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND"});
    c.push_back({"sforce_call_options_high_bytes",
                 Request("GET", record + "Nope__c/x", {"Sforce-Call-Options: \xff\xfe, client=x"}),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND"});
    c.push_back({"header_value_del_byte",
                 Request("GET", record + "{ID}", {"Sforce-Call-Options: client=\x7f"}),
                 400,
                 Shape::kRestError,
                 "BAD_REQUEST"});
    c.push_back({"if_modified_since_garbage",
                 Request("GET", record + "Nope__c/x", {"If-Modified-Since: \xff never"}),
                 404,
                 Shape::kRestError,
                 "NOT_FOUND"});
    return c;
}

}  // namespace sfkit::test::hostile
