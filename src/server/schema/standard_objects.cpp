// The core CRM objects (Account, Contact, Lead), one builder line per field in Salesforce's
// definition order, and Schema::Standard(). Account's labels, lengths, types and flags are
// copied from a recorded describe (CumulusCI shared cassette GET_sobjects_Account_describe.yaml,
// v48-52); Contact and Lead follow the recorded field order of their describes and the SOAP API
// object reference. Fields that only exist with optional features (RecordTypeId, person
// accounts, partner portals, Individual, territory management) are left out.
#include "server/schema/standard_objects.hpp"

#include <vector>

#include "server/schema/object_builder.hpp"
#include "server/schema/schema.hpp"
#include "server/schema/standard_catalog_objects.hpp"

namespace sfkit::server {
namespace standard {
namespace {

/// Data.com's clean status: restricted, with labels that differ from the values (recorded).
void CleanStatus(ObjectBuilder& o) {
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
}

}  // namespace

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
    o.Reference("ParentId", "Parent Account ID", {"Account"}, "Parent", "ChildAccounts");
    o.Address("Billing", "Billing");
    o.Address("Shipping", "Shipping");
    o.Phone("Phone", "Account Phone");
    o.Phone("Fax", "Account Fax");
    o.Text("AccountNumber", "Account Number", 40);
    o.Url("Website", "Website");
    ReadOnly(o.Url("PhotoUrl", "Photo URL")).extra_type_info = "imageurl";
    o.Text("Sic", "SIC Code", 20);
    o.Picklist("Industry", "Industry", kIndustries);
    o.Number("AnnualRevenue", "Annual Revenue", FieldType::kCurrency, 18, 0);
    o.Integer("NumberOfEmployees", "Employees", 8);
    o.Picklist("Ownership", "Ownership", {"Public", "Private", "Subsidiary", "Other"});
    o.Text("TickerSymbol", "Ticker Symbol", 20);
    o.TextArea("Description", "Account Description", 32000);
    o.Picklist("Rating", "Account Rating", {"Hot", "Warm", "Cold"});
    o.Text("Site", "Account Site", 80);
    o.Owner();
    o.AuditFields();
    ReadOnly(o.Date("LastActivityDate", "Last Activity"));
    o.ViewedFields();
    o.Text("Jigsaw", "Data.com Key", 20);
    FieldDef& jigsaw_company = ReadOnly(o.Text("JigsawCompanyId", "Jigsaw Company ID", 20));
    jigsaw_company.relationship_name = "JigsawCompany";
    CleanStatus(o);
    o.Picklist("AccountSource", "Account Source", kLeadSources);
    o.Text("DunsNumber", "D-U-N-S Number", 9);
    o.Text("Tradestyle", "Tradestyle", 255);
    o.Text("NaicsCode", "NAICS Code", 8);
    o.Text("NaicsDesc", "NAICS Description", 120);
    o.Text("YearStarted", "Year Started", 4);
    o.Text("SicDesc", "SIC Description", 80);
    o.Reference("DandbCompanyId", "D&B Company ID", {"DandBCompany"}, "DandbCompany");
    return std::move(o).Build();
}

ObjectDef Contact() {
    ObjectBuilder o("Contact", "Contact", "Contacts", "003");
    o.Flags().mergeable = true;
    o.IsDeleted();
    ReadOnly(o.Reference("MasterRecordId", "Master Record ID", {"Contact"}, "MasterRecord"));
    // Deleting an account deletes its contacts (recorded Account childRelationships).
    o.Reference("AccountId", "Account ID", {"Account"}, "Account", "Contacts").cascade_delete =
        true;
    o.PersonName();
    o.Address("Other", "Other");
    o.Address("Mailing", "Mailing");
    o.Phone("Phone", "Business Phone");
    o.Phone("Fax", "Business Fax");
    o.Phone("MobilePhone", "Mobile Phone");
    o.Phone("HomePhone", "Home Phone");
    o.Phone("OtherPhone", "Other Phone");
    o.Phone("AssistantPhone", "Asst. Phone");
    // Recorded: Contact.ReportsToId has no named child relationship.
    o.Reference("ReportsToId", "Reports To ID", {"Contact"}, "ReportsTo");
    o.Email("Email", "Email").id_lookup = true;
    o.Text("Title", "Title", 128);
    o.Text("Department", "Department", 80);
    o.Text("AssistantName", "Assistant's Name", 40);
    o.Picklist("LeadSource", "Lead Source", kLeadSources);
    o.Date("Birthdate", "Birthdate");
    o.TextArea("Description", "Contact Description", 32000);
    o.Owner();
    o.Checkbox("HasOptedOutOfEmail", "Email Opt Out");
    o.Checkbox("HasOptedOutOfFax", "Fax Opt Out");
    o.Checkbox("DoNotCall", "Do Not Call");
    o.AuditFields();
    ReadOnly(o.Date("LastActivityDate", "Last Activity"));
    ReadOnly(o.DateTime("LastCURequestDate", "Last Stay-in-Touch Request Date"));
    ReadOnly(o.DateTime("LastCUUpdateDate", "Last Stay-in-Touch Save Date"));
    o.ViewedFields();
    o.Text("EmailBouncedReason", "Email Bounced Reason", 255);
    o.DateTime("EmailBouncedDate", "Email Bounced Date");
    Derived(o.Checkbox("IsEmailBounced", "Is Email Bounced"));
    ReadOnly(o.Url("PhotoUrl", "Photo URL")).extra_type_info = "imageurl";
    o.Text("Jigsaw", "Data.com Key", 20);
    ReadOnly(o.Text("JigsawContactId", "Jigsaw Contact ID", 20)).relationship_name =
        "JigsawContact";
    CleanStatus(o);
    return std::move(o).Build();
}

ObjectDef Lead() {
    ObjectBuilder o("Lead", "Lead", "Leads", "00Q");
    o.Flags().mergeable = true;
    o.IsDeleted();
    ReadOnly(o.Reference("MasterRecordId", "Master Record ID", {"Lead"}, "MasterRecord"));
    o.PersonName();
    o.Text("Title", "Title", 128);
    Required(o.Text("Company", "Company", 255));
    o.Address("", "");
    o.Phone("Phone", "Phone");
    o.Phone("MobilePhone", "Mobile Phone");
    o.Phone("Fax", "Fax");
    o.Email("Email", "Email").id_lookup = true;
    o.Url("Website", "Website");
    ReadOnly(o.Url("PhotoUrl", "Photo URL")).extra_type_info = "imageurl";
    o.TextArea("Description", "Description", 32000);
    o.Picklist("LeadSource", "Lead Source", kLeadSources);
    FieldDef& status = Required(o.Picklist("Status",
                                           "Status",
                                           {"Open - Not Contacted",
                                            "Working - Contacted",
                                            "Closed - Converted",
                                            "Closed - Not Converted"}));
    DefaultPicklistValue(status, "Open - Not Contacted");
    o.Picklist("Industry", "Industry", kIndustries);
    o.Picklist("Rating", "Rating", {"Hot", "Warm", "Cold"});
    o.Number("AnnualRevenue", "Annual Revenue", FieldType::kCurrency, 18, 0);
    o.Integer("NumberOfEmployees", "Employees", 8);
    o.Owner("Owner ID", {"Group", "User"});  // leads can be owned by queues
    o.Checkbox("HasOptedOutOfEmail", "Email Opt Out");
    // Conversion happens through convertLead; the API may load already-converted leads.
    o.Checkbox("IsConverted", "Converted").updateable = false;
    ReadOnly(o.Date("ConvertedDate", "Converted Date"));
    ReadOnly(
        o.Reference("ConvertedAccountId", "Converted Account ID", {"Account"}, "ConvertedAccount"));
    ReadOnly(
        o.Reference("ConvertedContactId", "Converted Contact ID", {"Contact"}, "ConvertedContact"));
    ReadOnly(o.Reference("ConvertedOpportunityId",
                         "Converted Opportunity ID",
                         {"Opportunity"},
                         "ConvertedOpportunity"));
    o.Checkbox("IsUnreadByOwner", "Unread By Owner");
    o.AuditFields();
    ReadOnly(o.Date("LastActivityDate", "Last Activity"));
    o.Checkbox("DoNotCall", "Do Not Call");
    o.Checkbox("HasOptedOutOfFax", "Fax Opt Out");
    o.ViewedFields();
    ReadOnly(o.Date("LastTransferDate", "Last Transfer Date"));
    o.Text("Jigsaw", "Data.com Key", 20);
    ReadOnly(o.Text("JigsawContactId", "Jigsaw Contact ID", 20)).relationship_name =
        "JigsawContact";
    CleanStatus(o);
    o.Text("CompanyDunsNumber", "Company D-U-N-S Number", 9);
    o.Reference("DandbCompanyId", "D&B Company ID", {"DandBCompany"}, "DandbCompany");
    o.Text("EmailBouncedReason", "Email Bounced Reason", 255);
    o.DateTime("EmailBouncedDate", "Email Bounced Date");
    return std::move(o).Build();
}

}  // namespace standard

