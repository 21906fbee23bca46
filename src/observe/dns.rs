//! DNS facts about devices and home domains: A/AAAA of device FQDNs, SOA/NS of home domains, PTR
//! of observed addresses. A synchronous facade over an async resolver with its own runtime.
//!
//! Every query is bounded by `timeout` × `attempts`, at most `concurrency` queries are in flight,
//! and NXDOMAIN, "no records of this type", timeouts, SERVFAIL and REFUSED stay distinct.

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
    /// Anything else: an invalid name, another response code, a transport error.
    Error(String),
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
                Answer::Timeout | Answer::ServFail | Answer::Error(_)
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

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_server::Server;
    use hickory_server::proto::rr::LowerName;
    use hickory_server::proto::serialize::txt::Parser;
    use hickory_server::store::in_memory::InMemoryZoneHandler;
    use hickory_server::zone_handler::{AxfrPolicy, Catalog, ZoneType};
    use std::collections::HashSet;
    use std::sync::{Arc, Mutex, OnceLock};
    use std::time::Instant;

    const CORP: &str = "
$ORIGIN corp.test.
$TTL 300
@        IN SOA  ns1.corp.test. hostmaster.corp.test. 1 3600 600 86400 300
@        IN NS   ns1.corp.test.
ns1      IN A    127.0.0.1
pc0423   IN A    10.1.4.20
pc0423   IN AAAA fd00:1:4::20
pc0424   IN A    10.1.4.21
multi    IN A    10.1.4.100
multi    IN A    10.1.4.9
printer  IN TXT  \"no address\"
";

    const REVERSE: &str = "
