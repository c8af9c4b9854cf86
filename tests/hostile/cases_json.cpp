// JSON bodies: syntax, depth, size, numbers, escapes, invalid UTF-8, wrong shapes; on record
// create and update, upsert, and the collection and composite bodies.
#include "hostile/hostile.hpp"

namespace sfkit::test::hostile {
namespace {

std::string Repeat(std::string_view s, int n) {
    std::string out;
    out.reserve(s.size() * static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        out.append(s);
    }
    return out;
}

}  // namespace

std::vector<Case> JsonCases() {
    std::vector<Case> c;
    const std::string create = std::string(kApi) + "/sobjects/Account/";
    auto parse_error = [&](std::string name, std::string body) {
        c.push_back({std::move(name),
                     Request("POST", create, {kJson}, body),
                     400,
                     Shape::kRestError,
                     "JSON_PARSER_ERROR"});
    };
    parse_error("empty_body", "");
    parse_error("whitespace_only", " \n\t ");
    parse_error("not_json", "hello");
    parse_error("truncated_object", R"({"Name":"a")");
    parse_error("truncated_string", R"({"Name":"a)");
    parse_error("top_level_array", R"([{"Name":"a"}])");
    parse_error("top_level_string", R"("Name")");
    parse_error("top_level_number", "42");
    parse_error("top_level_null", "null");
    parse_error("top_level_true", "true");
    parse_error("nested_objects_100_deep", Repeat(R"({"Name":)", 100) + "\"x\"" + Repeat("}", 100));
    parse_error("nested_arrays_10000_deep",
                R"({"Name":)" + Repeat("[", 10000) + Repeat("]", 10000) + "}");
    parse_error("open_brackets_100000", Repeat("[", 100000));
    parse_error("open_objects_50000", Repeat(R"({"a":)", 50000));
    parse_error("number_with_400_digits_for_int",
                R"({"Name":"a","NumberOfEmployees":1)" + std::string(400, '0') + "}");
    parse_error("int_field_beyond_int64",
                R"({"Name":"a","NumberOfEmployees":99999999999999999999})");
    parse_error("int_field_fraction", R"({"Name":"a","NumberOfEmployees":1.5})");
    parse_error("invalid_utf8_in_value", "{\"Name\":\"\xff\xfe\"}");
    parse_error("invalid_utf8_in_key", "{\"Name\":\"a\",\"\xff\":1}");
    parse_error("overlong_utf8_slash", "{\"Name\":\"\xc0\xaf\"}");
    parse_error("utf8_encoded_surrogate", "{\"Name\":\"\xed\xa0\x80\"}");
    parse_error("utf8_above_10FFFF", "{\"Name\":\"\xf4\x90\x80\x80\"}");
    parse_error("utf8_truncated_sequence", "{\"Name\":\"\xe2\x82\"}");
    parse_error("utf8_lone_continuation", "{\"Name\":\"\x80\"}");
    parse_error("latin1_byte_in_value", "{\"Name\":\"caf\xe9\"}");
    parse_error("lone_high_surrogate_escape", R"({"Name":"\ud800"})");
    parse_error("lone_low_surrogate_escape", R"({"Name":"\udc00"})");
    parse_error("reversed_surrogate_escapes", R"({"Name":"\udc00\ud800"})");
    parse_error("high_surrogate_then_letter", R"({"Name":"\ud800x"})");
    parse_error("raw_nul_in_string", std::string("{\"Name\":\"a\0b\"}", 14));
    parse_error("raw_control_in_string",
                "{\"Name\":\"a\x01"
                "b\"}");
    parse_error("raw_newline_in_string", "{\"Name\":\"a\nb\"}");
    parse_error("bad_escape", R"({"Name":"a\qb"})");
    parse_error("bad_unicode_escape", R"({"Name":"\u12G4"})");
    parse_error("short_unicode_escape", R"({"Name":"\u12"})");
    parse_error("trailing_comma", R"({"Name":"a",})");
    parse_error("comment", R"({"Name":"a"/*x*/})");
    parse_error("single_quotes", "{'Name':'a'}");
    parse_error("unquoted_key", "{Name:\"a\"}");
    parse_error("nan_literal", R"({"Name":"a","AnnualRevenue":NaN})");
    parse_error("infinity_literal", R"({"Name":"a","AnnualRevenue":Infinity})");
    parse_error("leading_zeros", R"({"Name":"a","NumberOfEmployees":007})");
    parse_error("hex_number", R"({"Name":"a","NumberOfEmployees":0x10})");
    parse_error("trailing_garbage", R"({"Name":"a"}xyz)");
    parse_error("two_documents", R"({"Name":"a"}{"Name":"b"})");
    parse_error("utf8_bom", "\xef\xbb\xbf{\"Name\":\"a\"}");
    parse_error("object_for_string_field", R"({"Name":{"a":1}})");
    parse_error("array_for_string_field", R"({"Name":["a"]})");
    parse_error("bad_date_value", R"({"Name":"a","LastActivityDate":"not-a-date"})");
    parse_error("date_with_month_13", R"({"Name":"a","LastActivityDate":"2020-13-01"})");

    auto error = [&](std::string name, std::string body, int status, std::string code) {
        c.push_back({std::move(name),
                     Request("POST", create, {kJson}, body),
                     status,
                     Shape::kRestError,
                     std::move(code)});
    };
    error("number_overflows_double",
          R"({"Name":"a","AnnualRevenue":1e999999})",
          400,
          "NUMBER_OUTSIDE_VALID_RANGE");
    error("negative_number_overflows_double",
          R"({"Name":"a","AnnualRevenue":-1e999999})",
          400,
          "NUMBER_OUTSIDE_VALID_RANGE");
    error("unknown_field", R"({"Name":"a","Bogus__c":1})", 400, "INVALID_FIELD");
    error("field_name_100000_chars",
          R"({"Name":"a",")" + std::string(100000, 'F') + R"(":1})",
          400,
          "INVALID_FIELD");
    {
        std::string keys = "{";
        for (int i = 0; i < 20000; ++i) {
            keys += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
        }
        error("twenty_thousand_unknown_keys", keys + "}", 400, "INVALID_FIELD");
    }
    error("name_over_255_chars",
          R"({"Name":")" + std::string(256, 'a') + "\"}",
          400,
          "STRING_TOO_LONG");
    error(
        "name_of_1MB", R"({"Name":")" + std::string(1 << 20, 'a') + "\"}", 400, "STRING_TOO_LONG");
    error("id_in_body", R"({"Id":"{ID}","Name":"a"})", 400, "INVALID_FIELD");
    error("read_only_field",
          R"({"Name":"a","CreatedDate":"2020-01-01T00:00:00Z"})",
          400,
          "INVALID_FIELD_FOR_INSERT_UPDATE");
    error("lookup_not_an_id", R"({"Name":"a","ParentId":"garbage"})", 400, "MALFORMED_ID");
    error("lookup_id_of_wrong_object",
          R"({"Name":"a","ParentId":"003000000000000AAA"})",
          400,
          "MALFORMED_ID");
    error("lookup_id_invalid_utf8",
          "{\"Name\":\"a\",\"ParentId\":\"\\u00ff\\u00fe\"}",
          400,
          "MALFORMED_ID");
    error("relationship_object_nested",
          R"({"Name":"a","Parent":{"Parent":{"Name":"x"}}})",
          400,
          "INVALID_FIELD");
    error("missing_required_name", R"({"Phone":"1"})", 400, "REQUIRED_FIELD_MISSING");
    error("empty_object", "{}", 400, "REQUIRED_FIELD_MISSING");

    // Update and upsert bodies go through the same decoder.
    const std::string record = std::string(kApi) + "/sobjects/Account/{ID}";
    c.push_back({"patch_invalid_utf8",
                 Request("PATCH", record, {kJson}, "{\"Name\":\"\xff\"}"),
                 400,
                 Shape::kRestError,
                 "JSON_PARSER_ERROR"});
    c.push_back({"patch_deep_nesting",
                 Request("PATCH", record, {kJson}, Repeat("[", 5000)),
                 400,
                 Shape::kRestError,
                 "JSON_PARSER_ERROR"});
    c.push_back({"patch_truncated",
                 Request("PATCH", record, {kJson}, "{\"Name\":"),
                 400,
                 Shape::kRestError,
                 "JSON_PARSER_ERROR"});
    c.push_back({"patch_array",
                 Request("PATCH", record, {kJson}, "[]"),
                 400,
                 Shape::kRestError,
                 "JSON_PARSER_ERROR"});
    c.push_back({"patch_unknown_field",
                 Request("PATCH", record, {kJson}, R"({"Nope":1})"),
                 400,
                 Shape::kRestError,
                 "INVALID_FIELD"});
    c.push_back({"patch_name_too_long",
                 Request("PATCH", record, {kJson}, R"({"Name":")" + std::string(300, 'x') + "\"}"),
                 400,
                 Shape::kRestError,
                 "STRING_TOO_LONG"});
    const std::string upsert = std::string(kApi) + "/sobjects/Widget__c/Ext__c/k1";
    c.push_back({"upsert_invalid_utf8",
                 Request("PATCH", upsert, {kJson}, "{\"Name\":\"\xfe\"}"),
                 400,
                 Shape::kRestError,
                 "JSON_PARSER_ERROR"});
    c.push_back({"upsert_lone_surrogate",
                 Request("PATCH", upsert, {kJson}, R"({"Name":"\udfff"})"),
                 400,
                 Shape::kRestError,
                 "JSON_PARSER_ERROR"});
    c.push_back({"upsert_not_json",
                 Request("PATCH", upsert, {kJson}, "<Widget__c/>"),
                 400,
                 Shape::kRestError,
                 "JSON_PARSER_ERROR"});

    // Media types.
    c.push_back({"content_type_text_plain",
                 Request("POST", create, {"Content-Type: text/plain"}, R"({"Name":"a"})"),
                 415,
                 Shape::kRestError,
                 "UNSUPPORTED_MEDIA_TYPE"});
    // multipart/form-data is the blob-field create (record_input.hpp); this one is malformed
    // (its only part has no data line before the closing boundary).
    c.push_back(
        {"content_type_multipart",
         Request(
             "POST", create, {"Content-Type: multipart/form-data; boundary=x"}, "--x\r\n\r\n--x--"),
         400,
         Shape::kRestError,
         "JSON_PARSER_ERROR"});
    c.push_back({"content_type_form",
                 Request("POST", create, {kForm}, "Name=a"),
                 415,
                 Shape::kRestError,
                 "UNSUPPORTED_MEDIA_TYPE"});
    c.push_back({"content_type_invalid_utf8",
                 Request("POST", create, {"Content-Type: \xff/\xfe"}, R"({"Name":"a"})"),
                 415,
                 Shape::kRestError,
                 "UNSUPPORTED_MEDIA_TYPE",
                 ExpectedAfterFix::kDefect3Utf8Echo});
    c.push_back({"content_type_long_invalid_utf8_parameter",
                 Request("POST",
                         create,
                         {"Content-Type: text/\xc3(" + std::string(100, '\xe9')},
                         R"({"Name":"a"})"),
                 415,
                 Shape::kRestError,
                 "UNSUPPORTED_MEDIA_TYPE",
                 ExpectedAfterFix::kDefect3Utf8Echo});
    return c;
}

}  // namespace sfkit::test::hostile
