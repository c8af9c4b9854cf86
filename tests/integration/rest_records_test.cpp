// Wire tests of the record resources (§B.6-B.10, B.14-B.16): update, delete, upsert and the
// external-id resource, getUpdated/getDeleted, limits, and every field-level error, each as
// request in -> exact status, headers that matter, body out, in JSON and in XML.
// RecordsWireTest and RecordsTest drive the routes in-process (RestHarness) with test objects
// that have external ids, unique fields, master-detail and restricted lookups;
// RecordsEndToEndTest runs the same resources over HTTP against a TestOrg with a real login, and
// RecordsCustomEndToEndTest against the org definition's custom objects and fields.
#include <chrono>
#include <ctime>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "sfkit/core/id.hpp"

#include "server/schema/object_builder.hpp"
#include "server/schema/schema.hpp"
#include "support/raw_http.hpp"
#include "support/rest_harness.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;
using server::FieldDef;
using server::FieldType;
using server::ObjectBuilder;

constexpr const char* kJson = "Content-Type: application/json";
constexpr const char* kXml = "Content-Type: application/xml";
constexpr const char* kAcceptXml = "Accept: application/xml";
constexpr const char* kPretty = "X-PrettyPrint: 1";
const std::string kData = "/services/data/v60.0";
const std::string kAccounts = kData + "/sobjects/Account/";
const std::string kWidgets = kData + "/sobjects/Widget__c/";

// ---- test objects --------------------------------------------------------------------------

/// Objects that exercise what Account alone cannot: an external id that is unique (Code__c) and
/// one that is not (Legacy__c), email / integer / currency / date fields, a restricted
/// multi-select picklist, a master-detail child (Part__c), a child whose lookup restricts
/// deletes (Blocker__c), and objects that refuse some operations (Log__c, Archive__c).
void AddTestObjects(server::Schema& schema) {
    {
        ObjectBuilder o("Widget__c", "Widget", "Widgets", "a00");
        o.Flags().custom = true;
        o.IsDeleted();
        FieldDef& name = server::Required(o.Text("Name", "Widget Name", 80));
        name.name_field = true;
        FieldDef& code = o.Text("Code__c", "Code", 20);
        code.external_id = true;
        code.unique = true;
        FieldDef& legacy = o.Text("Legacy__c", "Legacy Key", 40);
        legacy.external_id = true;
        o.Email("Email__c", "Email");
        o.Integer("Qty__c", "Quantity", 3);
        o.Number("Price__c", "Price", FieldType::kCurrency, 5, 2);
        FieldDef& colors = o.Picklist("Colors__c", "Colors", {"Red", "Green", "Blue"}, 4099);
        colors.type = FieldType::kMultiPicklist;
        colors.restricted_picklist = true;
        o.Picklist("Size__c", "Size", {"S", "M", "L"}).restricted_picklist = true;
        o.Reference("Account__c", "Account", {"Account"}, "Account__r");
        o.Add("Due__c", "Due", FieldType::kDate);
        o.Add("When__c", "When", FieldType::kDateTime);
        o.Checkbox("Flag__c", "Flag");
        o.Owner();
        o.AuditFields();
        schema.Add(std::move(o).Build());
    }
    {
        ObjectBuilder o("Part__c", "Part", "Parts", "a01");
        o.IsDeleted();
        server::Required(o.Text("Name", "Part Name", 80)).name_field = true;
        FieldDef& master =
            server::Required(o.Reference("Widget__c", "Widget", {"Widget__c"}, "Widget__r"));
        master.cascade_delete = true;
        o.AuditFields();
        schema.Add(std::move(o).Build());
    }
    {
        ObjectBuilder o("Blocker__c", "Blocker", "Blockers", "a02");
        o.IsDeleted();
        server::Required(o.Text("Name", "Blocker Name", 80)).name_field = true;
        o.Reference("Widget__c", "Widget", {"Widget__c"}, "Widget__r").restricted_delete = true;
        o.AuditFields();
        schema.Add(std::move(o).Build());
    }
    {
        ObjectBuilder o("Log__c", "Log", "Logs", "a03");
        o.Flags().updateable = false;
        o.Flags().deletable = false;
        o.IsDeleted();
        server::Required(o.Text("Name", "Log Name", 80)).name_field = true;
        o.AuditFields();
        schema.Add(std::move(o).Build());
    }
    {
        ObjectBuilder o("Archive__c", "Archive", "Archives", "a04");
        o.Flags().createable = false;
        o.IsDeleted();
        o.Text("Name", "Archive Name", 80).name_field = true;
        schema.Add(std::move(o).Build());
    }
}

std::string IdOf(const char* prefix, std::uint64_t n) {
    return Id::Make(prefix, "Lo", n).Str18();
}

// Records the shared harness holds (created in this order, so their ids are known up front).
const std::string kAcme = IdOf("001", 1);
const std::string kGoneAccount = IdOf("001", 2);  // deleted
const std::string kWidget1 = IdOf("a00", 1);      // Code__c W-1, Legacy__c dup
const std::string kWidget2 = IdOf("a00", 2);      // Code__c W-2, Legacy__c dup
const std::string kGoneWidget = IdOf("a00", 3);   // Code__c W-3, deleted
const std::string kLog = IdOf("a03", 1);
const std::string kMissingAccount = IdOf("001", 99999);

// ---- expected bodies -------------------------------------------------------------------------

const std::string kNotFound =
    R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])";

std::string Error(const std::string& code, const std::string& message) {
    return json::serialize(json::array{json::object{{"message", message}, {"errorCode", code}}});
}

json::object FieldsItem(const std::string& code,
                        const std::string& message,
                        const std::vector<std::string>& fields) {
    json::array f;
    for (const auto& s : fields) {
        f.emplace_back(s);
    }
    json::object o;
    o["message"] = message;
    o["errorCode"] = code;
    o["fields"] = std::move(f);
    return o;
}

std::string FieldsError(const std::string& code,
                        const std::string& message,
                        const std::vector<std::string>& fields) {
    return json::serialize(json::array{FieldsItem(code, message, fields)});
}

std::string MethodNotAllowed(const std::string& method, const std::string& allowed) {
    return json::serialize(json::array{json::object{
        {"errorCode", "METHOD_NOT_ALLOWED"},
        {"message", "HTTP Method '" + method + "' not allowed. Allowed are " + allowed}}});
}

std::string JsonParserError(const std::string& type,
                            const std::string& token,
                            const std::string& value,
                            int column) {
    return Error("JSON_PARSER_ERROR",
                 "Cannot deserialize instance of " + type + " from " + token + " value " + value +
                     " or request may be missing a required field at [line:1, column:" +
                     std::to_string(column) + "]");
}

std::string ReadOnlyError(const std::string& field) {
    return FieldsError("INVALID_FIELD_FOR_INSERT_UPDATE",
                       "Unable to create/update fields: " + field +
                           ". Please check the security settings of this field and verify that "
                           "it is read/write for your profile or permission set.",
                       {field});
}

const std::string kEntityIsDeleted = FieldsError("ENTITY_IS_DELETED", "entity is deleted", {});

std::string ReplicationError(const std::string& message) {
    return Error("INVALID_REPLICATION_DATE", message);
}

/// The XML form of a JSON error array, as the dispatcher renders errors for Accept: XML:
/// `<Errors><Error><errorCode/>[<fields/>...]<message/></Error></Errors>`.
std::string ErrorsAsXml(const std::string& json_errors) {
    const auto escape = [](std::string_view s) {
        std::string out;
        for (char c : s) {
            out += c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : std::string(1, c);
        }
        return out;
    };
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Errors>";
    const json::value parsed = json::parse(json_errors);
    for (const auto& e : parsed.as_array()) {
        const auto& o = e.as_object();
        xml += "<Error><errorCode>" + escape(o.at("errorCode").as_string()) + "</errorCode>";
        if (const auto* fields = o.if_contains("fields")) {
            for (const auto& f : fields->as_array()) {
                xml += "<fields>" + escape(f.as_string()) + "</fields>";
            }
        }
        xml += "<message>" + escape(o.at("message").as_string()) + "</message></Error>";
    }
    return xml + "</Errors>";
}

