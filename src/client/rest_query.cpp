// RestClient's SOQL calls (§B.11): query and queryAll pages, following nextRecordsUrl, the lazy
// cursor over all pages, and Count. Page parsing lives in query.cpp.
#include "client/rest_client_impl.hpp"

namespace sfkit::client {
namespace {

std::vector<HttpHeader> QueryHeaders(const QueryOptions& options) {
    if (options.batch_size <= 0) {
        return {};
    }
    return {{"Sforce-Query-Options", "batchSize=" + std::to_string(options.batch_size)}};
}

/// Whether `url` is a path on the instance (`/services/data/v60.0/query/01g...-2000`, as
/// Salesforce writes nextRecordsUrl) or an absolute URL of the instance itself. Anything else is
/// not requested: the bearer token goes with every request.
bool OnInstance(std::string_view url, std::string_view instance) {
    if (url.size() > 1 && url[0] == '/' && url[1] != '/') {
        return true;
    }
    return !instance.empty() && url.size() > instance.size() && url.rfind(instance, 0) == 0 &&
           url[instance.size()] == '/';
}

Error ForeignLocator(std::string_view url, ErrorKind kind) {
    return MakeError(kind,
                     "INVALID_QUERY_LOCATOR",
                     "'" + std::string(url) + "' is not a nextRecordsUrl of this instance");
}

std::string FirstPagePath(std::string_view soql, const QueryOptions& options) {
    return std::string(options.all_rows ? "queryAll" : "query") + "?q=" + PercentEncode(soql);
}

}  // namespace

Result<QueryPage> RestClient::Impl::FetchQueryPage(std::string_view path,
                                                   const QueryOptions& options) {
    auto resp = Call("GET", path, {}, QueryHeaders(options));
    if (!resp) {
        return resp.error();
    }
    auto page = ParseQueryPage(resp->body);
    if (!page) {
        Error e = page.error();
        e.http_status = resp->status;
        e.message += " (" + detail::Excerpt(resp->body) + ")";
        return e;
    }
    if (detail::IsXmlAnswer(*resp)) {
        for (Record& r : page->records) {
            TypeFromCache(r, r.Type());
        }
    }
    return page;
}

Result<QueryPage> RestClient::QueryFirstPage(std::string_view soql, QueryOptions options) {
    return impl_->FetchQueryPage(FirstPagePath(soql, options), options);
}

Result<QueryPage> RestClient::QueryMore(std::string_view next_records_url, QueryOptions options) {
    if (!OnInstance(next_records_url, impl_->token.instance_url)) {
        return ForeignLocator(next_records_url, ErrorKind::kInvalidArgument);
    }
    return impl_->FetchQueryPage(next_records_url, options);
}

Result<QueryCursor> RestClient::Query(std::string_view soql, QueryOptions options) {
    auto first = QueryFirstPage(soql, options);
    if (!first) {
        return first.error();
    }
    // Captures the Impl, not `this`: a RestClient may be moved while its cursors live.
    Impl* impl = impl_.get();
    auto fetch = [impl, options](const std::string& url) -> Result<QueryPage> {
        if (!OnInstance(url, impl->token.instance_url)) {
            // The server named a page elsewhere: not followed (the token would go with it).
            return ForeignLocator(url, ErrorKind::kProtocol);
        }
        return impl->FetchQueryPage(url, options);
    };
    return QueryCursor(*std::move(first), std::move(fetch));
}

Result<QueryCursor> RestClient::QueryAll(std::string_view soql, QueryOptions options) {
    options.all_rows = true;
    return Query(soql, options);
}

Result<std::int64_t> RestClient::Count(std::string_view soql, QueryOptions options) {
    auto first = QueryFirstPage(soql, options);
    if (!first) {
        return first.error();
    }
    return first->total_size;
}

}  // namespace sfkit::client
