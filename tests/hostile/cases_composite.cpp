// The composite family and sObject Collections: too many subrequests or records, bad and
// circular references, deep graphs and trees, bodies of the wrong shape.
#include "hostile/hostile.hpp"

namespace sfkit::test::hostile {
namespace {

std::string Subrequests(int n, const std::string& make_body) {
    std::string s = R"({"compositeRequest":[)";
    for (int i = 0; i < n; ++i) {
        if (i) {
            s += ",";
        }
        s +=
            R"({"method":"GET","url":"/services/data/v60.0/sobjects/Account/{ID}","referenceId":"r)" +
            std::to_string(i) + "\"" + make_body + "}";
    }
    return s + "]}";
}

std::string Records(int n) {
    std::string s = R"({"allOrNone":false,"records":[)";
    for (int i = 0; i < n; ++i) {
        s += (i ? "," : "") + std::string(R"({"attributes":{"type":"Account"},"Name":"c)") +
             std::to_string(i) + "\"}";
    }
    return s + "]}";
}

}  // namespace

std::vector<Case> CompositeCases() {
    std::vector<Case> c;
    const std::string composite = std::string(kApi) + "/composite";
    auto add = [&](Shape shape,
                   std::string name,
                   const std::string& path,
                   const std::string& body,
                   int status,
                   std::string code) {
        c.push_back({std::move(name),
                     Request("POST", path, {kJson}, body),
                     status,
                     shape,
                     std::move(code)});
    };
    auto post = [&](auto&&... a) { add(Shape::kRestError, a...); };
    // Errors of one subrequest: 200 overall, the error in that subrequest's body (Salesforce).
    auto nested = [&](auto&&... a) { add(Shape::kNestedError, a...); };
    // Composite.
    post("composite_26_subrequests", composite, Subrequests(26, ""), 400, "");
    post("composite_1000_subrequests", composite, Subrequests(1000, ""), 400, "");
    post("composite_missing_list", composite, R"({"allOrNone":true})", 400, "");
    post("composite_list_not_array",
         composite,
         R"({"compositeRequest":{}})",
         400,
         "JSON_PARSER_ERROR");
    post("composite_not_json", composite, "{\"compositeRequest\":[", 400, "JSON_PARSER_ERROR");
    post("composite_invalid_utf8",
         composite,
         "{\"compositeRequest\":[{\"method\":\"GET\",\"url\":\"\xff\",\"referenceId\":\"a\"}]}",
         400,
         "JSON_PARSER_ERROR");
    post(
        "composite_deep_body",
        composite,
        R"({"compositeRequest":[{"method":"POST","url":"/services/data/v60.0/sobjects/Account","referenceId":"a","body":)" +
            std::string(5000, '[') + "]}",
        400,
        "JSON_PARSER_ERROR");
    post(
        "composite_duplicate_reference_ids",
        composite,
        R"({"compositeRequest":[{"method":"GET","url":"/services/data/v60.0/sobjects/Account/{ID}","referenceId":"a"},{"method":"GET","url":"/services/data/v60.0/sobjects/Account/{ID}","referenceId":"a"}]})",
        400,
        "");
    nested(
        "composite_reference_id_invalid_chars",
        composite,
        R"({"compositeRequest":[{"method":"GET","url":"/services/data/v60.0/sobjects/Account/{ID}","referenceId":"a b!"}]})",
        200,
        "PROCESSING_HALTED");
    post(
        "composite_missing_reference_id",
        composite,
        R"({"compositeRequest":[{"method":"GET","url":"/services/data/v60.0/sobjects/Account/{ID}"}]})",
        400,
        "");
    post(
        "composite_missing_method",
        composite,
        R"({"compositeRequest":[{"url":"/services/data/v60.0/sobjects/Account/{ID}","referenceId":"a"}]})",
        400,
        "");
    post(
        "composite_unknown_method",
        composite,
        R"({"compositeRequest":[{"method":"FOO","url":"/services/data/v60.0/sobjects/Account/{ID}","referenceId":"a"}]})",
        400,
        "");
    post(
        "composite_url_outside_api",
        composite,
        R"({"compositeRequest":[{"method":"GET","url":"/services/oauth2/token","referenceId":"a"}]})",
        400,
        "");
    nested(
        "composite_url_nested_composite",
        composite,
        R"({"compositeRequest":[{"method":"POST","url":"/services/data/v60.0/composite","referenceId":"a","body":{"compositeRequest":[]}}]})",
        200,
        "NOT_FOUND");
    post(
        "composite_url_absolute",
        composite,
        R"({"compositeRequest":[{"method":"GET","url":"http://evil.test/services/data/v60.0/sobjects/Account/{ID}","referenceId":"a"}]})",
        400,
        "");
    nested(
        "composite_reference_to_unknown",
        composite,
        R"({"allOrNone":true,"compositeRequest":[{"method":"GET","url":"/services/data/v60.0/sobjects/Account/@{nope.id}","referenceId":"a"}]})",
        200,
        "PROCESSING_HALTED");
    nested(
        "composite_reference_forward",
        composite,
        R"({"allOrNone":true,"compositeRequest":[{"method":"GET","url":"/services/data/v60.0/sobjects/Account/@{b.id}","referenceId":"a"},{"method":"GET","url":"/services/data/v60.0/sobjects/Account/{ID}","referenceId":"b"}]})",
        200,
        "PROCESSING_HALTED");
    nested(
        "composite_reference_self",
        composite,
        R"({"allOrNone":true,"compositeRequest":[{"method":"GET","url":"/services/data/v60.0/sobjects/Account/@{a.id}","referenceId":"a"}]})",
        200,
        "PROCESSING_HALTED");
    nested(
        "composite_reference_unterminated",
        composite,
        R"({"allOrNone":true,"compositeRequest":[{"method":"GET","url":"/services/data/v60.0/sobjects/Account/{ID}","referenceId":"a"},{"method":"GET","url":"/services/data/v60.0/sobjects/Account/@{a.id","referenceId":"b"}]})",
        200,
        "PROCESSING_HALTED");
    nested(
        "composite_reference_deep_path",
        composite,
        R"({"allOrNone":true,"compositeRequest":[{"method":"GET","url":"/services/data/v60.0/sobjects/Account/{ID}","referenceId":"a"},{"method":"GET","url":"/services/data/v60.0/sobjects/Account/@{a.x.y.z.w[99999999].v}","referenceId":"b"}]})",
        200,
        "PROCESSING_HALTED");
    // Batch.
    {
        std::string batch = R"({"batchRequests":[)";
        for (int i = 0; i < 26; ++i) {
            batch += (i ? "," : "") +
                     std::string(R"({"method":"GET","url":"v60.0/sobjects/Account/{ID}"})");
        }
        post("batch_26_subrequests", composite + "/batch", batch + "]}", 400, "");
    }
    post("batch_not_json", composite + "/batch", "[", 400, "JSON_PARSER_ERROR");
    post("batch_requests_not_array",
         composite + "/batch",
         R"({"batchRequests":"x"})",
         400,
         "JSON_PARSER_ERROR");
    // Graph.
    {
        std::string graph = R"({"graphs":[{"graphId":"g","compositeRequest":[)";
        for (int i = 0; i < 501; ++i) {
            graph +=
                (i ? "," : "") +
                std::string(
                    R"({"method":"POST","url":"/services/data/v60.0/sobjects/Account","referenceId":"n)") +
                std::to_string(i) + R"(","body":{"Name":"g"}})";
        }
        nested("graph_501_nodes", composite + "/graph", graph + "]}]}", 200, "LIMIT_EXCEEDED");
    }
    post("graph_missing_graph_id",
         composite + "/graph",
         R"({"graphs":[{"compositeRequest":[]}]})",
         400,
         "");
    post("graph_not_json", composite + "/graph", "{\"graphs\":", 400, "JSON_PARSER_ERROR");
    // Tree.
    post(
        "tree_201_records",
        composite + "/tree/Account",
        [] {
            std::string t = R"({"records":[)";
            for (int i = 0; i < 201; ++i) {
                t += (i ? "," : "") +
                     std::string(R"({"attributes":{"type":"Account","referenceId":"t)") +
                     std::to_string(i) + R"("},"Name":"t"})";
            }
            return t + "]}";
        }(),
        400,
        "");
    post("tree_missing_reference_id",
         composite + "/tree/Account",
         R"({"records":[{"attributes":{"type":"Account"},"Name":"t"}]})",
         400,
         "");
    nested(
        "tree_duplicate_reference_id",
        composite + "/tree/Account",
        R"({"records":[{"attributes":{"type":"Account","referenceId":"x"},"Name":"t"},{"attributes":{"type":"Account","referenceId":"x"},"Name":"u"}]})",
        400,
        "INVALID_INPUT");
    post("tree_unknown_object", composite + "/tree/Nope", R"({"records":[]})", 404, "");
    post(
        "tree_deep_children",
        composite + "/tree/Account",
        [] {
            // Accounts nested through a child relationship six levels deep (the limit is five).
            std::string inner =
                R"({"attributes":{"type":"Contact","referenceId":"c"},"LastName":"x"})";
            std::string t = inner;
            for (int i = 0; i < 6; ++i) {
                t = R"({"attributes":{"type":"Account","referenceId":"a)" + std::to_string(i) +
                    R"("},"Name":"x","ChildAccounts":{"records":[)" + t + "]}}";
            }
            return R"({"records":[)" + t + "]}";
        }(),
        400,
        "");
    post("tree_not_json", composite + "/tree/Account", "{\"records\":[", 400, "JSON_PARSER_ERROR");

    // sObject Collections.
    const std::string coll = composite + "/sobjects";
    post("collection_201_records", coll, Records(201), 400, "");
    post("collection_10000_records", coll, Records(10000), 400, "");
    post("collection_records_not_array", coll, R"({"records":{}})", 400, "JSON_PARSER_ERROR");
    post("collection_not_json", coll, "{\"records\":[", 400, "JSON_PARSER_ERROR");
    post("collection_invalid_utf8",
         coll,
         "{\"records\":[{\"attributes\":{\"type\":\"Account\"},\"Name\":\"\xff\"}]}",
         400,
         "JSON_PARSER_ERROR");
    c.push_back(
        {"collection_patch_201_records",
         Request(
             "PATCH",
             coll,
             {kJson},
             [] {
                 std::string s = R"({"records":[)";
                 for (int i = 0; i < 201; ++i) {
                     s +=
                         (i ? "," : "") +
                         std::string(
                             R"({"attributes":{"type":"Account"},"id":"001lm000000999zAAA","Name":"p"})");
                 }
                 return s + "]}";
             }()),
         400,
         Shape::kRestError,
         ""});
    {
        std::string ids;
        for (int i = 0; i < 201; ++i) {
            ids += (i ? "," : "") + std::string("001lm000000999zAAA");
        }
        c.push_back({"collection_delete_201_ids",
                     Request("DELETE", coll + "?ids=" + ids),
                     400,
                     Shape::kRestError,
                     ""});
        c.push_back({"collection_get_unknown_object",
                     Request("GET", coll + "/Nope?ids={ID}&fields=Name"),
                     404,
                     Shape::kRestError,
                     ""});
        c.push_back({"collection_get_no_fields",
                     Request("GET", coll + "/Account?ids={ID}"),
                     400,
                     Shape::kRestError,
                     ""});
        c.push_back({"collection_get_2001_ids",
                     Request(
                         "GET",
                         coll + "/Account?fields=Name&ids=" +
                             [] {
                                 std::string s;
                                 for (int i = 0; i < 2001; ++i) {
                                     s += (i ? ",001lm000000" : "001lm000000") +
                                          std::to_string(1000000 + i);
                                 }
                                 return s;
                             }()),
                     400,
                     Shape::kRestError,
                     ""});
    }
    return c;
}

}  // namespace sfkit::test::hostile
