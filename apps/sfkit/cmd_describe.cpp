// `sfkit describe SOBJECT`: one object's describe (§B.5): a summary and field / child
// relationship tables, or the raw describe with --json.
#include <cstdio>
#include <string>

#include <boost/json.hpp>

#include "client/record_codec.hpp"
#include "client_support.hpp"
#include "commands.hpp"
#include "table.hpp"

namespace sfkit::cli {
namespace json = boost::json;

namespace {

bool IsNumberType(const std::string& type) {
    return type == "double" || type == "currency" || type == "percent";
}

/// Characters of text types, `precision,scale` of numbers, digits of integers.
std::string LengthCell(const client::FieldDescribe& f) {
    if (IsNumberType(f.type)) {
        return std::to_string(f.precision) + "," + std::to_string(f.scale);
    }
    if (f.type == "int" || f.type == "long") {
        return f.digits > 0 ? std::to_string(f.digits) : std::string();
    }
    return f.length > 0 ? std::to_string(f.length) : std::string();
}

/// What else a reader wants to know about a field, most useful first.
std::string DetailsCell(const client::FieldDescribe& f) {
    std::string out;
    const auto add = [&out](const std::string& part) {
        if (!out.empty()) {
            out += "; ";
        }
        out += part;
    };
    if (!f.reference_to.empty()) {
        std::string targets;
        for (const auto& t : f.reference_to) {
            targets += (targets.empty() ? "" : ", ") + t;
        }
        add("-> " + targets +
            (f.relationship_name.empty() ? "" : " (" + f.relationship_name + ")"));
    }
    if (!f.picklist_values.empty()) {
        std::string values;
        for (const auto& p : f.picklist_values) {
            if (p.active) {
                values += (values.empty() ? "" : ", ") + p.value;
            }
        }
        add("values: " + values);
    }
    if (f.external_id) {
        add("external id");
    }
    if (f.unique) {
        add("unique");
    }
    if (f.auto_number) {
        add("auto number");
    } else if (f.calculated) {
        add("formula");
    }
    if (f.default_value) {
        add("default " + *f.default_value);
    }
    return out;
}

std::string FieldTable(const client::SObjectDescribe& d) {
    Table t({{"NAME"},
             {"LABEL"},
             {"TYPE"},
             {"LENGTH", true},
             {"REQUIRED"},
             {"CREATE"},
             {"UPDATE"},
             {"DETAILS"}});
    for (const auto& f : d.fields) {
        t.AddRow({f.name,
                  f.label,
                  f.type,
                  LengthCell(f),
                  f.IsRequired() ? "yes" : "",
                  f.createable ? "yes" : "",
                  f.updateable ? "yes" : "",
                  DetailsCell(f)});
    }
    return t.Render(HumanCellLimit());
}

std::string ChildTable(const client::SObjectDescribe& d) {
    Table t({{"RELATIONSHIP"}, {"CHILD OBJECT"}, {"FIELD"}, {"ON DELETE"}});
    for (const auto& c : d.child_relationships) {
        t.AddRow({c.relationship_name,
                  c.child_sobject,
                  c.field,
                  c.cascade_delete      ? "cascade"
                  : c.restricted_delete ? "restrict"
                                        : "clear"});
    }
    return t.Render(HumanCellLimit());
}

void PrintSummary(const client::SObjectDescribe& d) {
    const auto& s = d.summary;
    std::string access;
    for (const auto& [flag, word] : {std::pair{s.createable, "createable"},
                                     std::pair{s.updateable, "updateable"},
                                     std::pair{s.deletable, "deletable"},
                                     std::pair{s.undeletable, "undeletable"},
                                     std::pair{s.queryable, "queryable"},
                                     std::pair{s.searchable, "searchable"},
                                     std::pair{s.retrieveable, "retrieveable"}}) {
        if (flag) {
            access += (access.empty() ? "" : ", ") + std::string(word);
        }
    }
    std::size_t required = 0;
    for (const auto& f : d.fields) {
        required += f.IsRequired() ? 1 : 0;
    }
    std::printf("Name                 %s\n", s.name.c_str());
    std::printf("Label                %s (plural %s)\n", s.label.c_str(), s.label_plural.c_str());
    std::printf("Key prefix           %s\n", s.key_prefix.c_str());
    std::printf("Custom               %s\n", YesNo(s.custom));
    std::printf("Access               %s\n", access.empty() ? "none" : access.c_str());
    std::printf("Fields               %zu (%zu required on create)\n", d.fields.size(), required);
    std::printf("Child relationships  %zu\n", d.child_relationships.size());
    std::printf("Record types         %zu\n", d.record_type_infos.size());
}

}  // namespace

int RunDescribe(const DescribeOptions& o) {
    constexpr std::string_view kCommand = "describe";
    const bool as_json = o.common.json;
    auto rest = ConnectRest(o.common, o.api_version, o.xml, o.sobject);
    if (!rest) {
        return ReportError(rest.error(), as_json, kCommand);
    }
    auto described = rest->Describe(o.sobject);
    WarnOnApiUsage(rest->LastApiUsage());
    if (!described) {
        return ReportError(described.error(), as_json, kCommand);
    }
    const client::SObjectDescribe& d = **described;
    if (as_json) {
        json::value raw = client::detail::RecordToJsonValue(d.raw, false);
        if (o.fields_only) {
            json::value fields = raw.as_object()["fields"];
            if (!fields.is_array()) {
                fields = json::array{fields};  // an XML describe with a single field
            }
            raw = std::move(fields);
        }
        PrintJsonResult(raw, rest->LastApiUsage());
        return kExitOk;
    }
    std::string text;
    if (o.fields_only) {
        text = FieldTable(d);
    } else {
        PrintSummary(d);
        text = "\n" + FieldTable(d);
        if (!d.child_relationships.empty()) {
            text += "\n" + ChildTable(d);
        }
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
    return kExitOk;
}

}  // namespace sfkit::cli
