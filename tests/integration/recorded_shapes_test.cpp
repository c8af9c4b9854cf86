// Replays requests that other projects recorded against real orgs (tests/data/recorded/
// shapes.json, extracted from SFDO-Tooling/CumulusCI's VCR cassettes by
// scripts/extract_recorded_shapes.py: facts only, BSD-3-Clause) against a local org and
// compares the answers' shape: the keys of every JSON object in their recorded order, and the
// JSON kind of every value (null matches any kind: values differ between orgs). Arrays are
// compared by their first elements.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "support/raw_http.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

namespace json = boost::json;

std::string KindOf(const json::value& v) {
    switch (v.kind()) {
        case json::kind::null:
            return "null";
        case json::kind::bool_:
            return "boolean";
        case json::kind::string:
            return "string";
        case json::kind::array:
        case json::kind::object:
            return "structure";
        default:
            return "number";
    }
}

/// Appends to `diffs` every place where `ours` differs in shape from the recorded `shape`.
void Compare(const json::value& shape,
             const json::value& ours,
             const std::string& at,
             std::vector<std::string>& diffs) {
    if (shape.is_string()) {
        const std::string want(shape.as_string());
        const std::string got = KindOf(ours);
        if (want != "null" && got != "null" && want != got) {
            diffs.push_back(at + ": " + got + " where recorded " + want);
        }
        return;
    }
    if (shape.is_object()) {  // {"array": first element's shape or null}
        if (ours.is_null()) {
            return;
        }
        if (!ours.is_array()) {
            diffs.push_back(at + ": " + KindOf(ours) + " where recorded an array");
            return;
        }
        const json::value& first = shape.as_object().at("array");
        if (first.is_null() || ours.as_array().empty()) {
            return;
        }
        // The recorded first element; by name when it has one (describeGlobal's Account).
        const json::value* mine = &ours.as_array().front();
        if (const auto* name = shape.as_object().if_contains("first")) {
            for (const auto& e : ours.as_array()) {
                if (e.is_object() && e.as_object().if_contains("name") && e.at("name") == *name) {
                    mine = &e;
                }
            }
        }
        Compare(first, *mine, at + "[0]", diffs);
        return;
    }
    // A JSON object: [[key, shape], ...] in recorded order.
    if (ours.is_null()) {
        return;
    }
    if (!ours.is_object()) {
        diffs.push_back(at + ": " + KindOf(ours) + " where recorded an object");
        return;
    }
    const json::object& o = ours.as_object();
    std::vector<std::string> want_keys;
    for (const auto& kv : shape.as_array()) {
        want_keys.emplace_back(kv.as_array()[0].as_string());
    }
    std::vector<std::string> got_keys;
    for (const auto& kv : o) {
        got_keys.emplace_back(kv.key());
    }
    if (want_keys != got_keys) {
        std::ostringstream d;
        d << at << ": keys differ;";
        for (const auto& k : want_keys) {
            if (std::find(got_keys.begin(), got_keys.end(), k) == got_keys.end()) {
                d << " missing " << k << ";";
            }
        }
        for (const auto& k : got_keys) {
            if (std::find(want_keys.begin(), want_keys.end(), k) == want_keys.end()) {
                d << " extra " << k << ";";
            }
        }
        diffs.push_back(d.str());
    }
    for (const auto& kv : shape.as_array()) {
        const std::string key(kv.as_array()[0].as_string());
        if (const auto* v = o.if_contains(key)) {
            Compare(kv.as_array()[1], *v, at + "." + key, diffs);
        }
    }
}

