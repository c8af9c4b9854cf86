#!/usr/bin/env python3
# Writes parse_errors.txt next to this script. Add error cases here, not in the .txt: expected
# rows/columns are computed from the query text by this script, independently of the parser.
# Usage: python3 tests/soql/make_parse_errors.py
import os

M = "MALFORMED_QUERY"

def pos_of(q, idx):
    row = q.count("\n", 0, idx) + 1
    line_start = q.rfind("\n", 0, idx) + 1
    col = len(q[line_start:idx]) + 1  # python str = code points
    return row, col

def at(q, tok, nth=1):
    i = -1
    for _ in range(nth):
        i = q.index(tok, i + 1)
    return pos_of(q, i)

def eof(q):
    return pos_of(q, len(q))

def lex0(q, idx):
    # ANTLR lexer errors: Salesforce reports the 0-based column.
    r, c = pos_of(q, idx)
    return r, c - 1

cases = []
def case(q, reason, where, code=M, comment=None, exact=None, depth=1):
    cases.append((comment, q, code, where, reason, exact, depth))

# --- structure ---------------------------------------------------------------------------------
q = ""; case(q, "unexpected token: <EOF>", eof(q), comment="empty input")
q = "   "; case(q, "unexpected token: <EOF>", eof(q))
# a statement that does not start with SELECT: bare reason, token unquoted, no echo [R]
# (sf-fx-runtime mapping query-malformed-soql.json, v51.0: `unexpected token: SELEKT`)
q = "SELEKT Name FROM Account"; case(q, "unexpected token: SELEKT", None,
    exact="unexpected token: SELEKT", comment="a statement that does not start with SELECT")
q = "FROM Account"; case(q, "unexpected token: FROM", None)
q = "UPDATE Account SET Name = 'x'"; case(q, "unexpected token: UPDATE", None)
q = "\n  selekt Id FROM Account"; case(q, "unexpected token: selekt", None)
q = "SELECT FROM Account"; case(q, "unexpected token: 'FROM'", at(q, "FROM"))
q = "SELECT Id"; case(q, "unexpected token: <EOF>", eof(q))
q = "SELECT Id,"; case(q, "unexpected token: <EOF>", eof(q))
q = "SELECT Id, FROM Account"; case(q, "unexpected token: 'FROM'", at(q, "FROM"))
q = "SELECT Id FROM"; case(q, "unexpected token: <EOF>", eof(q))
q = "SELECT Id FROM Account Contact Lead"; case(q, "unexpected token: 'Lead'", at(q, "Lead"), comment="an alias, then garbage")
q = "SELECT * FROM Account"; case(q, "line 1:7 no viable alternative at character '*'", lex0(q, q.index("*")), comment="lexer errors report the 0-based column (as recorded for SOSL, wire §B.12)")
q = "SELECT Id FROM Account;"; case(q, "line 1:22 no viable alternative at character ';'", lex0(q, q.index(";")))
q = "SELECT Id FROM Account WHERE Name = \"Acme\""; case(q, "line 1:36 no viable alternative at character '\"'", lex0(q, q.index('"')))
q = "SELECT Id FROM Account WHERE Name ! 'a'"; case(q, "line 1:34 no viable alternative at character '!'", lex0(q, q.index("!")))
q = "SELECT Idé FROM Account"; case(q, "line 1:9 no viable alternative at character 'é'", lex0(q, q.index("é")), comment="columns count characters, not bytes")
q = "SELECT Id FROM Account WHERE Name = 'é' AND x = #"; case(q, "line 1:48 no viable alternative at character '#'", lex0(q, q.index("#")))
q = "SELECT Limit FROM Account"; case(q, "unexpected token: 'Limit'", at(q, "Limit"), comment="reserved words are never names")
q = "SELECT Id FROM Account WHERE Select = 1"; case(q, "unexpected token: 'Select'", at(q, "Select"))
q = "SELECT COUNT(Id) from FROM Account"; case(q, "unexpected token: 'FROM'", at(q, "FROM"))
q = "SELECT Id FROM Account WHERE Name = 'a' extra"; case(q, "unexpected token: 'extra'", at(q, "extra"))
q = "SELECT Id FROM Account ORDER Name"; case(q, "unexpected token: 'Name'", at(q, "Name"))
q = "SELECT Id FROM Account GROUP Name"; case(q, "unexpected token: 'Name'", at(q, "Name"))
q = "SELECT Id FROM Account HAVING COUNT(Id) > 1"; case(q, "unexpected token: 'HAVING'", at(q, "HAVING"), comment="HAVING only after GROUP BY")
q = "SELECT Id FROM Account LIMIT 5 WHERE Name = 'x'"; case(q, "unexpected token: 'WHERE'", at(q, "WHERE"), comment="clauses in SOQL's order only")
q = "SELECT Id FROM Account ORDER BY Name WHERE Name = 'x'"; case(q, "unexpected token: 'WHERE'", at(q, "WHERE"))
q = "SELECT Id FROM Account OFFSET 5 LIMIT 5"; case(q, "unexpected token: 'LIMIT'", at(q, "LIMIT"))

