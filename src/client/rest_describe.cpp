// RestClient metadata calls: describeGlobal (§B.3) and the per-client describe cache (§B.5).
#include "client/rest_client_impl.hpp"

namespace sfkit::client {

Result<DescribeGlobalResult> RestClient::DescribeGlobal() {
    auto resp = impl_->CallIn(impl_->format, "GET", "sobjects/");
    if (!resp) {
        return resp.error();
    }
    auto answer = detail::AnswerRecord(*resp, "describeGlobal");
    if (!answer) {
        return answer.error();
    }
    auto out = DescribeGlobalFromRecord(*std::move(answer));
    if (!out) {
        Error e = out.error();
        e.http_status = resp->status;
        return e;
    }
    return out;
}

Result<std::shared_ptr<const SObjectDescribe>> RestClient::Describe(std::string_view sobject) {
    if (auto bad = detail::CheckSObject(sobject)) {
        return *bad;
    }
    if (auto cached = CachedDescribe(sobject)) {
        return cached;
    }
    auto resp =
        impl_->CallIn(impl_->format, "GET", "sobjects/" + std::string(sobject) + "/describe/");
    if (!resp) {
        return resp.error();
    }
    auto answer = detail::AnswerRecord(*resp, "describe");
    if (!answer) {
        return answer.error();
    }
    auto parsed = DescribeFromRecord(*std::move(answer));
    if (!parsed) {
        Error e = parsed.error();
        e.http_status = resp->status;
        return e;
    }
    auto shared = std::make_shared<const SObjectDescribe>(*std::move(parsed));
    impl_->describes[detail::DescribeKey(sobject)] = shared;
    return shared;
}

std::shared_ptr<const SObjectDescribe> RestClient::CachedDescribe(std::string_view sobject) const {
    const auto it = impl_->describes.find(detail::DescribeKey(sobject));
    return it == impl_->describes.end() ? nullptr : it->second;
}

void RestClient::InvalidateDescribe(std::string_view sobject) {
    if (sobject.empty()) {
        impl_->describes.clear();
    } else {
        impl_->describes.erase(detail::DescribeKey(sobject));
    }
}

}  // namespace sfkit::client
