// The identity objects: Organization, User and Profile. Their records are mirrors of the auth
// tables (AuthService publishes them, api/directory_records.cpp writes them), so none of them
// can be created, updated or deleted through the REST API here; credentials never reach these
// tables. Organization's field order is that of a recorded GET (CumulusCI
// GET_sobjects_Organization.yaml); User's follows a recorded describe. The locale and time-zone
// picklists list a representative subset of Salesforce's values.
#include "server/schema/object_builder.hpp"
#include "server/schema/standard_objects.hpp"

namespace sfkit::server::standard {
namespace {

/// An object whose records only the server writes.
void MirroredOnly(ObjectFlags& f) {
    f.createable = false;
    f.updateable = false;
    f.deletable = false;
    f.undeletable = false;
    f.mergeable = false;
}

void AuditField(ObjectBuilder& o, const char* name) {
    FieldDef* f = nullptr;
    const std::string n = name;
    if (n == "CreatedDate" || n == "LastModifiedDate" || n == "SystemModstamp") {
        f = &o.DateTime(n,
                        n == "CreatedDate"        ? "Created Date"
                        : n == "LastModifiedDate" ? "Last Modified Date"
                                                  : "System Modstamp");
    } else {
        const bool created = n == "CreatedById";
        f = &o.Reference(n,
                         created ? "Created By ID" : "Last Modified By ID",
                         {"User"},
                         created ? "CreatedBy" : "LastModifiedBy");
    }
    ReadOnly(*f);
    f->nillable = false;
    f->defaulted_on_create = true;
    f->system_maintained = true;
}

FieldDef& Keyed(ObjectBuilder& o,
                const char* name,
                const char* label,
                std::initializer_list<std::pair<const char*, const char*>> values) {
    FieldDef& f = o.Picklist(name, label, {});
    f.restricted_picklist = true;
    for (const auto& [value, text] : values) {
        f.picklist.push_back({value, text, true, false});
    }
    return f;
}

const std::initializer_list<std::pair<const char*, const char*>> kTimeZones = {
    {"Pacific/Honolulu", "(GMT-10:00) Hawaii-Aleutian Standard Time (Pacific/Honolulu)"},
    {"America/Anchorage", "(GMT-09:00) Alaska Standard Time (America/Anchorage)"},
    {"America/Los_Angeles", "(GMT-08:00) Pacific Standard Time (America/Los_Angeles)"},
    {"America/Denver", "(GMT-07:00) Mountain Standard Time (America/Denver)"},
    {"America/Phoenix", "(GMT-07:00) Mountain Standard Time (America/Phoenix)"},
    {"America/Chicago", "(GMT-06:00) Central Standard Time (America/Chicago)"},
    {"America/New_York", "(GMT-05:00) Eastern Standard Time (America/New_York)"},
    {"America/Sao_Paulo", "(GMT-03:00) Brasilia Standard Time (America/Sao_Paulo)"},
    {"GMT", "(GMT+00:00) Greenwich Mean Time (GMT)"},
    {"Europe/London", "(GMT+00:00) Greenwich Mean Time (Europe/London)"},
    {"Europe/Berlin", "(GMT+01:00) Central European Standard Time (Europe/Berlin)"},
    {"Europe/Paris", "(GMT+01:00) Central European Standard Time (Europe/Paris)"},
    {"Asia/Kolkata", "(GMT+05:30) India Standard Time (Asia/Kolkata)"},
    {"Asia/Singapore", "(GMT+08:00) Singapore Standard Time (Asia/Singapore)"},
    {"Asia/Tokyo", "(GMT+09:00) Japan Standard Time (Asia/Tokyo)"},
    {"Australia/Sydney", "(GMT+10:00) Australian Eastern Standard Time (Australia/Sydney)"},
};

const std::initializer_list<std::pair<const char*, const char*>> kLocales = {
    {"en_US", "English (United States)"},
    {"en_GB", "English (United Kingdom)"},
    {"en_CA", "English (Canada)"},
    {"en_AU", "English (Australia)"},
    {"de_DE", "German (Germany)"},
    {"fr_FR", "French (France)"},
    {"es_ES", "Spanish (Spain)"},
    {"it_IT", "Italian (Italy)"},
    {"ja_JP", "Japanese (Japan)"},
    {"pt_BR", "Portuguese (Brazil)"},
};

const std::initializer_list<std::pair<const char*, const char*>> kLanguages = {
    {"en_US", "English"},
    {"de", "German"},
    {"fr", "French"},
    {"es", "Spanish"},
    {"it", "Italian"},
    {"ja", "Japanese"},
    {"pt_BR", "Portuguese (Brazil)"},
};

const std::initializer_list<std::pair<const char*, const char*>> kUserTypes = {
    {"Standard", "Standard"},
    {"PowerPartner", "Partner"},
    {"PowerCustomerSuccess", "Customer Portal Manager"},
    {"CustomerSuccess", "Customer Portal User"},
    {"Guest", "Guest"},
    {"CspLitePortal", "High Volume Portal"},
    {"CsnOnly", "CSN Only"},
    {"SelfService", "Self Service"},
};

}  // namespace

ObjectDef Organization() {
    ObjectBuilder o("Organization", "Organization", "Organizations", "00D");
    MirroredOnly(o.Flags());
    o.Flags().layoutable = false;
    o.Flags().compact_layoutable = false;
    o.Flags().search_layoutable = false;
    o.Flags().searchable = false;
    o.Flags().feed_enabled = false;
    o.Flags().triggerable = false;
    Required(o.Text("Name", "Name", 80)).name_field = true;
    o.Text("Division", "Division", 80);
    o.Address("", "");
    o.Phone("Phone", "Phone");
    o.Phone("Fax", "Fax");
    o.Text("PrimaryContact", "Primary Contact", 80);
    Required(Keyed(o, "DefaultLocaleSidKey", "Locale", kLocales));
    Required(Keyed(o, "TimeZoneSidKey", "Time Zone", kTimeZones));
    Required(Keyed(o, "LanguageLocaleKey", "Language", kLanguages));
    o.Checkbox("ReceivesInfoEmails", "Info Emails");
    o.Checkbox("ReceivesAdminInfoEmails", "Info Emails Admin");
    o.Checkbox("PreferencesRequireOpportunityProducts", "RequireOpportunityProducts");
    o.Checkbox("PreferencesTransactionSecurityPolicy", "TransactionSecurityPolicy");
    o.Checkbox("PreferencesTerminateOldestSession", "TerminateOldestSession");
    o.Checkbox("PreferencesConsentManagementEnabled", "ConsentManagementEnabled");
    o.Checkbox("PreferencesAutoSelectIndividualOnMerge", "AutoSelectIndividualOnMerge");
    o.Checkbox("PreferencesLightningLoginEnabled", "LightningLoginEnabled");
    o.Checkbox("PreferencesOnlyLLPermUserAllowed", "OnlyLLPermUserAllowed");
    o.Integer("FiscalYearStartMonth", "Fiscal Year Starts In", 2);
    o.Checkbox("UsesStartDateAsFiscalYearName", "Fiscal Year Name by Start");
    const std::initializer_list<std::pair<const char*, const char*>> access = {
        {"None", "Private"},
        {"Read", "Read Only"},
        {"Edit", "Read/Write"},
        {"ReadEditTransfer", "Read/Write/Transfer"},
        {"All", "Full Access"},
        {"ControlledByParent", "Controlled by Parent"},
    };
    Keyed(o, "DefaultAccountAccess", "Default Account Access", access);
    Keyed(o, "DefaultContactAccess", "Default Contact Access", access);
    Keyed(o, "DefaultOpportunityAccess", "Default Opportunity Access", access);
    Keyed(o, "DefaultLeadAccess", "Default Lead Access", access);
    Keyed(o, "DefaultCaseAccess", "Default Case Access", access);
    Keyed(o,
          "DefaultCalendarAccess",
          "Default Calendar Access",
          {{"HideDetails", "Hide Details"},
           {"HideDetailsInsert", "Hide Details and Add Events"},
           {"ShowDetails", "Show Details"},
           {"ShowDetailsInsert", "Show Details and Add Events"},
           {"AllowEdits", "Full Access"}});
    Keyed(o,
          "DefaultPricebookAccess",
          "Default Price Book Access",
          {{"None", "No Access"}, {"Read", "View Only"}, {"ReadSelect", "Use"}});
    Keyed(o, "DefaultCampaignAccess", "Default Campaign Access", access);
    o.Url("DelegatedAuthenticationServiceUrl", "Delegated Authentication Service URL", 1000);
    AuditField(o, "SystemModstamp");
    o.Email("ComplianceBccEmail", "Compliance BCC Email");
    Keyed(
        o, "UiSkin", "UI Skin", {{"Theme1", "Theme1"}, {"Theme2", "Theme2"}, {"Theme3", "Theme3"}});
    o.Text("SignupCountryIsoCode", "Signup Country", 2);
    o.DateTime("TrialExpirationDate", "Trial Expiration Date");
    o.Integer("NumKnowledgeService", "Knowledge Licenses", 9);
    Keyed(o,
          "OrganizationType",
          "Edition",
          {{"Team Edition", "Team Edition"},
           {"Professional Edition", "Professional Edition"},
           {"Enterprise Edition", "Enterprise Edition"},
           {"Developer Edition", "Developer Edition"},
           {"Personal Edition", "Personal Edition"},
           {"Unlimited Edition", "Unlimited Edition"},
           {"Contact Manager Edition", "Contact Manager Edition"},
           {"Base Edition", "Base Edition"}});
    o.Text("NamespacePrefix", "Namespace Prefix", 15);
    o.Text("InstanceName", "Instance Name", 5);
    o.Checkbox("IsSandbox", "Is Sandbox");
    o.Text("WebToCaseDefaultOrigin", "Web to Cases Default Origin", 40);
    o.Integer("MonthlyPageViewsUsed", "Monthly Page Views Used", 9);
    o.Integer("MonthlyPageViewsEntitlement", "Monthly Page Views Allowed", 9);
    o.Checkbox("IsReadOnly", "Is Read Only");
    AuditField(o, "CreatedDate");
    AuditField(o, "CreatedById");
    AuditField(o, "LastModifiedDate");
    AuditField(o, "LastModifiedById");
    return std::move(o).Build();
}

ObjectDef User() {
    ObjectBuilder o("User", "User", "Users", "005");
    MirroredOnly(o.Flags());
    FieldDef& username = Required(o.Text("Username", "Username", 80));
    username.unique = true;
    username.id_lookup = true;
    Required(o.Text("LastName", "Last Name", 80)).compound_field_name = "Name";
    o.Text("FirstName", "First Name", 40).compound_field_name = "Name";
    FieldDef& name = Derived(o.Text("Name", "Full Name", 121));
    name.name_field = true;
    name.extra_type_info = "personname";
    o.Text("CompanyName", "Company Name", 80);
    o.Text("Division", "Division", 80);
    o.Text("Department", "Department", 80);
    o.Text("Title", "Title", 80);
    o.Address("", "");
    Required(o.Add("Email", "Email", FieldType::kEmail, 128));
    o.Email("SenderEmail", "Email Sender Address");
    o.Text("SenderName", "Email Sender Name", 80);
    o.TextArea("Signature", "Email Signature", 1333);
    o.Phone("Phone", "Phone");
    o.Phone("Fax", "Fax");
    o.Phone("MobilePhone", "Mobile");
    Required(o.Text("Alias", "Alias", 8));
    Required(o.Text("CommunityNickname", "Nickname", 40)).unique = true;
    ReadOnly(o.Text("BadgeText", "User Photo badge text overlay", 80));
    o.Checkbox("IsActive", "Active", true);
    Required(Keyed(o, "TimeZoneSidKey", "Time Zone", kTimeZones));
    o.Reference("UserRoleId", "Role ID", {"UserRole"}, "UserRole");
    Required(Keyed(o, "LocaleSidKey", "Locale", kLocales));
    o.Checkbox("ReceivesInfoEmails", "Info Emails");
    o.Checkbox("ReceivesAdminInfoEmails", "Admin Info Emails");
    Required(Keyed(o,
                   "EmailEncodingKey",
                   "Email Encoding",
                   {{"UTF-8", "Unicode (UTF-8)"},
                    {"ISO-8859-1", "General US & Western Europe (ISO-8859-1, ISO-LATIN-1)"},
                    {"Shift_JIS", "Japanese (Shift-JIS)"},
                    {"EUC-JP", "Japanese (EUC-JP)"},
                    {"ISO-2022-JP", "Japanese (JIS)"}}));
    Required(o.Reference("ProfileId", "Profile ID", {"Profile"}, "Profile", "Users"));
    Derived(Keyed(o, "UserType", "User Type", kUserTypes));
    Required(Keyed(o, "LanguageLocaleKey", "Language", kLanguages));
    o.Text("EmployeeNumber", "Employee Number", 20);
    o.Reference("DelegatedApproverId", "Delegated Approver ID", {"Group", "User"}, "");
    o.Reference("ManagerId", "Manager ID", {"User"}, "Manager", "ManagedUsers");
    ReadOnly(o.DateTime("LastLoginDate", "Last Login"));
    ReadOnly(o.DateTime("LastPasswordChangeDate", "Last Password Change or Reset"));
    o.AuditFields();
    Derived(o.Integer("NumberOfFailedLogins", "Failed Login Attempts", 9));
    o.Reference("ContactId", "Contact ID", {"Contact"}, "Contact");
    ReadOnly(o.Reference("AccountId", "Account ID", {"Account"}, "Account"));
    o.Text("Extension", "Extension", 40);
    o.Text("FederationIdentifier", "SAML Federation ID", 512);
    o.TextArea("AboutMe", "About Me", 1000);
    ReadOnly(o.Url("FullPhotoUrl", "Url for full-sized Photo", 1024));
    ReadOnly(o.Url("SmallPhotoUrl", "Photo", 1024)).extra_type_info = "imageurl";
    Derived(o.Checkbox("IsExtIndicatorVisible", "Show external indicator"));
    ReadOnly(o.Text("OutOfOfficeMessage", "Out of office message", 40));
    ReadOnly(o.Url("MediumPhotoUrl", "Url for medium profile photo", 1024));
    Required(Keyed(o,
                   "DigestFrequency",
                   "Chatter Email Highlights Frequency",
                   {{"D", "Daily"}, {"W", "Weekly"}, {"N", "Never"}}))
        .defaulted_on_create = true;
    Required(Keyed(o,
                   "DefaultGroupNotificationFrequency",
                   "Default Notification Frequency when Joining Groups",
                   {{"P", "Email on Each Post"},
                    {"D", "Daily Digests"},
                    {"W", "Weekly Digests"},
                    {"N", "Never"}}))
        .defaulted_on_create = true;
    o.ViewedFields();
    ReadOnly(o.Url("BannerPhotoUrl", "Url for banner photo", 1024));
    ReadOnly(o.Url("SmallBannerPhotoUrl", "Url for IOS banner photo", 1024));
    ReadOnly(o.Url("MediumBannerPhotoUrl", "Url for Android banner photo", 1024));
    Derived(o.Checkbox("IsProfilePhotoActive", "Has Profile Photo"));
    return std::move(o).Build();
}

ObjectDef Profile() {
    ObjectBuilder o("Profile", "Profile", "Profiles", "00e");
    MirroredOnly(o.Flags());
    o.Flags().layoutable = false;
    o.Flags().compact_layoutable = false;
    o.Flags().search_layoutable = false;
    o.Flags().searchable = false;
    o.Flags().feed_enabled = false;
    o.Flags().triggerable = false;
    Required(o.Text("Name", "Name", 255)).name_field = true;
    // A few of the several hundred Permissions* checkboxes, the ones integrations look at.
    for (const auto& [name, label] : ProfilePermissions()) {
        o.Checkbox(std::string(name), std::string(label));
    }
    o.Reference("UserLicenseId", "User License ID", {"UserLicense"}, "UserLicense");
    Derived(Keyed(o, "UserType", "User Type", kUserTypes));
    o.AuditFields();
    o.Text("Description", "Description", 255);
    o.ViewedFields();
    return std::move(o).Build();
}

std::span<const std::pair<std::string_view, std::string_view>> ProfilePermissions() {
    static constexpr std::pair<std::string_view, std::string_view> kPermissions[] = {
        {"PermissionsEmailSingle", "Send Email"},
        {"PermissionsEmailMass", "Mass Email"},
        {"PermissionsEditTask", "Edit Tasks"},
        {"PermissionsEditEvent", "Edit Events"},
        {"PermissionsExportReport", "Export Reports"},
        {"PermissionsImportPersonal", "Import Personal Contacts"},
        {"PermissionsDataExport", "Weekly Data Export"},
        {"PermissionsManageUsers", "Manage Users"},
        {"PermissionsModifyAllData", "Modify All Data"},
        {"PermissionsManageCases", "Manage Cases"},
        {"PermissionsCustomizeApplication", "Customize Application"},
        {"PermissionsApiEnabled", "API Enabled"},
        {"PermissionsViewAllData", "View All Data"},
        {"PermissionsViewSetup", "View Setup and Configuration"},
    };
    return kPermissions;
}

}  // namespace sfkit::server::standard
