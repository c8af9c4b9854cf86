// Definitions of the standard objects, one builder line per field in Salesforce's definition
// order. Labels, lengths, types and flags are copied from a recorded Account describe
// (CumulusCI shared cassette GET_sobjects_Account_describe.yaml, v48-52); fields that only exist
// with optional features (RecordTypeId, IsPartner, IsCustomerPortal, ChannelProgram*) and the
// cassette org's own custom fields are left out. To add an object: write a function like
// Account() below and call it from Schema::Standard().
#include "server/schema/object_builder.hpp"
#include "server/schema/schema.hpp"

namespace sfkit::server {
namespace {

ObjectDef Account() {
    ObjectBuilder o("Account", "Account", "Accounts", "001");
    o.Flags().mergeable = true;
    o.IsDeleted();
    ReadOnly(o.Reference("MasterRecordId", "Master Record ID", {"Account"}, "MasterRecord"));
    FieldDef& name = Required(o.Text("Name", "Account Name", 255));
    name.name_field = true;
    name.compound_field_name = "Name";  // describe shows it; not an address-like compound
    name.extra_type_info = "switchablepersonname";
    o.Picklist("Type",
               "Account Type",
               {"Prospect",
                "Customer - Direct",
                "Customer - Channel",
                "Channel Partner / Reseller",
                "Installation Partner",
                "Technology Partner",
                "Other"});
    o.Reference("ParentId", "Parent Account ID", {"Account"}, "Parent");
    o.Address("Billing", "Billing");
    o.Address("Shipping", "Shipping");
    o.Phone("Phone", "Account Phone");
    o.Phone("Fax", "Account Fax");
    o.Text("AccountNumber", "Account Number", 40);
    o.Url("Website", "Website");
    ReadOnly(o.Url("PhotoUrl", "Photo URL")).extra_type_info = "imageurl";
    o.Text("Sic", "SIC Code", 20);
    o.Picklist("Industry",
               "Industry",
               {"Agriculture",        "Apparel",        "Banking",      "Biotechnology",
                "Chemicals",          "Communications", "Construction", "Consulting",
                "Education",          "Electronics",    "Energy",       "Engineering",
                "Entertainment",      "Environmental",  "Finance",      "Food & Beverage",
                "Government",         "Healthcare",     "Hospitality",  "Insurance",
                "Machinery",          "Manufacturing",  "Media",        "Not For Profit",
                "Recreation",         "Retail",         "Shipping",     "Technology",
                "Telecommunications", "Transportation", "Utilities",    "Other"});
    o.Number("AnnualRevenue", "Annual Revenue", FieldType::kCurrency, 18, 0);
    o.Integer("NumberOfEmployees", "Employees", 8);
    o.Picklist("Ownership", "Ownership", {"Public", "Private", "Subsidiary", "Other"});
    o.Text("TickerSymbol", "Ticker Symbol", 20);
    o.TextArea("Description", "Account Description", 32000);
    o.Picklist("Rating", "Account Rating", {"Hot", "Warm", "Cold"});
    o.Text("Site", "Account Site", 80);
    o.Owner();
    o.AuditFields();
    ReadOnly(o.Add("LastActivityDate", "Last Activity", FieldType::kDate));
    o.ViewedFields();
    o.Text("Jigsaw", "Data.com Key", 20);
    FieldDef& jigsaw_company = ReadOnly(o.Text("JigsawCompanyId", "Jigsaw Company ID", 20));
    jigsaw_company.relationship_name = "JigsawCompany";
    FieldDef& clean = o.Picklist("CleanStatus", "Clean Status", {});
    clean.restricted_picklist = true;
    clean.picklist = {{"Matched", "In Sync", true, false},
                      {"Different", "Different", true, false},
                      {"Acknowledged", "Reviewed", true, false},
                      {"NotFound", "Not Found", true, false},
                      {"Inactive", "Inactive", true, false},
                      {"Pending", "Not Compared", true, false},
                      {"SelectMatch", "Select Match", true, false},
                      {"Skipped", "Skipped", true, false}};
    o.Picklist("AccountSource",
               "Account Source",
               {"Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"});
    o.Text("DunsNumber", "D-U-N-S Number", 9);
    o.Text("Tradestyle", "Tradestyle", 255);
    o.Text("NaicsCode", "NAICS Code", 8);
    o.Text("NaicsDesc", "NAICS Description", 120);
    o.Text("YearStarted", "Year Started", 4);
    o.Text("SicDesc", "SIC Description", 80);
    o.Reference("DandbCompanyId", "D&B Company ID", {"DandBCompany"}, "DandbCompany");
    return std::move(o).Build();
}

}  // namespace

Schema Schema::Standard() {
    Schema s;
    s.Add(Account());
    return s;
}

}  // namespace sfkit::server
