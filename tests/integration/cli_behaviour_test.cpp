// The CLI behaviour items of issue 12 run through the sfkit binary: suggestions for mistyped
// flags, objects and fields; transport errors worded with the org URL; missing settings reported
// together; --json errors as one envelope in sf's key order and nothing else; the progress line
// on a terminal only; tables aligned in display columns; shell completion scripts that load.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/http/message.hpp"
#include "server/net/http_server.hpp"
#include "support/cli_fixture.hpp"
#include "support/subprocess.hpp"
#include "support/test_org.hpp"

namespace sfkit::test {
namespace {

bool Has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

/// The keys of a JSON object line, in the order written.
std::vector<std::string> KeysInOrder(const std::string& line) {
    std::vector<std::string> keys;
    boost::json::error_code ec;
    auto v = boost::json::parse(line, ec);
    if (!ec && v.is_object()) {
        for (const auto& kv : v.as_object()) {
            keys.emplace_back(kv.key());
        }
    }
    return keys;
}

/// A loopback port nothing listens on (bound, then closed).
std::uint16_t ClosedPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

std::string ShellQuote(const std::string& s) {
    std::string out = "'";
    for (const char c : s) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

class CliBehaviour : public CliTest {
protected:
    /// Runs `command` (a shell line, in the work dir) with stdout and stderr on a
    /// pseudo-terminal, which script(1) provides; both come back in `out`.
    ProcessResult OnTerminal(const std::string& command) {
        ProcessOptions o;
        o.env = {{"XDG_CONFIG_HOME", config_.Path()}};
        o.cwd = work_.Path();
        return RunProcess({"/usr/bin/script", "-q", "-e", "-c", command, "/dev/null"}, o);
    }
    void Login() {
        auto r = Sfkit(PasswordLogin(org_.BaseUrl()));
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    /// `n` new Accounts named A0..A(n-1), made through the bulk command.
    void MakeAccounts(int n) {
        std::string csv = "Name\n";
        for (int i = 0; i < n; ++i) {
            csv += "A" + std::to_string(i) + "\n";
        }
        WriteFile("accounts.csv", csv);
        auto r = Sfkit({"bulk", "import", "-s", "Account", "-f", "accounts.csv"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    TestOrg org_;
};

TEST_F(CliBehaviour, DidYouMeanForMistypedFlags) {
    auto r = Sfkit({"query", "SELECT Id FROM Account", "--targt-org", "x"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(Has(r.err,
                    "'--targt-org' is not a flag of 'sfkit query'. Did you mean "
                    "'--target-org'?"))
        << r.err;
    auto nested = Sfkit({"login", "web", "--no-browsr"});
    EXPECT_EQ(nested.exit_code, 2);
    EXPECT_TRUE(Has(nested.err, "Did you mean '--no-browser'?")) << nested.err;
    auto json = Sfkit({"bulk", "export", "--querry", "SELECT Id FROM Account", "--json"});
    EXPECT_EQ(json.exit_code, 2);
    EXPECT_TRUE(json.err.empty()) << json.err;
    auto env = ParseEnvelope(json.out);
    EXPECT_EQ(S(env["name"]), "UnknownFlag");
    EXPECT_TRUE(Has(S(env["message"]), "Did you mean '--query'?")) << json.out;
    EXPECT_EQ(S(env["context"]), "bulk export");
    // A flag far from every flag gets no guess, only the pointer to --help.
    auto far = Sfkit({"sobjects", "--zzzzzzzzzz"});
    EXPECT_EQ(far.exit_code, 2);
    EXPECT_FALSE(Has(far.err, "Did you mean")) << far.err;
    EXPECT_TRUE(Has(far.err, "sfkit sobjects --help")) << far.err;
}

TEST_F(CliBehaviour, DidYouMeanForMistypedObjects) {
    Login();
    auto q = Sfkit({"query", "SELECT Id FROM Acount"});
    EXPECT_EQ(q.exit_code, 1);
    EXPECT_TRUE(Has(q.err, "ERROR INVALID_TYPE:")) << q.err;
    EXPECT_TRUE(Has(q.err, "'Acount' is not an object of this org. Did you mean 'Account'?"))
        << q.err;
    auto get = Sfkit({"get", "Acount", "001000000000000AAA"});
    EXPECT_EQ(get.exit_code, 1);
    EXPECT_TRUE(Has(get.err, "Did you mean 'Account'?")) << get.err;
    auto json = Sfkit({"describe", "Contcat", "--json"});
    EXPECT_EQ(json.exit_code, 1);
    EXPECT_TRUE(json.err.empty()) << json.err;
    auto env = ParseEnvelope(json.out);
    ASSERT_TRUE(env["actions"].is_array()) << json.out;
    EXPECT_TRUE(Has(S(env["actions"].as_array()[0]), "Did you mean 'Contact'")) << json.out;
    // A record that does not exist on a known object is not a mistyped object.
    auto missing = Sfkit({"get", "Account", "001000000000000AAA"});
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_FALSE(Has(missing.err, "Did you mean")) << missing.err;
}

TEST_F(CliBehaviour, DidYouMeanForMistypedFields) {
    Login();
    auto q = Sfkit({"query", "SELECT Id, Nmae FROM Account"});
    EXPECT_EQ(q.exit_code, 1);
    EXPECT_TRUE(Has(q.err, "ERROR INVALID_FIELD:")) << q.err;
    EXPECT_TRUE(Has(q.err, "'Nmae' is not a field of Account. Did you mean 'Name'?")) << q.err;
    // Relationships of the query's object: a parent in a field path, a child subquery.
    auto parent = Sfkit({"query", "SELECT Acount.Name FROM Contact"});
    EXPECT_EQ(parent.exit_code, 1);
    EXPECT_TRUE(Has(parent.err,
                    "'Acount' is not a parent relationship of Contact. Did you "
                    "mean 'Account'?"))
        << parent.err;
    auto child = Sfkit({"query", "SELECT Id, (SELECT Id FROM Contcts) FROM Account"});
    EXPECT_EQ(child.exit_code, 1);
    EXPECT_TRUE(Has(child.err,
                    "'Contcts' is not a child relationship of Account. Did you mean "
                    "'Contacts'"))
        << child.err;
    auto create = Sfkit({"create", "Account", "--values", "Name=A Industri=Energy"});
    EXPECT_EQ(create.exit_code, 1);
    EXPECT_TRUE(Has(create.err, "Did you mean 'Industry'?")) << create.err;
}

TEST_F(CliBehaviour, TlsToAPlainHttpOrgSaysSo) {
    const std::string https = "https" + org_.BaseUrl().substr(4);
    auto r = Sfkit(PasswordLogin(https));
    EXPECT_EQ(r.exit_code, 69);
    EXPECT_TRUE(Has(r.err, "the server at " + https + " does not speak TLS")) << r.err;
    EXPECT_TRUE(Has(r.err, "did you mean " + org_.BaseUrl() + "?")) << r.err;
    // The same for a stored login whose URL is wrong.
    Login();
    auto store = LoginFile("default");
    std::ifstream in(store);
    std::string text(std::istreambuf_iterator<char>(in), {});
    in.close();
    for (auto at = text.find(org_.BaseUrl()); at != std::string::npos;
         at = text.find(org_.BaseUrl(), at + https.size())) {
        text.replace(at, org_.BaseUrl().size(), https);
    }
    std::ofstream(store, std::ios::trunc) << text;
    auto stored = Sfkit({"limits"});
    EXPECT_EQ(stored.exit_code, 69);
    EXPECT_TRUE(Has(stored.err, "does not speak TLS")) << stored.err;
}

TEST_F(CliBehaviour, RefusedAndUnknownHostsAreWordedAndExit69) {
    const std::string closed = "http://127.0.0.1:" + std::to_string(ClosedPort());
    auto refused = Sfkit(PasswordLogin(closed));
    EXPECT_EQ(refused.exit_code, 69);
    EXPECT_TRUE(Has(refused.err, "nothing answers at " + closed + " (connection refused"))
        << refused.err;
    auto dns = Sfkit(PasswordLogin("http://no-such-host.invalid"));
    EXPECT_EQ(dns.exit_code, 69);
    EXPECT_TRUE(Has(dns.err,
                    "the host name 'no-such-host.invalid' of "
                    "http://no-such-host.invalid could not be resolved"))
        << dns.err;
    auto json = Sfkit({"login", "device", "-r", closed, "--json"});
    EXPECT_EQ(json.exit_code, 69);
    EXPECT_TRUE(json.err.empty()) << json.err;
    EXPECT_EQ(S(ParseEnvelope(json.out)["name"]), "COULDNT_CONNECT");
}

TEST_F(CliBehaviour, MissingSettingsAreReportedTogether) {
    auto r = Sfkit({"login", "password", "--login-url", "http://127.0.0.1:1", "--password", "x"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(Has(r.err, "2 settings are missing")) << r.err;
    EXPECT_TRUE(Has(r.err, "--client-id")) << r.err;
    EXPECT_TRUE(Has(r.err, "--username")) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    auto jwt = Sfkit({"login", "jwt", "--json"});
    EXPECT_EQ(jwt.exit_code, 2);
    const std::string message = S(ParseEnvelope(jwt.out)["message"]);
    EXPECT_TRUE(Has(message, "3 settings are missing")) << message;
    EXPECT_TRUE(Has(message, "--jwt-key-file")) << message;
}

// Every command's --json error path: exactly one JSON object on stdout with sf's key order
// (SfCommandError.toJson: name, message, exitCode, ..., warnings, code, status, commandName),
// nothing on stderr.
TEST_F(CliBehaviour, JsonErrorsAreOneEnvelopeInSfKeyOrderAndNothingElse) {
    Login();
    WriteFile("bad.csv", "Nmae\nx\n");
    const std::string closed = "http://127.0.0.1:" + std::to_string(ClosedPort());
    const std::vector<std::vector<std::string>> cases = {
        {"login", "password", "--login-url", closed},
        {"login", "client-credentials", "--login-url", closed},
        {"login", "jwt", "--login-url", closed},
        {"login", "device", "-r", closed},
        {"login", "web", "-r", closed, "--port", "99999"},
        {"org", "list", "--bogus"},
        {"org", "display", "-o", "nosuch"},
        {"logout", "-o", "nosuch"},
        {"config", "set", "colour", "blue"},
        {"create", "Account", "--values", "Nmae=x"},
        {"get", "Account", "001xyz"},
        {"update", "Account", "001000000000000AAA", "--values", "Name=x"},
        {"delete", "Account", "001000000000000AAA"},
        {"upsert", "Account", "Nope__c", "1", "--data", "{}"},
        {"sobjects", "-o", "nosuch"},
        {"describe", "Acount"},
        {"limits", "-o", "nosuch"},
        {"query", "SELECT Id FROM Acount"},
        {"search", "FIND {x} RETURNING Acount"},
        {"api", "GET", "sobjects/Acount"},
        {"bulk", "import", "-s", "Account", "-f", "bad.csv"},
        {"bulk", "export", "-q", "SELECT Nmae FROM Account", "--output-file", "x.csv"},
        {"bulk", "status", "--job-id", "750000000000000AAA"},
        {"bulk", "results", "--job-id", "750000000000000AAA"},
        {"completion", "tcsh"},
        {"qeury"},
        {"serve", "--port", "x"},
    };
    for (auto args : cases) {
        args.push_back("--json");
        const std::string what = args[0] + " " + (args.size() > 1 ? args[1] : "");
        auto r = Sfkit(args);
        EXPECT_NE(r.exit_code, 0) << what;
        EXPECT_TRUE(r.err.empty()) << what << ": stderr has " << r.err;
        ASSERT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << what << ": " << r.out;
        auto keys = KeysInOrder(r.out);
        if (!keys.empty() && keys.back() == "result") {
            keys.pop_back();  // sf ends with the result too, when there is one (api)
        }
        ASSERT_GE(keys.size(), 7u) << what << ": " << r.out;
        EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.begin() + 3),
                  (std::vector<std::string>{"name", "message", "exitCode"}))
            << what << ": " << r.out;
        EXPECT_EQ(std::vector<std::string>(keys.end() - 4, keys.end()),
                  (std::vector<std::string>{"warnings", "code", "status", "commandName"}))
            << what << ": " << r.out;
        auto env = ParseEnvelope(r.out);
        EXPECT_EQ(env["status"], r.exit_code) << what;
        EXPECT_EQ(env["exitCode"], r.exit_code) << what;
    }
    // Success: status, result, warnings first, as sf.
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"org", "list", "--json"},
          std::vector<std::string>{"query", "SELECT Id FROM Account", "--json"},
          std::vector<std::string>{"limits", "--json"}}) {
        auto r = Sfkit(args);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto keys = KeysInOrder(r.out);
        ASSERT_GE(keys.size(), 3u) << r.out;
        EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.begin() + 3),
                  (std::vector<std::string>{"status", "result", "warnings"}))
            << r.out;
    }
}

// A query whose second page fails, from a stand-in org that answers page 1 and then an error:
// with --json, one error envelope in sf's order (status 1) with the records so far as `result`.
TEST_F(CliBehaviour, QueryJsonPageFailingMidwayIsOneErrorEnvelope) {
    server::HttpServerOptions options;
    options.port = 0;
    options.threads = 1;
    server::HttpServer http(options, [](const server::Request& req) {
        server::Response r;
        r.SetHeader("Content-Type", "application/json");
        if (req.path == "/services/data/v60.0/query") {
            r.body =
                R"({"totalSize":3,"done":false,"nextRecordsUrl":"/services/data/v60.0/query/01gD0000000001-2","records":[)"
                R"({"attributes":{"type":"Account","url":"/x"},"Name":"A"},)"
                R"({"attributes":{"type":"Account","url":"/y"},"Name":"B"}]})";
        } else {
            r.status = 400;
            r.body = R"([{"message":"invalid query locator","errorCode":"INVALID_QUERY_LOCATOR"}])";
        }
        return r;
    });
    http.Start();
    const std::string url = "http://127.0.0.1:" + std::to_string(http.Port());
    std::filesystem::create_directories(config_.Path() + "/sfkit/logins");
    std::ofstream(LoginFile("stand-in"))
        << R"({"alias":"stand-in","flow":"password","loginUrl":")" << url << R"(","instanceUrl":")"
        << url << R"(","accessToken":"00Dx!token","tokenType":"Bearer"})";
    ::chmod(LoginFile("stand-in").c_str(), 0600);
    auto r = Sfkit({"query", "SELECT Name FROM Account", "-o", "stand-in", "--json"});
    http.Stop();
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
    const auto keys = KeysInOrder(r.out);
    ASSERT_GE(keys.size(), 3u) << r.out;
    EXPECT_EQ(keys.front(), "name") << r.out;
    EXPECT_EQ(keys.back(), "result") << r.out;
    auto env = ParseEnvelope(r.out);
    EXPECT_EQ(S(env["name"]), "INVALID_QUERY_LOCATOR");
    EXPECT_EQ(env["status"], 1);
    auto result = env["result"].as_object();
    EXPECT_EQ(result["records"].as_array().size(), 2u) << r.out;
    EXPECT_EQ(result["done"], false);
    EXPECT_EQ(result["totalSize"], 3);
}

TEST_F(CliBehaviour, QueryProgressOnATerminalOnly) {
    Login();
    MakeAccounts(450);
    const std::string query = std::string(SFKIT_BINARY) +
                              " query 'SELECT Id, Name FROM Account' --batch-size 200 "
                              "--output-file out.csv";
    // stderr a terminal (script(1) gives the command a pseudo-terminal): rows so far.
    auto tty = OnTerminal(query);
    ASSERT_EQ(tty.exit_code, 0) << tty.out << tty.err;
    EXPECT_TRUE(Has(tty.out, "Query  writing out.csv")) << tty.out;
    EXPECT_TRUE(Has(tty.out, "450 of 450 rows")) << tty.out;
    EXPECT_TRUE(Has(tty.out, "\r\033[K")) << "the line is cleared at the end";
    // Piped: nothing on stderr.
    auto piped = Sfkit({"query", "SELECT Id, Name FROM Account", "--output-file", "out2.csv"});
    ASSERT_EQ(piped.exit_code, 0) << piped.err;
    EXPECT_TRUE(piped.err.empty()) << piped.err;
    // On a terminal but with --json: nothing either.
    auto json = OnTerminal(query + " --json");
    ASSERT_EQ(json.exit_code, 0) << json.out;
    EXPECT_FALSE(Has(json.out, "Query  writing")) << json.out;
}

TEST_F(CliBehaviour, TablesAlignWideAndCombiningCharacters) {
    Login();
    // Display widths: 7 CJK characters = 14 columns; two emoji + x = 5; "Cafe" + a combining
    // acute accent = 4; "Plain" = 5.
    const std::vector<std::pair<std::string, std::size_t>> names = {
        {"\xE6\xA0\xAA\xE5\xBC\x8F\xE4\xBC\x9A\xE7\xA4\xBE\xE3\x83\x86\xE3\x82\xB9\xE3\x83\x88",
         14},
        {"\xF0\x9F\x98\x80\xF0\x9F\x98\x80x", 5},
        {"Cafe\xCC\x81", 4},
        {"Plain", 5}};
    for (const auto& [name, width] : names) {
        auto r = Sfkit({"create", "Account", "--values", "Name='" + name + "' Industry=Energy"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    auto r = Sfkit({"query", "SELECT Name, Industry FROM Account ORDER BY CreatedDate"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::size_t column = 14;
    std::string expected = "Name" + std::string(column - 4, ' ') + "  Industry\n" +
                           std::string(column, '-') + "  --------\n";
    for (const auto& [name, width] : names) {
        expected += name + std::string(column - width, ' ') + "  Energy\n";
    }
    EXPECT_TRUE(Has(r.out, expected)) << r.out;
}

class CliCompletion : public CliTest {
protected:
    std::string Script(const std::string& shell) {
        auto r = Sfkit({"completion", shell});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        WriteFile("sfkit." + shell, r.out);
        return work_.Path() + "/sfkit." + shell;
    }
    static bool Installed(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }
};

TEST_F(CliCompletion, BashScriptLoadsAndCompletesCommandsAndFlags) {
    const std::string file = Script("bash");
    const auto complete = [&](const std::string& words, int cword) {
        return RunProcess({"/bin/bash",
                           "--norc",
                           "-c",
                           "source " + ShellQuote(file) + " && COMP_WORDS=(" + words +
                               ") && COMP_CWORD=" + std::to_string(cword) +
                               " && _sfkit && printf '%s\\n' \"${COMPREPLY[@]}\""});
    };
    auto loaded = RunProcess(
        {"/bin/bash", "--norc", "-c", "source " + ShellQuote(file) + " && complete -p sfkit"});
    ASSERT_EQ(loaded.exit_code, 0) << loaded.err;
    EXPECT_TRUE(Has(loaded.out, "-F _sfkit sfkit")) << loaded.out;

    EXPECT_EQ(complete("sfkit qu", 1).out, "query\n");
    EXPECT_EQ(complete("sfkit bulk imp", 2).out, "import\n");
    EXPECT_EQ(complete("sfkit query 'SELECT Id FROM Account' --result-f", 3).out,
              "--result-format\n");
    EXPECT_EQ(complete("sfkit login web --no-b", 3).out, "--no-browser\n");
    // Flags come from the definitions: each command offers its own, including the common ones.
    const std::string get_flags = complete("sfkit get Account --", 3).out;
    EXPECT_TRUE(Has(get_flags, "--external-id\n")) << get_flags;
    EXPECT_TRUE(Has(get_flags, "--target-org\n")) << get_flags;
    EXPECT_FALSE(Has(get_flags, "--all-rows")) << get_flags;
    EXPECT_TRUE(Has(complete("sfkit ", 1).out, "completion\n"));
}

TEST_F(CliCompletion, ZshScriptParsesAndDefinesTheFunction) {
    if (!Installed("/usr/bin/zsh")) {
        GTEST_SKIP() << "zsh is not installed (scripts/deps.sh installs it)";
    }
    const std::string file = Script("zsh");
    auto parsed = RunProcess({"/usr/bin/zsh", "-n", file});
    EXPECT_EQ(parsed.exit_code, 0) << parsed.err;
    ProcessOptions home;
    home.env = {{"HOME", work_.Path()}};
    auto loaded =
        RunProcess({"/usr/bin/zsh",
                    "-f",
                    "-c",
                    "autoload -U compinit && compinit -u -D && source " + ShellQuote(file) +
                        " && whence -w _sfkit && print -r -- $_comps[sfkit] && _sfkit_flags query"},
                   home);
    ASSERT_EQ(loaded.exit_code, 0) << loaded.err;
    EXPECT_TRUE(Has(loaded.out, "_sfkit: function")) << loaded.out;
    EXPECT_TRUE(Has(loaded.out, "\n_sfkit\n")) << loaded.out;
    EXPECT_TRUE(Has(loaded.out, "--result-format")) << loaded.out;
}

TEST_F(CliCompletion, FishScriptParsesAndCompletes) {
    if (!Installed("/usr/bin/fish")) {
        GTEST_SKIP() << "fish is not installed (scripts/deps.sh installs it)";
    }
    const std::string file = Script("fish");
    ProcessOptions o;
    o.env = {{"HOME", work_.Path()}, {"XDG_CONFIG_HOME", work_.Path()}};
    auto parsed = RunProcess({"/usr/bin/fish", "--no-execute", file}, o);
    EXPECT_EQ(parsed.exit_code, 0) << parsed.err;
    const auto complete = [&](const std::string& line) {
        return RunProcess({"/usr/bin/fish",
                           "-c",
                           "source " + ShellQuote(file) + "; complete -C " + ShellQuote(line)},
                          o);
    };
    auto commands = complete("sfkit qu");
    ASSERT_EQ(commands.exit_code, 0) << commands.err;
    EXPECT_TRUE(Has(commands.out, "query\t")) << commands.out;
    auto nested = complete("sfkit bulk ex");
    EXPECT_TRUE(Has(nested.out, "export\t")) << nested.out;
    EXPECT_FALSE(Has(nested.out, "query\t")) << nested.out;
    auto flags = complete("sfkit query x --result-f");
    EXPECT_TRUE(Has(flags.out, "--result-format")) << flags.out;
}

}  // namespace
}  // namespace sfkit::test