# --- multi-line positions ----------------------------------------------------------------------
q = "SELECT Id\nFROM Account\nWHERE Name = 'x' OR"; case(q, "unexpected token: <EOF>", eof(q), comment="rows and columns on later lines",
    exact="\nWHERE Name = 'x' OR\n                   ^\nERROR at Row:3:Column:20\nunexpected token: <EOF>")
q = "SELECT Id,\n       Name\n  FROM Account\n WHERE Name = 'x' AND Type = 'y' OR Industry = 'z'"
case(q, "unexpected token: 'OR'", at(q, "OR"))

# --- WHERE -------------------------------------------------------------------------------------
q = "SELECT Id FROM Account WHERE"; case(q, "unexpected token: <EOF>", eof(q))
q = "SELECT Id FROM Account WHERE Name"; case(q, "unexpected token: <EOF>", eof(q))
q = "SELECT Id FROM Account WHERE Name ="; case(q, "unexpected token: <EOF>", eof(q))
q = "SELECT Id FROM Account WHERE Name 'a'"; case(q, "unexpected token: ''a''", at(q, "'a'"))
q = "SELECT Id FROM Account WHERE NOT"; case(q, "unexpected token: <EOF>", eof(q))
q = "SELECT Id, Email, Name FROM Contact WHERE AccountId = '0014000000p6XlS' AND LastName LIKE 'test' OR email LIKE 'test'"
case(q, "unexpected token: 'OR'", at(q, "OR"), comment="AND and OR do not mix without parentheses")
q = "SELECT Id FROM Account WHERE A = 1 OR B = 2 AND C = 3"; case(q, "unexpected token: 'AND'", at(q, "AND"))
q = "SELECT Id FROM Account WHERE (Name = 'a'"; case(q, "expecting a right parentheses, found '<EOF>'", eof(q))
q = "SELECT Id FROM Account WHERE (Name = 'a' LIMIT 5"; case(q, "expecting a right parentheses, found 'LIMIT'", at(q, "LIMIT"))
q = "SELECT Id FROM Account WHERE Name = 'a')"; case(q, "unexpected token: ')'", at(q, ")"))
q = "SELECT Id FROM User WHERE (FirstName != Lastname)"; case(q, "unexpected token: 'Lastname'", at(q, "Lastname"), comment="no field-to-field comparison (Salesforce help 000386076)")
q = "SELECT Id FROM Account WHERE Name = ('a')"; case(q, "unexpected token: '('", at(q, "('a')"))
q = "SELECT Id FROM Account WHERE Name LIKE 'it''s'"; case(q, "unexpected token: ''s''", at(q, "'s'"), comment="quotes are escaped with a backslash, not doubled")
q = "SELECT Id FROM Account WHERE Name = 'SELECT x WHERE y = ''z'''"; case(q, "unexpected token: ''z''", at(q, "'z'"))
q = "SELECT Id FROM Account WHERE Name IN ('a', 'b'"; case(q, "expecting a right parentheses, found '<EOF>'", eof(q))
q = "SELECT Id FROM Account WHERE Name IN ('a' 'b')"; case(q, "expecting a right parentheses, found ''b''", at(q, "'b'"))
q = "SELECT Id FROM Account WHERE Name IN ()"; case(q, "unexpected token: ')'", at(q, ")"))
q = "SELECT Id FROM Account WHERE Name IN names"; case(q, "expecting a colon, found 'names'", at(q, "names"), comment="IN wants a list (or, in Apex, a bind)")
q = "SELECT Id FROM Account WHERE Name NOT IN 'a'"; case(q, "expecting a colon, found ''a''", at(q, "'a'"))
q = "SELECT Id FROM Account WHERE Tags__c INCLUDES 'a'"; case(q, "expecting a left parentheses, found ''a''", at(q, "'a'"))
q = "SELECT Id FROM Account WHERE Tags__c EXCLUDES ()"; case(q, "unexpected token: ')'", at(q, ")"))
q = "SELECT Id FROM Account WHERE COUNT(Id) > 1"; case(q, "unexpected token: '('", at(q, "("), comment="aggregates only in SELECT, HAVING, ORDER BY")
q = "SELECT Id FROM Account WHERE convertCurrency(Amount) > 1"; case(q, "unexpected token: '('", at(q, "("))
q = "SELECT Id FROM Account WHERE FOO(Name) = 'x'"; case(q, "unexpected token: '('", at(q, "("))
q = "SELECT Id FROM Account WHERE Name = 'a' ESCAPE '!'"; case(q, "unexpected token: 'ESCAPE'", at(q, "ESCAPE"))

