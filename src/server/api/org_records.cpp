// Mirroring the directory into User/Profile/Organization rows, and the standard price book.
#include "server/api/org_records.hpp"

#include <chrono>
#include <set>

#include "sfkit/core/id.hpp"

#include "server/schema/field_value.hpp"
#include "server/schema/schema.hpp"
#include "server/schema/standard_objects.hpp"
#include "server/storage/database.hpp"
#include "server/storage/record_store.hpp"

namespace sfkit::server {
namespace {

std::string Stamp(std::int64_t ms) {
    return FormatDateTime(Instant(std::chrono::milliseconds(ms)));
}

/// A row of `object` with every checkbox at its default, ready for field assignments.
class RowBuilder {
public:
    explicit RowBuilder(const ObjectDef& object) : object_(object), values_(object.fields.size()) {
        for (std::size_t i = 0; i < object.fields.size(); ++i) {
            if (object.fields[i].type == FieldType::kBoolean) {
                values_[i] = object.fields[i].default_boolean.value_or(false);
            }
        }
    }
    RowBuilder& Set(std::string_view field, FieldValue v) {
        const FieldDef* f = object_.FindField(field);
        if (f == nullptr) {
            throw std::logic_error("no field " + std::string(field) + " on " + object_.name);
        }
        values_[object_.IndexOf(*f)] = std::move(v);
        return *this;
    }
    RowBuilder& Text(std::string_view field, const std::string& v) {
        return Set(field, v.empty() ? FieldValue{} : FieldValue{v});
    }
    /// CreatedDate/ById, LastModifiedDate/ById, SystemModstamp.
    RowBuilder& Audit(const std::string& by, std::int64_t created_ms, std::int64_t modified_ms) {
        Set("CreatedDate", Stamp(created_ms));
        Set("LastModifiedDate", Stamp(modified_ms));
        Set("SystemModstamp", Stamp(modified_ms));
        Text("CreatedById", by);
        Text("LastModifiedById", by);
        return *this;
    }
    RecordValues Take() { return std::move(values_); }

private:
    const ObjectDef& object_;
    RecordValues values_;
};

std::string Lower(std::string s) {
    for (char& c : s) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return s;
}

}  // namespace

void OrgRecords::Publish(const DirectorySnapshot& snapshot) {
    const ObjectDef& org = *schema_.FindObject("Organization");
    const ObjectDef& profile = *schema_.FindObject("Profile");
    const ObjectDef& user = *schema_.FindObject("User");
    const std::string& admin = snapshot.admin_user_id;
    const std::int64_t created = snapshot.org.created_ms;
    // New records take the org id's pod (characters 4-5), as every id of a real org does.
    store_.SetIdPod(snapshot.org.id.substr(3, 2));

    std::string admin_name;
    for (const DirectoryUser& u : snapshot.users) {
        if (u.id == admin) {
            admin_name = u.first_name.empty() ? u.last_name : u.first_name + " " + u.last_name;
        }
    }
    // A Developer Edition org's defaults (recorded Organization GET, §B.7).
    store_.Put(org,
               RowBuilder(org)
                   .Set("Id", snapshot.org.id)
                   .Text("Name", snapshot.org.name)
                   .Text("PrimaryContact", admin_name)
                   .Text("DefaultLocaleSidKey", "en_US")
                   .Text("TimeZoneSidKey", "America/Los_Angeles")
                   .Text("LanguageLocaleKey", "en_US")
                   .Set("FiscalYearStartMonth", std::int64_t{1})
                   .Text("DefaultAccountAccess", "Edit")
                   .Text("DefaultContactAccess", "ControlledByParent")
                   .Text("DefaultOpportunityAccess", "Edit")
                   .Text("DefaultLeadAccess", "ReadEditTransfer")
                   .Text("DefaultCaseAccess", "ReadEditTransfer")
                   .Text("DefaultCalendarAccess", "HideDetailsInsert")
                   .Text("DefaultPricebookAccess", "ReadSelect")
                   .Text("DefaultCampaignAccess", "All")
                   .Text("UiSkin", "Theme3")
                   .Set("NumKnowledgeService", std::int64_t{0})
                   .Text("OrganizationType", "Developer Edition")
                   .Text("InstanceName", "LOCAL")
                   .Text("WebToCaseDefaultOrigin", "Web")
                   .Set("MonthlyPageViewsUsed", std::int64_t{0})
                   .Set("MonthlyPageViewsEntitlement", std::int64_t{0})
                   .Audit(admin, created, created)
                   .Take());

    for (const DirectoryProfile& p : snapshot.profiles) {
        RowBuilder row(profile);
        row.Set("Id", p.id).Text("Name", p.name).Text("UserType", "Standard");
        // System Administrator has every permission; other profiles those of a Standard User.
        const bool admin_profile = p.name == "System Administrator";
        for (const auto& [name, label] : standard::ProfilePermissions()) {
            const bool admin_only =
                name == "PermissionsManageUsers" || name == "PermissionsModifyAllData" ||
                name == "PermissionsViewAllData" || name == "PermissionsViewSetup" ||
                name == "PermissionsCustomizeApplication" || name == "PermissionsDataExport" ||
                name == "PermissionsManageCases";
            row.Set(name, admin_profile || !admin_only);
        }
        store_.Put(profile, row.Audit(admin, created, created).Take());
    }

    std::set<std::string> nicknames;
    const std::size_t last_login_index = user.IndexOf(*user.FindField("LastLoginDate"));
    for (const DirectoryUser& u : snapshot.users) {
        const std::string local = u.username.substr(0, u.username.find('@'));
        std::string nickname = local.substr(0, 40);
        for (int n = 2; !nicknames.insert(Lower(nickname)).second; ++n) {
            nickname = local.substr(0, 36) + std::to_string(n);
        }
        // Salesforce's default alias: first initial and the start of the last name.
        std::string alias = Lower((u.first_name.empty() ? "" : u.first_name.substr(0, 1)) +
                                  u.last_name.substr(0, 4));
        const std::string full =
            u.first_name.empty() ? u.last_name : u.first_name + " " + u.last_name;
        // The directory knows nothing of logins: a re-publish keeps the stored LastLoginDate.
        FieldValue last_login;
        if (const auto id = Id::Parse(u.id)) {
            if (auto existing = store_.Find(user, *id)) {
                last_login = std::move((*existing)[last_login_index]);
            }
        }
        store_.Put(user,
                   RowBuilder(user)
                       .Set("Id", u.id)
                       .Text("Username", u.username)
                       .Text("LastName", u.last_name)
                       .Text("FirstName", u.first_name)
                       .Text("Name", full)
                       .Text("CompanyName", snapshot.org.name)
                       .Text("Email", u.email)
                       .Text("Alias", alias.substr(0, 8))
                       .Text("CommunityNickname", nickname)
                       .Set("IsActive", u.active)
                       .Text("TimeZoneSidKey", "America/Los_Angeles")
                       .Text("LocaleSidKey", "en_US")
                       .Text("EmailEncodingKey", "UTF-8")
                       .Text("ProfileId", u.profile_id)
                       .Text("UserType", "Standard")
                       .Text("LanguageLocaleKey", "en_US")
                       .Set("NumberOfFailedLogins", std::int64_t{0})
                       .Text("DigestFrequency", "D")
                       .Text("DefaultGroupNotificationFrequency", "N")
                       .Set("LastLoginDate", std::move(last_login))
                       .Audit(admin.empty() ? u.id : admin, u.created_ms, u.modified_ms)
                       .Take());
    }
    EnsureStandardPricebook(snapshot);
}

void OrgRecords::RecordLogin(const std::string& user_id,
                             std::int64_t when_ms,
                             const std::function<void()>& work) {
    const ObjectDef& user = *schema_.FindObject("User");
    const std::size_t field = user.IndexOf(*user.FindField("LastLoginDate"));
    const auto id = Id::Parse(user_id);
    // Salesforce sets LastLoginDate on every successful login (UI, OAuth, SOAP); it is not a
    // modification of the record, so LastModifiedDate and SystemModstamp stay as they are.
    store_.Atomically([&] {
        work();
        if (id) {
            store_.Update(user, *id, {{field, FieldValue{Stamp(when_ms)}}});
        }
    });
}

void OrgRecords::EnsureStandardPricebook(const DirectorySnapshot& snapshot) {
    // Every org has exactly one standard price book; remember its id so it is made only once.
    Transaction tx(db_);
    db_.Exec(
        "CREATE TABLE IF NOT EXISTS seeded_record (name TEXT PRIMARY KEY, id TEXT NOT NULL) "
        "STRICT");
    auto find = db_.Prepare("SELECT id FROM seeded_record WHERE name = 'StandardPricebook'");
    if (find.Step()) {
        return;
    }
    const ObjectDef& book = *schema_.FindObject("Pricebook2");
    const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
    RecordValues values = RowBuilder(book)
                              .Text("Name", "Standard Price Book")
                              .Set("IsActive", true)
                              .Set("IsStandard", true)
                              .Audit(snapshot.admin_user_id, now_ms, now_ms)
                              .Take();
    const Id id = store_.Insert(book, values);
    db_.Prepare("INSERT INTO seeded_record (name, id) VALUES ('StandardPricebook', ?)")
        .Bind(1, id.Str18())
        .Run();
    tx.Commit();
}

}  // namespace sfkit::server