TEST(RecordedShapesTest, LocalAnswersHaveTheShapeOfRecordedRealResponses) {
    std::ifstream in(std::string(SFKIT_SOURCE_DIR) + "/tests/data/recorded/shapes.json");
    ASSERT_TRUE(in) << "tests/data/recorded/shapes.json";
    std::stringstream text;
    text << in.rdbuf();
    const json::object fixture = json::parse(text.str()).as_object();

    TestOrg org;
    const std::string token = org.Login();
    const auto get = [&](const std::string& target) {
        return Fetch(org.Port(), "GET", target, {"Authorization: Bearer " + token});
    };
    // The org's own id stands in for the recorded one.
    const auto orgs =
        json::parse(get("/services/data/v52.0/query?q=SELECT+Id+FROM+Organization").body);
    const std::string org_id(orgs.at("records").as_array().at(0).at("Id").as_string());

    int compared = 0;
    int matching = 0;
    int recorded_children = 0;
    int children_found = 0;
    int recorded_fields = 0;
    int fields_found = 0;
    for (const auto& entry : fixture.at("recordings").as_array()) {
        const json::object& r = entry.as_object();
        std::string path(r.at("path").as_string());
        if (path.find("__c") != std::string::npos) {
            continue;  // the recording org's own custom object
        }
        // Cassettes elide the request's version (vxx.0); the body's urls often keep it. A
        // recording without one is compared at every served version and matches when one
        // answer has its shape (the version it is consistent with is printed).
        std::vector<std::string> versions;
        if (r.at("version").is_string()) {
            versions.emplace_back(r.at("version").as_string());
        } else {
            for (int v = 66; v >= 31; --v) {
                versions.push_back(std::to_string(v) + ".0");
            }
        }
        const std::string recorded_path = path;
        std::vector<std::string> diffs;
        RawResponse answer;
        for (const std::string& version : versions) {
            path = recorded_path;
            path.replace(path.find("vxx.0"), 5, "v" + version);
            if (const auto at = path.find("/00D"); at != std::string::npos) {
                path.replace(at + 1, 18, org_id);
            }
            answer = get(path);
            std::vector<std::string> these;
            if (answer.status != r.at("status").as_int64()) {
                these.push_back("status " + std::to_string(answer.status));
            } else {
                Compare(r.at("shape"), json::parse(answer.body), "$", these);
            }
            if (diffs.empty() || these.size() < diffs.size() || these.empty()) {
                diffs = these;
            }
            if (these.empty()) {
                break;
            }
        }
        ++compared;
        std::cout << (diffs.empty() ? "match   " : "differs ") << path << "  ("
                  << r.at("cassette").as_string() << ")\n";
        for (const std::string& d : diffs) {
            std::cout << "    " << d << "\n";
        }
        matching += diffs.empty() ? 1 : 0;
        if (!r.contains("childRelationships") || answer.status != 200 ||
            std::string_view(r.at("cassette").as_string()).find("PersonAccount") !=
                std::string_view::npos) {
            // A person-account org: sfkit models an org without person accounts.
            continue;
        }
        // A describe's content: every recorded named child relationship (name, child, field)
        // and every recorded field, looked up in ours. Person-account fields and features the
        // local org leaves off are the expected gaps; they are printed.
        const json::object ours = json::parse(answer.body).as_object();
        std::set<std::string> our_children;
        for (const auto& c : ours.at("childRelationships").as_array()) {
            if (c.at("relationshipName").is_string()) {
                our_children.insert(std::string(c.at("relationshipName").as_string()) + " " +
                                    std::string(c.at("childSObject").as_string()) + "." +
                                    std::string(c.at("field").as_string()));
            }
        }
        for (const auto& c : r.at("childRelationships").as_array()) {
            const json::array& t = c.as_array();
            const std::string key = std::string(t[0].as_string()) + " " +
                                    std::string(t[1].as_string()) + "." +
                                    std::string(t[2].as_string());
            ++recorded_children;
            if (our_children.count(key) != 0) {
                ++children_found;
            } else {
                std::cout << "    child relationship not in ours: " << key << "\n";
            }
        }
        std::set<std::string> our_fields;
        for (const auto& f : ours.at("fields").as_array()) {
            our_fields.insert(std::string(f.at("name").as_string()));
        }
        for (const auto& f : r.at("fields").as_array()) {
            if (std::string_view(f.as_string()).find("__") != std::string_view::npos) {
                continue;  // the recording org's custom fields
            }
            ++recorded_fields;
            if (our_fields.count(std::string(f.as_string())) != 0) {
                ++fields_found;
            } else {
                std::cout << "    field not in ours: " << f.as_string() << "\n";
            }
        }
    }
    std::cout << children_found << " of " << recorded_children
              << " recorded named child relationships and " << fields_found << " of "
              << recorded_fields << " recorded fields are in the local describes\n";
    std::cout << matching << " of " << compared << " recorded responses match in shape\n";
    EXPECT_EQ(compared, 12);
    // Every recorded named child relationship; every recorded standard field but RecordTypeId
    // (an org without record types does not have it).
    EXPECT_EQ(children_found, recorded_children);
    EXPECT_EQ(fields_found, recorded_fields - 1);
    // Every recording matches today; a shape regression fails here.
    EXPECT_EQ(matching, compared);
}

}  // namespace
}  // namespace sfkit::test