/// `2024-01-02T03:04:05Z` for a time point (UTC).
std::string IsoUtc(std::chrono::system_clock::time_point t) {
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string Window(std::chrono::system_clock::duration from,
                   std::chrono::system_clock::duration to) {
    const auto now = std::chrono::system_clock::now();
    return "?start=" + IsoUtc(now + from) + "&end=" + IsoUtc(now + to);
}

std::vector<std::string> Keys(const json::object& o) {
    std::vector<std::string> keys;
    for (const auto& kv : o) {
        keys.emplace_back(kv.key());
    }
    return keys;
}

// ---- the table ------------------------------------------------------------------------------

struct WireCase {
    std::string name;
    std::string method;
    std::string target;
    std::vector<std::string> headers;
    std::string body;
    int status;
    std::string expected_body;  ///< exact
    std::string allow = {};     ///< expected Allow header; empty: none
};

void PrintTo(const WireCase& c, std::ostream* os) {
    *os << c.name;
}

std::vector<WireCase> WireCases() {
    using std::chrono::hours;
    using std::chrono::minutes;
    const std::string acme = kAccounts + kAcme;
    const std::string gone = kAccounts + kGoneAccount;
    const std::string long_city(41, 'c');
    const std::string midnight_minus_2h = [] {
        // Two seconds-only-different times in the same minute, two hours ago.
        const auto t = std::chrono::floor<minutes>(std::chrono::system_clock::now() - hours(2));
        return "?start=" + IsoUtc(t + std::chrono::seconds(5)) +
               "&end=" + IsoUtc(t + std::chrono::seconds(50));
    }();
    return {
        // ---- update (§B.8) ----
        {"UpdateIdInBody",
         "PATCH",
         acme,
         {kJson},
         R"({"Id":")" + kAcme + R"(","Name":"x"})",
         400,
         Error("INVALID_FIELD", "The Id field should not be specified in the sobject data.")},
        {"UpdateReadOnlyField",
         "PATCH",
         acme,
         {kJson},
         R"({"CreatedDate":"2011-07-07T00:37:00.000+0000"})",
         400,
         ReadOnlyError("CreatedDate")},
        {"UpdateCompoundField",
         "PATCH",
         acme,
         {kJson},
         R"({"BillingAddress":{"city":"x"}})",
         400,
         ReadOnlyError("BillingAddress")},
        {"UpdateRequiredToNull",
         "PATCH",
         acme,
         {kJson},
         R"({"Name":null})",
         400,
         FieldsError("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", {"Name"})},
        {"UpdateRequiredToEmpty",
         "PATCH",
         acme,
         {kJson},
         R"({"Name":""})",
         400,
         FieldsError("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", {"Name"})},
        {"UpdateOwnerToNull",
         "PATCH",
         acme,
         {kJson},
         R"({"OwnerId":null})",
         400,
         FieldsError(
             "REQUIRED_FIELD_MISSING", "Required fields are missing: [OwnerId]", {"OwnerId"})},
        {"UpdateUnknownField",
         "PATCH",
         acme,
         {kJson},
         R"({"Foo":1})",
         400,
         Error("INVALID_FIELD", "No such column 'Foo' on sobject of type Account")},
        {"UpdateJsonSyntax",
         "PATCH",
         acme,
         {kJson},
         R"({"Name":})",
         400,
         Error("JSON_PARSER_ERROR", "Unexpected character ('}' (code 125)) at [line:1, column:9]")},
        {"UpdateIntFromString",
         "PATCH",
         acme,
         {kJson},
         R"({"NumberOfEmployees":"abc"})",
         400,
         JsonParserError("int", "VALUE_STRING", "abc", 27)},
        {"UpdateEmployeesOutOfRange",
         "PATCH",
         acme,
         {kJson},
         R"({"NumberOfEmployees":1431655766})",
         400,
         FieldsError("NUMBER_OUTSIDE_VALID_RANGE",
                     "Employees: value outside of valid range on numeric field: 1431655766",
                     {"NumberOfEmployees"})},
        {"UpdateRevenueOutOfRange",
         "PATCH",
         acme,
         {kJson},
         R"({"AnnualRevenue":1e19})",
         400,
         FieldsError("NUMBER_OUTSIDE_VALID_RANGE",
                     "Annual Revenue: value outside of valid range on numeric field: 1.0E19",
                     {"AnnualRevenue"})},
        {"UpdateSeveralBadFields",
         "PATCH",
         acme,
         {kJson},
         R"({"Name":"x","BillingCity":")" + long_city +
             R"(","NumberOfEmployees":123456789,"BillingGeocodeAccuracy":"Nowhere"})",
         400,
         json::serialize(json::array{
             FieldsItem("STRING_TOO_LONG",
                        "Billing City: data value too large: " + long_city + " (max length=40)",
                        {"BillingCity"}),
             FieldsItem("NUMBER_OUTSIDE_VALID_RANGE",
                        "Employees: value outside of valid range on numeric field: 123456789",
                        {"NumberOfEmployees"}),
             FieldsItem("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                        "Billing Geocode Accuracy: bad value for restricted picklist field: "
                        "Nowhere",
                        {"BillingGeocodeAccuracy"})})},
        {"UpdateLookupToDeletedRecord",
         "PATCH",
         acme,
         {kJson},
         R"({"ParentId":")" + kGoneAccount + R"("})",
         400,
         FieldsError("ENTITY_IS_DELETED", "entity is deleted", {"ParentId"})},
        {"UpdateLookupToMissingRecord",
         "PATCH",
         acme,
         {kJson},
         R"({"ParentId":")" + kMissingAccount + R"("})",
         400,
         FieldsError("INVALID_CROSS_REFERENCE_KEY",
                     "Parent Account ID: invalid cross reference id",
                     {"ParentId"})},
        {"UpdateUnknownRecord",
         "PATCH",
         kAccounts + kMissingAccount,
         {kJson},
         R"({"Name":"x"})",
         404,
         kNotFound},
        {"UpdateDeletedRecord", "PATCH", gone, {kJson}, R"({"Name":"x"})", 404, kEntityIsDeleted},
        {"UpdateBadChecksum",
         "PATCH",
         kAccounts + "001Lo0000000001ZZZ",
         {kJson},
         R"({"Name":"x"})",
         400,
         FieldsError(
             "MALFORMED_ID", "Account ID: id value of incorrect type: 001Lo0000000001ZZZ", {"Id"})},
        {"UpdateNonIdSegment",
         "PATCH",
         kAccounts + "23foo",
         {kJson},
         R"({"Name":"x"})",
         404,
         Error("NOT_FOUND",
               "Provided external ID field does not exist or is not accessible: 23foo")},
        {"UpdateUnsupportedMediaType",
         "PATCH",
         acme,
         {"Content-Type: text/csv"},
         "Name\nx",
         415,
         Error("UNSUPPORTED_MEDIA_TYPE",
               "MediaType of 'text/csv' is not supported by this resource")},
        {"UpdateXmlSyntax",
         "PATCH",
         acme,
         {kXml},
         "<Account><Name>x</Account>",
         400,
         Error("XML_PARSER_ERROR", "Start-end tags mismatch at [row,col]:[1,19]")},
        {"UpdateXmlTypeError",
         "PATCH",
         acme,
         {kXml},
         "<Account><NumberOfEmployees>many</NumberOfEmployees></Account>",
         400,
         FieldsError("INVALID_TYPE_ON_FIELD_IN_RECORD",
                     "Employees: value not of required type: many",
                     {"NumberOfEmployees"})},
        {"UpdateXmlReadOnlyField",
         "PATCH",
         acme,
         {kXml},
         "<Account><SystemModstamp>2020-01-01T00:00:00Z</SystemModstamp></Account>",
         400,
         ReadOnlyError("SystemModstamp")},
        {"UpdateObjectNotUpdateable",
         "PATCH",
         kData + "/sobjects/Log__c/" + kLog,
         {kJson},
         R"({"Name":"x"})",
         400,
         Error("CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "entity type cannot be updated: Log")},
        {"UpdateUnknownObject",
         "PATCH",
         kData + "/sobjects/Foo/" + kAcme,
         {kJson},
         "{}",
         404,
         kNotFound},
        // ---- delete and retrieve of deleted records (§B.9) ----
        {"DeleteAlreadyDeleted", "DELETE", gone, {}, "", 404, kEntityIsDeleted},
        {"DeleteUnknownRecord", "DELETE", kAccounts + kMissingAccount, {}, "", 404, kNotFound},
        {"DeleteIdOfOtherObject", "DELETE", kAccounts + kWidget1, {}, "", 404, kNotFound},
        {"DeleteObjectNotDeletable",
         "DELETE",
         kData + "/sobjects/Log__c/" + kLog,
         {},
         "",
         400,
         Error("CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "entity type cannot be deleted: Log")},
        {"RetrieveDeletedRecord", "GET", gone, {}, "", 404, kNotFound},
        // ---- methods (§B.15 METHOD_NOT_ALLOWED, Allow) ----
        {"PutRecord",
         "PUT",
         acme,
         {kJson},
         "{}",
         405,
         MethodNotAllowed("PUT", "HEAD,GET,PATCH,DELETE"),
         "HEAD,GET,PATCH,DELETE"},
        {"PostRecord",
         "POST",
         acme,
         {kJson},
         "{}",
         405,
         MethodNotAllowed("POST", "HEAD,GET,PATCH,DELETE"),
         "HEAD,GET,PATCH,DELETE"},
        {"PatchCollection",
         "PATCH",
         kAccounts,
         {kJson},
         "{}",
         405,
         MethodNotAllowed("PATCH", "HEAD,GET,POST"),
         "HEAD,GET,POST"},
        {"DeleteCollection",
         "DELETE",
         kAccounts,
         {},
         "",
         405,
         MethodNotAllowed("DELETE", "HEAD,GET,POST"),
         "HEAD,GET,POST"},
        {"PutExternalId",
         "PUT",
         kWidgets + "Code__c/W-1",
         {kJson},
         "{}",
         405,
         MethodNotAllowed("PUT", "HEAD,GET,PATCH,DELETE"),
         "HEAD,GET,PATCH,DELETE"},
        {"PatchUpdated",
         "PATCH",
         kAccounts + "updated" + Window(-hours(1), {}),
         {kJson},
         "{}",
         405,
         MethodNotAllowed("PATCH", "HEAD,GET"),
         "HEAD,GET"},
        {"PostDeleted",
         "POST",
         kAccounts + "deleted",
         {kJson},
         "{}",
         405,
         MethodNotAllowed("POST", "HEAD,GET"),
         "HEAD,GET"},
        {"PostLimits",
         "POST",
         kData + "/limits",
         {kJson},
         "{}",
         405,
         MethodNotAllowed("POST", "HEAD,GET"),
         "HEAD,GET"},
        {"DeleteRecordCount",
         "DELETE",
         kData + "/limits/recordCount",
         {},
         "",
         405,
         MethodNotAllowed("DELETE", "HEAD,GET"),
         "HEAD,GET"},
        {"UnknownResource",
         "GET",
         kData + "/sobjects/Account/" + kAcme + "/extra/more",
         {},
         "",
         404,
         kNotFound},
        // ---- external ids (§B.10) ----
        {"UpsertFieldNotExternalId",
         "PATCH",
         kWidgets + "Name/x",
         {kJson},
         R"({"Qty__c":1})",
         404,
         Error("NOT_FOUND",
               "Provided external ID field does not exist or is not accessible: Name")},
        {"UpsertUnknownField",
         "PATCH",
         kWidgets + "Nope__c/x",
         {kJson},
         "{}",
         404,
         Error("NOT_FOUND",
               "Provided external ID field does not exist or is not accessible: Nope__c")},
        {"RetrieveByNonExternalField",
         "GET",
         kWidgets + "Email__c/a@b.co",
         {},
         "",
         404,
         Error("NOT_FOUND",
               "Provided external ID field does not exist or is not accessible: Email__c")},
        {"UpsertFieldAlsoInBody",
         "PATCH",
         kWidgets + "Code__c/W-9",
         {kJson},
         R"({"Name":"n","code__c":"W-9"})",
         400,
         Error("INVALID_FIELD", "The Code__c field should not be specified in the sobject data.")},
        {"UpsertMatchesSeveral",
         "PATCH",
         kWidgets + "Legacy__c/dup",
         {kJson},
         R"({"Name":"z"})",
         300,
         json::serialize(json::array{kWidgets + kWidget1, kWidgets + kWidget2})},
        {"RetrieveMatchesSeveral",
         "GET",
         kWidgets + "legacy__c/DUP",
         {},
         "",
         300,
         json::serialize(json::array{kWidgets + kWidget1, kWidgets + kWidget2})},
        {"DeleteMatchesSeveral",
         "DELETE",
         kWidgets + "Legacy__c/dup",
         {},
         "",
         300,
         json::serialize(json::array{kWidgets + kWidget1, kWidgets + kWidget2})},
        {"RetrieveByExternalIdNoMatch", "GET", kWidgets + "Code__c/none", {}, "", 404, kNotFound},
        {"RetrieveByExternalIdOfDeleted", "GET", kWidgets + "Code__c/W-3", {}, "", 404, kNotFound},
        {"UpsertUpdateOnlyNoMatch",
         "PATCH",
         kWidgets + "Code__c/W-404?updateOnly=true",
         {kJson},
         R"({"Name":"n"})",
         404,
         kNotFound},
        {"UpsertByIdMalformed",
         "PATCH",
         kWidgets + "Id/xyz",
         {kJson},
         R"({"Name":"n"})",
         400,
         FieldsError("MALFORMED_ID", "Widget ID: id value of incorrect type: xyz", {"Id"})},
        {"UpsertByIdOfOtherObject",
         "PATCH",
         kWidgets + "Id/" + kAcme,
         {kJson},
         R"({"Name":"n"})",
         400,
         FieldsError("MALFORMED_ID", "Widget ID: id value of incorrect type: " + kAcme, {"Id"})},
        {"UpsertByIdUnknown",
         "PATCH",
         kAccounts + "Id/" + kMissingAccount,
         {kJson},
         R"({"Name":"n"})",
         404,
         kNotFound},
        {"UpsertByIdDeleted",
         "PATCH",
         kAccounts + "Id/" + kGoneAccount,
         {kJson},
         R"({"Name":"n"})",
         404,
         kEntityIsDeleted},
        {"UpsertByIdWithIdInBody",
         "PATCH",
         kAccounts + "Id",
         {kJson},
         R"({"Id":")" + kAcme + R"("})",
         400,
         Error("INVALID_FIELD", "The Id field should not be specified in the sobject data.")},
        {"UpsertBodyTypeError",
         "PATCH",
         kWidgets + "Legacy__c/x",
         {kJson},
         R"({"Qty__c":"many"})",
         400,
         JsonParserError("int", "VALUE_STRING", "many", 17)},
        // ---- field values on create (§B.6, §B.15) ----
        {"CreateDuplicateUniqueValue",
         "POST",
         kWidgets,
         {kJson},
         R"({"Name":"d","Code__c":"w-1"})",
         400,
         FieldsError("DUPLICATE_VALUE",
                     "duplicate value found: Code__c duplicates value on record with id: " +
                         kWidget1.substr(0, 15),
                     {})},
        {"UpdateDuplicateUniqueValue",
         "PATCH",
         kWidgets + kWidget2,
         {kJson},
         R"({"Code__c":"W-1"})",
         400,
         FieldsError("DUPLICATE_VALUE",
                     "duplicate value found: Code__c duplicates value on record with id: " +
                         kWidget1.substr(0, 15),
                     {})},
        {"CreateBadEmail",
         "POST",
         kWidgets,
         {kJson},
         R"({"Name":"e","Email__c":"not-an-email"})",
         400,
         FieldsError(
             "INVALID_EMAIL_ADDRESS", "Email: invalid email address: not-an-email", {"Email__c"})},
        {"CreateIntegerTooManyDigits",
         "POST",
         kWidgets,
         {kJson},
         R"({"Name":"q","Qty__c":1000})",
         400,
         FieldsError("NUMBER_OUTSIDE_VALID_RANGE",
                     "Quantity: value outside of valid range on numeric field: 1000",
                     {"Qty__c"})},
        {"CreateCurrencyTooManyDigits",
         "POST",
         kWidgets,
         {kJson},
         R"({"Name":"p","Price__c":-1000.0})",
         400,
         FieldsError("NUMBER_OUTSIDE_VALID_RANGE",
                     "Price: value outside of valid range on numeric field: -1000.0",
                     {"Price__c"})},
        {"CreateBadMultiPicklistValue",
         "POST",
         kWidgets,
         {kJson},
         R"({"Name":"c","Colors__c":"Red;Purple"})",
         400,
         FieldsError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                     "Colors: bad value for restricted picklist field: Purple",
                     {"Colors__c"})},
        {"CreateBadPicklistValue",
         "POST",
         kWidgets,
         {kJson},
         R"({"Name":"c","Size__c":"XL"})",
         400,
         FieldsError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                     "Size: bad value for restricted picklist field: XL",
                     {"Size__c"})},
        {"CreateBadDate",
         "POST",
         kWidgets,
         {kJson},
         R"({"Name":"d","Due__c":"2020-13-01"})",
         400,
         JsonParserError("date", "VALUE_STRING", "2020-13-01", 34)},
        {"CreateBadDatetime",
         "POST",
         kWidgets,
         {kJson},
         R"({"Name":"d","When__c":"yesterday"})",
         400,
         JsonParserError("datetime", "VALUE_STRING", "yesterday", 34)},
        {"CreateBooleanFromString",
         "POST",
         kWidgets,
         {kJson},
         R"({"Name":"d","Flag__c":"yes"})",
         400,
         JsonParserError("boolean", "VALUE_STRING", "yes", 28)},
        {"CreateMasterDetailMissing",
         "POST",
         kData + "/sobjects/Part__c",
         {kJson},
         R"({"Name":"p"})",
         400,
         FieldsError(
             "REQUIRED_FIELD_MISSING", "Required fields are missing: [Widget__c]", {"Widget__c"})},
        {"CreateChildOfDeletedMaster",
         "POST",
         kData + "/sobjects/Part__c",
         {kJson},
         R"({"Name":"p","Widget__c":")" + kGoneWidget + R"("})",
         400,
         FieldsError("ENTITY_IS_DELETED", "entity is deleted", {"Widget__c"})},
        {"CreateObjectNotCreateable",
         "POST",
         kData + "/sobjects/Archive__c",
         {kJson},
         R"({"Name":"a"})",
         400,
         Error("CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "entity type cannot be inserted: Archive")},
        // ---- getUpdated / getDeleted ----
        {"UpdatedWithoutStart",
         "GET",
         kAccounts + "updated",
         {},
         "",
         400,
         ReplicationError("Malformed Request, start date is not in the correct format")},
        {"UpdatedBadStart",
         "GET",
         kAccounts + "updated/?start=yesterday&end=today",
         {},
         "",
         400,
         ReplicationError("Malformed Request, start date is not in the correct format")},
        {"DeletedWithoutEnd",
         "GET",
         kAccounts + "deleted/?start=" + IsoUtc(std::chrono::system_clock::now() - hours(1)),
         {},
         "",
         400,
         ReplicationError("Malformed Request, end date is not in the correct format")},
        {"UpdatedEndBeforeStart",
         "GET",
         kAccounts + "updated" + Window(-hours(1), -hours(2)),
         {},
         "",
         400,
         ReplicationError("startDate must be at least one minute greater than endDate")},
        {"UpdatedWithinOneMinute",
         "GET",
         kAccounts + "updated" + midnight_minus_2h,
         {},
         "",
         400,
         ReplicationError("startDate must be at least one minute greater than endDate")},
        {"DeletedStartTooOld",
         "GET",
         kAccounts + "deleted" + Window(-hours(24 * 40), -hours(24 * 39)),
         {},
         "",
         400,
         ReplicationError("startDate cannot be more than 30 days ago")},
        {"UpdatedUnknownObject",
         "GET",
         kData + "/sobjects/Nope/updated" + Window(-hours(1), {}),
         {},
         "",
         404,
         kNotFound},
    };
}

// ---- fixture ---------------------------------------------------------------------------------

/// One harness for the whole table: the cases only read, or fail before writing.
class SharedHarness {
public:
    static RestHarness& Get() {
        static RestHarness harness(AddTestObjects);
        static const bool seeded = (Seed(harness), true);
        (void)seeded;
        return harness;
    }

private:
    static void Post(RestHarness& h, const std::string& target, const std::string& body) {
        auto r = h.Send("POST", target, {kJson}, body);
        ASSERT_EQ(r.status, 201) << target << " " << r.body;
    }
    static void Seed(RestHarness& h) {
        Post(h, kAccounts, R"({"Name":"Acme"})");
        Post(h, kAccounts, R"({"Name":"Gone"})");
        EXPECT_EQ(h.Send("DELETE", kAccounts + kGoneAccount).status, 204);
        Post(h, kWidgets, R"({"Name":"One","Code__c":"W-1","Legacy__c":"dup"})");
        Post(h, kWidgets, R"({"Name":"Two","Code__c":"W-2","Legacy__c":"dup"})");
        Post(h, kWidgets, R"({"Name":"Three","Code__c":"W-3"})");
        EXPECT_EQ(h.Send("DELETE", kWidgets + kGoneWidget).status, 204);
        Post(h, kData + "/sobjects/Log__c", R"({"Name":"L1"})");
    }
};

class RecordsWireTest : public ::testing::TestWithParam<WireCase> {};

TEST_P(RecordsWireTest, JsonStatusHeadersAndBody) {
    const WireCase& c = GetParam();
    auto r = SharedHarness::Get().Send(c.method, c.target, c.headers, c.body);
    EXPECT_EQ(r.status, c.status) << r.body;
    EXPECT_EQ(r.body, c.expected_body);
    ASSERT_NE(r.Header("Content-Type"), nullptr);
    EXPECT_EQ(*r.Header("Content-Type"), "application/json;charset=UTF-8");
    if (c.allow.empty()) {
        EXPECT_EQ(r.Header("Allow"), nullptr);
    } else {
        ASSERT_NE(r.Header("Allow"), nullptr);
        EXPECT_EQ(*r.Header("Allow"), c.allow);
    }
}

INSTANTIATE_TEST_SUITE_P(Records,
                         RecordsWireTest,
                         ::testing::ValuesIn(WireCases()),
                         [](const auto& p) { return p.param.name; });

/// The same errors with `Accept: application/xml` (success answers' XML is tested below).
class RecordsXmlErrorTest : public ::testing::TestWithParam<WireCase> {};

TEST_P(RecordsXmlErrorTest, XmlWhenAskedFor) {
    const WireCase& c = GetParam();
    auto headers = c.headers;
    headers.push_back(kAcceptXml);
    auto r = SharedHarness::Get().Send(c.method, c.target, headers, c.body);
    EXPECT_EQ(r.status, c.status) << r.body;
    EXPECT_EQ(r.body, ErrorsAsXml(c.expected_body));
    ASSERT_NE(r.Header("Content-Type"), nullptr);
    EXPECT_EQ(*r.Header("Content-Type"), "application/xml;charset=UTF-8");
}

std::vector<WireCase> ErrorCases() {
    std::vector<WireCase> out;
    for (auto& c : WireCases()) {
        if (c.status >= 400) {
            out.push_back(std::move(c));
        }
    }
    return out;
}

INSTANTIATE_TEST_SUITE_P(Records,
                         RecordsXmlErrorTest,
                         ::testing::ValuesIn(ErrorCases()),
                         [](const auto& p) { return p.param.name; });

// ---- behaviour over several calls (each test has its own org) ------------------------------

class RecordsTest : public ::testing::Test {
protected:
    RecordsTest() : h_(AddTestObjects) {}

    std::string Create(const std::string& target, const std::string& body) {
        auto r = h_.Send("POST", target, {kJson}, body);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? std::string(json::parse(r.body).at("id").as_string()) : "";
    }
    json::object Get(const std::string& target, int expected_status = 200) {
        auto r = h_.Send("GET", target);
        EXPECT_EQ(r.status, expected_status) << target << " -> " << r.body;
        auto v = json::parse(r.body);
        return v.is_object() ? v.as_object() : json::object{};
    }
    RestHarness h_;
};

const std::regex kDateTime(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000)");

TEST_F(RecordsTest, UpdateAnswers204AndMaintainsAuditFields) {
    const std::string id = Create(kAccounts, R"({"Name":"Before","Phone":"1"})");
    const json::object before = Get(kAccounts + id);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    auto r = h_.Send("PATCH",
                     kAccounts + id,
                     {kJson},
                     R"({"Name":"After","Phone":null,"NumberOfEmployees":"12"})");
    EXPECT_EQ(r.status, 204);
    EXPECT_EQ(r.body, "");
    EXPECT_EQ(r.Header("Content-Type"), nullptr);
    const json::object after = Get(kAccounts + id);
    EXPECT_EQ(after.at("Name").as_string(), "After");
    EXPECT_TRUE(after.at("Phone").is_null());
    EXPECT_EQ(after.at("NumberOfEmployees").as_int64(), 12);
    EXPECT_EQ(after.at("CreatedDate"), before.at("CreatedDate"));
    const std::string modified(after.at("LastModifiedDate").as_string());
    EXPECT_TRUE(std::regex_match(modified, kDateTime)) << modified;
    EXPECT_GT(modified, std::string(before.at("LastModifiedDate").as_string()));
    EXPECT_EQ(after.at("SystemModstamp").as_string(), modified);
    EXPECT_EQ(after.at("LastModifiedById").as_string(), h_.Session().user_id);
}

TEST_F(RecordsTest, UpdateWithXmlBodyAndEmptyBody) {
    const std::string id = Create(kAccounts, R"({"Name":"X"})");
    auto xml = h_.Send("PATCH",
                       kAccounts + id + ".xml",
                       {kXml},
                       "<Account><Name>From XML</Name><Rating>Hot</Rating></Account>");
    EXPECT_EQ(xml.status, 204) << xml.body;
    EXPECT_EQ(xml.body, "");
    EXPECT_EQ(Get(kAccounts + id).at("Name").as_string(), "From XML");
    EXPECT_EQ(h_.Send("PATCH", kAccounts + id, {kJson}, "{}").status, 204);
    // 15-char ids address the same record.
    EXPECT_EQ(h_.Send("PATCH", kAccounts + id.substr(0, 15), {kJson}, R"({"Site":"S"})").status,
              204);
    EXPECT_EQ(Get(kAccounts + id).at("Site").as_string(), "S");
}

TEST_F(RecordsTest, NumbersAreRoundedToTheFieldScale) {
    const std::string id =
        Create(kWidgets, R"({"Name":"n","Price__c":12.125,"Qty__c":-999,"Flag__c":null})");
    const json::object w = Get(kWidgets + id);
    EXPECT_EQ(w.at("Price__c").as_double(), 12.13);  // half away from zero, scale 2
    EXPECT_EQ(w.at("Qty__c").as_int64(), -999);
    EXPECT_FALSE(w.at("Flag__c").as_bool());
    EXPECT_EQ(h_.Send("PATCH", kWidgets + id, {kJson}, R"({"Price__c":-999.994})").status, 204);
    EXPECT_EQ(Get(kWidgets + id).at("Price__c").as_double(), -999.99);
}

TEST_F(RecordsTest, ValueFormatsOnTheWire) {
    const std::string id = Create(
        kWidgets,
        R"({"Name":"v","Due__c":"2024-02-29","When__c":"2024-03-01T10:15:30.5+02:00",)"
        R"("Colors__c":"Red;Blue","Email__c":"first.last+tag@sub.example.org","Flag__c":true})");
    auto r = h_.Send("GET", kWidgets + id + "?fields=Due__c,When__c,Colors__c,Email__c,Flag__c");
    EXPECT_EQ(
        r.body,
        R"({"attributes":{"type":"Widget__c","url":"/services/data/v60.0/sobjects/Widget__c/)" +
            id +
            R"("},"Due__c":"2024-02-29","When__c":"2024-03-01T08:15:30.500+0000",)"
            R"("Colors__c":"Red;Blue","Email__c":"first.last+tag@sub.example.org",)"
            R"("Flag__c":true,"Id":")" +
            id + R"("})");
}