# --- values ------------------------------------------------------------------------------------
q = "SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS"; case(q, "unexpected token: 'LAST_N_DAYS'", at(q, "LAST_N_DAYS"), comment="date literals that take n need :n")
q = "SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS : 5"; case(q, "unexpected token: 'LAST_N_DAYS'", at(q, "LAST_N_DAYS"))
q = "SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:99999999999"; case(q, "Invalid date literal value: LAST_N_DAYS:99999999999", at(q, "LAST_N_DAYS"))
q = "SELECT Id FROM Account WHERE CreatedDate = TODAY:5"; case(q, "unexpected token: ':'", at(q, ":"))
q = "SELECT Id FROM Account WHERE CreatedDate = 2024-02-30"; case(q, "Invalid date: 2024-02-30", at(q, "2024"))
q = "SELECT Id FROM Account WHERE CreatedDate = 2023-02-29"; case(q, "Invalid date: 2023-02-29", at(q, "2023"))
q = "SELECT Id FROM Account WHERE CreatedDate = 2024-13-01"; case(q, "Invalid date: 2024-13-01", at(q, "2024"))
q = "SELECT Id FROM Account WHERE CreatedDate = 2024-01-01T24:00:00Z"; case(q, "Invalid datetime: 2024-01-01T24:00:00Z", at(q, "2024"))
q = "SELECT Id FROM Account WHERE CreatedDate = 2024-01-01T10:00:00+24:00"; case(q, "Invalid datetime: 2024-01-01T10:00:00+24:00", at(q, "2024"))
q = "SELECT Id FROM Account WHERE CreatedDate = 2024-01-01T10:00:00"; case(q, "line 1:62 no viable alternative at character '<EOF>'", lex0(q, len(q)), comment="a datetime needs Z or an offset")
q = "SELECT Id FROM Account WHERE CreatedDate = 2024-01-01T10:00Z"; case(q, "line 1:59 no viable alternative at character 'Z'", lex0(q, q.index("Z")))
q = "SELECT Id FROM Account WHERE CreatedDate = 2024-01-01T10:00:00.Z"; case(q, "line 1:63 no viable alternative at character 'Z'", lex0(q, q.index("Z")))
q = "SELECT Id FROM Account WHERE CreatedDate = 2024-01"; case(q, "unexpected token: '-01'", at(q, "-01"))
q = "SELECT Id FROM Account WHERE Amount > USD5000 .5"; case(q, "unexpected token: '.5'", at(q, ".5"))
q = "SELECT Id FROM Account WHERE Amount > 1e5"; case(q, "unexpected token: 'e5'", at(q, "e5"))

# --- strings -----------------------------------------------------------------------------------
q = "SELECT Id FROM Account WHERE Name = 'abc"; case(q, "line 1:40 mismatched character '<EOF>' expecting '''", lex0(q, len(q)), comment="unterminated string: the ANTLR lexer's message")
q = "SELECT Id FROM Account WHERE Name = 'abc\\"; case(q, "line 1:41 mismatched character '<EOF>' expecting '''", lex0(q, len(q)))
q = "SELECT Id FROM Account WHERE Name = 'a\\qb'"; case(q, "Invalid string literal 'a\\q. Illegal character sequence '\\q' in string literal.", at(q, "'a"))
q = "SELECT Id FROM Account WHERE Name = 'a\\u00g1'"; case(q, "Invalid string literal 'a\\u. Illegal character sequence '\\u' in string literal.", at(q, "'a"))
q = "SELECT Id FROM Account WHERE Name = 'a\\é'"; case(q, "Invalid string literal 'a\\é. Illegal character sequence '\\é' in string literal.", at(q, "'a"))

