// XML request bodies (codec/xml_input.hpp) and the UTF-8 repair of echoed text
// (codec/utf8.hpp, the JSON writer, XmlEscape): what pugixml alone let through.
#include "codec/xml_input.hpp"

#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "codec/json.hpp"
#include "codec/utf8.hpp"
#include "server/api/xml_writer.hpp"
#include "server/auth/soap_login.hpp"
#include "support/utf8_check.hpp"

namespace sfkit::codec {
namespace {

std::string Wrap(const std::string& text) {
    return "<Account><Name>" + text + "</Name></Account>";
}

TEST(XmlInput, RefusesBytesThatAreNotUtf8) {
    for (const std::string bad :
         {"\xff\xfe", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82", "a\x80"}) {
        const auto error = CheckXmlInput(Wrap(bad));
        ASSERT_TRUE(error) << bad;
        EXPECT_NE(error->reason.find("UTF-8"), std::string::npos) << error->reason;
        // The offending byte: the start byte, or the continuation byte that breaks the sequence.
        EXPECT_GE(error->offset, 15u) << bad;
        EXPECT_LE(error->offset, 17u) << bad;
    }
    EXPECT_EQ(CheckXmlInput(Wrap("\xff\xfe"))->reason, "Invalid UTF-8 start byte 0xff");
    EXPECT_EQ(CheckXmlInput(Wrap("\xed\xa0\x80"))->reason, "Invalid UTF-8 middle byte 0xa0");
    const auto cut = CheckXmlInput("<a>\xe2\x82");
    ASSERT_TRUE(cut);
    EXPECT_EQ(cut->reason, "Unexpected end of input inside a UTF-8 sequence");
}

TEST(XmlInput, RefusesCharacterReferencesToNonCharacters) {
    for (const std::string ref : {"&#0;",
                                  "a&#0;b",
                                  "&#99999999;",
                                  "&#x110000;",
                                  "&#xD800;",
                                  "&#xdfff;",
                                  "&#1;",
                                  "&#xFFFE;",
                                  "&#65535;",
                                  "&#99999999999999999999999;"}) {
        const auto error = CheckXmlInput(Wrap(ref));
        ASSERT_TRUE(error) << ref;
        EXPECT_NE(error->reason.find("not a valid XML character"), std::string::npos)
            << error->reason;
    }
    // Malformed references are refused too (pugixml would keep them as text).
    for (const std::string ref : {"&#;", "&#x;", "&#12a;", "&#xG1;", "&#12"}) {
        const auto error = CheckXmlInput(Wrap(ref));
        ASSERT_TRUE(error) << ref;
        EXPECT_NE(error->reason.find("Malformed character reference"), std::string::npos)
            << error->reason;
    }
}

TEST(XmlInput, RefusesControlCharactersXmlForbids) {
    for (const std::string& bad : {std::string("a\0b", 3),
                                   std::string("\x01"),
                                   std::string("\x1f"),
                                   std::string("\xef\xbf\xbe"),
                                   std::string("\xef\xbf\xbf")}) {
        const auto error = CheckXmlInput(Wrap(bad));
        ASSERT_TRUE(error);
        EXPECT_NE(error->reason.find("Illegal character"), std::string::npos) << error->reason;
    }
    // Even inside comments and CDATA sections.
    EXPECT_TRUE(CheckXmlInput("<a><!-- \x01 --></a>"));
    EXPECT_TRUE(CheckXmlInput("<a><![CDATA[\xff]]></a>"));
}

TEST(XmlInput, RefusesDeclaredEncodingsOtherThanUtf8) {
    const auto error =
        CheckXmlInput("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + Wrap("caf\xe9"));
    ASSERT_TRUE(error);
    EXPECT_EQ(error->reason,
              "Unsupported encoding 'ISO-8859-1' in the XML declaration: request bodies must be "
              "UTF-8");
    EXPECT_EQ(error->offset, 30u);
    EXPECT_TRUE(CheckXmlInput("<?xml version='1.0' encoding='UTF-16'?><a/>"));
    EXPECT_FALSE(CheckXmlInput("<?xml version='1.0' encoding='utf-8'?><a/>"));
    EXPECT_FALSE(CheckXmlInput("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>"));
}

TEST(XmlInput, AcceptsWhatXmlAllows) {
    for (const std::string ok : {"caf\xc3\xa9",
                                 "&#233;&#xE9;&#x1F600;&#9;&#10;&#13;",
                                 "\t\r\n",
                                 "\xf0\x9f\x98\x80",
                                 "&amp;&lt;&gt;&quot;&apos;",
                                 "<![CDATA[&#0;]]>",
                                 "<!-- &#0; -->",
                                 "\xef\xbf\xbd"}) {
        const auto error = CheckXmlInput(Wrap(ok));
        EXPECT_FALSE(error) << ok << ": " << error->reason;
    }
    pugi::xml_document doc;
    ASSERT_FALSE(LoadXmlInput(doc, Wrap("a&#233;&#x1F600;b"), pugi::parse_default));
    EXPECT_STREQ(doc.child("Account").child("Name").text().get(),
                 "a\xc3\xa9\xf0\x9f\x98\x80"
                 "b");
}

TEST(XmlInput, RefusesDtdsUndeclaredEntitiesAndContentOutsideTheRoot) {
    const auto reason = [](const std::string& body) {
        const auto error = CheckXmlInput(body);
        return error ? error->reason : std::string("accepted");
    };
    EXPECT_EQ(reason("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"),
              "DOCTYPE and other declarations are not allowed");
    EXPECT_EQ(reason(Wrap("&bogus;")), "Undeclared general entity \"bogus\"");
    EXPECT_EQ(reason(Wrap("a & b")),
              "Unexpected character after '&': expected an entity or character reference "
              "ending in ';'");
    EXPECT_EQ(reason("<a attr=\"x&y\"/>"),
              "Unexpected character after '&': expected an entity or character reference "
              "ending in ';'");
    EXPECT_EQ(reason(Wrap("a") + "<Account/>"), "Illegal to have multiple roots");
    EXPECT_EQ(reason("<a/><b></b>"), "Illegal to have multiple roots");
    EXPECT_EQ(reason("junk" + Wrap("a")), "Illegal character data outside the root element");
    EXPECT_EQ(reason(Wrap("a") + "junk"), "Illegal character data outside the root element");
    // What a well-formed document may hold around and inside its root.
    EXPECT_EQ(reason("\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- c --><?pi x?>\n<a x='1>2' "
                     "y=\"/>\"><b/><c d=\"&amp;&#65;\">t&gt;</c><![CDATA[<&>]]></a>\n<!-- "
                     "end -->\n"),
              "accepted");
}

TEST(XmlInput, LoadReportsSyntaxErrorsWithOffsets) {
    pugi::xml_document doc;
    const auto error = LoadXmlInput(doc, "<a><b></a>", pugi::parse_default);
    ASSERT_TRUE(error);
    EXPECT_EQ(error->reason, "Start-end tags mismatch");
    EXPECT_EQ(XmlRowCol("<a>\n<b>", 5), "[row,col]:[2,2]");
}

TEST(XmlInput, SoapEnvelopesGoThroughTheSameCheck) {
    server::SoapFault fault;
    EXPECT_FALSE(server::ParseSoapEnvelope(
        "<se:Envelope xmlns:se=\"http://schemas.xmlsoap.org/soap/envelope/\"><se:Body><login>"
        "<username>u&#0;x</username></login></se:Body></se:Envelope>",
        &fault));
    EXPECT_NE(fault.message.find("not a valid XML character"), std::string::npos) << fault.message;
}

TEST(Utf8, RepairsMalformedSequencesWithReplacementCharacters) {
    EXPECT_EQ(ToValidUtf8("a\xff\xfe"
                          "b"),
              "a\xef\xbf\xbd\xef\xbf\xbd"
              "b");
    // A truncated sequence is one U+FFFD (its maximal prefix), then decoding resumes.
    EXPECT_EQ(ToValidUtf8("\xe2\x82"
                          "A"),
              "\xef\xbf\xbd"
              "A");
    EXPECT_EQ(ToValidUtf8("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    EXPECT_EQ(ToValidUtf8("caf\xc3\xa9"), "caf\xc3\xa9");
    EXPECT_TRUE(IsValidUtf8("\xf4\x8f\xbf\xbf"));
    EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));
    EXPECT_FALSE(IsValidUtf8("\xc1\xbf"));
    EXPECT_EQ(ToXmlChars(std::string("a\0b\x01\t", 5)),
              "a\xef\xbf\xbd"
              "b\xef\xbf\xbd\t");
}

TEST(Utf8, JsonAndXmlWritersNeverWriteMalformedText) {
    const std::string echoed = "q=\xff\xfe \x01 \xc3\xa9";
    std::string json;
    AppendJsonString(json, echoed);
    EXPECT_TRUE(test::IsValidUtf8(json));
    EXPECT_EQ(json, "\"q=\xef\xbf\xbd\xef\xbf\xbd \\u0001 \xc3\xa9\"");
    EXPECT_EQ(WriteJson(boost::json::value(echoed)), json);
    const std::string xml = server::XmlEscape(echoed + "<'>");
    EXPECT_TRUE(test::IsValidUtf8(xml));
    EXPECT_EQ(xml, "q=\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd \xc3\xa9&lt;&apos;&gt;");
}

TEST(Utf8, EscapeMarkupEscapesQuotesOnlyWhenAsked) {
    EXPECT_EQ(EscapeMarkup("<a href=\"x\">Tom & Jerry's</a>"),
              "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;");
    EXPECT_EQ(EscapeMarkup("\"it's\" & <b>", false), "\"it's\" &amp; &lt;b&gt;");
    EXPECT_EQ(EscapeMarkup(std::string("\0\xff", 2)), "\xef\xbf\xbd\xef\xbf\xbd");
}

}  // namespace
}  // namespace sfkit::codec
