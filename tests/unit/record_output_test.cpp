// RecordJsonText (a record GET's compact JSON, written without a boost::json::object) against
// the reference rendering, codec::WriteJson(RecordJson(...)): the same bytes for every kind of
// value, escapes, compound fields (partly set, all null) and fields listed twice.
#include "server/api/record_output.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "codec/json.hpp"
#include "server/schema/schema.hpp"
#include "server/storage/record_store.hpp"

namespace sfkit::server {
namespace {

class RecordJsonTextTest : public ::testing::Test {
protected:
    const Schema schema_ = Schema::Standard();
    const ObjectDef& account_ = *schema_.FindObject("Account");

    std::size_t Index(const char* name) const {
        return account_.IndexOf(*account_.FindField(name));
    }
    std::vector<std::size_t> AllFields() const {
        std::vector<std::size_t> out;
        for (std::size_t i = 0; i < account_.fields.size(); ++i) {
            out.push_back(i);
        }
        return out;
    }
    void ExpectSameAsReference(const RecordValues& values,
                               const std::vector<std::size_t>& fields) const {
        const std::string reference =
            codec::WriteJson(RecordJson(account_, values, fields, "60.0"), false);
        EXPECT_EQ(RecordJsonText(account_, values, fields, "60.0"), reference);
    }
};

TEST_F(RecordJsonTextTest, SameBytesAsTheObjectRendering) {
    RecordValues v(account_.fields.size());
    v[0] = std::string("001000000000001AAA");
    v[Index("Name")] = std::string("Quote \" back\\slash \n tab\t ctl\x01 é 😀 </script>");
    v[Index("AnnualRevenue")] = 1234567.5;
    v[Index("NumberOfEmployees")] = std::int64_t{-42};
    v[Index("IsDeleted")] = false;
    v[Index("BillingCity")] = std::string("New York");  // compound partly set
    // ShippingAddress's parts all null: the compound is null.
    ExpectSameAsReference(v, AllFields());

    v[Index("AnnualRevenue")] = 1e21;
    v[Index("NumberOfEmployees")] = std::int64_t{0};
    v[Index("IsDeleted")] = true;
    ExpectSameAsReference(v, AllFields());
    v[Index("AnnualRevenue")] = 0.1;
    ExpectSameAsReference(v, AllFields());
}

TEST_F(RecordJsonTextTest, ChosenFieldsInOrderAndAFieldListedTwiceOnce) {
    RecordValues v(account_.fields.size());
    v[0] = std::string("001000000000001AAA");
    v[Index("Name")] = std::string("Acme");
    const std::vector<std::size_t> fields = {
        Index("Name"), Index("BillingAddress"), Index("Name"), 0, Index("Phone")};
    ExpectSameAsReference(v, fields);
    const std::string text = RecordJsonText(account_, v, fields, "60.0");
    EXPECT_EQ(text.find(R"("Name":"Acme")"), text.rfind(R"("Name":"Acme")"));
    const auto parsed = boost::json::parse(text).as_object();
    EXPECT_EQ(parsed.size(), 5U);  // attributes, Name, BillingAddress, Id, Phone
}

}  // namespace
}  // namespace sfkit::server