# --- Apex-only syntax --------------------------------------------------------------------------
q = "SELECT Id FROM Account WHERE Name = :name"; case(q, "Bind variables only allowed in Apex code", at(q, ":"), comment="Apex binds are rejected by the REST API",
    exact="\nSELECT Id FROM Account WHERE Name = :name\n                                    ^\nERROR at Row:1:Column:37\nBind variables only allowed in Apex code")
q = "SELECT Id FROM Account WHERE Id IN :ids"; case(q, "Bind variables only allowed in Apex code", at(q, ":"))
q = "SELECT Id FROM Account WHERE Id NOT IN :ids"; case(q, "Bind variables only allowed in Apex code", at(q, ":"))
q = "SELECT Id FROM Account LIMIT :n"; case(q, "Bind variables only allowed in Apex code", at(q, ":"))
q = "SELECT Id FROM Account LIMIT 10 OFFSET :n"; case(q, "Bind variables only allowed in Apex code", at(q, ":"))
q = "SELECT Id FROM Account ALL ROWS"; case(q, "ALL ROWS not allowed in this context", at(q, "ALL"))
q = "SELECT Id FROM Account WHERE IsDeleted = true LIMIT 5 all rows"; case(q, "ALL ROWS not allowed in this context", at(q, "all"))

# --- SELECT list -------------------------------------------------------------------------------
q = "SELECT Name n FROM Account"; case(q, "Only aggregate expressions use field aliasing", at(q, "n F"), comment="aliases only in aggregate queries")
q = "SELECT Id, (SELECT LastName ln FROM Contacts) FROM Account"; case(q, "Only aggregate expressions use field aliasing", at(q, "ln"))
q = "SELECT FIELDS(Name) FROM Account"; case(q, "unexpected token: 'Name'", at(q, "Name"))
q = "SELECT FIELDS(ALL FROM Account"; case(q, "expecting a right parentheses, found 'FROM'", at(q, "FROM"))
q = "SELECT SUM() FROM Opportunity"; case(q, "unexpected token: ')'", at(q, ")"))
q = "SELECT COUNT(Id, Name) FROM Account"; case(q, "expecting a right parentheses, found ','", at(q, ",", 1))
q = "SELECT SUM(COUNT(Id)) FROM Account"; case(q, "expecting a right parentheses, found '('", at(q, "(", 2))
q = "SELECT FOO(Id) FROM Account"; case(q, "unexpected token: '('", at(q, "("))
q = "SELECT Id FROM Account GROUP BY COUNT(Id)"; case(q, "unexpected token: '('", at(q, "("))
q = "SELECT TYPEOF What THEN Name END FROM Event"; case(q, "unexpected token: 'THEN'", at(q, "THEN"))
q = "SELECT TYPEOF What WHEN Account THEN Phone FROM Event"; case(q, "unexpected token: 'FROM'", at(q, "FROM"))
q = "SELECT TYPEOF What WHEN Account Phone END FROM Event"; case(q, "unexpected token: 'Phone'", at(q, "Phone"))
q = "SELECT Id, (SELECT Id FROM Contacts GROUP BY Id) FROM Account"; case(q, "expecting a right parentheses, found 'GROUP'", at(q, "GROUP"))
q = "SELECT Id, (Id) FROM Account"; case(q, "unexpected token: '('", at(q, "("))
q = "SELECT Id, (SELECT Id FROM Contacts FROM Account"; case(q, "expecting a right parentheses, found 'FROM'", at(q, "FROM", 2))