TEST_F(RecordsTest, DeleteIsSoftAndAnswersLikeSalesforce) {
    const std::string id = Create(kAccounts, R"({"Name":"Doomed"})");
    auto del = h_.Send("DELETE", kAccounts + id);
    EXPECT_EQ(del.status, 204);
    EXPECT_EQ(del.body, "");
    auto again = h_.Send("DELETE", kAccounts + id);
    EXPECT_EQ(again.status, 404);
    EXPECT_EQ(again.body, kEntityIsDeleted);
    auto get = h_.Send("GET", kAccounts + id);
    EXPECT_EQ(get.status, 404);
    EXPECT_EQ(get.body, kNotFound);
    auto patch = h_.Send("PATCH", kAccounts + id, {kJson}, R"({"Name":"x"})");
    EXPECT_EQ(patch.status, 404);
    EXPECT_EQ(patch.body, kEntityIsDeleted);
    // Kept for /deleted and queryAll: the deletion is in the log.
    auto deleted =
        Get(kAccounts + "deleted" + Window(-std::chrono::hours(1), std::chrono::hours(1)));
    ASSERT_EQ(deleted.at("deletedRecords").as_array().size(), 1u);
    EXPECT_EQ(deleted.at("deletedRecords").at(0).at("id").as_string(), id);
}

