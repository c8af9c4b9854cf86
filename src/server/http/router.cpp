// Route matching.
#include "server/http/router.hpp"

#include <algorithm>

namespace sfkit::server {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '/') {
            ++i;
            continue;
        }
        const auto j = path.find('/', i);
        out.push_back(path.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
        if (j == std::string_view::npos) {
            break;
        }
        i = j;
    }
    return out;
}

/// Whether `segs` match the pattern `pat`; fills `params` with the captures when not null (only
/// the chosen route's captures are ever built: matching allocates nothing).
bool MatchSegments(const std::vector<std::string>& pat,
                   const std::vector<std::string_view>& segs,
                   std::vector<std::pair<std::string, std::string>>* params) {
    std::size_t i = 0;
    for (; i < pat.size(); ++i) {
        const std::string_view p = pat[i];
        if (p.size() > 2 && p.substr(0, 2) == "{*") {
            if (params == nullptr) {
                return true;
            }
            std::string rest;
            for (std::size_t k = i; k < segs.size(); ++k) {
                if (!rest.empty()) {
                    rest += '/';
                }
                rest.append(segs[k]);
            }
            params->emplace_back(std::string(p.substr(2, p.size() - 3)), std::move(rest));
            return true;
        }
        if (i >= segs.size()) {
            return false;
        }
        const std::string_view s = segs[i];
        const auto brace = p.find('{');
        if (brace == std::string_view::npos) {
            if (!IEquals(p, s)) {
                return false;
            }
            continue;
        }
        const std::string_view lit = p.substr(0, brace);
        if (s.size() <= lit.size() || !IEquals(lit, s.substr(0, lit.size()))) {
            return false;
        }
        if (params != nullptr) {
            params->emplace_back(std::string(p.substr(brace + 1, p.size() - brace - 2)),
                                 std::string(s.substr(lit.size())));
        }
    }
    return i == segs.size();
}

/// 2 per literal segment, 1 per literal-prefixed capture (`v{version}`), 0 per plain capture.
int Specificity(std::string_view pattern) {
    int score = 0;
    for (const std::string_view p : Split(pattern)) {
        const auto brace = p.find('{');
        if (brace == std::string_view::npos) {
            score += 2;
        } else if (brace > 0) {
            score += 1;
        }
    }
    return score;
}

}  // namespace

const std::string& Call::Param(std::string_view name) const {
    static const std::string kEmpty;
    for (const auto& [k, v] : params) {
        if (k == name) {
            return v;
        }
    }
    return kEmpty;
}

void Router::Add(Route route) {
    if (std::find(route.methods.begin(), route.methods.end(), "GET") != route.methods.end() &&
        std::find(route.methods.begin(), route.methods.end(), "HEAD") == route.methods.end()) {
        route.methods.insert(route.methods.begin(), "HEAD");
    }
    Compiled c;
    for (const std::string_view seg : Split(route.pattern)) {
        c.segments.emplace_back(seg);
    }
    c.specificity = Specificity(route.pattern);
    for (std::size_t i = 0; i < c.segments.size() && c.rest_at == std::string::npos; ++i) {
        if (c.segments[i].size() > 2 && c.segments[i].rfind("{*", 0) == 0) {
            c.rest_at = i;
        }
    }
    routes_.push_back(std::move(route));
    compiled_.push_back(std::move(c));
}

std::vector<Route> Router::TakeRoutes() {
    std::vector<Route> taken = std::move(routes_);
    routes_.clear();
    compiled_.clear();
    return taken;
}

RouteMatch Router::Match(std::string_view method, std::string_view path) const {
    // Among the routes whose pattern matches the path, only the most specific ones count
    // (`/sobjects/{type}/updated` beats `/sobjects/{type}/{id}` whatever the registration
    // order), so that a wrong method on a literal resource answers 405 with that resource's
    // Allow list instead of falling through to a capture route.
    RouteMatch m;
    int best = -1;
    const auto segs = Split(path);
    for (std::size_t n = 0; n < routes_.size(); ++n) {
        const Route& r = routes_[n];
        const Compiled& c = compiled_[n];
        if (c.specificity < best) {
            continue;  // cannot win; skip matching it at all
        }
        // A pattern matches only paths of its own depth (or deeper, for a `{*rest}` one): most
        // routes are ruled out without comparing a segment. perf (GET one record): matching
        // every route segment by segment was 3-4 % of a GET's samples.
        if (c.rest_at != std::string::npos ? segs.size() < c.rest_at
                                           : segs.size() != c.segments.size()) {
            continue;
        }
        if (!MatchSegments(c.segments, segs, nullptr)) {
            continue;
        }
        const int score = c.specificity;
        if (score < best) {
            continue;
        }
        if (score > best) {
            best = score;
            m = RouteMatch{};
        }
        if (m.route != nullptr) {
            continue;  // an earlier route of the same specificity already serves the method
        }
        if (std::find(r.methods.begin(), r.methods.end(), method) != r.methods.end()) {
            m.route = &r;
            m.params.clear();
            MatchSegments(c.segments, segs, &m.params);
            m.allowed.clear();
            continue;
        }
        for (const auto& meth : r.methods) {
            if (std::find(m.allowed.begin(), m.allowed.end(), meth) == m.allowed.end()) {
                m.allowed.push_back(meth);
            }
        }
    }
    return m;
}

}  // namespace sfkit::server