# --- GROUP BY / ORDER BY / LIMIT / OFFSET / FOR / WITH -----------------------------------------
q = "SELECT Name FROM Account GROUP BY"; case(q, "unexpected token: <EOF>", eof(q))
q = "SELECT Name FROM Account GROUP BY ROLLUP(Name"; case(q, "expecting a right parentheses, found '<EOF>'", eof(q))
q = "SELECT Name FROM Account ORDER BY"; case(q, "unexpected token: <EOF>", eof(q))
q = "SELECT Name FROM Account ORDER BY Name NULLS"; case(q, "unexpected token: <EOF>", eof(q))
q = "SELECT Name FROM Account ORDER BY Name NULLS MIDDLE"; case(q, "unexpected token: 'MIDDLE'", at(q, "MIDDLE"))
q = "SELECT Name FROM Account ORDER BY Name DESC ASC"; case(q, "unexpected token: 'ASC'", at(q, "ASC"))
q = "SELECT Name FROM Account LIMIT"; case(q, "unexpected token: <EOF>", eof(q))
q = "SELECT Name FROM Account LIMIT -1"; case(q, "unexpected token: '-1'", at(q, "-1"))
q = "SELECT Name FROM Account LIMIT 1.5"; case(q, "unexpected token: '1.5'", at(q, "1.5"))
q = "SELECT Name FROM Account LIMIT ten"; case(q, "unexpected token: 'ten'", at(q, "ten"))
q = "SELECT Name FROM Account OFFSET -5"; case(q, "unexpected token: '-5'", at(q, "-5"))
q = "SELECT Name FROM Account a FOR"; case(q, "unexpected token: <EOF>", eof(q))
q = "SELECT Name FROM Account FOR DELETE"; case(q, "unexpected token: 'DELETE'", at(q, "DELETE"))
q = "SELECT Name FROM Account WITH USER_MODE WITH SYSTEM_MODE"; case(q, "unexpected token: 'SYSTEM_MODE'", at(q, "SYSTEM_MODE"))
q = "SELECT Name FROM Account WITH SECURITY_ENFORCED WITH USER_MODE"; case(q, "unexpected token: 'USER_MODE'", at(q, "USER_MODE"))
q = "SELECT Name FROM Account WITH OWNER_MODE"; case(q, "unexpected token: 'OWNER_MODE'", at(q, "OWNER_MODE"))
q = "SELECT Title FROM Question WITH DATA CATEGORY Geography__c NEAR usa__c"; case(q, "unexpected token: 'NEAR'", at(q, "NEAR"))
q = "SELECT Title FROM Question WITH DATA CATEGORY Geography__c AT (usa__c uk__c)"; case(q, "expecting a right parentheses, found 'uk__c'", at(q, "uk__c"))
q = "SELECT Id FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION(1, 2), 'ft') < 5"; case(q, "unexpected token: ''ft''", at(q, "'ft'"))
q = "SELECT Id FROM Account WHERE DISTANCE(BillingAddress, POINT(1, 2), 'mi') < 5"; case(q, "unexpected token: 'POINT'", at(q, "POINT"))
q = "SELECT Id FROM Account WHERE DISTANCE(BillingAddress, GEOLOCATION('1', 2), 'mi') < 5"; case(q, "unexpected token: ''1''", at(q, "'1'"))
q = "SELECT Id FROM Account GROUP BY DISTANCE(BillingAddress, GEOLOCATION(1, 2), 'mi')"; case(q, "unexpected token: '('", at(q, "(BillingAddress"))
q = "SELECT Id FROM Question UPDATE TRACKING, POPULARITY"; case(q, "unexpected token: 'POPULARITY'", at(q, "POPULARITY"))
q = "SELECT Id FROM Account WHERE Name = 'x' UPDATE VIEWSTAT FOR VIEW"; case(q, "unexpected token: 'FOR'", at(q, "FOR"))
q = "SELECT Name FROM Account USING SCOPE"; case(q, "unexpected token: <EOF>", eof(q))
q = "SELECT Id FROM BusinessHours WHERE MondayStartTime = 25:00:00Z"; case(q, "Invalid time: 25:00:00Z", at(q, "25:"), comment="time literals: hh:mm:ss[.fff]Z, checked (text sfkit's, like dates)")
q = "SELECT Id FROM BusinessHours WHERE MondayStartTime = 08:00:00"; case(q, "line 1:61 no viable alternative at character '<EOF>'", lex0(q, len(q)))
q = "SELECT Id FROM Opportunity WHERE OwnerId IN (SELECT TYPEOF Owner WHEN User THEN Id END FROM Lead)"; case(q, "TYPEOF is not allowed in the SELECT clause of a semi-join query", at(q, "TYPEOF"), comment="TYPEOF is not allowed in a semi-join's SELECT (SOQL reference); text sfkit's")

