#!/usr/bin/env python3
"""CPU breakdown of one load_bench row from a `perf record` of the benchmark process.

Reads `perf report --stdio --no-children --sort dso,sym` output on stdin and prints the share of
samples per group (HTTP stack, auth, JSON, SQLite, allocation, kernel, ...). Used by
bench/profile_row.sh; the groups are the ones docs/performance.md reports per row.
"""
import re
import sys

# First match wins; matched against "dso symbol".
GROUPS = [
    ("kernel: network (send/recv, epoll)", r"\[kernel\].*(tcp|inet|sock|skb|ip_|net_|__dev|loopback|epoll|ep_|sys_(send|recv|write|read)|syscall_exit|copy_user|__x64_sys_(send|recv|write|read))"),
    ("kernel: scheduling, futex, wakeups", r"\[kernel\].*(sched|futex|switch|wake|enqueue|dequeue|idle|pick_next|update_(curr|load)|ttwu|hrtimer|finish_task|psi_)"),
    ("kernel: other (syscall entry, irq-off sections, fs/fsync)", r"\[kernel\]"),
    ("SQLite", r"(libsqlite3|sqlite3|\bvdbe|\bbtree|pager|wal[A-Z])"),
    ("allocation (malloc/free/new)", r"(malloc|_int_free|\bfree\b|cfree|operator new|operator delete|tcache|malloc_consolidate|unlink_chunk|realloc|calloc)"),
    ("locks, condvars (user side)", r"(pthread_mutex|pthread_cond|__lll_|futex|pthread_spin|std::mutex|condition_variable|sem_)"),
    ("auth, session, crypto", r"(sfkit::server::(Auth|Session|Token|auth|Directory|Credential|Identity|Login)|sodium|crypto_|sha256|hmac|argon|Authenticate)"),
    ("JSON (parse, write, escape)", r"(boost::json|json::|Json|JSON|Escape|RecordJsonText)"),
    ("HTTP parse/serialize, routing", r"(RequestReader|SerializeHead|beast::http|http::|Router|RouteMatch|Match|HttpDate|Request::|Response::|Header|percent|Url|Query(String|Param))"),
    ("Asio runtime (scheduler, strands, coroutines)", r"(boost::asio|asio::detail|awaitable|co_spawn|strand|any_io_executor|epoll_reactor|scheduler)"),
    ("SOQL (parse, bind, plan)", r"(soql|Soql|query::|QueryService|Bound|Binder)"),
    ("records, schema, handlers", r"sfkit::"),
    ("libc string/memory", r"(libc\.so|mem(cpy|move|set|cmp)|str(len|cmp|chr)|__strlen)"),
    ("libstdc++ other", r"libstdc\+\+"),
]


def main():
    rows = []
    for line in sys.stdin:
        m = re.match(r"\s*([\d.]+)%\s+(\S+)\s+\[([.k])\]\s+(.*)$", line)
        if not m:
            continue
        pct, dso, kind, sym = float(m.group(1)), m.group(2), m.group(3), m.group(4).strip()
        key = ("[kernel] " if kind == "k" else dso + " ") + sym
        rows.append((pct, key))
    totals = {}
    tops = {}
    for pct, key in rows:
        group = "other"
        for name, pattern in GROUPS:
            if re.search(pattern, key):
                group = name
                break
        totals[group] = totals.get(group, 0.0) + pct
        tops.setdefault(group, []).append((pct, key))
    total = sum(totals.values()) or 1.0
    for group, pct in sorted(totals.items(), key=lambda kv: -kv[1]):
        top = sorted(tops[group], reverse=True)[:3]
        names = "; ".join(f"{k[:70]} {p:.1f}%" for p, k in top)
        print(f"{pct * 100 / total:5.1f}%  {group:46s} {names}")


if __name__ == "__main__":
    main()