TEST_F(RecordsTest, DeleteCascadesToMasterDetailChildren) {
    const std::string widget = Create(kWidgets, R"({"Name":"Parent"})");
    const std::string part1 =
        Create(kData + "/sobjects/Part__c", R"({"Name":"P1","Widget__c":")" + widget + R"("})");
    const std::string part2 =
        Create(kData + "/sobjects/Part__c", R"({"Name":"P2","Widget__c":")" + widget + R"("})");
    EXPECT_EQ(h_.Send("DELETE", kWidgets + widget).status, 204);
    for (const auto& part : {part1, part2}) {
        EXPECT_EQ(h_.Send("GET", kData + "/sobjects/Part__c/" + part).status, 404);
        EXPECT_EQ(h_.Send("DELETE", kData + "/sobjects/Part__c/" + part).body, kEntityIsDeleted);
    }
    auto deleted = Get(kData + "/sobjects/Part__c/deleted" +
                       Window(-std::chrono::hours(1), std::chrono::hours(1)));
    EXPECT_EQ(deleted.at("deletedRecords").as_array().size(), 2u);
}

TEST_F(RecordsTest, RestrictedLookupBlocksDelete) {
    const std::string widget = Create(kWidgets, R"({"Name":"Guarded"})");
    Create(kData + "/sobjects/Blocker__c", R"({"Name":"B1","Widget__c":")" + widget + R"("})");
    auto del = h_.Send("DELETE", kWidgets + widget);
    EXPECT_EQ(del.status, 400);
    EXPECT_EQ(del.body,
              FieldsError("DELETE_FAILED",
                          "Your attempt to delete Guarded could not be completed because it is "
                          "associated with the following blockers.: B1",
                          {}));
    EXPECT_EQ(Get(kWidgets + widget).at("Name").as_string(), "Guarded");  // rolled back
}