# --- limits ------------------------------------------------------------------------------------
q = "SELECT Name FROM Account OFFSET 2001"; case(q, "Maximum SOQL offset allowed for apiName Account is 2000", None, code="NUMBER_OUTSIDE_VALID_RANGE", comment="OFFSET above 2,000 (recorded texts: jsforce/OrgCheck issues)")
q = "SELECT Name FROM Account ORDER BY Name LIMIT 10 OFFSET 100000"; case(q, "Maximum SOQL offset allowed for apiName Account is 2000", None, code="NUMBER_OUTSIDE_VALID_RANGE")
q = "SELECT FIELDS(ALL) FROM Account"; case(q, "The SOQL FIELDS function must have a LIMIT of at most 200", None, comment="FIELDS(ALL|CUSTOM) needs LIMIT <= 200")
q = "SELECT FIELDS(CUSTOM) FROM Account LIMIT 201"; case(q, "The SOQL FIELDS function must have a LIMIT of at most 200", None)
q = "SELECT Id, (SELECT FIELDS(ALL) FROM Contacts) FROM Account"; case(q, "The SOQL FIELDS function must have a LIMIT of at most 200", None)
q = "SELECT a.b.c.d.e.f.g FROM Contact"; case(q, "SOQL statements cannot query more than 5 levels of child-to-parent relationships: a.b.c.d.e.f.g", at(q, "a.b"), comment="at most five child-to-parent hops")
q = "SELECT Id FROM Contact WHERE Account.Owner.Manager.Manager.Manager.Manager.Name = 'x'"; case(q, "SOQL statements cannot query more than 5 levels of child-to-parent relationships: Account.Owner.Manager.Manager.Manager.Manager.Name", at(q, "Account."))
q = "SELECT Id, (SELECT Id, (SELECT Id FROM Cases) FROM Contacts) FROM Account"; case(q, "SOQL statements cannot query aggregate relationships more than 1 level away from the root entity object.", at(q, "(SELECT Id FROM Cases"), comment="one level of child subquery (before API 58.0)")
q = "SELECT Id, (SELECT Id FROM Contacts OFFSET 5) FROM Account"; case(q, "OFFSET is allowed in a subquery only when the outer query has LIMIT 1", at(q, "5)"))
q = "SELECT Id, (SELECT Id, (SELECT Id, (SELECT Id, (SELECT Id, (SELECT Id FROM Tasks) FROM Cases) FROM Cases) FROM Cases) FROM Contacts) FROM Account"
case(q, "SOQL statements cannot query aggregate relationships more than 4 levels away from the root entity object.", at(q, "(SELECT Id FROM Tasks"), depth=4, comment="four levels below the root from API 58.0 (the wording for 4 is sfkit's)")
q = "SELECT Id, (SELECT Id, (SELECT Id FROM Cases OFFSET 1) FROM Contacts) FROM Account LIMIT 1"; case(q, "OFFSET is allowed in a subquery only when the outer query has LIMIT 1", at(q, "1)"), depth=4, comment="nested subqueries: the same rules at every level")
q = "SELECT Id, (SELECT Id, (SELECT FIELDS(ALL) FROM Cases) FROM Contacts) FROM Account"; case(q, "The SOQL FIELDS function must have a LIMIT of at most 200", None, depth=4)
q = "SELECT Id, (SELECT Id, (SELECT Id FROM Cases WHERE Id IN (SELECT CaseId FROM CaseComment)) FROM Contacts) FROM Account"
case(q, "Semi join sub-selects are not allowed in child relationship subqueries", at(q, "SELECT CaseId"), depth=4)
q = "SELECT Id, (SELECT Id, (SELECT Status, COUNT(Id) FROM Cases GROUP BY Status) FROM Contacts) FROM Account"; case(q, "expecting a right parentheses, found 'GROUP'", at(q, "GROUP"), depth=4)
q = "SELECT Id, (SELECT Id, (SELECT Id FROM Cases) FROM Contacts WITH SECURITY_ENFORCED) FROM Account"; case(q, "expecting a right parentheses, found 'WITH'", at(q, "WITH"), depth=4)

