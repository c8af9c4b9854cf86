// Sales objects: Opportunity and its products, campaigns, the product catalogue, contracts,
// orders and assets. Field order, lengths and picklist values follow the recorded describes
// and the SOAP API object reference; child relationship names and cascade/restrict flags follow
// the recorded Account/Contact describes (§B.5). Values the server derives (IsClosed, IsWon,
// Probability, ...) are marked Derived and computed in derived_fields.cpp.
#include "server/schema/derived_fields.hpp"
#include "server/schema/object_builder.hpp"
#include "server/schema/standard_objects.hpp"

namespace sfkit::server::standard {

ObjectDef Opportunity() {
    ObjectBuilder o("Opportunity", "Opportunity", "Opportunities", "006");
    o.IsDeleted();
    o.Reference("AccountId", "Account ID", {"Account"}, "Account", "Opportunities").cascade_delete =
        true;
    o.Checkbox("IsPrivate", "Private");
    FieldDef& name = Required(o.Text("Name", "Name", 120));
    name.name_field = true;
    o.TextArea("Description", "Description", 32000);
    // The stage drives IsClosed, IsWon, the default Probability and the forecast category.
    FieldDef& stage = Required(o.Picklist("StageName", "Stage", {}));
    stage.restricted_picklist = true;
    for (const OpportunityStage& s : OpportunityStages()) {
        stage.picklist.push_back({std::string(s.name), std::string(s.name), true, false});
    }
    o.Number("Amount", "Amount", FieldType::kCurrency, 18, 2);
    o.Number("Probability", "Probability (%)", FieldType::kPercent, 3, 0).defaulted_on_create =
        true;
    Derived(o.Number("ExpectedRevenue", "Expected Amount", FieldType::kCurrency, 18, 2));
    o.Number("TotalOpportunityQuantity", "Quantity", FieldType::kDouble, 18, 2);
    Required(o.Date("CloseDate", "Close Date"));
    o.Picklist("Type",
               "Opportunity Type",
               {"Existing Customer - Upgrade",
                "Existing Customer - Replacement",
                "Existing Customer - Downgrade",
                "New Customer"});
    o.Text("NextStep", "Next Step", 255);
    o.Picklist("LeadSource", "Lead Source", kLeadSources);
    Derived(o.Checkbox("IsClosed", "Closed"));
    Derived(o.Checkbox("IsWon", "Won"));
    FieldDef& category = Derived(o.Picklist("ForecastCategory", "Forecast Category", {}));
    category.restricted_picklist = true;
    category.picklist = {{"Omitted", "Omitted", true, false},
                         {"Pipeline", "Pipeline", true, false},
                         {"BestCase", "Best Case", true, false},
                         {"Forecast", "Commit", true, false},
                         {"Closed", "Closed", true, false}};
    FieldDef& category_name = o.Picklist("ForecastCategoryName",
                                         "Forecast Category",
                                         {"Omitted", "Pipeline", "Best Case", "Commit", "Closed"});
    category_name.restricted_picklist = true;
    category_name.defaulted_on_create = true;
    o.Reference("CampaignId", "Campaign ID", {"Campaign"}, "Campaign", "Opportunities");
    Derived(o.Checkbox("HasOpportunityLineItem", "Has Line Item"));
    o.Reference("Pricebook2Id", "Price Book ID", {"Pricebook2"}, "Pricebook2", "Opportunities");
    o.Owner();
    o.AuditFields();
    ReadOnly(o.Date("LastActivityDate", "Last Activity"));
    Derived(o.Integer("PushCount", "Push Count", 8));
    ReadOnly(o.DateTime("LastStageChangeDate", "Last Stage Change Date"));
    Derived(o.Integer("FiscalQuarter", "Fiscal Quarter", 11));
    Derived(o.Integer("FiscalYear", "Fiscal Year", 11));
    Derived(o.Text("Fiscal", "Fiscal Period", 6));
    o.Reference("ContactId", "Contact ID", {"Contact"}, "Contact", "Opportunities");
    o.ViewedFields();
    Derived(o.Checkbox("HasOpenActivity", "Has Open Activity"));
    Derived(o.Checkbox("HasOverdueTask", "Has Overdue Task"));
    return std::move(o).Build();
}

ObjectDef OpportunityLineItem() {
    ObjectBuilder o("OpportunityLineItem", "Opportunity Product", "Opportunity Product", "00k");
    o.Flags().searchable = false;
    o.Flags().undeletable = false;
    // A standard master-detail: required, cascade delete, but describe reports no order.
    o.MasterDetail(
         "OpportunityId", "Opportunity ID", "Opportunity", "Opportunity", "OpportunityLineItems")
        .relationship_order.reset();
    o.Integer("SortOrder", "Sort Order", 9);
    o.Reference("PricebookEntryId",
                "Price Book Entry ID",
                {"PricebookEntry"},
                "PricebookEntry",
                "OpportunityLineItems")
        .updateable = false;
    o.Reference("Product2Id", "Product ID", {"Product2"}, "Product2").updateable = false;
    ReadOnly(o.Text("ProductCode", "Product Code", 255));
    FieldDef& name = ReadOnly(o.Text("Name", "Opportunity Product Name", 376));
    name.name_field = true;
    Required(o.Number("Quantity", "Quantity", FieldType::kDouble, 12, 2));
    o.Number("TotalPrice", "Total Price", FieldType::kCurrency, 16, 2);
    o.Number("UnitPrice", "Sales Price", FieldType::kCurrency, 16, 2);
    ReadOnly(o.Number("ListPrice", "List Price", FieldType::kCurrency, 16, 2));
    o.Date("ServiceDate", "Date");
    o.Text("Description", "Line Description", 255);
    o.AuditFields();
    o.IsDeleted();
    o.ViewedFields();
    return std::move(o).Build();
}

ObjectDef Campaign() {
    ObjectBuilder o("Campaign", "Campaign", "Campaigns", "701");
    o.IsDeleted();
    FieldDef& name = Required(o.Text("Name", "Name", 80));
    name.name_field = true;
    o.Reference("ParentId", "Parent Campaign ID", {"Campaign"}, "Parent", "ChildCampaigns");
    o.Picklist("Type",
               "Type",
               {"Conference",
                "Webinar",
                "Trade Show",
                "Public Relations",
                "Partners",
                "Referral Program",
                "Advertisement",
                "Banner Ads",
                "Direct Mail",
                "Email",
                "Telemarketing",
                "Other"});
    o.Picklist("Status", "Status", {"Planned", "In Progress", "Completed", "Aborted"});
    o.Date("StartDate", "Start Date");
    o.Date("EndDate", "End Date");
    o.Number("ExpectedRevenue", "Expected Revenue in Campaign", FieldType::kCurrency, 18, 0);
    o.Number("BudgetedCost", "Budgeted Cost in Campaign", FieldType::kCurrency, 18, 0);
    o.Number("ActualCost", "Actual Cost in Campaign", FieldType::kCurrency, 18, 0);
    o.Number("ExpectedResponse", "Expected Response (%)", FieldType::kPercent, 10, 2);
    o.Number("NumberSent", "Num Sent in Campaign", FieldType::kDouble, 18, 0);
    o.Checkbox("IsActive", "Active");
    o.TextArea("Description", "Description", 32000);
    // Roll-up counters: 0 on a new campaign; not maintained as members are added.
    Derived(o.Integer("NumberOfLeads", "Leads in Campaign", 9));
    Derived(o.Integer("NumberOfConvertedLeads", "Converted Leads in Campaign", 9));
    Derived(o.Integer("NumberOfContacts", "Contacts in Campaign", 9));
    Derived(o.Integer("NumberOfResponses", "Responses in Campaign", 9));
    Derived(o.Integer("NumberOfOpportunities", "Opportunities in Campaign", 9));
    Derived(o.Integer("NumberOfWonOpportunities", "Won Opportunities in Campaign", 9));
    Derived(o.Number(
        "AmountAllOpportunities", "Value Opportunities in Campaign", FieldType::kCurrency, 18, 0));
    Derived(o.Number("AmountWonOpportunities",
                     "Value Won Opportunities in Campaign",
                     FieldType::kCurrency,
                     18,
                     0));
    o.Owner();
    o.AuditFields();
    ReadOnly(o.Date("LastActivityDate", "Last Activity"));
    o.ViewedFields();
    return std::move(o).Build();
}

ObjectDef CampaignMember() {
    ObjectBuilder o("CampaignMember", "Campaign Member", "Campaign Members", "00v");
    o.Flags().searchable = false;
    o.Flags().undeletable = false;
    o.Flags().feed_enabled = false;
    o.IsDeleted();
    FieldDef& campaign = Required(
        o.Reference("CampaignId", "Campaign ID", {"Campaign"}, "Campaign", "CampaignMembers"));
    campaign.updateable = false;
    campaign.cascade_delete = true;
    FieldDef& lead = o.Reference("LeadId", "Lead ID", {"Lead"}, "Lead", "CampaignMembers");
    lead.updateable = false;
    lead.cascade_delete = true;
    FieldDef& contact =
        o.Reference("ContactId", "Contact ID", {"Contact"}, "Contact", "CampaignMembers");
    contact.updateable = false;
    contact.cascade_delete = true;
    DefaultPicklistValue(o.Picklist("Status", "Status", {"Sent", "Responded"}), "Sent");
    Derived(o.Checkbox("HasResponded", "Responded"));
    o.AuditFields();
    ReadOnly(o.Date("FirstRespondedDate", "First Responded Date"));
    // The person's details are copied from the lead or contact (not maintained by sfkit).
    ReadOnly(o.Picklist("Salutation", "Salutation", {"Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Mx."}));
    FieldDef& name = ReadOnly(o.Text("Name", "Name", 121));
    name.name_field = true;
    ReadOnly(o.Text("FirstName", "First Name", 40));
    ReadOnly(o.Text("LastName", "Last Name", 80));
    ReadOnly(o.Text("Title", "Title", 128));
    ReadOnly(o.TextArea("Street", "Street", 255));
    ReadOnly(o.Text("City", "City", 40));
    ReadOnly(o.Text("State", "State", 80));
    ReadOnly(o.Text("PostalCode", "Zip", 20));
    ReadOnly(o.Text("Country", "Country", 80));
    ReadOnly(o.Email("Email", "Email"));
    ReadOnly(o.Phone("Phone", "Phone"));
    ReadOnly(o.Phone("Fax", "Fax"));
    ReadOnly(o.Phone("MobilePhone", "Mobile"));
    ReadOnly(o.TextArea("Description", "Description", 32000));
    Derived(o.Checkbox("DoNotCall", "Do Not Call"));
    Derived(o.Checkbox("HasOptedOutOfEmail", "Email Opt Out"));
    Derived(o.Checkbox("HasOptedOutOfFax", "Fax Opt Out"));
    ReadOnly(o.Picklist("LeadSource", "Lead Source", kLeadSources));
    ReadOnly(o.Text("CompanyOrAccount", "Company (Account)", 255));
    Derived(o.Text("Type", "Type", 40));
    Derived(o.Reference("LeadOrContactId", "Contact or Lead ID", {"Contact", "Lead"}, ""));
    ReadOnly(o.Reference("LeadOrContactOwnerId",
                         "Lead or Contact Owner ID",
                         {"Group", "User"},
                         "LeadOrContactOwner"));
    return std::move(o).Build();
}

ObjectDef Product2() {
    ObjectBuilder o("Product2", "Product", "Products", "01t");
    FieldDef& name = Required(o.Text("Name", "Product Name", 255));
    name.name_field = true;
    o.Text("ProductCode", "Product Code", 255);
    o.TextArea("Description", "Product Description", 4000);
    o.Checkbox("IsActive", "Active");
    o.AuditFields();
    o.Picklist("Family", "Product Family", {"None"});
    o.Text("ExternalId", "External ID", 255);
    o.Url("DisplayUrl", "Display URL", 1000);
    o.Picklist("QuantityUnitOfMeasure", "Quantity Unit Of Measure", {"Each"});
    o.IsDeleted();
    Derived(o.Checkbox("IsArchived", "Archived"));
    o.ViewedFields();
    o.Text("StockKeepingUnit", "Product SKU", 180);
    return std::move(o).Build();
}

ObjectDef Pricebook2() {
    ObjectBuilder o("Pricebook2", "Price Book", "Price Books", "01s");
    o.Flags().feed_enabled = false;
    o.IsDeleted();
    FieldDef& name = Required(o.Text("Name", "Price Book Name", 255));
    name.name_field = true;
    o.AuditFields();
    o.ViewedFields();
    o.Checkbox("IsActive", "Active");
    Derived(o.Checkbox("IsArchived", "Archived"));
    o.Text("Description", "Description", 255);
    // The org's one standard price book is created at start-up (rest_api.cpp).
    Derived(o.Checkbox("IsStandard", "Is Standard Price Book"));
    return std::move(o).Build();
}

ObjectDef PricebookEntry() {
    ObjectBuilder o("PricebookEntry", "Price Book Entry", "Price Book Entries", "01u");
    o.Flags().feed_enabled = false;
    o.Flags().searchable = false;
    o.Flags().undeletable = false;
    FieldDef& name = ReadOnly(o.Text("Name", "Product Name", 255));
    name.name_field = true;
    FieldDef& book = Required(o.Reference(
        "Pricebook2Id", "Price Book ID", {"Pricebook2"}, "Pricebook2", "PricebookEntries"));
    book.updateable = false;
    book.cascade_delete = true;
    FieldDef& product = Required(
        o.Reference("Product2Id", "Product ID", {"Product2"}, "Product2", "PricebookEntries"));
    product.updateable = false;
    product.cascade_delete = true;
    Required(o.Number("UnitPrice", "List Price", FieldType::kCurrency, 16, 2));
    o.Checkbox("IsActive", "Active");
    o.Checkbox("UseStandardPrice", "Use Standard Price");
    o.AuditFields();
    ReadOnly(o.Text("ProductCode", "Product Code", 255));
    o.IsDeleted();
    Derived(o.Checkbox("IsArchived", "Archived"));
    return std::move(o).Build();
}

ObjectDef Contract() {
    ObjectBuilder o("Contract", "Contract", "Contracts", "800");
    // Recorded: an account's contracts are deleted with it, and block its deletion if active.
    FieldDef& account =
        Required(o.Reference("AccountId", "Account ID", {"Account"}, "Account", "Contracts"));
    account.cascade_delete = true;
    account.restricted_delete = true;
    o.Reference("Pricebook2Id", "Price Book ID", {"Pricebook2"}, "Pricebook2", "Contracts");
    FieldDef& notice = o.Picklist("OwnerExpirationNotice", "Owner Expiration Notice", {});
    for (const char* days : {"15", "30", "45", "60", "90", "120"}) {
        notice.picklist.push_back({days, std::string(days) + " Days", true, false});
    }
    o.Date("StartDate", "Contract Start Date");
    Derived(o.Date("EndDate", "Contract End Date"));
    o.Address("Billing", "Billing");
    o.Address("Shipping", "Shipping");
    o.Integer("ContractTerm", "Contract Term (months)", 4);
    o.Owner();
    FieldDef& status =
        Required(o.Picklist("Status", "Status", {"Draft", "In Approval Process", "Activated"}));
    DefaultPicklistValue(status, "Draft");
    o.Reference("CompanySignedId", "Company Signed By ID", {"User"}, "CompanySigned");
    o.Date("CompanySignedDate", "Company Signed Date");
    FieldDef& signer = o.Reference("CustomerSignedId",
                                   "Customer Signed By ID",
                                   {"Contact"},
                                   "CustomerSigned",
                                   "ContractsSigned");
    signer.restricted_delete = true;
    o.Text("CustomerSignedTitle", "Customer Signed Title", 40);
    o.Date("CustomerSignedDate", "Customer Signed Date");
    o.TextArea("SpecialTerms", "Special Terms", 4000);
    ReadOnly(o.Reference("ActivatedById", "Activated By ID", {"User"}, "ActivatedBy"));
    ReadOnly(o.DateTime("ActivatedDate", "Activated Date"));
    FieldDef& code = Derived(o.Picklist("StatusCode", "Status Category", {}));
    code.restricted_picklist = true;
    code.picklist = {{"Draft", "Draft", true, false},
                     {"InApproval", "In Approval Process", true, false},
                     {"Activated", "Activated", true, false},
                     {"Terminated", "Terminated", true, false},
                     {"Expired", "Expired", true, false}};
    o.TextArea("Description", "Description", 32000);
    o.IsDeleted();
    o.AutoNumber("ContractNumber", "Contract Number", "{00000000}", 100).name_field = true;
    ReadOnly(o.DateTime("LastApprovedDate", "Last Approved Date"));
    o.AuditFields();
    ReadOnly(o.Date("LastActivityDate", "Last Activity"));
    o.ViewedFields();
    return std::move(o).Build();
}

ObjectDef Order() {
    ObjectBuilder o("Order", "Order", "Orders", "801");
    o.Owner("Owner ID", {"Group", "User"});  // orders can be owned by queues
    o.Reference("ContractId", "Contract ID", {"Contract"}, "Contract", "Orders");
    FieldDef& account = o.Reference("AccountId", "Account ID", {"Account"}, "Account", "Orders");
    account.cascade_delete = true;
    account.restricted_delete = true;
    o.Reference("Pricebook2Id", "Price Book ID", {"Pricebook2"}, "Pricebook2", "Orders");
    o.Reference("OriginalOrderId", "Original Order ID", {"Order"}, "OriginalOrder", "Orders");
    Required(o.Date("EffectiveDate", "Order Start Date"));
    o.Date("EndDate", "Order End Date");
    o.Checkbox("IsReductionOrder", "Reduction Order").updateable = false;
    DefaultPicklistValue(Required(o.Picklist("Status", "Status", {"Draft", "Activated"})), "Draft");
    o.TextArea("Description", "Description", 32000);
    o.Reference(
        "CustomerAuthorizedById", "Customer Authorized By ID", {"Contact"}, "CustomerAuthorizedBy");
    o.Date("CustomerAuthorizedDate", "Customer Authorized Date");
    o.Reference(
        "CompanyAuthorizedById", "Company Authorized By ID", {"User"}, "CompanyAuthorizedBy");
    o.Date("CompanyAuthorizedDate", "Company Authorized Date");
    o.Picklist("Type", "Order Type", {});
    o.Address("Billing", "Billing");
    o.Address("Shipping", "Shipping");
    o.Text("Name", "Order Name", 80);
    o.Date("PoDate", "PO Date");
    o.Text("PoNumber", "PO Number", 80);
    o.Text("OrderReferenceNumber", "Order Reference Number", 80);
    o.Reference("BillToContactId", "Bill To Contact ID", {"Contact"}, "BillToContact");
    o.Reference("ShipToContactId", "Ship To Contact ID", {"Contact"}, "ShipToContact");
    o.DateTime("ActivatedDate", "Activated Date");
    o.Reference("ActivatedById", "Activated By ID", {"User"}, "ActivatedBy");
    FieldDef& code = Derived(o.Picklist("StatusCode", "Status Category", {}));
    code.restricted_picklist = true;
    code.picklist = {{"Draft", "Draft", true, false},
                     {"Activated", "Activated", true, false},
                     {"Cancelled", "Cancelled", true, false},
                     {"Expired", "Expired", true, false}};
    o.AutoNumber("OrderNumber", "Order Number", "{00000000}", 100).name_field = true;
    Derived(o.Number("TotalAmount", "Order Amount", FieldType::kCurrency, 18, 2));
    o.AuditFields();
    o.IsDeleted();
    o.ViewedFields();
    return std::move(o).Build();
}

ObjectDef Asset() {
    ObjectBuilder o("Asset", "Asset", "Assets", "02i");
    o.Reference("ContactId", "Contact ID", {"Contact"}, "Contact", "Assets").cascade_delete = true;
    o.Reference("AccountId", "Account ID", {"Account"}, "Account", "Assets").cascade_delete = true;
    o.Reference("ParentId", "Parent Asset ID", {"Asset"}, "Parent", "ChildAssets");
    ReadOnly(o.Reference("RootAssetId", "Root Asset ID", {"Asset"}, "RootAsset"));
    o.Reference("Product2Id", "Product ID", {"Product2"}, "Product2", "Assets");
    ReadOnly(o.Text("ProductCode", "Product Code", 255));
    o.Checkbox("IsCompetitorProduct", "Competitor Asset");
    o.AuditFields();
    o.IsDeleted();
    FieldDef& name = Required(o.Text("Name", "Asset Name", 255));
    name.name_field = true;
    o.Text("SerialNumber", "Serial Number", 80);
    o.Date("InstallDate", "Install Date");
    o.Date("PurchaseDate", "Purchase Date");
    o.Date("UsageEndDate", "Usage End Date");
    o.DateTime("LifecycleStartDate", "Lifecycle Start Date");
    o.DateTime("LifecycleEndDate", "Lifecycle End Date");
    o.Picklist("Status", "Status", {"Purchased", "Shipped", "Installed", "Registered", "Obsolete"});
    o.Number("Price", "Price", FieldType::kCurrency, 18, 2);
    o.Number("Quantity", "Quantity", FieldType::kDouble, 18, 2);
    o.TextArea("Description", "Description", 32000);
    o.Owner();
    o.Reference("AssetProvidedById",
                "Asset Provided By ID",
                {"Account"},
                "AssetProvidedBy",
                "ProvidedAssets");
    o.Reference("AssetServicedById",
                "Asset Serviced By ID",
                {"Account"},
                "AssetServicedBy",
                "ServicedAssets");
    o.Checkbox("IsInternal", "Internal Asset");
    Derived(o.Integer("AssetLevel", "Asset Level", 3));
    ReadOnly(o.Text("StockKeepingUnit", "Product SKU", 180));
    o.ViewedFields();
    return std::move(o).Build();
}

}  // namespace sfkit::server::standard