TEST_F(RecordsTest, DeleteClearsOrdinaryLookups) {
    const std::string parent = Create(kAccounts, R"({"Name":"Parent"})");
    const std::string child =
        Create(kAccounts, R"({"Name":"Child","ParentId":")" + parent + R"("})");
    EXPECT_EQ(h_.Send("DELETE", kAccounts + parent).status, 204);
    EXPECT_TRUE(Get(kAccounts + child).at("ParentId").is_null());
}

// ---- the standard objects' derived values and relationships drive update and delete --------

TEST_F(RecordsTest, UpdateRecomputesDerivedValues) {
    const std::string opps = kData + "/sobjects/Opportunity/";
    const std::string opp = Create(opps,
                                   R"({"Name":"Deal","StageName":"Prospecting",)"
                                   R"("CloseDate":"2024-05-17","Amount":1000})");
    auto o = Get(opps + opp);
    EXPECT_EQ(o.at("Probability").as_double(), 10.0);
    EXPECT_TRUE(o.at("LastStageChangeDate").is_null());
    // A new stage re-defaults Probability and the forecast category and stamps the change.
    ASSERT_EQ(h_.Send("PATCH", opps + opp, {kJson}, R"({"StageName":"Closed Won"})").status, 204);
    o = Get(opps + opp);
    EXPECT_TRUE(o.at("IsClosed").as_bool());
    EXPECT_TRUE(o.at("IsWon").as_bool());
    EXPECT_EQ(o.at("Probability").as_double(), 100.0);
    EXPECT_EQ(o.at("ExpectedRevenue").as_double(), 1000.0);
    EXPECT_EQ(o.at("ForecastCategoryName").as_string(), "Closed");
    const std::string stamp(o.at("LastStageChangeDate").as_string());
    EXPECT_TRUE(std::regex_match(stamp, kDateTime)) << stamp;
    EXPECT_EQ(o.at("LastModifiedDate").as_string(), stamp);
    // Other changes keep the stage's values and recompute what depends on them.
    ASSERT_EQ(h_.Send("PATCH", opps + opp, {kJson}, R"({"Amount":400})").status, 204);
    o = Get(opps + opp);
    EXPECT_EQ(o.at("Probability").as_double(), 100.0);
    EXPECT_EQ(o.at("ExpectedRevenue").as_double(), 400.0);
    EXPECT_EQ(o.at("LastStageChangeDate").as_string(), stamp);
    // A Probability given with the stage wins over the stage's default.
    ASSERT_EQ(h_.Send("PATCH",
                      opps + opp,
                      {kJson},
                      R"({"StageName":"Negotiation/Review","Probability":50})")
                  .status,
              204);
    o = Get(opps + opp);
    EXPECT_FALSE(o.at("IsClosed").as_bool());
    EXPECT_EQ(o.at("Probability").as_double(), 50.0);
    EXPECT_EQ(o.at("ExpectedRevenue").as_double(), 200.0);

    // Case: closing stamps ClosedDate, reopening clears it.
    const std::string cases = kData + "/sobjects/Case/";
    const std::string c = Create(cases, R"({"Subject":"Broken"})");
    EXPECT_TRUE(Get(cases + c).at("ClosedDate").is_null());
    ASSERT_EQ(h_.Send("PATCH", cases + c, {kJson}, R"({"Status":"Closed"})").status, 204);
    auto closed = Get(cases + c);
    EXPECT_TRUE(closed.at("IsClosed").as_bool());
    EXPECT_TRUE(std::regex_match(std::string(closed.at("ClosedDate").as_string()), kDateTime));
    ASSERT_EQ(h_.Send("PATCH", cases + c, {kJson}, R"({"Status":"Working"})").status, 204);
    EXPECT_TRUE(Get(cases + c).at("ClosedDate").is_null());

    // Contact: Name follows its parts, the stored one included.
    const std::string contacts = kData + "/sobjects/Contact/";
    const std::string ct = Create(contacts, R"({"FirstName":"Grace","LastName":"Hopper"})");
    ASSERT_EQ(h_.Send("PATCH", contacts + ct, {kJson}, R"({"FirstName":"Amazing"})").status, 204);
    EXPECT_EQ(Get(contacts + ct).at("Name").as_string(), "Amazing Hopper");
}

TEST_F(RecordsTest, StandardRelationshipsCascadeAndRestrict) {
    const std::string contacts = kData + "/sobjects/Contact/";
    const std::string opps = kData + "/sobjects/Opportunity/";
    const std::string cases = kData + "/sobjects/Case/";
    const std::string contracts = kData + "/sobjects/Contract/";
    // An account's contacts, opportunities and (draft) contracts go with it.
    const std::string acct = Create(kAccounts, R"({"Name":"Parent Co"})");
    const std::string contact =
        Create(contacts, R"({"LastName":"Kid","AccountId":")" + acct + R"("})");
    const std::string opp = Create(opps,
                                   R"({"Name":"Deal","StageName":"Prospecting",)"
                                   R"("CloseDate":"2024-05-17","AccountId":")" +
                                       acct + R"("})");
    const std::string draft = Create(contracts, R"({"AccountId":")" + acct + R"("})");
    EXPECT_EQ(h_.Send("DELETE", kAccounts + acct).status, 204);
    EXPECT_EQ(h_.Send("DELETE", contacts + contact).body, kEntityIsDeleted);
    EXPECT_EQ(h_.Send("DELETE", opps + opp).body, kEntityIsDeleted);
    EXPECT_EQ(h_.Send("DELETE", contracts + draft).body, kEntityIsDeleted);

    // A case blocks the delete of its account, and of a contact being cascaded to.
    const std::string held = Create(kAccounts, R"({"Name":"Held"})");
    const std::string kid = Create(contacts, R"({"LastName":"Kid","AccountId":")" + held + R"("})");
    const std::string c = Create(cases, R"({"Subject":"Open","ContactId":")" + kid + R"("})");
    const std::string number(Get(cases + c).at("CaseNumber").as_string());
    auto blocked = h_.Send("DELETE", kAccounts + held);
    EXPECT_EQ(blocked.status, 400);
    EXPECT_EQ(blocked.body,
              FieldsError("DELETE_FAILED",
                          "Your attempt to delete Kid could not be completed because it is "
                          "associated with the following cases.: " +
                              number,
                          {}));
    // Nothing was deleted: the account and its contact are live.
    EXPECT_EQ(Get(kAccounts + held).at("Name").as_string(), "Held");
    EXPECT_EQ(Get(contacts + kid).at("LastName").as_string(), "Kid");
    EXPECT_EQ(h_.Send("DELETE", cases + c).status, 204);
    EXPECT_EQ(h_.Send("DELETE", kAccounts + held).status, 204);

    // An activated contract blocks its account's delete.
    const std::string signed_up = Create(kAccounts, R"({"Name":"Signed"})");
    const std::string active = Create(contracts, R"({"AccountId":")" + signed_up + R"("})");
    ASSERT_EQ(h_.Send("PATCH", contracts + active, {kJson}, R"({"Status":"Activated"})").status,
              204);
    auto refused = h_.Send("DELETE", kAccounts + signed_up);
    EXPECT_EQ(refused.status, 400);
    EXPECT_NE(refused.body.find("associated with the following contracts."), std::string::npos)
        << refused.body;
}

