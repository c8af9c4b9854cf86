// QueryFixture: schema, storage and the query routes, without HTTP or OAuth.
#include "support/query_fixture.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/json.hpp>

#include "sfkit/core/id.hpp"

#include "server/api/render.hpp"
#include "server/auth/session.hpp"
#include "server/http/api_error.hpp"
#include "server/query/query_handlers.hpp"
#include "server/query/query_service.hpp"
#include "server/schema/field_value.hpp"
#include "server/schema/object_builder.hpp"
#include "server/storage/database.hpp"
#include "server/storage/migrations.hpp"
#include "server/storage/query_indexes.hpp"
#include "server/storage/record_store.hpp"
#include "support/pg_scratch.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;
using server::FieldType;

server::ObjectDef Widget() {
    server::ObjectBuilder o("Widget__c", "Widget", "Widgets", "a01");
    o.Flags().custom = true;
    o.IsDeleted();
    server::Required(o.Text("Name", "Widget Name", 80)).name_field = true;
    auto custom = [](server::FieldDef& f) -> server::FieldDef& {
        f.custom = true;
        return f;
    };
    custom(o.Add("Tags__c", "Tags", FieldType::kMultiPicklist, 4099)).picklist = {
        {"Red", "Red", true, false},
        {"Green", "Green", true, false},
        {"Blue", "Blue", true, false}};
    custom(o.Add("Due__c", "Due", FieldType::kDate));
    custom(o.Number("Amount__c", "Amount", FieldType::kCurrency, 18, 2));
    custom(o.Integer("Count__c", "Count", 9));
    custom(o.Number("Ratio__c", "Ratio", FieldType::kDouble, 9, 3));
    custom(o.TextArea("Notes__c", "Notes", 32768));
    custom(o.Checkbox("Active__c", "Active"));
    custom(o.Picklist("Stage__c", "Stage", {"New", "Done"}));
    custom(o.Reference("Account__c", "Account", {"Account"}, "Account__r"))
        .child_relationship_name = "Widgets__r";
    custom(o.Add("Seen__c", "Seen", FieldType::kDateTime));
    o.Owner();
    o.AuditFields();
    return std::move(o).Build();
}

server::ObjectDef Memo() {
    server::ObjectBuilder o("Memo__c", "Memo", "Memos", "a02");
    o.Flags().custom = true;
    o.IsDeleted();
    server::Required(o.Text("Name", "Memo Name", 80)).name_field = true;
    server::FieldDef& what = o.Reference("What__c", "What", {"Account", "Widget__c"}, "What__r");
    what.custom = true;
    what.child_relationship_name = "Memos__r";
    o.Owner();
    o.AuditFields();
    return std::move(o).Build();
}

}  // namespace

server::Schema QueryTestSchema() {
    server::Schema s = server::Schema::Standard();
    s.Add(Widget());
    s.Add(Memo());
    return s;
}

QueryFixture::QueryFixture()
    : schema_(QueryTestSchema()),
      now_(std::chrono::sys_days(std::chrono::year(2024) / 5 / 15) + std::chrono::hours(12)),
      user_id_(Id::Make("005", "Lo", 1).Str18()) {
    if (TestOrgsOnPostgres()) {
        auto scratch = std::make_shared<PgScratch>(*PgTestServer());
        db_ = std::make_unique<server::Database>(scratch->Target());
        server::PrepareEngine(*db_);
        pg_scratch_ = std::move(scratch);
    } else {
        db_ = std::make_unique<server::Database>(":memory:");
    }
    store_ = server::MakeSqliteRecordStore(*db_);
    store_->Bootstrap(schema_);
    server::EnsureQueryIndexes(*db_, schema_);
    server::query::QueryServiceOptions options;
    options.clock = [this] { return now_; };
    service_ = std::make_unique<server::query::QueryService>(*db_, schema_, options);
    server::query::RegisterQueryRoutes(router_, *service_, schema_);
    ids_["me"] = user_id_;  // `@me`: the requesting user (owner of every DATA record by default)
}

QueryFixture::~QueryFixture() = default;

