// Service and activity objects: Case, Task, Event, and the Note/Attachment children any record
// can have. Task/Event WhoId and WhatId, and Note/Attachment ParentId, are polymorphic
// references; custom objects are added to their targets when the org definition declares them
// (custom_objects.cpp). Picklist values are those of a new Developer Edition org.
#include "server/schema/object_builder.hpp"
#include "server/schema/standard_objects.hpp"

namespace sfkit::server::standard {

ObjectDef Case() {
    ObjectBuilder o("Case", "Case", "Cases", "500");
    o.Flags().mergeable = true;
    o.IsDeleted();
    ReadOnly(o.Reference("MasterRecordId", "Master Record ID", {"Case"}, "MasterRecord"));
    o.AutoNumber("CaseNumber", "Case Number", "{00000000}", 1001).name_field = true;
    // Recorded: an account or contact with cases cannot be deleted (restrictedDelete).
    o.Reference("ContactId", "Contact ID", {"Contact"}, "Contact", "Cases").restricted_delete =
        true;
    o.Reference("AccountId", "Account ID", {"Account"}, "Account", "Cases").restricted_delete =
        true;
    o.Reference("AssetId", "Asset ID", {"Asset"}, "Asset", "Cases");
    o.Reference("ParentId", "Parent Case ID", {"Case"}, "Parent", "Cases");
    o.Text("SuppliedName", "Name", 80);
    o.Email("SuppliedEmail", "Email");
    o.Text("SuppliedPhone", "Phone", 40);
    o.Text("SuppliedCompany", "Company", 80);
    o.Picklist(
        "Type", "Case Type", {"Mechanical", "Electrical", "Electronic", "Structural", "Other"});
    DefaultPicklistValue(o.Picklist("Status", "Status", {"New", "Working", "Escalated", "Closed"}),
                         "New");
    o.Picklist("Reason",
               "Case Reason",
               {"Installation",
                "Equipment Complexity",
                "Performance",
                "Breakdown",
                "Equipment Design",
                "Feedback",
                "Other"});
    o.Picklist("Origin", "Case Origin", {"Phone", "Email", "Web"});
    o.Text("Subject", "Subject", 255);
    DefaultPicklistValue(o.Picklist("Priority", "Priority", {"High", "Medium", "Low"}), "Medium");
    o.TextArea("Description", "Description", 32000);
    Derived(o.Checkbox("IsClosed", "Closed"));
    Derived(o.DateTime("ClosedDate", "Closed Date"));
    o.Checkbox("IsEscalated", "Escalated");
    o.Owner("Owner ID", {"Group", "User"});  // cases can be owned by queues
    o.AuditFields();
    ReadOnly(o.Phone("ContactPhone", "Contact Phone"));
    ReadOnly(o.Phone("ContactMobile", "Contact Mobile"));
    ReadOnly(o.Email("ContactEmail", "Contact Email"));
    ReadOnly(o.Phone("ContactFax", "Contact Fax"));
    o.TextArea("Comments", "Internal Comments", 4000);
    o.ViewedFields();
    return std::move(o).Build();
}

namespace {

/// WhoId and WhatId, with the child relationship `plural` (Tasks/Events) on every target.
void WhoWhat(ObjectBuilder& o, const std::string& plural) {
    FieldDef& who = o.Reference("WhoId", "Name ID", {"Contact", "Lead"}, "Who", plural);
    who.cascade_delete = true;
    FieldDef& what = o.Reference("WhatId", "Related To ID", kWhatTargets, "What", plural);
    what.cascade_delete = true;
}

}  // namespace

ObjectDef Task() {
    ObjectBuilder o("Task", "Task", "Tasks", "00T");
    o.Flags().feed_enabled = false;
    WhoWhat(o, "Tasks");
    FieldDef& subject =
        o.Combobox("Subject", "Subject", {"Call", "Send Letter", "Send Quote", "Other"});
    subject.name_field = true;
    o.Date("ActivityDate", "Due Date Only");
    DefaultPicklistValue(
        Required(o.Picklist(
            "Status",
            "Status",
            {"Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"})),
        "Not Started");
    DefaultPicklistValue(Required(o.Picklist("Priority", "Priority", {"High", "Normal", "Low"})),
                         "Normal");
    Derived(o.Checkbox("IsHighPriority", "High Priority"));
    o.Owner("Assigned To ID", {"Group", "User"});
    o.TextArea("Description", "Description", 32000);
    o.IsDeleted();
    // Recorded: Account lists Task.AccountId/Event.AccountId without a relationship name.
    Derived(o.Reference("AccountId", "Account ID", {"Account"}, "Account"));
    Derived(o.Checkbox("IsClosed", "Closed"));
    o.AuditFields();
    Derived(o.Checkbox("IsArchived", "Archived"));
    o.Integer("CallDurationInSeconds", "Call Duration", 8);
    o.Picklist("CallType", "Call Type", {"Internal", "Inbound", "Outbound"});
    o.Text("CallDisposition", "Call Result", 255);
    o.Text("CallObject", "Call Object Identifier", 255);
    o.DateTime("ReminderDateTime", "Reminder Date/Time");
    o.Checkbox("IsReminderSet", "Reminder Set");
    FieldDef& subtype = o.Picklist("TaskSubtype",
                                   "Task Subtype",
                                   {"Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn"});
    subtype.updateable = false;
    subtype.restricted_picklist = true;
    DefaultPicklistValue(subtype, "Task");
    Derived(o.DateTime("CompletedDateTime", "Completed Date/Time"));
    return std::move(o).Build();
}

ObjectDef Event() {
    ObjectBuilder o("Event", "Event", "Events", "00U");
    o.Flags().feed_enabled = false;
    WhoWhat(o, "Events");
    FieldDef& subject = o.Combobox(
        "Subject", "Subject", {"Call", "Email", "Meeting", "Send Letter/Quote", "Other"});
    subject.name_field = true;
    o.Text("Location", "Location", 255);
    o.Checkbox("IsAllDayEvent", "All-Day Event");
    o.DateTime("ActivityDateTime", "Due Date Time");
    o.Date("ActivityDate", "Due Date Only");
    o.Integer("DurationInMinutes", "Duration", 8);
    o.DateTime("StartDateTime", "Start Date Time");
    o.DateTime("EndDateTime", "End Date Time");
    Derived(o.Date("EndDate", "End Date Only"));
    o.TextArea("Description", "Description", 32000);
    Derived(o.Reference("AccountId", "Account ID", {"Account"}, "Account"));
    // Events belong to a user or to a public calendar.
    o.Owner("Assigned To ID", {"Calendar", "User"});
    o.Checkbox("IsPrivate", "Private");
    FieldDef& show_as = o.Picklist("ShowAs", "Show Time As", {});
    show_as.picklist = {{"Busy", "Busy", true, true},
                        {"OutOfOffice", "Out of Office", true, false},
                        {"Free", "Free", true, false}};
    show_as.defaulted_on_create = true;
    o.IsDeleted();
    Derived(o.Checkbox("IsChild", "Is Child"));
    Derived(o.Checkbox("IsGroupEvent", "Group Event"));
    FieldDef& group_type = Derived(o.Picklist("GroupEventType", "Group Event Type", {}));
    group_type.restricted_picklist = true;
    group_type.picklist = {{"0", "Non-group Event", true, false},
                           {"1", "Group Event", true, false},
                           {"2", "Proposed Event", true, false}};
    o.AuditFields();
    Derived(o.Checkbox("IsArchived", "Archived"));
    o.DateTime("ReminderDateTime", "Reminder Date/Time");
    o.Checkbox("IsReminderSet", "Reminder Set");
    FieldDef& subtype = o.Picklist("EventSubtype", "Event Subtype", {"Event"});
    subtype.updateable = false;
    subtype.restricted_picklist = true;
    DefaultPicklistValue(subtype, "Event");
    return std::move(o).Build();
}

ObjectDef Note() {
    ObjectBuilder o("Note", "Note", "Notes", "002");
    o.Flags().layoutable = false;
    o.Flags().compact_layoutable = false;
    o.Flags().search_layoutable = false;
    o.Flags().feed_enabled = false;
    o.IsDeleted();
    FieldDef& parent = Required(o.Reference(
        "ParentId",
        "Parent ID",
        {"Account", "Asset", "Contact", "Contract", "Lead", "Opportunity", "Order", "Product2"},
        "Parent",
        "Notes"));
    parent.updateable = false;
    parent.cascade_delete = true;
    FieldDef& title = Required(o.Text("Title", "Title", 80));
    title.name_field = true;
    o.Checkbox("IsPrivate", "Private");
    o.TextArea("Body", "Body", 32000);
    o.Owner();
    o.AuditFields();
    return std::move(o).Build();
}

ObjectDef Attachment() {
    ObjectBuilder o("Attachment", "Attachment", "Attachments", "00P");
    o.Flags().layoutable = false;
    o.Flags().compact_layoutable = false;
    o.Flags().search_layoutable = false;
    o.Flags().searchable = false;
    o.Flags().feed_enabled = false;
    o.IsDeleted();
    FieldDef& parent = Required(o.Reference("ParentId",
                                            "Parent ID",
                                            {"Account",
                                             "Asset",
                                             "Campaign",
                                             "Case",
                                             "Contact",
                                             "Contract",
                                             "Event",
                                             "Lead",
                                             "Opportunity",
                                             "Order",
                                             "Product2",
                                             "Task"},
                                            "Parent",
                                            "Attachments"));
    parent.updateable = false;
    parent.cascade_delete = true;
    FieldDef& name = Required(o.Text("Name", "File Name", 255));
    name.name_field = true;
    o.Checkbox("IsPrivate", "Private");
    o.Text("ContentType", "Content Type", 120);
    Derived(o.Integer("BodyLength", "Body Length", 18));
    Required(o.Add("Body", "Body", FieldType::kBase64));
    o.Owner();
    o.AuditFields();
    o.TextArea("Description", "Description", 500);
    return std::move(o).Build();
}

}  // namespace sfkit::server::standard
