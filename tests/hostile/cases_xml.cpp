// XML bodies (Content-Type: application/xml): syntax, character references, invalid bytes,
// entities and DTDs, encoding declarations. Errors are answered in XML when the client asks for
// XML and in JSON otherwise, as Salesforce does.
#include "hostile/hostile.hpp"

namespace sfkit::test::hostile {

std::vector<Case> XmlCases() {
    using F = ExpectedAfterFix;
    std::vector<Case> c;
    const std::string create = std::string(kApi) + "/sobjects/Account/";
    auto xml_error = [&](std::string name, std::string body, F fix = F::kNone) {
        c.push_back({std::move(name),
                     Request("POST", create, {kXml}, body),
                     400,
                     Shape::kRestError,
                     "XML_PARSER_ERROR",
                     fix});
    };
    auto field = [](std::string_view inner) {
        return "<Account><Name>" + std::string(inner) + "</Name></Account>";
    };
    // Well-formedness errors the parser already reports.
    xml_error("not_xml", "hello");
    xml_error("xml_empty_body", "");
    xml_error("unclosed_root", "<Account><Name>a</Name>");
    xml_error("mismatched_tags", "<Account><Name>a</Nam></Account>");
    xml_error("tag_starting_with_digit", "<1Account><Name>a</Name></1Account>");
    xml_error("lt_in_text", field("a<b"));
    xml_error("raw_nul_byte", field(std::string("a\0b", 3)));
    xml_error("200000_unclosed_elements", [] {
        std::string s;
        for (int i = 0; i < 200000; ++i) {
            s += "<a>";
        }
        return s;
    }());
    xml_error("unterminated_comment", "<Account><!-- x</Account>");
    xml_error("unterminated_cdata", "<Account><Name><![CDATA[a</Name></Account>");
    xml_error("unterminated_attribute", "<Account a=\"1><Name>a</Name></Account>");

    // Text that is not valid XML character data (defect 2): refused, never stored.
    xml_error("invalid_bytes_ff_fe", field("\xff\xfe"), F::kDefect2XmlText);
    xml_error("char_ref_beyond_unicode", field("&#99999999;"), F::kDefect2XmlText);
    xml_error("char_ref_nul_decimal", field("a&#0;b"), F::kDefect2XmlText);
    xml_error("char_ref_nul_hex", field("a&#x0;b"), F::kDefect2XmlText);
    xml_error("char_ref_surrogate", field("&#xD800;"), F::kDefect2XmlText);
    xml_error("char_ref_fffe", field("&#xFFFE;"), F::kDefect2XmlText);
    xml_error("char_ref_control_1", field("&#1;"), F::kDefect2XmlText);
    xml_error("char_ref_110000", field("&#x110000;"), F::kDefect2XmlText);
    xml_error("raw_control_byte",
              field("a\x01"
                    "b"),
              F::kDefect2XmlText);
    xml_error("overlong_utf8", field("\xc0\xaf"), F::kDefect2XmlText);
    xml_error("xml_utf8_encoded_surrogate", field("\xed\xa0\x80"), F::kDefect2XmlText);
    xml_error("truncated_utf8", field("caf\xc3"), F::kDefect2XmlText);
    xml_error("latin1_byte_with_latin1_declaration",
              "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + field("caf\xe9"),
              F::kDefect2XmlText);
    // (Refused by the XML reader, or as an unknown field whose echoed name is escaped.)
    c.push_back({"invalid_bytes_in_element_name",
                 Request("POST", create, {kXml}, "<Account><N\xff>a</N\xff></Account>"),
                 400,
                 Shape::kRestError,
                 "",
                 F::kDefect2XmlText});

    // Not well-formed XML that the lenient parser takes today (new finding: stored literally).
    xml_error("undeclared_entity", field("&bogus;"), F::kNewXmlWellFormed);
    xml_error("bare_ampersand", field("a & b"), F::kNewXmlWellFormed);
    xml_error("char_ref_not_hex", field("&#xZZ;"), F::kNewXmlWellFormed);
    xml_error("two_root_elements", field("a") + "<Account/>", F::kNewXmlWellFormed);
    xml_error("text_before_root", "junk" + field("a"), F::kNewXmlWellFormed);
    xml_error("billion_laughs",
              "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
              "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
              "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>" +
                  field("&lol3;"),
              F::kNewXmlWellFormed);
    xml_error("external_entity_file",
              "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" +
                  field("&xxe;"),
              F::kNewXmlWellFormed);
    xml_error(
        "external_parameter_entity",
        "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/x\"> %p;]>" +
            field("a"),
        F::kNewXmlWellFormed);

    // Accepted XML that must still be refused at the record level.
    c.push_back({"unknown_element",
                 Request("POST", create, {kXml}, "<Account><Bogus>a</Bogus></Account>"),
                 400,
                 Shape::kRestError,
                 "INVALID_FIELD"});
    c.push_back({"nested_element_in_field",
                 Request("POST", create, {kXml}, field("<b>x</b>")),
                 400,
                 Shape::kRestError,
                 "INVALID_TYPE_ON_FIELD_IN_RECORD"});
    c.push_back({"100000_nested_elements",
                 Request("POST",
                         create,
                         {kXml},
                         [] {
                             std::string s = "<Account>";
                             for (int i = 0; i < 100000; ++i) {
                                 s += "<a>";
                             }
                             for (int i = 0; i < 100000; ++i) {
                                 s += "</a>";
                             }
                             return s + "</Account>";
                         }()),
                 400,
                 Shape::kRestError,
                 "INVALID_FIELD"});
    c.push_back({"xml_name_over_255_chars",
                 Request("POST", create, {kXml}, field(std::string(300, 'x'))),
                 400,
                 Shape::kRestError,
                 "STRING_TOO_LONG"});
    // An XML client gets its errors in XML.
    c.push_back(
        {"xml_error_answered_in_xml",
         Request("POST", create, {kXml, "Accept: application/xml"}, "<Account><Name>a</Account>"),
         400,
         Shape::kXmlRestError,
         "XML_PARSER_ERROR"});
    c.push_back({"xml_error_with_xml_suffix",
                 Request("POST", std::string(kApi) + "/sobjects/Account.xml", {kXml}, "<Account"),
                 400,
                 Shape::kXmlRestError,
                 "XML_PARSER_ERROR"});
    c.push_back({"xml_invalid_bytes_answered_in_xml",
                 Request("POST", create, {kXml, "Accept: application/xml"}, field("\xff")),
                 400,
                 Shape::kXmlRestError,
                 "XML_PARSER_ERROR",
                 F::kDefect2XmlText});
    // Update through XML goes through the same reader.
    // (Upserts of a Widget__c: a write that slips through must not touch the base record.)
    const std::string record = std::string(kApi) + "/sobjects/Account/{ID}";
    const std::string upsert = std::string(kApi) + "/sobjects/Widget__c/Ext__c/xml1";
    c.push_back({"upsert_xml_invalid_bytes",
                 Request("PATCH", upsert, {kXml}, "<Widget__c><Name>\xfe</Name></Widget__c>"),
                 400,
                 Shape::kRestError,
                 "XML_PARSER_ERROR",
                 F::kDefect2XmlText});
    c.push_back({"upsert_xml_char_ref_nul",
                 Request("PATCH", upsert, {kXml}, "<Widget__c><Name>x&#0;y</Name></Widget__c>"),
                 400,
                 Shape::kRestError,
                 "XML_PARSER_ERROR",
                 F::kDefect2XmlText});
    c.push_back({"patch_xml_not_closed",
                 Request("PATCH", record, {kXml}, "<Account><Name>x</Name>"),
                 400,
                 Shape::kRestError,
                 "XML_PARSER_ERROR"});
    return c;
}

}  // namespace sfkit::test::hostile