TEST_F(RecordsTest, OwnerMustBeAnExistingUser) {
    // The session's user is a User record, so it may be named explicitly.
    const std::string mine =
        Create(kAccounts, R"({"Name":"Mine","OwnerId":")" + h_.Session().user_id + R"("})");
    EXPECT_EQ(Get(kAccounts + mine).at("OwnerId").as_string(), h_.Session().user_id);
    auto nobody = h_.Send(
        "POST", kAccounts, {kJson}, R"({"Name":"Orphan","OwnerId":")" + IdOf("005", 999) + R"("})");
    EXPECT_EQ(nobody.status, 400);
    EXPECT_EQ(
        nobody.body,
        FieldsError(
            "INVALID_CROSS_REFERENCE_KEY", "Owner ID: invalid cross reference id", {"OwnerId"}));
}

TEST_F(RecordsTest, IdentityObjectsRefuseWrites) {
    const std::string user = kData + "/sobjects/User/" + h_.Session().user_id;
    auto patch = h_.Send("PATCH", user, {kJson}, R"({"LastName":"X"})");
    EXPECT_EQ(patch.status, 400);
    EXPECT_EQ(patch.body,
              Error("CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "entity type cannot be updated: User"));
    auto del = h_.Send("DELETE", user);
    EXPECT_EQ(del.body,
              Error("CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "entity type cannot be deleted: User"));
    EXPECT_EQ(Get(user).at("Id").as_string(), h_.Session().user_id);
}

TEST_F(RecordsTest, UpsertCreatesThenUpdates) {
    auto created = h_.Send("PATCH", kWidgets + "Code__c/K-1", {kJson}, R"({"Name":"Keyed"})");
    ASSERT_EQ(created.status, 201) << created.body;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(
        created.body,
        m,
        std::regex(
            R"re(\{"id":"(a00[0-9A-Za-z]{15})","success":true,"errors":\[\],"created":true\})re")))
        << created.body;
    const std::string id = m[1];
    EXPECT_EQ(Get(kWidgets + id).at("Code__c").as_string(), "K-1");

    // Matching is case-insensitive for text external ids.
    auto updated = h_.Send("PATCH", kWidgets + "code__c/k-1", {kJson}, R"({"Qty__c":7})");
    EXPECT_EQ(updated.status, 200);
    EXPECT_EQ(updated.body, R"({"id":")" + id + R"(","success":true,"errors":[],"created":false})");
    EXPECT_EQ(Get(kWidgets + id).at("Qty__c").as_int64(), 7);
    auto update_only =
        h_.Send("PATCH", kWidgets + "Code__c/K-1?updateOnly=true", {kJson}, R"({"Qty__c":8})");
    EXPECT_EQ(update_only.status, 200);
    EXPECT_EQ(Get(kWidgets + id).at("Qty__c").as_int64(), 8);
}

TEST_F(RecordsTest, UpsertBeforeVersion46HasNoCreatedAndUpdatesWith204) {
    const std::string v45 = "/services/data/v45.0/sobjects/Widget__c/";
    auto created = h_.Send("PATCH", v45 + "Code__c/OLD", {kJson}, R"({"Name":"Old"})");
    EXPECT_EQ(created.status, 201);
    EXPECT_TRUE(std::regex_match(
        created.body, std::regex(R"(\{"id":"a00\w{15}","success":true,"errors":\[\]\})")))
        << created.body;
    auto updated = h_.Send("PATCH", v45 + "Code__c/OLD", {kJson}, R"({"Name":"Older"})");
    EXPECT_EQ(updated.status, 204);
    EXPECT_EQ(updated.body, "");
}

TEST_F(RecordsTest, UpsertInXmlBothWays) {
    auto created = h_.Send("PATCH",
                           kWidgets + "Code__c/X-1",
                           {kXml, kAcceptXml, kPretty},
                           "<Widget__c><Name>Xml</Name><Size__c>M</Size__c></Widget__c>");
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_TRUE(std::regex_match(
        created.body,
        std::regex("<\\?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"\\?>\n<Result>\n"
                   "    <id>a00\\w{15}</id>\n    <success>true</success>\n"
                   "    <created>true</created>\n</Result>")))
        << created.body;
    auto updated = h_.Send("PATCH",
                           kWidgets + "Code__c/X-1.xml",
                           {kXml},
                           "<Widget__c><Size__c>L</Size__c></Widget__c>");
    EXPECT_EQ(updated.status, 200);
    EXPECT_TRUE(std::regex_match(
        updated.body,
        std::regex("<\\?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"\\?><Result>"
                   "<id>a00\\w{15}</id><success>true</success><created>false</created></Result>")))
        << updated.body;
    auto several = h_.Send("GET", kWidgets + "Code__c/X-1", {kAcceptXml});
    EXPECT_NE(several.body.find("<Size__c>L</Size__c>"), std::string::npos) << several.body;
}

TEST_F(RecordsTest, MultipleMatchesInXml) {
    Create(kWidgets, R"({"Name":"a","Legacy__c":"same"})");
    Create(kWidgets, R"({"Name":"b","Legacy__c":"same"})");
    auto r = h_.Send("GET", kWidgets + "Legacy__c/same.xml");
    EXPECT_EQ(r.status, 300);
    EXPECT_EQ(r.body,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Results><url>" + kWidgets +
                  IdOf("a00", 1) + "</url><url>" + kWidgets + IdOf("a00", 2) + "</url></Results>");
}

TEST_F(RecordsTest, UpsertWithIdField) {
    // POST and PATCH on /sobjects/{type}/Id insert (the Id is null, §B.6).
    auto post = h_.Send("POST", kAccounts + "Id", {kJson}, R"({"Name":"ById"})");
    ASSERT_EQ(post.status, 201) << post.body;
    const std::string id(json::parse(post.body).at("id").as_string());
    EXPECT_TRUE(json::parse(post.body).at("created").as_bool());
    EXPECT_EQ(h_.Send("PATCH", kAccounts + "Id", {kJson}, R"({"Name":"ById2"})").status, 201);
    // An existing Id updates it.
    auto patch = h_.Send("PATCH", kAccounts + "Id/" + id.substr(0, 15), {kJson}, R"({"Site":"Z"})");
    EXPECT_EQ(patch.status, 200);
    EXPECT_EQ(patch.body, R"({"id":")" + id + R"(","success":true,"errors":[],"created":false})");
    EXPECT_EQ(Get(kAccounts + "Id/" + id).at("Site").as_string(), "Z");
}

TEST_F(RecordsTest, RetrieveAndDeleteByExternalId) {
    const std::string id = Create(kWidgets, R"({"Name":"Find me","Code__c":"FIND"})");
    auto rec = Get(kWidgets + "Code__c/find?fields=Name,Code__c");
    EXPECT_EQ(Keys(rec), (std::vector<std::string>{"attributes", "Name", "Code__c", "Id"}));
    EXPECT_EQ(rec.at("Id").as_string(), id);
    auto head = h_.Send("HEAD", kWidgets + "Code__c/FIND");
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(h_.Send("DELETE", kWidgets + "Code__c/FIND").status, 204);
    EXPECT_EQ(h_.Send("GET", kWidgets + "Code__c/FIND").status, 404);
    EXPECT_EQ(h_.Send("GET", kWidgets + id).status, 404);
    // A record in the recycle bin keeps its unique value (Salesforce: records in the Recycle
    // Bin count toward duplicate checking), whatever the case.
    auto again = h_.Send("POST", kWidgets, {kJson}, R"({"Name":"Again","Code__c":"find"})");
    EXPECT_EQ(again.status, 400);
    EXPECT_EQ(
        again.body,
        R"([{"message":"duplicate value found: Code__c duplicates value on record with id: )" +
            id.substr(0, 15) + R"(","errorCode":"DUPLICATE_VALUE","fields":[]}])");
}

TEST_F(RecordsTest, GetUpdatedListsCreatedAndUpdatedRecords) {
    // Pauses keep the change times distinct, so the order below is by time, not by id.
    const auto pause = [] { std::this_thread::sleep_for(std::chrono::milliseconds(3)); };
    const std::string a = Create(kAccounts, R"({"Name":"A"})");
    pause();
    const std::string b = Create(kAccounts, R"({"Name":"B"})");
    pause();
    const std::string c = Create(kAccounts, R"({"Name":"C"})");
    pause();
    EXPECT_EQ(h_.Send("PATCH", kAccounts + a, {kJson}, R"({"Site":"x"})").status, 204);
    EXPECT_EQ(h_.Send("DELETE", kAccounts + c).status, 204);
    const auto before = std::chrono::system_clock::now();
    auto r = h_.Send(
        "GET", kAccounts + "updated/" + Window(-std::chrono::hours(1), std::chrono::hours(1)));
    ASSERT_EQ(r.status, 200) << r.body;
    const json::object o = json::parse(r.body).as_object();
    EXPECT_EQ(Keys(o), (std::vector<std::string>{"ids", "latestDateCovered"}));
    // Ordered by last change: b was created after a, but a was updated last; c is deleted.
    EXPECT_EQ(o.at("ids"), (json::array{b, a}));
    // The window ends in the future, so what is covered is "now".
    const std::string latest(o.at("latestDateCovered").as_string());
    EXPECT_TRUE(std::regex_match(latest, kDateTime)) << latest;
    EXPECT_LE(latest.substr(0, 16), IsoUtc(before + std::chrono::minutes(1)).substr(0, 16));

    // A window that ended in the past covers up to its (minute-truncated) end.
    const auto now = std::chrono::system_clock::now();
    auto past = Get(kAccounts + "updated?start=" + IsoUtc(now - std::chrono::hours(3)) +
                    "&end=" + IsoUtc(now - std::chrono::hours(2)));
    EXPECT_TRUE(past.at("ids").as_array().empty());
    EXPECT_EQ(past.at("latestDateCovered").as_string(),
              IsoUtc(now - std::chrono::hours(2)).substr(0, 17) + "00.000+0000");
}

