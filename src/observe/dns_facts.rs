//! What `--dns` learns before the rules run: the addresses of device FQDNs, whether home domains
//! and observed suffixes exist in DNS, and (with `--ptr`) reverse names of device addresses.
//! Gathered in one batch per kind, then looked up by the rules (SL202, SL205, SL105, SL054).

use super::dns::{Answer, Dns, DnsOptions, ZoneAnswer};
use crate::dns_name::normalise;
use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;

/// Queries are sent in batches of this size; the name server is judged dead when the first
/// batch gets no answer at all.
const BATCH: usize = 256;

/// `--dns` as the commands use it.
pub struct DnsCheck {
    dns: Dns,
    /// Also look up PTR records of device addresses.
    pub ptr: bool,
    /// Which server is asked, for messages.
    pub server: String,
}

impl DnsCheck {
    pub fn new(options: &DnsOptions, ptr: bool) -> Result<DnsCheck, String> {
        let server = match options.nameserver {
            Some(addr) => addr.to_string(),
            None => "the system resolver".to_owned(),
        };
        Ok(DnsCheck {
            dns: Dns::new(options)?,
            ptr,
            server,
        })
    }
}

impl DnsCheck {
    pub fn group_unreachable(
        &self,
        findings: Vec<crate::diagnostic::Finding>,
    ) -> Vec<crate::diagnostic::Finding> {
        findings
    }
}

/// The names and addresses to look up.
#[derive(Debug, Default)]
pub struct Wanted {
    pub fqdns: BTreeSet<String>,
    pub domains: BTreeSet<String>,
    pub ptr: BTreeSet<IpAddr>,
}

/// Answers by normalised name or address.
#[derive(Debug, Default)]
pub struct DnsFacts {
    addresses: HashMap<String, Answer>,
    zones: HashMap<String, ZoneAnswer>,
    ptr: HashMap<IpAddr, Answer>,
    /// Which server answered, for messages.
    pub server: String,
}

impl DnsFacts {
    /// Look everything in `wanted` up. When the server answers none of the first batch, the rest
    /// is not queried and reported as skipped rather than waiting out every timeout.
    pub fn gather(check: &DnsCheck, mut wanted: Wanted) -> DnsFacts {
        if !check.ptr {
            wanted.ptr.clear();
        }
        let mut dead = false;
        let server = &check.server;
        let timed_out = |a: &Answer| *a == Answer::Timeout;
        let fqdns: Vec<String> = wanted.fqdns.iter().map(|n| normalise(n)).collect();
        let addresses = batched(
            &fqdns,
            &mut dead,
            |b| check.dns.addresses(b).into_iter().map(|(_, a)| a).collect(),
            timed_out,
            || skipped(server),
        );
        let domains: Vec<String> = wanted.domains.iter().map(|n| normalise(n)).collect();
        let zones = batched(
            &domains,
            &mut dead,
            |b| check.dns.zone(b).into_iter().map(|(_, z)| z).collect(),
            |z: &ZoneAnswer| timed_out(&z.soa) && timed_out(&z.ns),
            || ZoneAnswer {
                soa: skipped(server),
                ns: skipped(server),
            },
        );
        if check.ptr {
            // What the names point at is worth naming too (SL202's message).
            for answer in &addresses {
                if let Answer::Records(found) = answer {
                    wanted
                        .ptr
                        .extend(found.iter().filter_map(|a| a.parse::<IpAddr>().ok()));
                }
            }
        }
        let ips: Vec<IpAddr> = wanted.ptr.into_iter().collect();
        let ptr = batched(
            &ips,
            &mut dead,
            |b| check.dns.reverse(b).into_iter().map(|(_, a)| a).collect(),
            timed_out,
            || skipped(server),
        );
        DnsFacts {
            addresses: fqdns.into_iter().zip(addresses).collect(),
            zones: domains.into_iter().zip(zones).collect(),
            ptr: ips.into_iter().zip(ptr).collect(),
            server: check.server.clone(),
        }
    }

    pub fn addresses(&self, fqdn: &str) -> Option<&Answer> {
        self.addresses.get(&normalise(fqdn))
    }

    pub fn zone(&self, domain: &str) -> Option<&ZoneAnswer> {
        self.zones.get(&normalise(domain))
    }

    #[cfg(test)]
    pub(crate) fn insert_address(&mut self, fqdn: &str, answer: Answer) {
        self.addresses.insert(normalise(fqdn), answer);
    }

    #[cfg(test)]
    pub(crate) fn insert_zone(&mut self, domain: &str, zone: ZoneAnswer) {
        self.zones.insert(normalise(domain), zone);
    }

    /// The reverse name of an address, when `--ptr` found exactly one or more.
    pub fn reverse_name(&self, ip: IpAddr) -> Option<&str> {
        match self.ptr.get(&ip)? {
            Answer::Records(names) => names.first().map(String::as_str),
            _ => None,
        }
    }
}

/// Run `lookup` over `items` in batches, giving up on the rest once the server proved dead (no
/// answer to any query of a first batch).
fn batched<T, A>(
    items: &[T],
    dead: &mut bool,
    lookup: impl Fn(&[T]) -> Vec<A>,
    timed_out: impl Fn(&A) -> bool,
    skip: impl Fn() -> A,
) -> Vec<A> {
    let mut out = Vec::with_capacity(items.len());
    for chunk in items.chunks(BATCH) {
        if *dead {
            out.extend(chunk.iter().map(|_| skip()));
            continue;
        }
        let answers = lookup(chunk);
        *dead = out.is_empty() && answers.iter().all(&timed_out);
        out.extend(answers);
    }
    out
}

fn skipped(server: &str) -> Answer {
    Answer::Error(format!(
        "not asked: {server} answered none of the first queries"
    ))
}

/// Why a lookup gave no usable answer, for SL054; `None` when it did answer (records, NXDOMAIN
/// or no records of that type).
pub fn failure(answer: &Answer) -> Option<String> {
    match answer {
        Answer::Records(_) | Answer::NxDomain | Answer::NoData => None,
        Answer::Timeout => Some("timed out".to_owned()),
        Answer::ServFail => Some("the server answered SERVFAIL".to_owned()),
        Answer::Refused => Some("the server answered REFUSED".to_owned()),
        Answer::Error(e) => Some(e.clone()),
    }
}