Schema Schema::Standard() {
    // Built once per process (every org starts from it; the catalog makes it ~90 objects).
    static const std::vector<ObjectDef> kStandard = [] {
        std::vector<ObjectDef> objects;
        for (ObjectDef (*build)() : {&standard::Account,
                                     &standard::Contact,
                                     &standard::Lead,
                                     &standard::Opportunity,
                                     &standard::OpportunityLineItem,
                                     &standard::Campaign,
                                     &standard::CampaignMember,
                                     &standard::Product2,
                                     &standard::Pricebook2,
                                     &standard::PricebookEntry,
                                     &standard::Contract,
                                     &standard::Order,
                                     &standard::Asset,
                                     &standard::Case,
                                     &standard::Task,
                                     &standard::Event,
                                     &standard::Note,
                                     &standard::Attachment,
                                     &standard::Organization,
                                     &standard::User,
                                     &standard::Profile,
                                     &standard::EventLogFile,
                                     &standard::PlatformAction}) {
            objects.push_back(build());
        }
        // What a real org's describe adds to these, and its other standard objects (generated from
        // a cited data set: standard_catalog.cpp).
        standard::CompleteFromCatalog(objects);
        return objects;
    }();
    Schema s;
    for (const ObjectDef& o : kStandard) {
        s.Add(o);
    }
    return s;
}

}  // namespace sfkit::server