TEST_F(RecordsTest, GetUpdatedAcceptsOffsetsAndAnUnencodedPlus) {
    const std::string a = Create(kAccounts, R"({"Name":"A"})");
    const auto now = std::chrono::system_clock::now();
    // `+00:00` percent-encoded, and a raw `+` (which form decoding turns into a space).
    const std::string start = IsoUtc(now - std::chrono::hours(1)).substr(0, 19);
    const std::string end = IsoUtc(now + std::chrono::hours(1)).substr(0, 19);
    auto encoded =
        Get(kAccounts + "updated/?start=" + start + "%2B00%3A00&end=" + end + "%2B00%3A00");
    EXPECT_EQ(encoded.at("ids"), (json::array{a}));
    auto raw = Get(kAccounts + "updated/?start=" + start + "+00:00&end=" + end + "+00:00");
    EXPECT_EQ(raw.at("ids"), (json::array{a}));
}

TEST_F(RecordsTest, GetDeletedJsonAndXml) {
    const std::string a = Create(kAccounts, R"({"Name":"A"})");
    EXPECT_EQ(h_.Send("DELETE", kAccounts + a).status, 204);
    const std::string window = Window(-std::chrono::hours(1), std::chrono::hours(1));
    auto r = h_.Send("GET", kAccounts + "deleted/" + window, {kPretty});
    ASSERT_EQ(r.status, 200) << r.body;
    const json::object o = json::parse(r.body).as_object();
    EXPECT_EQ(
        Keys(o),
        (std::vector<std::string>{"deletedRecords", "earliestDateAvailable", "latestDateCovered"}));
    const auto& entry = o.at("deletedRecords").at(0).as_object();
    EXPECT_EQ(Keys(entry), (std::vector<std::string>{"id", "deletedDate"}));
    EXPECT_EQ(entry.at("id").as_string(), a);
    const std::string deleted_date(entry.at("deletedDate").as_string());
    EXPECT_TRUE(std::regex_match(deleted_date, kDateTime));
    const std::string earliest(o.at("earliestDateAvailable").as_string());
    EXPECT_TRUE(
        std::regex_match(earliest, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000\+0000)")));
    EXPECT_LE(earliest, deleted_date);
    EXPECT_EQ(r.body.rfind("{\n  \"deletedRecords\" : [ {\n    \"id\" : \"" + a + "\",\n", 0), 0u)
        << r.body;

    auto xml = h_.Send("GET", kAccounts + "deleted/" + window, {kAcceptXml});
    ASSERT_EQ(xml.status, 200);
    std::string z_date = deleted_date.substr(0, 23) + "Z";
    EXPECT_EQ(xml.body.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Account><deletedRecords>"
                             "<deletedDate>" +
                                 z_date + "</deletedDate><id>" + a +
                                 "</id></deletedRecords><earliestDateAvailable>",
                             0),
              0u)
        << xml.body;
    EXPECT_TRUE(std::regex_search(
        xml.body, std::regex("<latestDateCovered>[0-9T:.-]+Z</latestDateCovered></Account>$")));

    auto updated = h_.Send("GET", kAccounts + "updated.xml" + window);
    EXPECT_TRUE(std::regex_match(
        updated.body,
        std::regex("<\\?xml version=\"1.0\" encoding=\"UTF-8\"\\?><Account>"
                   "<latestDateCovered>[0-9T:.-]+Z</latestDateCovered></Account>")))
        << updated.body;
}

const std::vector<std::string> kLimitNames = {"ConcurrentAsyncGetReportInstances",
                                              "ConcurrentSyncReportRuns",
                                              "DailyApiRequests",
                                              "DailyAsyncApexExecutions",
                                              "DailyBulkApiBatches",
                                              "DailyBulkApiRequests",
                                              "DailyBulkV2QueryFileStorageMB",
                                              "DailyBulkV2QueryJobs",
                                              "DailyDurableGenericStreamingApiEvents",
                                              "DailyDurableStreamingApiEvents",
                                              "DailyGenericStreamingApiEvents",
                                              "DailyStreamingApiEvents",
                                              "DailyWorkflowEmails",
                                              "DataStorageMB",
                                              "DurableStreamingApiConcurrentClients",
                                              "FileStorageMB",
                                              "HourlyAsyncReportRuns",
                                              "HourlyDashboardRefreshes",
                                              "HourlyDashboardResults",
                                              "HourlyDashboardStatuses",
                                              "HourlyODataCallout",
                                              "HourlySyncReportRuns",
                                              "HourlyTimeBasedWorkflow",
                                              "MassEmail",
                                              "SingleEmail",
                                              "StreamingApiConcurrentClients"};

TEST_F(RecordsTest, LimitsHaveTheRealNamesSortedWithNumericValues) {
    auto limits = Get(kData + "/limits");
    EXPECT_EQ(Keys(limits), kLimitNames);
    auto sorted = kLimitNames;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, kLimitNames);
    for (const auto& kv : limits) {
        const auto& entry = kv.value().as_object();
        ASSERT_TRUE(entry.at("Max").is_int64()) << kv.key();
        ASSERT_TRUE(entry.at("Remaining").is_int64()) << kv.key();
        EXPECT_LE(entry.at("Remaining").as_int64(), entry.at("Max").as_int64()) << kv.key();
    }
    EXPECT_EQ(limits.at("DataStorageMB").at("Max").as_int64(), 5);
    auto xml = h_.Send("GET", kData + "/limits.xml");
    EXPECT_EQ(xml.body.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Limits>"
                             "<ConcurrentAsyncGetReportInstances><Max>200</Max><Remaining>200"
                             "</Remaining></ConcurrentAsyncGetReportInstances>",
                             0),
              0u)
        << xml.body.substr(0, 300);
}

TEST_F(RecordsTest, RecordCountCountsLiveRecords) {
    EXPECT_EQ(h_.Send("GET", kData + "/limits/recordCount?sObjects=Account").body,
              R"({"sObjects":[]})");
    Create(kAccounts, R"({"Name":"A"})");
    const std::string b = Create(kAccounts, R"({"Name":"B"})");
    Create(kWidgets, R"({"Name":"W"})");
    EXPECT_EQ(h_.Send("DELETE", kAccounts + b).status, 204);
    EXPECT_EQ(h_.Send("GET", kData + "/limits/recordCount?sObjects=widget__c,Account,Nope").body,
              R"({"sObjects":[{"count":1,"name":"Widget__c"},{"count":1,"name":"Account"}]})");
    // Without sObjects: every object with live records, by name, including the org's own
    // Organization, Profile and User records and the standard price book.
    EXPECT_EQ(h_.Send("GET", kData + "/limits/recordCount").body,
              R"({"sObjects":[{"count":1,"name":"Account"},{"count":1,"name":"Organization"},)"
              R"({"count":1,"name":"Pricebook2"},{"count":2,"name":"Profile"},)"
              R"({"count":1,"name":"User"},{"count":1,"name":"Widget__c"}]})");
    EXPECT_EQ(h_.Send("GET", kData + "/limits/recordCount?sObjects=Account", {kPretty}).body,
              "{\n  \"sObjects\" : [ {\n    \"count\" : 1,\n    \"name\" : \"Account\"\n  } ]\n}");
}

// ---- end to end over HTTP with a real login ---------------------------------------------------

class RecordsEndToEndTest : public ::testing::Test {
protected:
    RecordsEndToEndTest() = default;
    explicit RecordsEndToEndTest(server::LocalOrgOptions options) : org_(std::move(options)) {}
    void SetUp() override { token_ = org_.Login(); }
    std::string Bearer() const { return "Authorization: Bearer " + token_; }
    RawResponse Call(const std::string& method,
                     const std::string& target,
                     std::vector<std::string> headers = {},
                     const std::string& body = {}) {
        headers.push_back(Bearer());
        return Fetch(org_.Port(), method, target, headers, body);
    }
    TestOrg org_;
    std::string token_;
};