std::string QueryFixture::Expand(const std::string& text) const {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '@') {
            std::size_t j = i + 1;
            while (j < text.size() &&
                   (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) {
                ++j;
            }
            const auto it = ids_.find(text.substr(i + 1, j - i - 1));
            if (j > i + 1 && it != ids_.end()) {
                out += it->second;
                i = j - 1;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

std::string QueryFixture::Unexpand(std::string text) const {
    for (const auto& [name, id] : ids_) {
        for (auto pos = text.find(id); pos != std::string::npos; pos = text.find(id, pos)) {
            text.replace(pos, id.size(), "@" + name);
        }
    }
    return text;
}

std::string QueryFixture::Insert(const std::string& type,
                                 const std::string& text,
                                 const std::string& name) {
    const server::ObjectDef* object = schema_.FindObject(type);
    if (object == nullptr) {
        throw std::invalid_argument("unknown object " + type);
    }
    const json::object fields = json::parse(text).as_object();
    server::RecordValues values(object->fields.size());
    const std::string now = server::FormatDateTime(now_);
    const auto set = [&](std::string_view field, server::FieldValue v) {
        if (const server::FieldDef* f = object->FindField(field)) {
            values[object->IndexOf(*f)] = std::move(v);
        }
    };
    set("IsDeleted", false);
    set("CreatedDate", now);
    set("LastModifiedDate", now);
    set("SystemModstamp", now);
    set("OwnerId", user_id_);
    set("CreatedById", user_id_);
    set("LastModifiedById", user_id_);
    for (const auto& kv : fields) {
        const server::FieldDef* f = object->FindField(kv.key());
        if (f == nullptr) {
            throw std::invalid_argument("unknown field " + std::string(kv.key()));
        }
        server::FieldValue v;
        const json::value& j = kv.value();
        if (j.is_bool()) {
            v = j.get_bool();
        } else if (j.is_int64()) {
            if (server::KindOf(f->type) == server::ValueKind::kReal) {
                v = static_cast<double>(j.get_int64());
            } else {
                v = j.get_int64();
            }
        } else if (j.is_double()) {
            v = j.get_double();
        } else if (j.is_string()) {
            v = Expand(std::string(j.get_string()));
        }
        values[object->IndexOf(*f)] = std::move(v);
    }
    const Id id = store_->Insert(*object, values);
    if (!name.empty()) {
        ids_[name] = id.Str18();
    }
    return id.Str18();
}

server::Response QueryFixture::Get(const std::string& target,
                                   const std::vector<std::string>& headers) {
    server::Request req;
    req.method = "GET";
    req.target = target;
    const auto q = target.find('?');
    req.path = server::PercentDecode(target.substr(0, q), false).value_or(target.substr(0, q));
    req.query = q == std::string::npos ? std::string() : target.substr(q + 1);
    req.headers.push_back({"Host", "127.0.0.1:7777"});
    for (const auto& h : headers) {
        const auto colon = h.find(':');
        std::string value = h.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') {
            value.erase(0, 1);
        }
        req.headers.push_back({h.substr(0, colon), value});
    }
    std::string path = req.path;
    std::string_view suffix;
    const auto slash = path.rfind('/');
    const auto dot = path.rfind('.');
    if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) {
        const std::string ext = path.substr(dot + 1);
        if (ext == "json" || ext == "xml") {
            suffix = ext == "json" ? "json" : "xml";
            path.resize(dot);
        }
    }
    const server::Format format = server::NegotiateFormat(req, suffix);
    const std::string* pp = req.Header("X-PrettyPrint");
    const bool pretty = pp != nullptr && *pp == "1";
    server::Session session;
    session.user_id = user_id_;
    try {
        server::RouteMatch m = router_.Match(req.method, path);
        if (m.route == nullptr) {
            throw server::NotFound();
        }
        server::Call call{req, std::move(m.params), &session, format, pretty, {}, {}};
        call.api_version = call.Param("version");
        call.base_url = "http://127.0.0.1:7777";
        return m.route->handler(call);
    } catch (const server::ApiError& e) {
        return server::RenderError(e, format, pretty);
    }
}

}  // namespace sfkit::test
