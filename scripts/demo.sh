#!/usr/bin/env bash
# The main job, end to end on a fresh Debian 12 machine: installs what is missing, builds sfkit,
# starts a local org, and runs the seed's flows against it: a token from the username-password
# flow and from the client-credentials flow, then an Account created in JSON and in XML and read
# back, with the sfkit CLI and with the seed's own cURL commands; then a SOQL query and a SOSL
# search over what was created.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$(nproc)" --target sfkit_cli >/dev/null
SFKIT=$PWD/build/dev/sfkit

work=$(mktemp -d)
export XDG_CONFIG_HOME=$work/config   # keep the demo's stored tokens away from yours
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Start a local org (org definition: examples/org-def.json)"
"$SFKIT" serve --port 0 --data-dir "$work/org" --org-def examples/org-def.json >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "ready at" "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
cat "$work/serve.log"
url=$(sed -n 's/.*ready at \(http[^ ]*\).*/\1/p' "$work/serve.log")

step "Username-password flow with the CLI"
"$SFKIT" login password --login-url "$url" --client-id 3MVG9local.key --client-secret local-secret \
  --username admin@acme.test --password 'Passw0rd!' --security-token TOKEN123 --alias demo

step "Client-credentials flow with the CLI"
"$SFKIT" login client-credentials --login-url "$url" --client-id 3MVG9local.key \
  --client-secret local-secret --alias demo-cc

step "Create an Account in JSON, then read it back"
id=$("$SFKIT" create Account -o demo --json \
  --data '{"Name":"Test Account","Phone":"1234567890","Website":"https://example.com","BillingCity":"New York"}' \
  | sed -n 's/.*"id":"\([0-9A-Za-z]\{18\}\)".*/\1/p')
echo "created $id"
"$SFKIT" get Account "$id" -o demo --fields Name,Phone,Website,BillingCity

step "Create an Account in XML (XML on the wire both ways), then read it back in XML"
xml_id=$("$SFKIT" create Account -o demo-cc --xml --json --data '<?xml version="1.0" encoding="UTF-8"?>
<Account><Name>Test Account XML</Name><Phone>1234567890</Phone><Website>https://example.com</Website><BillingCity>New York</BillingCity></Account>' \
  | sed -n 's/.*"id":"\([0-9A-Za-z]\{18\}\)".*/\1/p')
echo "created $xml_id"
"$SFKIT" get Account "$xml_id" -o demo-cc --xml --fields Name,Phone,Website,BillingCity

step "The seed's cURL commands, unchanged but for the host"
token=$(curl -s --location --request POST "$url/services/oauth2/token" \
  --header 'Content-Type: application/x-www-form-urlencoded' \
  --data-urlencode 'grant_type=password' --data-urlencode 'client_id=3MVG9local.key' \
  --data-urlencode 'client_secret=local-secret' --data-urlencode 'username=admin@acme.test' \
  --data-urlencode 'password=Passw0rd!TOKEN123')
echo "$token"; echo
access=$(echo "$token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
curl -s --request POST "$url/services/data/v60.0/sobjects/Account/" \
  --header "Authorization: Bearer $access" --header 'Content-Type: application/json' \
  --data-raw '{"Name": "Test Account", "Phone": "1234567890", "Website": "https://example.com", "BillingCity": "New York"}'
echo
curl -s --request POST "$url/services/data/v60.0/sobjects/Account/" \
  --header "Authorization: Bearer $access" --header 'Content-Type: application/xml' \
  --header 'Accept: application/xml' \
  --data-raw '<?xml version="1.0" encoding="UTF-8"?><Account><Name>Test Account XML</Name><Phone>1234567890</Phone><Website>https://example.com</Website><BillingCity>New York</BillingCity></Account>'
echo
step "Every Account so far, with SOQL (all pages, streamed), then a SOSL search"
"$SFKIT" query -o demo "SELECT Id, Name, BillingCity, Owner.Name FROM Account ORDER BY Name"
"$SFKIT" search -o demo "FIND {Test Account} IN NAME FIELDS RETURNING Account(Id, Name)"

step "Done: the local org stops now"
