//! SL054: a DNS lookup that got no answer. Raised with the DNS facts the `--dns` rules (SL105,
//! SL202, SL205) look at; no check of its own.

declare_rule! {
    code: SL054,
    name: "dns-lookup-failed",
    level: Warning,
    scope: Input,
    needs: [Dns],
    check: Raised,
    summary: "With --dns: a lookup a DNS check needed got no answer (timeout, SERVFAIL, REFUSED or another error).",
    what: "A query for a device FQDN (SL202, SL205) or for the SOA/NS of a home domain or observed \
suffix (SL105) that timed out on every try, or that the server answered with SERVFAIL or REFUSED. \
Each kind is named in the message. Lookups the server gave no answer to at all (timed out, \
unreachable) are one finding per server, naming it and how many names could not be looked up, at \
the first place that needed one and with the others as related locations; answers such as SERVFAIL \
or REFUSED stay one finding per name. When the server answers none of the first batch of queries, \
the rest are not sent and counted as not asked, so a dead server cannot stall a fleet-wide run.",
    why: "The check that needed the answer could not be made, so a misfire may be hidden. SERVFAIL \
usually means a broken delegation or DNSSEC failure upstream; REFUSED means the server does not \
answer for that zone (ask one that does with `--nameserver`); timeouts mean the server is unreachable \
or overloaded.",
    fix: "Point `--nameserver` at a server that answers for the enterprise zones (an internal \
resolver or the AD DNS server), raise `--dns-timeout` for slow links, or fix the zone's delegation.",
    example: "  $ scslint collect agents/ --dns --nameserver 10.0.0.53\n  agents/pc0423.json:1:1 SL054 no answer from 10.0.0.53:53 (timed out): 212 names could not be looked up (`pc0001.corp.test`, …), so SL105, SL202 and SL205 could not be checked for them\n  agents/pc0424.json:1:1 SL054 looking up `pc0424.corp.test` at 10.0.0.53:53: the server answered SERVFAIL; SL202 could not be checked",
}
