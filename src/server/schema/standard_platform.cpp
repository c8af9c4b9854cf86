// Platform objects every org has whatever its features (Object Reference for the Salesforce
// Platform, "EventLogFile" and "PlatformAction" [D]): read-only, filled by the platform, never
// by API writes. The local org writes no event logs and computes no actions, so both are empty:
// queries answer no rows, as an org with nothing logged or shown does. Field names and types
// follow the object pages [D]; the key prefixes 0AT (EventLogFile) and 0JV (PlatformAction)
// are sfkit's reading of real ids [M].
#include "server/schema/object_builder.hpp"
#include "server/schema/standard_objects.hpp"

namespace sfkit::server::standard {
namespace {

/// Nothing of the object can be written through the API.
ObjectDef ReadOnlyObject(ObjectBuilder&& o) {
    ObjectFlags& f = o.Flags();
    f.createable = false;
    f.updateable = false;
    f.deletable = false;
    f.undeletable = false;
    f.mergeable = false;
    f.layoutable = false;
    f.compact_layoutable = false;
    f.search_layoutable = false;
    f.searchable = false;
    f.feed_enabled = false;
    f.triggerable = false;
    ObjectDef def = std::move(o).Build();
    for (FieldDef& field : def.fields) {
        field.createable = false;
        field.updateable = false;
    }
    return def;
}

}  // namespace

/// EventLogFile: Event Monitoring's log files. Orgs without the Event Monitoring add-on still
/// have the object, with a free subset of event types kept one day [D: "EventLogFile" object
/// reference and "Event Monitoring" in Salesforce Help].
ObjectDef EventLogFile() {
    ObjectBuilder o("EventLogFile", "Event Log File", "Event Log Files", "0AT");
    o.IsDeleted();
    o.AuditFields();
    o.Picklist("EventType",
               "Event Type",
               {"API",
                "ApiTotalUsage",
                "Login",
                "Logout",
                "LoginAs",
                "RestApi",
                "URI",
                "Report",
                "ApexExecution",
                "BulkApi",
                "InsecureExternalAssets"});
    o.DateTime("LogDate", "Log Date");
    o.Number("LogFileLength", "Log File Length", FieldType::kDouble, 18, 0);
    o.Add("LogFile", "Log File", FieldType::kBase64);
    o.Text("LogFileContentType", "Log File Content Type", 255);
    o.Number("ApiVersion", "API Version", FieldType::kDouble, 18, 1);
    o.Integer("Sequence", "Sequence", 9);
    o.Picklist("Interval", "Interval", {"Daily", "Hourly"}).since_version = 43;
    o.TextArea("LogFileFieldNames", "Log File Field Names", 32000);
    o.TextArea("LogFileFieldTypes", "Log File Field Types", 32000);
    return ReadOnlyObject(std::move(o));
}

/// PlatformAction: the actions and buttons a user interface shows for a context (a virtual
/// object: queried with a filter on SourceEntity or ActionListContext; nothing is stored).
ObjectDef PlatformAction() {
    ObjectBuilder o("PlatformAction", "Platform Action", "Platform Actions", "0JV");
    o.Picklist("ActionListContext",
               "Action List Context",
               {"Assistant",
                "BannerPhoto",
                "Chatter",
                "Dockable",
                "FeedElement",
                "FlexiPage",
                "Global",
                "ListView",
                "ListViewDefinition",
                "ListViewRecord",
                "Lookup",
                "MruList",
                "MruRow",
                "ObjectHomeChart",
                "Photo",
                "Record",
                "RecordEdit",
                "RelatedList",
                "RelatedListRecord"});
    o.Url("ActionTarget", "Action Target", 1000);
    o.Picklist("ActionTargetType", "Action Target Type", {"Describe", "Invoke", "Visualforce"});
    o.Url("ActionTargetUrl", "Action Target URL", 1000);
    o.Text("Category", "Category", 40);
    o.Text("ConfirmationMessage", "Confirmation Message", 1000);
    o.Picklist("DeviceFormat", "Device Format", {"Aloha", "Desktop", "Phone", "Tablet"});
    o.Text("ExternalId", "External ID", 255);
    o.Text("GroupId", "Group ID", 18);
    o.Text("IconContentType", "Icon Content Type", 255);
    o.Integer("IconHeight", "Icon Height", 9);
    o.Url("IconUrl", "Icon URL", 1000);
    o.Integer("IconWidth", "Icon Width", 9);
    o.Text("InvocationStatus", "Invocation Status", 255);
    o.Reference("InvokedByUserId", "Invoked By User ID", {"User"}, "InvokedByUser");
    o.Checkbox("IsGroupDefault", "Is Group Default");
    o.Checkbox("IsMassAction", "Is Mass Action");
    o.Text("Label", "Label", 255).name_field = true;
    o.Text("PrimaryColor", "Primary Color", 40);
    o.Text("RelatedListRecordId", "Related List Record ID", 18);
    o.Text("RelatedSourceEntity", "Related Source Entity", 255);
    o.Text("Section", "Section", 255);
    o.Text("SourceEntity", "Source Entity", 255);
    o.Text("Subtype", "Subtype", 255);
    o.Text("TargetObject", "Target Object", 255);
    o.Url("TargetUrl", "Target URL", 1000);
    o.Picklist("Type",
               "Type",
               {"ActionLink",
                "CustomButton",
                "InvocableAction",
                "ProductivityAction",
                "QuickAction",
                "StandardButton"});
    return ReadOnlyObject(std::move(o));
}

}  // namespace sfkit::server::standard
