// The auth_app certificate column: round trip, and the column added to org databases created
// before JWT bearer support (their auth_app table lacks it).
#include <gtest/gtest.h>

#include "server/auth/auth_store.hpp"
#include "server/auth/jwt_assertion.hpp"
#include "server/storage/database.hpp"

namespace sfkit::server {
namespace {

AppRecord App(std::string certificate) {
    AppRecord a;
    a.name = "CI App";
    a.consumer_key = "3MVG9jwt.key";
    a.secret_salt = "00";
    a.secret_mac = "00";
    a.scopes = {"api"};
    a.flows = {"password"};
    a.certificate_pem = std::move(certificate);
    return a;
}

TEST(AuthStoreCertificate, OldAppTableGetsTheColumn) {
    Database db(":memory:");
    {
        auto lock = db.Acquire();
        db.Exec(R"sql(
CREATE TABLE auth_app (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    consumer_key TEXT NOT NULL UNIQUE,
    secret_salt TEXT NOT NULL,
    secret_mac TEXT NOT NULL,
    scopes TEXT NOT NULL,
    callback_urls TEXT NOT NULL,
    flows TEXT NOT NULL,
    run_as_user_id TEXT
);
INSERT INTO auth_app(id, name, consumer_key, secret_salt, secret_mac, scopes, callback_urls,
                     flows) VALUES ('0H4000000000001AAA', 'Old App', 'old.key', '00', '00', 'api',
                     '', 'password');
)sql");
    }
    AuthStore store(db);
    store.CreateSchema();
    store.CreateSchema();  // idempotent
    const auto old = store.AppByKey("old.key");
    ASSERT_TRUE(old);
    EXPECT_EQ(old->certificate_pem, "");

    store.CreateOrg("Acme");  // new ids come from the org's counters

    AppRecord a = App("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    store.InsertApp(a);
    EXPECT_EQ(store.AppByKey("3MVG9jwt.key")->certificate_pem, a.certificate_pem);
    a.certificate_pem.clear();
    store.UpdateApp(a);
    EXPECT_EQ(store.AppByKey("3MVG9jwt.key")->certificate_pem, "");
}

TEST(JwtAssertionParse, RejectsMalformedCompactForms) {
    for (const char* bad :
         {"", "a", "a.b", "a.b.c.d", "e30.e30.!!", "e30.bm90anNvbg.", "W10.e30.", "e30=.e30."}) {
        EXPECT_FALSE(jwt::ParseAssertion(bad)) << bad;
    }
    // {"alg":"none"} . {"aud":["x"],"exp":"soon"}: parses, with wrongly typed claims absent.
    const auto a = jwt::ParseAssertion("eyJhbGciOiJub25lIn0.eyJhdWQiOlsieCJdLCJleHAiOiJzb29uIn0.");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->alg, "none");
    EXPECT_TRUE(a->aud_present);
    EXPECT_FALSE(a->aud);
    EXPECT_FALSE(a->exp);
    EXPECT_TRUE(a->signature.empty());
    EXPECT_FALSE(jwt::VerifyRs256(a->signing_input, a->signature, "not a certificate"));
}

}  // namespace
}  // namespace sfkit::server