$ORIGIN 4.1.10.in-addr.arpa.
$TTL 300
@        IN SOA  ns1.corp.test. hostmaster.corp.test. 1 3600 600 86400 300
@        IN NS   ns1.corp.test.
20       IN PTR  pc0423.corp.test.
";

    /// The bulk zone: host0 … host199 with distinct addresses.
    fn bulk_zone() -> String {
        let mut text = String::from(
            "$ORIGIN bulk.test.\n$TTL 300\n\
             @ IN SOA ns1.corp.test. hostmaster.corp.test. 1 3600 600 86400 300\n\
             @ IN NS ns1.corp.test.\n",
        );
        for i in 0..200 {
            text.push_str(&format!("host{i} IN A 10.2.{}.{}\n", i / 100, i % 100));
        }
        text
    }

    fn handler(text: &str) -> (LowerName, Arc<InMemoryZoneHandler>) {
        let (origin, records) = Parser::new(text, None, None).parse().expect("zone parses");
        let zone =
            InMemoryZoneHandler::new(origin.clone(), records, ZoneType::Primary, AxfrPolicy::Deny)
                .expect("zone loads");
        (LowerName::new(&origin), Arc::new(zone))
    }

    /// A hickory-server authoritative for corp.test., bulk.test. and 4.1.10.in-addr.arpa., on
    /// 127.0.0.1 (UDP and TCP on one ephemeral port), shared by all tests.
    fn server() -> SocketAddr {
        static ADDR: OnceLock<SocketAddr> = OnceLock::new();
        *ADDR.get_or_init(|| {
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async move {
                    let mut catalog = Catalog::new();
                    for text in [CORP.to_owned(), REVERSE.to_owned(), bulk_zone()] {
                        let (origin, zone) = handler(&text);
                        catalog.upsert(origin, vec![zone]);
                    }
                    let (udp, tcp) = bind_pair().await;
                    let addr = udp.local_addr().expect("local addr");
                    let mut server = Server::new(catalog);
                    server.register_socket(udp);
                    server.register_listener(tcp, Duration::from_secs(5), 32);
                    tx.send(addr).expect("report address");
                    let _ = server.block_until_done().await;
                });
            });
            rx.recv().expect("server started")
        })
    }

    /// A UDP socket and a TCP listener on the same ephemeral loopback port.
    async fn bind_pair() -> (tokio::net::UdpSocket, tokio::net::TcpListener) {
        for _ in 0..20 {
            let udp = tokio::net::UdpSocket::bind("127.0.0.1:0")
                .await
                .expect("udp bind");
            let port = udp.local_addr().expect("local addr").port();
            if let Ok(tcp) = tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
                return (udp, tcp);
            }
        }
        panic!("no free port for UDP and TCP together");
    }

    fn dns(nameserver: SocketAddr) -> Dns {
        Dns::new(&DnsOptions {
            nameserver: Some(nameserver),
            ..DnsOptions::default()
        })
        .expect("resolver")
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    fn records(list: &[&str]) -> Answer {
        Answer::Records(names(list))
    }

    /// What the SERVFAIL responder saw of one query: question bytes, source port, query ID.
    type Seen = Arc<Mutex<Vec<(Vec<u8>, u16, u16)>>>;

    /// Answers every query with SERVFAIL (query ID and question copied, QR and RA set).
    fn servfail_server(seen: Seen) -> SocketAddr {
        let sock = std::net::UdpSocket::bind("127.0.0.1:0").expect("udp bind");
        let addr = sock.local_addr().expect("local addr");
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok((n, peer)) = sock.recv_from(&mut buf) {
                let query = &buf[..n];
                let Some(end) = question_end(query) else {
                    continue;
                };
                seen.lock().expect("lock").push((
                    query[12..end].to_ascii_lowercase(),
                    peer.port(),
                    u16::from_be_bytes([query[0], query[1]]),
                ));
                let mut reply = query[..end].to_vec();
                reply[2] = 0x80 | (query[2] & 0x79); // QR, opcode and RD kept
                reply[3] = 0x80 | 2; // RA, RCODE 2 = SERVFAIL
                reply[6..12].fill(0); // no answer, authority or additional records
                let _ = sock.send_to(&reply, peer);
            }
        });
        addr
    }

    /// End of the (single) question: QNAME labels, then QTYPE and QCLASS.
    fn question_end(msg: &[u8]) -> Option<usize> {
        let mut i = 12;
        loop {
            let len = usize::from(*msg.get(i)?);
            i += 1 + len;
            if len == 0 {
                break;
            }
        }
        (i + 4 <= msg.len()).then_some(i + 4)
    }

    #[test]
    fn a_and_aaaa_found_in_input_order_sorted_as_addresses() {
        let dns = dns(server());
        let got = dns.addresses(&names(&[
            "pc0423.corp.test",
            "multi.corp.test",
            "pc0424.corp.test",
            "PC0423.Corp.Test.",
        ]));
        assert_eq!(
            got,
            vec![
                (
                    "pc0423.corp.test".into(),
                    records(&["10.1.4.20", "fd00:1:4::20"])
                ),
                (
                    "multi.corp.test".into(),
                    records(&["10.1.4.9", "10.1.4.100"])
                ),
                ("pc0424.corp.test".into(), records(&["10.1.4.21"])),
                (
                    "PC0423.Corp.Test.".into(),
                    records(&["10.1.4.20", "fd00:1:4::20"])
                ),
            ]
        );
    }

    #[test]
    fn missing_name_in_the_zone_is_nxdomain() {
        let got = dns(server()).addresses(&names(&["pc9999.corp.test"]));
        assert_eq!(got[0].1, Answer::NxDomain);
    }

    #[test]
    fn existing_name_without_addresses_is_nodata() {
        let dns = dns(server());
        assert_eq!(
            dns.addresses(&names(&["printer.corp.test"]))[0].1,
            Answer::NoData
        );
        // A name with records of other types has no SOA/NS of its own either.
        let zone = &dns.zone(&names(&["pc0423.corp.test"]))[0].1;
        assert_eq!(zone.soa, Answer::NoData);
        assert_eq!(zone.ns, Answer::NoData);
    }

    #[test]
    fn zone_apex_has_soa_and_ns_and_a_missing_domain_is_nxdomain() {
        let got = dns(server()).zone(&names(&["corp.test", "nosuch.corp.test"]));
        let apex = &got[0].1;
        assert_eq!(apex.soa, records(&["ns1.corp.test"]));
        assert_eq!(apex.ns, records(&["ns1.corp.test"]));
        let missing = &got[1].1;
        assert_eq!(missing.soa, Answer::NxDomain);
        assert_eq!(missing.ns, Answer::NxDomain);
    }

    #[test]
    fn name_outside_the_served_zones_is_refused() {
        // hickory-server's catalog answers REFUSED for a name in no zone it serves.
        let dns = dns(server());
        assert_eq!(
            dns.addresses(&names(&["pc0423.other.example"]))[0].1,
            Answer::Refused
        );
        let zone = &dns.zone(&names(&["other.example"]))[0].1;
        assert_eq!((&zone.soa, &zone.ns), (&Answer::Refused, &Answer::Refused));
    }

    #[test]
    fn reverse_lookups() {
        let ips: Vec<IpAddr> = [
            "10.1.4.20",
            "10.1.4.99",
            "192.0.2.1",
            "2001:db8::1",
            "10.1.4.20",
        ]
        .iter()
        .map(|s| s.parse().expect("ip"))
        .collect();
        let got = dns(server()).reverse(&ips);
        let answers: Vec<Answer> = got.iter().map(|(_, a)| a.clone()).collect();
        assert_eq!(got.iter().map(|(ip, _)| *ip).collect::<Vec<_>>(), ips);
        assert_eq!(
            answers,
            vec![
                records(&["pc0423.corp.test"]),
                Answer::NxDomain,
                Answer::Refused,
                Answer::Refused,
                records(&["pc0423.corp.test"]),
            ]
        );
    }

    #[test]
    fn servfail_is_reported_as_such_and_retried() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let dns = Dns::new(&DnsOptions {
            nameserver: Some(servfail_server(seen.clone())),
            attempts: 3,
            ..DnsOptions::default()
        })
        .expect("resolver");
        let got = dns.zone(&names(&["corp.test"]));
        assert_eq!(got[0].1.soa, Answer::ServFail);
        assert_eq!(got[0].1.ns, Answer::ServFail);
        // Three tries of each query, each a fresh request (new source port and ID; a UDP
        // retransmission of one request would repeat both).
        let seen = seen.lock().expect("lock");
        let distinct: HashSet<_> = seen.iter().collect();
        assert_eq!(distinct.len(), 6, "{seen:?}");
    }

    #[test]
    fn silent_server_times_out_without_hanging() {
        let silent = std::net::UdpSocket::bind("127.0.0.1:0").expect("udp bind");
        let dns = Dns::new(&DnsOptions {
            nameserver: Some(silent.local_addr().expect("local addr")),
            timeout: Duration::from_millis(300),
            attempts: 1,
            ..DnsOptions::default()
        })
        .expect("resolver");
        let start = Instant::now();
        let got = dns.addresses(&names(&["pc0423.corp.test", "pc0424.corp.test"]));
        assert!(start.elapsed() < Duration::from_secs(10), "lookup hung");
        assert_eq!(got[0].1, Answer::Timeout);
        assert_eq!(got[1].1, Answer::Timeout);
        drop(silent);
    }

    #[test]
    fn two_hundred_names_resolve_with_bounded_concurrency() {
        let mut list: Vec<String> = (0..200).map(|i| format!("host{i}.bulk.test")).collect();
        list.push("host7.bulk.test".to_owned());
        for concurrency in [8, 64] {
            let dns = Dns::new(&DnsOptions {
                nameserver: Some(server()),
                concurrency,
                ..DnsOptions::default()
            })
            .expect("resolver");
            let got = dns.addresses(&list);
            assert_eq!(got.len(), 201);
            for (i, (name, answer)) in got.iter().enumerate() {
                let i = if i == 200 { 7 } else { i };
                assert_eq!(name, &list[i]);
                let want = format!("10.2.{}.{}", i / 100, i % 100);
                assert_eq!(answer, &Answer::Records(vec![want]), "{name}");
            }
        }
    }

    #[test]
    fn invalid_names_are_errors_and_do_not_stop_the_others() {
        let long_label = format!("{}.corp.test", "a".repeat(64));
        let long_name = format!("{}corp.test", "abcdefghi.".repeat(26));
        let bad = [
            "",
            "   ",
            ".",
            "a..corp.test",
            ".corp.test",
            "-pc.corp.test",
            "pc 1.corp.test",
            "pc_1.corp.test",
            "http://pc0423.corp.test/",
            "10.1.4.20",
            "[::1]",
            "pc\u{e9}.corp.test",
            "pc\0.corp.test",
            long_label.as_str(),
            long_name.as_str(),
        ];
        let mut list = names(&bad);
        list.push("pc0424.corp.test".to_owned());
        let dns = dns(server());
        let got = dns.addresses(&list);
        for (name, answer) in &got[..bad.len()] {
            assert!(matches!(answer, Answer::Error(_)), "{name:?}: {answer:?}");
        }
        assert_eq!(got[bad.len()].1, records(&["10.1.4.21"]));
        let zone = &dns.zone(&names(&["a..b"]))[0].1;
        assert!(matches!(zone.soa, Answer::Error(_)) && matches!(zone.ns, Answer::Error(_)));
    }

    #[test]
    fn empty_input_gives_empty_output() {
        let dns = dns(server());
        assert!(dns.addresses(&[]).is_empty());
        assert!(dns.zone(&[]).is_empty());
        assert!(dns.reverse(&[]).is_empty());
    }

    #[test]
    fn zero_concurrency_and_attempts_are_clamped() {
        let dns = Dns::new(&DnsOptions {
            nameserver: Some(server()),
            concurrency: 0,
            attempts: 0,
            ..DnsOptions::default()
        })
        .expect("resolver");
        assert_eq!(
            dns.addresses(&names(&["pc0424.corp.test"]))[0].1,
            records(&["10.1.4.21"])
        );
    }

    #[test]
    fn nameserver_argument() {
        let ok = |s: &str| parse_nameserver(s).expect(s).to_string();
        assert_eq!(ok("10.0.0.53"), "10.0.0.53:53");
        assert_eq!(ok(" 10.0.0.53:5353 "), "10.0.0.53:5353");
        assert_eq!(ok("::1"), "[::1]:53");
        assert_eq!(ok("[::1]"), "[::1]:53");
        assert_eq!(ok("[2001:db8::53]:5353"), "[2001:db8::53]:5353");
        for bad in [
            "",
            "dns.corp.test",
            "dns.corp.test:53",
            "10.0.0.53:",
            "10.0.0.53:0",
            "10.0.0.53:65536",
            "10.0.0.256",
            "::1:53:x",
            "[::1]:",
            "[10.0.0.53]:53",
            "2001:db8::53]:53",
        ] {
            assert!(parse_nameserver(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn refuses_to_run_inside_an_async_runtime() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let _guard = rt.enter();
        assert!(Dns::new(&DnsOptions::default()).is_err());
    }
}
