#!/usr/bin/env bash
# The "more than one machine" setup, end to end on one machine (issue 13): a throwaway PostgreSQL
# cluster (scripts/pg-cluster.sh), two `sfkit serve` nodes sharing one org on it, and the
# round-robin proxy in front of them (scripts/lb.sh, nginx). Then the seed's flows through the
# proxy, as scripts/demo.sh runs them against one node: a token from the username-password and
# from the client-credentials flow, an Account created in JSON and in XML and read back, the
# seed's own cURL commands, a SOQL query and a SOSL search. After each step it prints which node
# answered each request (the proxy's access log); at the end one node is killed (kill -9) and the
# org keeps answering through the other. Everything stops at the end, also on failure.
#   scripts/cluster-demo.sh            installs what is missing (scripts/deps.sh), builds sfkit
#   SFKIT_BINARY=path scripts/cluster-demo.sh   uses that binary, installs and builds nothing
#                                      (the CTest `cluster_demo` runs it so)
# It fails (exit 1) when a flow fails or when the proxy did not spread the requests over both
# nodes, with one exception, KNOWN_GAPS below.
set -euo pipefail

# Known gaps: steps that fail on PostgreSQL today for a reason tracked elsewhere. A listed step
# that fails is reported as a known gap and the demo goes on; one that passes says so, so that
# the entry gets removed. Nothing else is excused.
# None today (SOSL, the last one, runs on PostgreSQL since migration 2's token functions).
KNOWN_GAPS=()
gaps_hit=()
# known_gap NAME COMMAND...: runs COMMAND; a failure of a listed gap is reported, not fatal.
known_gap() {
  local name=$1
  shift
  if [[ " ${KNOWN_GAPS[*]} " != *" $name "* ]]; then
    "$@"
    return
  fi
  if "$@"; then
    echo "NOTE: known gap '$name' passed: remove it from KNOWN_GAPS in $0"
  else
    echo "KNOWN GAP '$name': failed as listed in KNOWN_GAPS (see the top of $0)"
    gaps_hit+=("$name")
  fi
}
cd "$(dirname "$0")/.."
if [ -n "${SFKIT_BINARY:-}" ]; then
  SFKIT=$SFKIT_BINARY
else
  bash scripts/deps.sh
  cmake --preset dev >/dev/null
  cmake --build --preset dev -j "$(nproc)" --target sfkit_cli >/dev/null
  SFKIT=$PWD/build/dev/sfkit
fi

