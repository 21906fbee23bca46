//! What `--dns` learns before the rules run: the addresses of device FQDNs, whether home domains
//! and observed suffixes exist in DNS, and (with `--ptr`) reverse names of device addresses.
//! Gathered in one batch per kind, then looked up by the rules (SL202, SL205, SL105, SL054).
//! Lookups the server gave no answer to are folded into one SL054 per server
//! ([`DnsCheck::group_unanswered`]).

use super::dns::{Answer, Dns, DnsOptions, ZoneAnswer};
use crate::diagnostic::{Code, Finding};
use crate::dns_name::normalise;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

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
    /// The server answered none of a first batch: later lookups are not sent (over every gather
    /// of the run).
    dead: AtomicBool,
    /// Names (and addresses) the server gave no answer for, with why (the first reason seen).
    unanswered: Mutex<BTreeMap<String, String>>,
}

/// The group key of SL054 findings whose server gave no answer, before they are folded into one.
const UNANSWERED: &str = "no answer from";

/// Related locations the folded SL054 lists (the places that needed the lookups).
const UNANSWERED_LOCATIONS: usize = 20;

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
            dead: AtomicBool::new(false),
            unanswered: Mutex::new(BTreeMap::new()),
        })
    }

    fn unanswered(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, String>> {
        self.unanswered
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Remember the names whose lookups got no answer from the server.
    fn note_unanswered<'a>(&self, names: impl Iterator<Item = (String, &'a Answer)>) {
        let mut unanswered = self.unanswered();
        for (name, answer) in names.filter(|(_, a)| a.no_answer()) {
            unanswered
                .entry(name)
                .or_insert_with(|| failure(answer).unwrap_or_default());
        }
    }

    /// Fold the SL054 findings of lookups the server gave no answer to ([`unanswered`]) into one
    /// finding that names the server and how many names could not be looked up, at the first
    /// place that needed one, with the others as related locations. Other findings pass as they
    /// are.
    pub fn group_unanswered(&self, findings: Vec<Finding>) -> Vec<Finding> {
        let key = format!("{UNANSWERED} {}", self.server);
        let (mut members, mut out): (Vec<Finding>, Vec<Finding>) = findings
            .into_iter()
            .partition(|f| f.code == Code::SL054 && f.group_key.as_deref() == Some(&key));
        if members.is_empty() {
            return out;
        }
        members.sort_by_cached_key(Finding::sort_key);
        let unanswered = self.unanswered();
        let reasons: BTreeSet<&str> = unanswered.values().map(String::as_str).collect();
        let names: Vec<&str> = unanswered.keys().map(String::as_str).collect();
        let count = names.len();
        let first = &members[0];
        let message = format!(
            "no answer from {} ({}): {count} name{} could not be looked up ({}), so SL105, SL202 and SL205 could not be checked for {}",
            self.server,
            reasons.into_iter().collect::<Vec<_>>().join("; "),
            if count == 1 { "" } else { "s" },
            crate::wording::name_list(&names, crate::wording::HOSTS_NAMED),
            if count == 1 { "it" } else { "them" },
        );
        let mut folded = Finding::at(Code::SL054, first.location.clone(), message)
            .severity(first.severity)
            .group_key(key)
            .help(format!(
                "check that {} is up and reachable (UDP and TCP port 53) or point --nameserver at a server that answers for these zones; raise --dns-timeout on slow links",
                self.server
            ));
        folded.label = first.label.clone();
        for m in members.iter().skip(1).take(UNANSWERED_LOCATIONS) {
            let label = m.label.clone().unwrap_or_else(|| m.message.clone());
            folded = folded.related_at(m.location.clone(), label);
        }
        out.push(folded);
        out
    }
}

/// Mark an SL054 finding about a lookup the server gave no answer to, to be folded into one per
/// server by [`DnsCheck::group_unanswered`].
pub fn unanswered(finding: Finding, facts: &DnsFacts) -> Finding {
    let key = format!("{UNANSWERED} {}", facts.server);
    finding.group_key(key)
}

/// True for an SL054 finding marked by [`unanswered`] (host findings keep it out of their
/// per-network groups).
pub fn is_unanswered(f: &Finding) -> bool {
    f.code == Code::SL054
        && f.group_key
            .as_deref()
            .is_some_and(|k| k.starts_with(UNANSWERED))
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
        let mut dead = check.dead.load(Ordering::Relaxed);
        let timed_out = |a: &Answer| a.no_answer();
        let fqdns: Vec<String> = wanted.fqdns.iter().map(|n| normalise(n)).collect();
        let addresses = batched(
            &fqdns,
            &mut dead,
            |b| check.dns.addresses(b).into_iter().map(|(_, a)| a).collect(),
            timed_out,
            || Answer::NotAsked,
        );
        let domains: Vec<String> = wanted.domains.iter().map(|n| normalise(n)).collect();
        let zones = batched(
            &domains,
            &mut dead,
            |b| check.dns.zone(b).into_iter().map(|(_, z)| z).collect(),
            |z: &ZoneAnswer| timed_out(&z.soa) && timed_out(&z.ns),
            || ZoneAnswer {
                soa: Answer::NotAsked,
                ns: Answer::NotAsked,
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
            || Answer::NotAsked,
        );
        check.dead.store(dead, Ordering::Relaxed);
        check.note_unanswered(fqdns.iter().cloned().zip(&addresses));
        check.note_unanswered(
            domains
                .iter()
                .cloned()
                .zip(&zones)
                .filter(|(_, z)| z.soa.no_answer() && z.ns.no_answer())
                .map(|(n, z)| (n, &z.soa)),
        );
        check.note_unanswered(ips.iter().map(IpAddr::to_string).zip(&ptr));
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
        *dead = out.is_empty() && !answers.is_empty() && answers.iter().all(&timed_out);
        out.extend(answers);
    }
    out
}

/// Why a lookup gave no usable answer, for SL054; `None` when it did answer (records, NXDOMAIN
/// or no records of that type).
pub fn failure(answer: &Answer) -> Option<String> {
    match answer {
        Answer::Records(_) | Answer::NxDomain | Answer::NoData => None,
        Answer::Timeout => Some("timed out".to_owned()),
        Answer::ServFail => Some("the server answered SERVFAIL".to_owned()),
        Answer::Refused => Some("the server answered REFUSED".to_owned()),
        Answer::Unreachable(e) => Some(format!("unreachable: {e}")),
        Answer::NotAsked => {
            Some("not asked: the server answered none of the first queries".to_owned())
        }
        Answer::Error(e) => Some(e.clone()),
    }
}
