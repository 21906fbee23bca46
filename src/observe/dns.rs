//! DNS facts about devices and home domains: A/AAAA of device FQDNs, SOA/NS of home domains, PTR
//! of observed addresses. A synchronous facade over an async resolver with its own runtime.
//!
//! Every query is bounded by `timeout` × `attempts`, at most `concurrency` queries are in flight,
//! and NXDOMAIN, "no records of this type", timeouts, SERVFAIL and REFUSED stay distinct; so do
//! answers with an error code and no answer at all (a server that is down or unreachable), which
//! SL054 reports once per server rather than once per name.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use futures_util::stream::{self, StreamExt};
use hickory_resolver::config::{NameServerConfig, ResolveHosts, ResolverConfig};
use hickory_resolver::lookup::Lookup;
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{Name, RData, RecordType};
use hickory_resolver::{Resolver, TokioResolver};

use crate::dns_name;

#[derive(Debug, Clone)]
pub struct DnsOptions {
    /// Ask this server (UDP, TCP on truncation) instead of the system resolvers.
    pub nameserver: Option<SocketAddr>,
    /// Time allowed for one try of one query.
    pub timeout: Duration,
    /// Tries per query; timeouts, SERVFAIL and transport errors are retried.
    pub attempts: usize,
    /// Queries in flight at once.
    pub concurrency: usize,
}

impl Default for DnsOptions {
    fn default() -> Self {
        DnsOptions {
            nameserver: None,
            timeout: Duration::from_secs(2),
            attempts: 2,
            concurrency: 64,
        }
    }
}

/// Parse `--nameserver IP[:PORT]`: IPv4, IPv6 bare or in brackets (`[::1]:5353`); port 53 unless
/// given.
pub fn parse_nameserver(s: &str) -> Result<SocketAddr, String> {
    let t = s.trim();
    let bracketed = t.strip_prefix('[').and_then(|r| r.strip_suffix(']'));
    let addr = if let Ok(ip) = t.parse::<IpAddr>() {
        SocketAddr::new(ip, 53)
    } else if let Some(ip) = bracketed.and_then(|b| b.parse::<Ipv6Addr>().ok()) {
        SocketAddr::new(ip.into(), 53)
    } else {
        t.parse::<SocketAddr>().map_err(|_| {
            format!("`{s}` is not a name server address (IP, IP:PORT or [IPv6]:PORT)")
        })?
    };
    if addr.port() == 0 {
        return Err(format!("`{s}`: port 0 is not a usable name server port"));
    }
    Ok(addr)
}

/// The outcome of one lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Addresses (sorted as addresses, IPv4 first) or names (lower case, no trailing dot, sorted).
    Records(Vec<String>),
    /// The name does not exist.
    NxDomain,
    /// The name exists but has no records of the type asked.
    NoData,
    /// No answer within `timeout` on any try.
    Timeout,
    /// The server answered SERVFAIL.
    ServFail,
    /// The server answered REFUSED (e.g. not authoritative and not recursing for us).
    Refused,
    /// The server could not be reached (a transport error: no route, connection refused).
    Unreachable(String),
    /// Not sent: the server had answered none of the first queries (see `DnsFacts::gather`).
    NotAsked,
    /// Anything else: an invalid name, another response code, a transport error.
    Error(String),
}

impl Answer {
    /// True when the server gave no answer at all (timed out, unreachable, or not asked because it
    /// had answered nothing), as opposed to answering with an error code.
    pub fn no_answer(&self) -> bool {
        matches!(
            self,
            Answer::Timeout | Answer::Unreachable(_) | Answer::NotAsked
        )
    }
}

/// SOA and NS at one name: the zone exists when the SOA query returns records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneAnswer {
    pub soa: Answer,
    pub ns: Answer,
}

pub struct Dns {
    // Declared before the runtime so it is dropped first.
    resolver: TokioResolver,
    timeout: Duration,
    attempts: usize,
    concurrency: usize,
    runtime: tokio::runtime::Runtime,
}