work=$(mktemp -d)
chmod 755 "$work"  # as root, PostgreSQL runs as `nobody` in $work/pg (scripts/pg-cluster.sh)
export XDG_CONFIG_HOME=$work/config  # keep the demo's stored tokens away from yours
pids=()
cleanup() {
  local status=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bash scripts/lb.sh stop "$work/lb" 2>/dev/null || true
  bash scripts/pg-cluster.sh stop "$work/pg" 2>/dev/null || true
  if [ "$status" != 0 ]; then
    for f in "$work"/node*.log "$work/lb/error.log"; do
      [ -s "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }
    done
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# Which node answered each request since the last call: the proxy's access log, one line each.
logged=0
served() {
  local log=$work/lb/access.log
  [ -f "$log" ] || return 0
  local total
  total=$(wc -l <"$log")
  sed -n "$((logged + 1)),${total}p" "$log" | while read -r line; do
    req=$(sed -n 's/.*"\([A-Z]* [^ ]*\) HTTP[^"]*" \([0-9]*\) .*/\2 \1/p' <<<"$line")
    # $upstream_addr lists every node tried ("A, B" when A failed and nginx retried on B): the
    # last one answered.
    tried=$(sed -n 's/.* node=\(.*\) upstream_status=.*/\1/p' <<<"$line")
    node=${tried##*, }
    name="?"
    for i in "${!ports[@]}"; do
      case "$node" in *":${ports[$i]}") name="node $((i + 1))" ;; esac
    done
    note=""
    if [ "$tried" != "$node" ]; then note="  (tried first: ${tried%, *}, which failed)"; fi
    printf '   [proxy] %-7s %s  <- %s%s\n' "$name" "${req:0:90}" "$node" "$note"
  done
  logged=$total
}

step "PostgreSQL: a throwaway cluster (scripts/pg-cluster.sh)"
db=$(bash scripts/pg-cluster.sh start "$work/pg")
echo "database: $db"

step "Two sfkit nodes on one org (--database), started together"
ports=()
for i in 1 2; do
  "$SFKIT" serve --port 0 --database "$db" --data-dir "$work/node$i" \
    --org-def examples/org-def.json >"$work/node$i.log" 2>&1 &
  pids+=($!)
done
for i in 1 2; do
  for _ in $(seq 600); do
    grep -q "ready at" "$work/node$i.log" 2>/dev/null && break
    kill -0 "${pids[$((i - 1))]}" 2>/dev/null || { echo "node $i exited:"; cat "$work/node$i.log"; exit 1; }
    sleep 0.1
  done
  ports+=("$(sed -n 's/.*ready at http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$work/node$i.log")")
  if [ -z "${ports[$((i - 1))]}" ]; then echo "node $i did not start:"; cat "$work/node$i.log"; exit 1; fi
  echo "node $i: $(grep "ready at" "$work/node$i.log")"
done

step "The round-robin proxy in front of both (scripts/lb.sh, nginx)"
url=$(bash scripts/lb.sh start "$work/lb" "${ports[@]}")
echo "proxy: $url  (clients use this URL only; config: scripts/lb.sh)"
served

step "Username-password flow with the CLI, through the proxy"
"$SFKIT" login password --login-url "$url" --client-id 3MVG9local.key --client-secret local-secret \
  --username admin@acme.test --password 'Passw0rd!' --security-token TOKEN123 --alias demo
served

step "Client-credentials flow with the CLI"
"$SFKIT" login client-credentials --login-url "$url" --client-id 3MVG9local.key \
  --client-secret local-secret --alias demo-cc
served

step "Create an Account in JSON, then read it back (the read goes to the other node)"
id=$("$SFKIT" create Account -o demo --json \
  --data '{"Name":"Test Account","Phone":"1234567890","Website":"https://example.com","BillingCity":"New York"}' |
  sed -n 's/.*"id":"\([0-9A-Za-z]\{18\}\)".*/\1/p')
echo "created $id"
"$SFKIT" get Account "$id" -o demo --fields Name,Phone,Website,BillingCity
served

step "Create an Account in XML (XML on the wire both ways), then read it back in XML"
xml_id=$("$SFKIT" create Account -o demo-cc --xml --json --data '<?xml version="1.0" encoding="UTF-8"?>
<Account><Name>Test Account XML</Name><Phone>1234567890</Phone><Website>https://example.com</Website><BillingCity>New York</BillingCity></Account>' |
  sed -n 's/.*"id":"\([0-9A-Za-z]\{18\}\)".*/\1/p')
echo "created $xml_id"
"$SFKIT" get Account "$xml_id" -o demo-cc --xml --fields Name,Phone,Website,BillingCity
served

step "The seed's cURL commands, unchanged but for the host (the proxy's)"
token=$(curl -sf --location --request POST "$url/services/oauth2/token" \
  --header 'Content-Type: application/x-www-form-urlencoded' \
  --data-urlencode 'grant_type=password' --data-urlencode 'client_id=3MVG9local.key' \
  --data-urlencode 'client_secret=local-secret' --data-urlencode 'username=admin@acme.test' \
  --data-urlencode 'password=Passw0rd!TOKEN123')
echo "$token"
access=$(echo "$token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
instance=$(echo "$token" | sed -n 's/.*"instance_url":"\([^"]*\)".*/\1/p')
if [ "$instance" != "$url" ]; then
  echo "instance_url is $instance, not the proxy's $url" >&2
  exit 1
fi
echo "instance_url names the proxy: $instance"
curl -sf --request POST "$url/services/data/v60.0/sobjects/Account/" \
  --header "Authorization: Bearer $access" --header 'Content-Type: application/json' \
  --data-raw '{"Name": "Test Account", "Phone": "1234567890", "Website": "https://example.com", "BillingCity": "New York"}'
echo
curl -sf --request POST "$url/services/data/v60.0/sobjects/Account/" \
  --header "Authorization: Bearer $access" --header 'Content-Type: application/xml' \
  --header 'Accept: application/xml' \
  --data-raw '<?xml version="1.0" encoding="UTF-8"?><Account><Name>Test Account XML</Name><Phone>1234567890</Phone><Website>https://example.com</Website><BillingCity>New York</BillingCity></Account>'
echo
served

step "Every Account so far, with SOQL (all pages, streamed), then a SOSL search"
"$SFKIT" query -o demo "SELECT Id, Name, BillingCity, Owner.Name FROM Account ORDER BY Name"
known_gap sosl "$SFKIT" search -o demo "FIND {Test Account} IN NAME FIELDS RETURNING Account(Id, Name)"
served

step "Which node answered how many requests"
n1=$(grep -c "node=127.0.0.1:${ports[0]} " "$work/lb/access.log" || true)
n2=$(grep -c "node=127.0.0.1:${ports[1]} " "$work/lb/access.log" || true)
echo "node 1: $n1 requests, node 2: $n2 requests"
if [ "$n1" = 0 ] || [ "$n2" = 0 ]; then
  echo "the proxy did not spread the requests over both nodes" >&2
  exit 1
fi

step "Node 2 dies (kill -9); the org keeps answering through node 1"
kill -9 "${pids[1]}"
wait "${pids[1]}" 2>/dev/null || true
"$SFKIT" query -o demo "SELECT COUNT() FROM Account"
"$SFKIT" get Account "$id" -o demo --fields Name
served

if ((${#gaps_hit[@]})); then
  echo
  echo "Known gaps hit (listed in KNOWN_GAPS): ${gaps_hit[*]}"
fi
step "Done: the proxy, both nodes and PostgreSQL stop now"
