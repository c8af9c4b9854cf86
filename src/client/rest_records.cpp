// RestClient record calls beyond create/retrieve: retrieve by external id (§B.7), update (§B.8),
// delete (§B.9), upsert (§B.10) and the replication resources getUpdated/getDeleted.
#include "client/rest_client_impl.hpp"
#include "client/value_read.hpp"

namespace sfkit::client {
namespace {

Result<std::string> RecordPath(std::string_view sobject, std::string_view id) {
    if (auto bad = detail::CheckSObject(sobject)) {
        return *bad;
    }
    if (id.empty()) {
        return MakeError(ErrorKind::kInvalidArgument, "MALFORMED_ID", "the record id is empty");
    }
    return "sobjects/" + std::string(sobject) + "/" + PercentEncode(id);
}

Result<std::string> ExternalIdPath(std::string_view sobject,
                                   std::string_view field,
                                   std::string_view value) {
    if (auto bad = detail::CheckSObject(sobject)) {
        return *bad;
    }
    if (!detail::IsName(field, false)) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "INVALID_FIELD",
                         "'" + std::string(field) + "' is not a field name");
    }
    if (value.empty()) {
        return MakeError(
            ErrorKind::kInvalidArgument, "INVALID_ARGUMENT", "the external id value is empty");
    }
    // The value is one path segment: a `/` in it must not start another.
    return "sobjects/" + std::string(sobject) + "/" + std::string(field) + "/" +
           PercentEncode(value);
}

/// `start`/`end` as the docs' examples write them (`2013-05-06T00:00:00+00:00`), encoded.
std::string ReplicationParam(std::chrono::system_clock::time_point t) {
    const std::string text = FormatDateTime(std::chrono::floor<std::chrono::milliseconds>(t));
    return PercentEncode(text.substr(0, 19) + "+00:00");
}

/// A dateTime member of a replication answer; INVALID_RESPONSE when unreadable.
Result<DateTime> ReadDateTime(const Record& r, std::string_view key, int status) {
    const std::string text = detail::ReadText(r, key);
    auto t = ParseDateTime(text);
    if (!t) {
        return MakeError(ErrorKind::kProtocol,
                         "INVALID_RESPONSE",
                         std::string(key) + " is not a dateTime: '" + text + "'",
                         status);
    }
    return t;
}

Result<std::string> WindowPath(std::string_view sobject,
                               std::string_view resource,
                               std::chrono::system_clock::time_point start,
                               std::chrono::system_clock::time_point end) {
    if (auto bad = detail::CheckSObject(sobject)) {
        return *bad;
    }
    return "sobjects/" + std::string(sobject) + "/" + std::string(resource) +
           "/?start=" + ReplicationParam(start) + "&end=" + ReplicationParam(end);
}

}  // namespace

Result<Record> RestClient::GetByExternalId(std::string_view sobject,
                                           std::string_view field,
                                           std::string_view value,
                                           const std::vector<std::string>& fields,
                                           std::optional<WireFormat> format) {
    auto path = ExternalIdPath(sobject, field, value);
    if (!path) {
        return path.error();
    }
    auto query = detail::FieldsQuery(fields);
    if (!query) {
        return query.error();
    }
    auto resp = impl_->CallIn(format.value_or(impl_->format), "GET", *path + *query);
    if (!resp) {
        return resp.error();
    }
    if (resp->status == 300) {
        return detail::MultipleChoices(*resp);
    }
    auto rec = detail::AnswerRecord(*resp, "retrieve by external id");
    if (!rec) {
        return rec.error();
    }
    if (detail::IsXmlAnswer(*resp)) {
        impl_->TypeFromCache(*rec, sobject);
    }
    return rec;
}

Result<void> RestClient::Update(std::string_view sobject,
                                std::string_view id,
                                const Record& fields,
                                std::optional<WireFormat> format) {
    auto path = RecordPath(sobject, id);
    if (!path) {
        return path.error();
    }
    const WireFormat f = format.value_or(impl_->format);
    auto resp = impl_->CallIn(f, "PATCH", *path, detail::RecordBody(fields, sobject, f));
    if (!resp) {
        return resp.error();
    }
    return {};
}