impl Dns {
    /// A resolver from the system configuration (/etc/resolv.conf), or for `opts.nameserver`
    /// alone (UDP and TCP, no search domains, ndots 0). The hosts file is never consulted.
    /// For synchronous callers: fails when called from inside an async runtime.
    pub fn new(opts: &DnsOptions) -> Result<Dns, String> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err("the DNS module cannot run inside an async runtime".to_owned());
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| format!("cannot start the DNS runtime: {e}"))?;
        let _guard = runtime.enter();
        let provider = TokioRuntimeProvider::default();
        let mut builder = match opts.nameserver {
            Some(addr) => {
                let mut server = NameServerConfig::udp_and_tcp(addr.ip());
                for conn in &mut server.connections {
                    conn.port = addr.port();
                }
                let config = ResolverConfig::from_name_servers(vec![server]);
                let mut builder = Resolver::builder_with_config(config, provider);
                builder.options_mut().ndots = 0;
                builder
            }
            None => Resolver::builder(provider)
                .map_err(|e| format!("cannot read the system DNS configuration: {e}"))?,
        };
        let concurrency = opts.concurrency.max(1);
        let o = builder.options_mut();
        o.timeout = opts.timeout;
        // Tries are counted here (see `query`); hickory's own retries would multiply them.
        o.attempts = 0;
        o.use_hosts_file = ResolveHosts::Never;
        // Above this many requests on one connection hickory answers "busy" instead of sending.
        o.max_active_requests = o.max_active_requests.max(concurrency);
        let resolver = builder
            .build()
            .map_err(|e| format!("cannot set up the DNS resolver: {e}"))?;
        Ok(Dns {
            resolver,
            timeout: opts.timeout,
            attempts: opts.attempts.max(1),
            concurrency,
            runtime,
        })
    }

    /// A and AAAA of each FQDN, queried with a trailing dot (no search list). One entry per input,
    /// in input order; duplicates are queried once. Addresses from either query are reported even
    /// when the other failed; otherwise NXDOMAIN wins, then NoData when both say so, then the
    /// A query's failure.
    pub fn addresses(&self, names: &[String]) -> Vec<(String, Answer)> {
        let parsed: Vec<_> = names.iter().map(|n| fqdn(n)).collect();
        let results = self.resolve(&parsed, &[RecordType::A, RecordType::AAAA]);
        names
            .iter()
            .cloned()
            .zip(results.into_iter().map(|r| match r {
                Ok(mut v) if v.len() == 2 => {
                    let aaaa = v.swap_remove(1);
                    merge_addresses(v.swap_remove(0), aaaa)
                }
                Ok(_) => Answer::Error("internal: missing answers".to_owned()),
                Err(e) => Answer::Error(e),
            }))
            .collect()
    }

    /// SOA and NS at each domain itself: whether the zone exists in DNS.
    pub fn zone(&self, domains: &[String]) -> Vec<(String, ZoneAnswer)> {
        let parsed: Vec<_> = domains.iter().map(|n| fqdn(n)).collect();
        let results = self.resolve(&parsed, &[RecordType::SOA, RecordType::NS]);
        domains
            .iter()
            .cloned()
            .zip(results.into_iter().map(|r| match r {
                Ok(mut v) if v.len() == 2 => {
                    let ns = v.swap_remove(1);
                    let soa = v.swap_remove(0);
                    ZoneAnswer { soa, ns }
                }
                Ok(_) => ZoneAnswer {
                    soa: Answer::Error("internal: missing answers".to_owned()),
                    ns: Answer::Error("internal: missing answers".to_owned()),
                },
                Err(e) => ZoneAnswer {
                    soa: Answer::Error(e.clone()),
                    ns: Answer::Error(e),
                },
            }))
            .collect()
    }

    /// PTR of each address (in-addr.arpa / ip6.arpa), in input order.
    pub fn reverse(&self, ips: &[IpAddr]) -> Vec<(IpAddr, Answer)> {
        let parsed: Vec<_> = ips.iter().map(|ip| Ok(Name::from(*ip))).collect();
        let results = self.resolve(&parsed, &[RecordType::PTR]);
        ips.iter()
            .copied()
            .zip(results.into_iter().map(|r| match r {
                Ok(mut v) if !v.is_empty() => v.swap_remove(0),
                Ok(_) => Answer::Error("internal: missing answers".to_owned()),
                Err(e) => Answer::Error(e),
            }))
            .collect()
    }

    /// Query every distinct name for every type; per input, the answers in `types` order or the
    /// reason the name was not queried.
    fn resolve(
        &self,
        names: &[Result<Name, String>],
        types: &[RecordType],
    ) -> Vec<Result<Vec<Answer>, String>> {
        let mut unique: Vec<&Name> = Vec::new();
        let mut slot: HashMap<&Name, usize> = HashMap::new();
        let slots: Vec<Result<usize, String>> = names
            .iter()
            .map(|n| match n {
                Ok(name) => Ok(*slot.entry(name).or_insert_with(|| {
                    unique.push(name);
                    unique.len() - 1
                })),
                Err(e) => Err(e.clone()),
            })
            .collect();
        let jobs: Vec<(Name, RecordType)> = unique
            .iter()
            .flat_map(|n| types.iter().map(|t| ((*n).clone(), *t)))
            .collect();
        let answers = self.run(jobs);
        slots
            .into_iter()
            .map(|s| {
                s.map(|i| {
                    let start = i * types.len();
                    answers
                        .get(start..start + types.len())
                        .map(<[Answer]>::to_vec)
                        .unwrap_or_default()
                })
            })
            .collect()
    }

    /// Run the queries with at most `concurrency` in flight; answers in job order.
    fn run(&self, jobs: Vec<(Name, RecordType)>) -> Vec<Answer> {
        if tokio::runtime::Handle::try_current().is_ok() {
            let e = Answer::Error("the DNS module cannot run inside an async runtime".to_owned());
            return vec![e; jobs.len()];
        }
        let work = stream::iter(jobs.into_iter().enumerate())
            .map(|(i, (name, rtype))| async move { (i, self.query(name, rtype).await) })
            .buffer_unordered(self.concurrency)
            .collect::<Vec<_>>();
        let mut done = self.runtime.block_on(work);
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, a)| a).collect()
    }

    /// One query, tried up to `attempts` times, each try bounded by `timeout`.
    async fn query(&self, name: Name, rtype: RecordType) -> Answer {
        let mut answer = Answer::Timeout;
        for _ in 0..self.attempts {
            let lookup = self.resolver.lookup(name.clone(), rtype);
            answer = match tokio::time::timeout(self.timeout, lookup).await {
                Ok(result) => classify(result, rtype),
                Err(_elapsed) => Answer::Timeout,
            };
            if !matches!(
                answer,
                Answer::Timeout | Answer::ServFail | Answer::Error(_) | Answer::Unreachable(_)
            ) {
                break;
            }
        }
        answer
    }
}

