// RestClient limits calls: `GET /limits` and `GET /limits/recordCount` (§B.14).
#include "client/rest_client_impl.hpp"
#include "client/value_read.hpp"

namespace sfkit::client {
namespace {

bool IsLimitEntry(const Record& r) {
    return r.Find("Max") != nullptr && r.Find("Remaining") != nullptr;
}

}  // namespace

Result<OrgLimits> RestClient::Limits() {
    auto resp = impl_->CallIn(impl_->format, "GET", "limits/");
    if (!resp) {
        return resp.error();
    }
    auto answer = detail::AnswerRecord(*resp, "limits");
    if (!answer) {
        return answer.error();
    }
    OrgLimits out;
    for (const auto& f : answer->Fields()) {
        const Record* r = f.value.AsRecord();
        if (r == nullptr || !IsLimitEntry(*r)) {
            continue;
        }
        Limit l;
        l.max = detail::ReadInt(*r, "Max");
        l.remaining = detail::ReadInt(*r, "Remaining");
        // Anything else inside that is itself {Max, Remaining} is a connected app's share.
        for (const auto& sub : r->Fields()) {
            if (const Record* app = sub.value.AsRecord(); app != nullptr && IsLimitEntry(*app)) {
                l.apps.push_back(
                    {sub.name, detail::ReadInt(*app, "Max"), detail::ReadInt(*app, "Remaining")});
            }
        }
        out.emplace(f.name, std::move(l));
    }
    return out;
}

Result<std::vector<SObjectCount>> RestClient::RecordCount(
    const std::vector<std::string>& sobjects) {
    std::string path = "limits/recordCount";
    for (std::size_t i = 0; i < sobjects.size(); ++i) {
        if (auto bad = detail::CheckSObject(sobjects[i])) {
            return *bad;
        }
        path += (i == 0 ? "?sObjects=" : ",") + sobjects[i];
    }
    auto resp = impl_->CallIn(impl_->format, "GET", path);
    if (!resp) {
        return resp.error();
    }
    auto answer = detail::AnswerRecord(*resp, "recordCount");
    if (!answer) {
        return answer.error();
    }
    std::vector<SObjectCount> out;
    for (const auto& item : detail::ReadItems(*answer, "sObjects")) {
        if (const Record* r = item.AsRecord()) {
            out.push_back({detail::ReadText(*r, "name"), detail::ReadInt(*r, "count")});
        }
    }
    return out;
}

}  // namespace sfkit::client