Result<void> RestClient::Delete(std::string_view sobject, std::string_view id) {
    auto path = RecordPath(sobject, id);
    if (!path) {
        return path.error();
    }
    auto resp = impl_->CallIn(impl_->format, "DELETE", *path);
    if (!resp) {
        return resp.error();
    }
    return {};
}

Result<UpsertResult> RestClient::Upsert(std::string_view sobject,
                                        std::string_view field,
                                        std::string_view value,
                                        const Record& fields,
                                        std::optional<WireFormat> format) {
    auto path = ExternalIdPath(sobject, field, value);
    if (!path) {
        return path.error();
    }
    const WireFormat f = format.value_or(impl_->format);
    auto resp = impl_->CallIn(f, "PATCH", *path, detail::RecordBody(fields, sobject, f));
    if (!resp) {
        return resp.error();
    }
    if (resp->status == 300) {
        return detail::MultipleChoices(*resp);
    }
    UpsertResult out;
    if (resp->status == 204 || detail::TrimBody(resp->body).empty()) {
        // API < 46.0 answers an update with 204 and no body (§B.10): the id is not told.
        out.created = resp->status == 201;
        return out;
    }
    auto saved = detail::ReadSaveAnswer(*resp, "upsert");
    if (!saved) {
        return saved.error();
    }
    out.id = saved->id;
    // `created` exists from API 46.0 on; before it, only the status tells (201 = inserted).
    out.created = saved->created.value_or(resp->status == 201);
    return out;
}

Result<UpdatedResult> RestClient::Updated(std::string_view sobject,
                                          std::chrono::system_clock::time_point start,
                                          std::chrono::system_clock::time_point end) {
    auto path = WindowPath(sobject, "updated", start, end);
    if (!path) {
        return path.error();
    }
    auto resp = impl_->CallIn(impl_->format, "GET", *path);
    if (!resp) {
        return resp.error();
    }
    auto answer = detail::AnswerRecord(*resp, "getUpdated");
    if (!answer) {
        return answer.error();
    }
    UpdatedResult out;
    out.ids = detail::ReadStrings(*answer, "ids");
    auto latest = ReadDateTime(*answer, "latestDateCovered", resp->status);
    if (!latest) {
        return latest.error();
    }
    out.latest_date_covered = *latest;
    return out;
}

Result<DeletedResult> RestClient::Deleted(std::string_view sobject,
                                          std::chrono::system_clock::time_point start,
                                          std::chrono::system_clock::time_point end) {
    auto path = WindowPath(sobject, "deleted", start, end);
    if (!path) {
        return path.error();
    }
    auto resp = impl_->CallIn(impl_->format, "GET", *path);
    if (!resp) {
        return resp.error();
    }
    auto answer = detail::AnswerRecord(*resp, "getDeleted");
    if (!answer) {
        return answer.error();
    }
    DeletedResult out;
    for (const auto& item : detail::ReadItems(*answer, "deletedRecords")) {
        const Record* r = item.AsRecord();
        if (r == nullptr) {
            continue;
        }
        auto when = ReadDateTime(*r, "deletedDate", resp->status);
        if (!when) {
            return when.error();
        }
        out.deleted_records.push_back({detail::ReadText(*r, "id"), *when});
    }
    if (const Value* e = answer->Find("earliestDateAvailable"); e != nullptr && !e->IsNull()) {
        auto earliest = ReadDateTime(*answer, "earliestDateAvailable", resp->status);
        if (!earliest) {
            return earliest.error();
        }
        out.earliest_date_available = *earliest;
    }
    auto latest = ReadDateTime(*answer, "latestDateCovered", resp->status);
    if (!latest) {
        return latest.error();
    }
    out.latest_date_covered = *latest;
    return out;
}

}  // namespace sfkit::client