/// A name from untrusted input as an FQDN: surrounding whitespace and one trailing dot are
/// dropped, anything else that is not a valid host/domain name is refused.
fn fqdn(raw: &str) -> Result<Name, String> {
    let t = raw.trim();
    let t = t.strip_suffix('.').unwrap_or(t);
    if t.starts_with('.') {
        return Err(format!(
            "`{raw}` is not a valid DNS name: it starts with a dot"
        ));
    }
    if let Some(problem) = dns_name::validate(t).first() {
        return Err(format!("`{raw}` is not a valid DNS name: {problem}"));
    }
    Name::from_ascii(format!("{}.", t.to_ascii_lowercase()))
        .map_err(|e| format!("`{raw}` is not a valid DNS name: {e}"))
}

/// Map hickory's result to an [`Answer`]: NXDOMAIN and NODATA arrive as `NoRecordsFound` with the
/// response code, SERVFAIL/REFUSED as `ResponseCode` errors, an expired per-try deadline inside
/// hickory as `NetError::Timeout`.
fn classify(result: Result<Lookup, NetError>, rtype: RecordType) -> Answer {
    match result {
        Ok(lookup) => records(&lookup, rtype),
        Err(NetError::Dns(DnsError::NoRecordsFound(nr))) => match nr.response_code {
            ResponseCode::NXDomain => Answer::NxDomain,
            _ => Answer::NoData,
        },
        Err(NetError::Dns(DnsError::ResponseCode(ResponseCode::ServFail))) => Answer::ServFail,
        Err(NetError::Dns(DnsError::ResponseCode(ResponseCode::Refused))) => Answer::Refused,
        Err(NetError::Timeout) => Answer::Timeout,
        Err(NetError::Io(e)) => Answer::Unreachable(e.to_string()),
        Err(NetError::NoConnections) => Answer::Unreachable("no connection to the server".into()),
        Err(e) => Answer::Error(e.to_string()),
    }
}

/// The records of the type asked (CNAMEs on the way are left out), sorted.
fn records(lookup: &Lookup, rtype: RecordType) -> Answer {
    let mut ips: Vec<IpAddr> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for record in lookup.answers().iter().filter(|r| r.record_type() == rtype) {
        match &record.data {
            RData::A(a) => ips.push(a.0.into()),
            RData::AAAA(a) => ips.push(a.0.into()),
            RData::NS(ns) => names.push(name_text(&ns.0)),
            RData::PTR(ptr) => names.push(name_text(&ptr.0)),
            RData::SOA(soa) => names.push(name_text(&soa.mname)),
            _ => {}
        }
    }
    ips.sort();
    ips.dedup();
    names.sort();
    names.dedup();
    let out: Vec<String> = ips.iter().map(IpAddr::to_string).chain(names).collect();
    if out.is_empty() {
        Answer::NoData
    } else {
        Answer::Records(out)
    }
}

fn name_text(name: &Name) -> String {
    let text = dns_name::normalise(&name.to_ascii());
    if text.is_empty() {
        ".".to_owned()
    } else {
        text
    }
}

fn merge_addresses(a: Answer, aaaa: Answer) -> Answer {
    use Answer::*;
    match (a, aaaa) {
        (Records(mut v4), Records(v6)) => {
            v4.extend(v6);
            Records(v4)
        }
        (Records(v), _) | (_, Records(v)) => Records(v),
        (NxDomain, _) | (_, NxDomain) => NxDomain,
        (NoData, NoData) => NoData,
        (NoData, failure) | (failure, _) => failure,
    }
}
