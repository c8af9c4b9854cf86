// Derived values per object. Each rule reads and writes fields by name through Row, so a rule
// for a field the object does not have is a no-op.
#include "server/schema/derived_fields.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>

namespace sfkit::server {
namespace {

constexpr OpportunityStage kStages[] = {
    {"Prospecting", 10, false, false, "Pipeline"},
    {"Qualification", 10, false, false, "Pipeline"},
    {"Needs Analysis", 20, false, false, "Pipeline"},
    {"Value Proposition", 50, false, false, "Pipeline"},
    {"Id. Decision Makers", 60, false, false, "Pipeline"},
    {"Perception Analysis", 70, false, false, "Pipeline"},
    {"Proposal/Price Quote", 75, false, false, "Pipeline"},
    {"Negotiation/Review", 90, false, false, "Pipeline"},
    {"Closed Won", 100, true, true, "Closed"},
    {"Closed Lost", 0, true, false, "Omitted"},
};

/// Field access by name over one record being written.
class Row {
public:
    Row(const ObjectDef& object, std::vector<FieldValue>& values, const std::vector<bool>& assigned)
        : object_(object), values_(values), assigned_(assigned) {}

    bool Has(std::string_view name) const { return object_.FindField(name) != nullptr; }
    bool Assigned(std::string_view name) const {
        const FieldDef* f = object_.FindField(name);
        if (f == nullptr) {
            return false;
        }
        const std::size_t i = object_.IndexOf(*f);
        return i < assigned_.size() && assigned_[i];
    }
    const FieldValue* Get(std::string_view name) const {
        const FieldDef* f = object_.FindField(name);
        return f == nullptr ? nullptr : &values_[object_.IndexOf(*f)];
    }
    std::optional<std::string> Text(std::string_view name) const {
        const FieldValue* v = Get(name);
        if (v == nullptr) {
            return std::nullopt;
        }
        if (const auto* s = std::get_if<std::string>(v)) {
            return *s;
        }
        return std::nullopt;
    }
    std::optional<double> Number(std::string_view name) const {
        const FieldValue* v = Get(name);
        if (v == nullptr) {
            return std::nullopt;
        }
        if (const auto* d = std::get_if<double>(v)) {
            return *d;
        }
        if (const auto* i = std::get_if<std::int64_t>(v)) {
            return static_cast<double>(*i);
        }
        return std::nullopt;
    }
    void Set(std::string_view name, FieldValue v) {
        if (const FieldDef* f = object_.FindField(name)) {
            values_[object_.IndexOf(*f)] = std::move(v);
        }
    }
    void SetIfNull(std::string_view name, FieldValue v) {
        if (const FieldValue* cur = Get(name); cur != nullptr && IsNull(*cur)) {
            Set(name, std::move(v));
        }
    }

private:
    const ObjectDef& object_;
    std::vector<FieldValue>& values_;
    const std::vector<bool>& assigned_;
};

FieldValue TextOrNull(const std::string& s) {
    return s.empty() ? FieldValue{} : FieldValue{s};
}

std::string DatePart(const std::string& datetime) {
    return datetime.substr(0, 10);
}

/// Contact/Lead/User Name: "First Last", or just "Last" (Salesforce's western name order).
void PersonName(Row& r) {
    if (!r.Has("FirstName") || !r.Has("LastName") || !r.Has("Name")) {
        return;
    }
    const std::string first = r.Text("FirstName").value_or("");
    const std::string last = r.Text("LastName").value_or("");
    std::string full = first;
    if (!last.empty()) {
        full += full.empty() ? last : " " + last;
    }
    r.Set("Name", TextOrNull(full));
}

void OpportunityRules(Row& r, bool is_insert, std::string_view now) {
    const auto stage_name = r.Text("StageName");
    const OpportunityStage* stage = nullptr;
    for (const OpportunityStage& s : kStages) {
        if (stage_name && *stage_name == s.name) {
            stage = &s;
        }
    }
    const bool stage_changed = r.Assigned("StageName");
    if (stage != nullptr) {
        r.Set("IsClosed", stage->closed);
        r.Set("IsWon", stage->won);
        if ((is_insert || stage_changed) && !r.Assigned("Probability")) {
            r.Set("Probability", static_cast<double>(stage->probability));
        }
        if ((is_insert || stage_changed) && !r.Assigned("ForecastCategoryName")) {
            r.Set("ForecastCategoryName", std::string(stage->forecast_category_name));
        }
    }
    if (!is_insert && stage_changed) {
        r.Set("LastStageChangeDate", std::string(now));
    }
    // ForecastCategory is the API name behind ForecastCategoryName's label.
    static constexpr std::pair<std::string_view, std::string_view> kCategories[] = {
        {"Omitted", "Omitted"},
        {"Pipeline", "Pipeline"},
        {"Best Case", "BestCase"},
        {"Commit", "Forecast"},
        {"Closed", "Closed"}};
    const auto category_name = r.Text("ForecastCategoryName");
    FieldValue category;
    for (const auto& [label, value] : kCategories) {
        if (category_name && *category_name == label) {
            category = std::string(value);
        }
    }
    r.Set("ForecastCategory", category);
    const auto amount = r.Number("Amount");
    const auto probability = r.Number("Probability");
    r.Set("ExpectedRevenue",
          amount && probability ? FieldValue{*amount * *probability / 100.0} : FieldValue{});
    // Standard fiscal year (starts in January): `YYYY Q`.
    const auto close = r.Text("CloseDate");
    if (close && close->size() == 10) {
        const int year = std::stoi(close->substr(0, 4));
        const int quarter = (std::stoi(close->substr(5, 2)) - 1) / 3 + 1;
        r.Set("FiscalYear", std::int64_t{year});
        r.Set("FiscalQuarter", std::int64_t{quarter});
        r.Set("Fiscal", std::to_string(year) + " " + std::to_string(quarter));
    }
    if (is_insert) {
        r.Set("PushCount", std::int64_t{0});
        r.Set("HasOpportunityLineItem", false);
    }
}

void LineItemRules(Row& r) {
    const auto quantity = r.Number("Quantity");
    const auto unit = r.Number("UnitPrice");
    const auto total = r.Number("TotalPrice");
    if (quantity && unit && !total) {
        r.Set("TotalPrice", *quantity * *unit);
    } else if (quantity && total && !unit && *quantity != 0) {
        r.Set("UnitPrice", *total / *quantity);
    }
}

/// Closed flag plus a close timestamp that is set when the record closes and cleared when it
/// reopens (Case.ClosedDate, Task.CompletedDateTime).
void ClosedRules(Row& r, bool closed, std::string_view stamp_field, std::string_view now) {
    r.Set("IsClosed", closed);
    if (!closed) {
        r.Set(stamp_field, FieldValue{});
    } else {
        r.SetIfNull(stamp_field, std::string(now));
    }
}

/// Activities related to an account carry its id in AccountId (other parents would need a
/// lookup: left as they are).
void ActivityAccount(Row& r) {
    if (!r.Assigned("WhatId")) {
        return;
    }
    const auto what = r.Text("WhatId");
    if (!what) {
        r.Set("AccountId", FieldValue{});
    } else if (what->compare(0, 3, "001") == 0) {
        r.Set("AccountId", *what);
    }
}

void EventRules(Row& r) {
    using std::chrono::minutes;
    // ActivityDateTime and StartDateTime are the same instant under two names.
    r.SetIfNull("ActivityDateTime",
                r.Text("StartDateTime") ? *r.Get("StartDateTime") : FieldValue{});
    r.SetIfNull("StartDateTime",
                r.Text("ActivityDateTime") ? *r.Get("ActivityDateTime") : FieldValue{});
    const auto start = r.Text("StartDateTime");
    const auto start_t = start ? ParseDateTime(*start) : std::nullopt;
    const auto duration = r.Number("DurationInMinutes");
    const auto end = r.Text("EndDateTime");
    if (start_t && duration && !end) {
        r.Set("EndDateTime",
              FormatDateTime(*start_t + minutes(static_cast<std::int64_t>(*duration))));
    } else if (start_t && end && !duration) {
        if (const auto end_t = ParseDateTime(*end)) {
            r.Set("DurationInMinutes",
                  static_cast<std::int64_t>(
                      std::chrono::duration_cast<minutes>(*end_t - *start_t).count()));
        }
    }
    if (const auto activity = r.Text("ActivityDateTime"); activity && activity->size() >= 10) {
        r.Set("ActivityDate", DatePart(*activity));
    }
    if (const auto end_now = r.Text("EndDateTime"); end_now && end_now->size() >= 10) {
        r.Set("EndDate", DatePart(*end_now));
    }
}

void ContractRules(Row& r) {
    const auto start = r.Text("StartDate");
    const auto term = r.Number("ContractTerm");
    FieldValue end;
    if (start && term) {
        // StartDate + term months - 1 day, the day clamped to the target month's length.
        int y = std::stoi(start->substr(0, 4));
        int m = std::stoi(start->substr(5, 2)) - 1 + static_cast<int>(*term);
        y += m / 12;
        m = m % 12 + 1;
        const auto first_of_month =
            DateToDays(std::to_string(y) + "-" + (m < 10 ? "0" : "") + std::to_string(m) + "-01");
        const int day = std::stoi(start->substr(8, 2));
        if (first_of_month) {
            const std::string next =
                DaysToDate(*first_of_month + 40).substr(0, 8) + "01";  // 1st of month after
            const std::int64_t month_len = *DateToDays(next) - *first_of_month;
            const std::int64_t target =
                *first_of_month + std::min<std::int64_t>(day, month_len) - 1;
            end = DaysToDate(target - 1);
        }
    }
    r.Set("EndDate", end);
    const auto status = r.Text("Status");
    r.Set("StatusCode",
          !status                            ? FieldValue{}
          : *status == "In Approval Process" ? FieldValue{std::string("InApproval")}
                                             : FieldValue{*status});
}

std::int64_t Base64DecodedLength(const std::string& b64) {
    std::int64_t chars = 0;
    std::int64_t padding = 0;
    for (char c : b64) {
        if (c == '=') {
            ++padding;
        } else if (c != '\r' && c != '\n' && c != ' ') {
            ++chars;
        }
    }
    return (chars + padding) / 4 * 3 - padding;
}

}  // namespace

std::span<const OpportunityStage> OpportunityStages() {
    return kStages;
}

void ComputeDerivedFields(const ObjectDef& object,
                          std::vector<FieldValue>& values,
                          const std::vector<bool>& assigned,
                          bool is_insert,
                          std::string_view now) {
    Row r(object, values, assigned);
    if (is_insert) {
        for (std::size_t i = 0; i < object.fields.size(); ++i) {
            const FieldDef& f = object.fields[i];
            if (!IsNull(values[i]) || (i < assigned.size() && assigned[i])) {
                continue;
            }
            for (const PicklistEntry& e : f.picklist) {
                if (e.default_value) {
                    values[i] = e.value;
                }
            }
            if (f.default_boolean) {
                values[i] = *f.default_boolean;
            }
        }
    }
    const std::string& name = object.name;
    if (name == "Contact" || name == "Lead" || name == "User") {
        PersonName(r);
    } else if (name == "Opportunity") {
        OpportunityRules(r, is_insert, now);
    } else if (name == "OpportunityLineItem") {
        LineItemRules(r);
    } else if (name == "Case") {
        ClosedRules(r, r.Text("Status").value_or("") == "Closed", "ClosedDate", now);
    } else if (name == "Task") {
        ClosedRules(r, r.Text("Status").value_or("") == "Completed", "CompletedDateTime", now);
        r.Set("IsHighPriority", r.Text("Priority").value_or("") == "High");
        ActivityAccount(r);
    } else if (name == "Event") {
        EventRules(r);
        ActivityAccount(r);
        if (is_insert) {
            r.Set("GroupEventType", std::string("0"));
        }
    } else if (name == "Contract") {
        ContractRules(r);
    } else if (name == "Order") {
        r.Set("StatusCode", r.Text("Status") ? *r.Get("Status") : FieldValue{});
        if (is_insert) {
            r.Set("TotalAmount", 0.0);
        }
    } else if (name == "Campaign" && is_insert) {
        for (const char* counter : {"NumberOfLeads",
                                    "NumberOfConvertedLeads",
                                    "NumberOfContacts",
                                    "NumberOfResponses",
                                    "NumberOfOpportunities",
                                    "NumberOfWonOpportunities"}) {
            r.Set(counter, std::int64_t{0});
        }
        r.Set("AmountAllOpportunities", 0.0);
        r.Set("AmountWonOpportunities", 0.0);
    } else if (name == "CampaignMember") {
        r.Set("HasResponded", r.Text("Status").value_or("") == "Responded");
        const auto contact = r.Text("ContactId");
        const auto lead = r.Text("LeadId");
        r.Set("Type",
              contact ? FieldValue{std::string("Contact")}
              : lead  ? FieldValue{std::string("Lead")}
                      : FieldValue{});
        r.Set("LeadOrContactId",
              contact ? FieldValue{*contact}
              : lead  ? FieldValue{*lead}
                      : FieldValue{});
    } else if (name == "Asset" && is_insert && !r.Text("ParentId")) {
        r.Set("AssetLevel", std::int64_t{1});
    } else if (name == "Attachment") {
        const auto body = r.Text("Body");
        r.Set("BodyLength", body ? FieldValue{Base64DecodedLength(*body)} : FieldValue{});
    }
}

}  // namespace sfkit::server