# --- semi-joins --------------------------------------------------------------------------------
q = "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Id IN (SELECT ContactId FROM Case))"
case(q, "Nesting of semi join sub-selects is not supported", at(q, "SELECT ContactId"), comment="semi-joins do not nest")
q = "SELECT Id, (SELECT Id FROM Contacts WHERE Id IN (SELECT ContactId FROM Case)) FROM Account"
case(q, "Semi join sub-selects are not allowed in child relationship subqueries", at(q, "SELECT ContactId"))
q = "SELECT Id FROM Account WHERE Name = 'x' AND (Type = 'y' OR Id IN (SELECT AccountId FROM Contact))"
case(q, "Semi join sub-selects are only allowed at the top level WHERE expressions and not in nested WHERE expressions.", at(q, "IN ("), comment="recorded (apsona.com): an OR below an AND may not hold a semi-join")
q = "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact) AND Id IN (SELECT AccountId FROM Opportunity) AND Id NOT IN (SELECT AccountId FROM Case)"
case(q, "Maximum of 2 semi join sub-selects are allowed per WHERE clause", at(q, "NOT IN"))
q = "SELECT Id FROM Account WHERE Id IN (SELECT AccountId, Name FROM Contact)"; case(q, "unexpected token: ','", at(q, ","))
q = "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact LIMIT 5)"; case(q, "expecting a right parentheses, found 'LIMIT'", at(q, "LIMIT"))
q = "SELECT Id FROM Account WHERE Id IN (SELECT COUNT(Id) FROM Contact)"; case(q, "unexpected token: '('", at(q, "(Id"))
q = "SELECT Name, COUNT(Id) FROM Account GROUP BY Name HAVING Name IN (SELECT Name FROM Lead)"; case(q, "unexpected token: 'SELECT'", at(q, "SELECT", 2))
q = "SELECT Id FROM Account WHERE CALENDAR_YEAR(CreatedDate) IN (SELECT x FROM y)"; case(q, "unexpected token: 'SELECT'", at(q, "SELECT", 2))

# --- echo window on long lines (exact layout) ---------------------------------------------------
q = ("SELECT Id, Name, AccountNumber, BillingStreet, BillingCity, BillingState, BillingPostalCode, "
     "ShippingCity, FROM Account WHERE Name LIKE 'A%' AND Industry = 'Banking' ORDER BY Name LIMIT 10")
case(q, "unexpected token: 'FROM'", at(q, "FROM"), comment="long line: Salesforce echoes a window of words around the error",
     exact="\nBillingPostalCode, ShippingCity, FROM Account WHERE Name LIKE 'A%' AND\n"
           + " " * 33 + "^\nERROR at Row:1:Column:108\nunexpected token: 'FROM'")

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "parse_errors.txt"), "w",
          encoding="utf-8") as f:
    f.write("""# SOQL queries that must fail, with Salesforce's error. Read by tests/unit/soql_cases_test.cpp.
# Expected positions were computed from the query text (by a script), not taken from the parser.
#
# Generated by make_parse_errors.py (edit that, then run it).
#
# Format: cases are separated by blank lines; '#' lines are comments.
#   Q <query text>        one line of the query; several Q lines are joined with '\\n'
#   C <errorCode>         optional, MALFORMED_QUERY when absent
#   E <row>:<col> <reason>  a positioned error: the message is the echo + caret + position + reason
#   E - <reason>          an error whose message is the bare reason
#   M|<line>              optional: the exact full message, one line per M| (joined with '\\n')
#   D <n>                 optional: ParseOptions::max_child_depth (default 1; 4 from API 58.0)
# Which reasons are Salesforce's recorded texts and which are sfkit's choice: src/soql/README.md.
""")
    for comment, q, code, where, reason, exact, depth in cases:
        f.write("\n")
        if comment:
            f.write("# " + comment + "\n")
        for line in q.split("\n"):
            f.write("Q " + line.replace("\r", "\\r") + "\n")
        if code != M:
            f.write("C " + code + "\n")
        if depth != 1:
            f.write("D %d\n" % depth)
        if where is None:
            f.write("E - " + reason + "\n")
        else:
            f.write("E %d:%d %s\n" % (where[0], where[1], reason))
        if exact is not None:
            for line in exact.split("\n"):
                f.write("M|" + line + "\n")
print(len(cases), "cases")