TEST_F(RecordsEndToEndTest, CreateUpdateDeleteOverHttp) {
    auto created = Call("POST", kAccounts, {kJson}, R"({"Name":"Wire"})");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id(json::parse(created.body).at("id").as_string());
    auto patch = Call("PATCH", kAccounts + id, {kJson}, R"({"Name":"Wired"})");
    EXPECT_EQ(patch.status, 204);
    EXPECT_EQ(patch.body, "");
    EXPECT_EQ(patch.Header("Content-Type"), "");
    EXPECT_EQ(patch.Header("Sforce-Limit-Info").rfind("api-usage=", 0), 0u);
    auto head = Call("HEAD", kAccounts + id);
    EXPECT_EQ(head.status, 200);
    auto got = Call("GET", kAccounts + id);
    EXPECT_EQ(json::parse(got.body).at("Name").as_string(), "Wired");
    auto put = Call("PUT", kAccounts + id, {kJson}, "{}");
    EXPECT_EQ(put.status, 405);
    EXPECT_EQ(put.Header("Allow"), "HEAD,GET,PATCH,DELETE");
    EXPECT_EQ(put.body, MethodNotAllowed("PUT", "HEAD,GET,PATCH,DELETE"));
    EXPECT_EQ(Call("DELETE", kAccounts + id).status, 204);
    auto again = Call("DELETE", kAccounts + id);
    EXPECT_EQ(again.status, 404);
    EXPECT_EQ(again.body, kEntityIsDeleted);
    auto xml = Call("DELETE", kAccounts + id + ".xml");
    EXPECT_EQ(xml.body, ErrorsAsXml(kEntityIsDeleted));
}

TEST_F(RecordsEndToEndTest, LimitsReportTheOrgsRealApiUsage) {
    Call("GET", kData + "/");
    Call("GET", kData + "/sobjects");
    auto r = Call("GET", kData + "/limits");
    ASSERT_EQ(r.status, 200) << r.body;
    // The header and the body agree on the calls counted so far (this one included).
    std::smatch m;
    const std::string info = r.Header("Sforce-Limit-Info");
    ASSERT_TRUE(std::regex_match(info, m, std::regex(R"(api-usage=(\d+)/(\d+))"))) << info;
    const auto limits = json::parse(r.body).as_object();
    const auto& daily = limits.at("DailyApiRequests").as_object();
    EXPECT_EQ(daily.at("Max").as_int64(), std::stoll(m[2]));
    EXPECT_EQ(daily.at("Remaining").as_int64(), std::stoll(m[2]) - std::stoll(m[1]));
    EXPECT_GE(std::stoll(m[1]), 3);
    // The calling connected app appears inside, with no allocation of its own.
    EXPECT_EQ(Keys(daily), (std::vector<std::string>{"Max", "Remaining", "Seed App"}));
    EXPECT_EQ(daily.at("Seed App"), (json::object{{"Max", 0}, {"Remaining", 0}}));
    EXPECT_EQ(Keys(limits), kLimitNames);
}

TEST_F(RecordsEndToEndTest, ReplicationOverHttp) {
    auto created = Call("POST", kAccounts, {kJson}, R"({"Name":"Replicated"})");
    const std::string id(json::parse(created.body).at("id").as_string());
    const std::string window = Window(-std::chrono::hours(1), std::chrono::hours(1));
    auto updated = Call("GET", kAccounts + "updated/" + window);
    ASSERT_EQ(updated.status, 200) << updated.body;
    EXPECT_EQ(json::parse(updated.body).at("ids"), (json::array{id}));
    auto bad = Call("GET", kAccounts + "deleted/?start=x&end=y");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.body,
              ReplicationError("Malformed Request, start date is not in the correct format"));
}

// ---- the org definition's custom objects and fields (tests/data/org-def-custom.json) --------

class RecordsCustomEndToEndTest : public RecordsEndToEndTest {
protected:
    static server::LocalOrgOptions CustomOptions() {
        server::LocalOrgOptions options = TestOrg::DefaultOptions();
        options.org_def_file = TestDataPath("org-def-custom.json");
        return options;
    }
    RecordsCustomEndToEndTest() : RecordsEndToEndTest(CustomOptions()) {}

    std::string CreateOk(const std::string& target, const std::string& body) {
        auto r = Call("POST", target, {kJson}, body);
        EXPECT_EQ(r.status, 201) << target << " " << r.body;
        return r.status == 201 ? std::string(json::parse(r.body).at("id").as_string()) : "";
    }
    json::object GetOk(const std::string& target) {
        auto r = Call("GET", target);
        EXPECT_EQ(r.status, 200) << target << " " << r.body;
        auto v = json::parse(r.body);
        return v.is_object() ? v.as_object() : json::object{};
    }
};

const std::string kInvoices = kData + "/sobjects/Invoice__c/";
const std::string kLines = kData + "/sobjects/Invoice_Line__c/";

TEST_F(RecordsCustomEndToEndTest, UpsertAndUniqueExternalIdOfACustomObject) {
    // ExtId__c is an external id and unique: upsert inserts, then matches ignoring case.
    auto created =
        Call("PATCH", kInvoices + "ExtId__c/INV-EXT-1", {kJson}, R"({"Due_Date__c":"2024-06-30"})");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id(json::parse(created.body).at("id").as_string());
    EXPECT_EQ(created.body, R"({"id":")" + id + R"(","success":true,"errors":[],"created":true})");
    auto updated =
        Call("PATCH", kInvoices + "ExtId__c/inv-ext-1", {kJson}, R"({"Amount__c":99.5})");
    EXPECT_EQ(updated.status, 200) << updated.body;
    EXPECT_EQ(updated.body, R"({"id":")" + id + R"(","success":true,"errors":[],"created":false})");
    const auto rec = GetOk(kInvoices + "ExtId__c/Inv-Ext-1");
    EXPECT_EQ(rec.at("Id").as_string(), id);
    EXPECT_EQ(rec.at("ExtId__c").as_string(), "INV-EXT-1");
    EXPECT_EQ(rec.at("Amount__c").as_double(), 99.5);
    EXPECT_EQ(rec.at("Status__c").as_string(), "Draft");  // picklist default on the upsert insert
    EXPECT_TRUE(std::regex_match(std::string(rec.at("Name").as_string()),
                                 std::regex(R"(INV-\d{4})")));  // auto number
    // The same value in another case, on insert and on update, is a duplicate (the schema's
    // UNIQUE index is case-insensitive, and so is the check).
    const std::string dup = R"([{"message":"duplicate value found: ExtId__c duplicates value on )"
                            R"(record with id: )" +
                            id.substr(0, 15) + R"(","errorCode":"DUPLICATE_VALUE","fields":[]}])";
    auto insert =
        Call("POST", kInvoices, {kJson}, R"({"Due_Date__c":"2024-07-01","ExtId__c":"inv-EXT-1"})");
    EXPECT_EQ(insert.status, 400);
    EXPECT_EQ(insert.body, dup);
    const std::string other = CreateOk(kInvoices, R"({"Due_Date__c":"2024-07-01"})");
    auto update = Call("PATCH", kInvoices + other, {kJson}, R"({"ExtId__c":"Inv-Ext-1"})");
    EXPECT_EQ(update.status, 400);
    EXPECT_EQ(update.body, dup);
    // Auto numbers follow insert order.
    const std::string first(rec.at("Name").as_string());
    const std::string second(GetOk(kInvoices + other).at("Name").as_string());
    EXPECT_LT(first, second);
}

TEST_F(RecordsCustomEndToEndTest, CustomExternalIdOnAStandardObject) {
    // Account.Customer_Number__c (Number, external id) from the org definition's customFields.
    auto created = Call("PATCH",
                        kAccounts + "Customer_Number__c/4711",
                        {kJson},
                        R"({"Name":"Numbered","Region__c":"EMEA"})");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id(json::parse(created.body).at("id").as_string());
    EXPECT_EQ(
        Call("PATCH", kAccounts + "Customer_Number__c/4711", {kJson}, R"({"Site":"HQ"})").status,
        200);
    const auto rec = GetOk(kAccounts + "Customer_Number__c/4711");
    EXPECT_EQ(rec.at("Id").as_string(), id);
    EXPECT_EQ(rec.at("Site").as_string(), "HQ");
    EXPECT_EQ(rec.at("Region__c").as_string(), "EMEA");
    auto bad = Call("GET", kAccounts + "Customer_Number__c/abc");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.body,
              FieldsError("INVALID_TYPE_ON_FIELD_IN_RECORD",
                          "Customer Number: value not of required type: abc",
                          {"Customer_Number__c"}))
        << bad.body;
}

TEST_F(RecordsCustomEndToEndTest, DeletingAnInvoiceDeletesItsLinesAndClearsLookups) {
    const std::string account = CreateOk(kAccounts, R"({"Name":"Billed"})");
    const std::string invoice =
        CreateOk(kInvoices, R"({"Due_Date__c":"2024-06-30","Account__c":")" + account + R"("})");
    const std::string line1 = CreateOk(kLines, R"({"Invoice__c":")" + invoice + R"("})");
    const std::string line2 = CreateOk(kLines, R"({"Invoice__c":")" + invoice + R"("})");
    // Deleting the account clears the invoice's ordinary lookup (SetNull is the default).
    EXPECT_EQ(Call("DELETE", kAccounts + account).status, 204);
    EXPECT_TRUE(GetOk(kInvoices + invoice).at("Account__c").is_null());
    // The master-detail lines go with their invoice.
    EXPECT_EQ(Call("DELETE", kInvoices + invoice).status, 204);
    for (const auto& line : {line1, line2}) {
        EXPECT_EQ(Call("GET", kLines + line).status, 404);
        EXPECT_EQ(Call("DELETE", kLines + line).body, kEntityIsDeleted);
    }
    auto deleted =
        GetOk(kLines + "deleted/" + Window(-std::chrono::hours(1), std::chrono::hours(1)));
    EXPECT_EQ(deleted.at("deletedRecords").as_array().size(), 2u);
}

}  // namespace
}  // namespace sfkit::test
