//! `scslint collect`: walk the sources, read them in parallel, and fold them into networks (from
//! DHCP scopes and host suffixes) with host counts, keeping only the hosts that carry a finding.
//! Host findings are reported one per (code, network), naming their hosts.

use super::{Ended, Failure, Output};
use crate::cli::{CollectArgs, Format};
use crate::diagnostic::{Code, Finding, Location};
use crate::dns_name::normalise;
use crate::external::ExternalSuffixes;
use crate::observe::dns_facts::{DnsCheck, DnsFacts, Wanted};
use crate::observe::mapping::Mappings;
use crate::observe::model::SnapshotHost;
use crate::observe::model::{FqdnSource, Host, Origin, Parsed, Ras, Scope};
use crate::observe::reader::Reading;
use crate::observe::snapshot;
use crate::observe::sources;
use crate::observe::{Network, NetworkKind, Trust, TrustOrigin};
use crate::outcome::{Summary, finish};
use crate::report::terminal::{ColorWhen, Stream};
use crate::rules::{self, HostContext};
use crate::source::{Source, display_path};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::iter::{ParallelBridge, ParallelIterator};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::IsTerminal;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Observation sources larger than this are refused (a DHCP export or a fleet-wide CSV fits easily).
pub const MAX_SOURCE_BYTES: u64 = 64 * 1024 * 1024;

/// A host kept in full because it carries (or may carry) a finding.
#[derive(Debug, Clone)]
pub struct CollectedHost {
    pub host: Host,
    /// The network it was attributed to.
    pub network: Option<String>,
    /// The agent report, or its table in a snapshot.
    pub location: Location,
    /// Codes of the host rules that flagged it (its findings are grouped per network).
    pub codes: Vec<Code>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Files read as observation sources.
    pub files: usize,
    /// Host observations read (agent reports, CSV rows, snapshot hosts).
    pub reports: usize,
    /// Hosts that joined no network (no address in a DHCP range and no suffix).
    pub unattributed: usize,
    /// Inputs that could not be read or parsed.
    pub unreadable: usize,
}

#[derive(Debug, Default)]
pub struct Collected {
    pub networks: Vec<Network>,
    pub hosts: Vec<CollectedHost>,
    /// Input problems (SL05x) and DNS findings on networks.
    pub findings: Vec<Finding>,
    /// Host findings, grouped per (code, network).
    pub host_findings: Vec<Finding>,
    pub stats: Stats,
}

impl Collected {
    /// Input problems, network and host findings, in one list.
    pub fn all_findings(&self) -> Vec<Finding> {
        let mut out = self.findings.clone();
        out.extend(self.host_findings.iter().cloned());
        out
    }
}

/// The snapshot text for what was collected.
pub fn snapshot_text(c: &Collected) -> String {
    let mut hosts: Vec<snapshot::HostEntry> = c
        .hosts
        .iter()
        .map(|h| {
            let codes = h.codes.iter().map(|c| c.as_str().to_owned()).collect();
            snapshot::HostEntry::from_host(&h.host, h.network.as_deref(), codes)
        })
        .collect();
    snapshot::render_networks(&c.networks, &mut hosts)
}

/// What a host contributes when it carries no finding: enough to attribute and count it.
struct HostKey {
    ip: Option<Ipv4Addr>,
    suffix: Option<Arc<str>>,
    identity: u64,
}

/// One worker's share of the walk; shares are merged at the end.
#[derive(Default)]
struct Acc {
    /// Scopes, each with whether it was read through another file's include.
    scopes: Vec<(Scope, bool)>,
    keys: Vec<HostKey>,
    kept: Vec<Kept>,
    snapshot_networks: Vec<Network>,
    findings: Vec<Finding>,
    files: usize,
    reports: usize,
    unreadable: BTreeMap<PathBuf, ()>,
    /// Every suffix hosts received, once, with the first report (by path) that shows it.
    suffixes: HashMap<Arc<str>, Origin>,
    /// The files read whose text a finding may point into (DHCP configurations and what they
    /// include, and reports with a problem or a host a rule may flag), for snippets.
    sources: HashMap<PathBuf, Source>,
    /// Keep hosts whose FQDN DNS can be asked about, or that may meet another report of the same
    /// device that completes it (`--dns`).
    keep_resolvable: bool,
}

impl Acc {
    fn merge(mut self, mut other: Acc) -> Acc {
        self.scopes.append(&mut other.scopes);
        self.keys.append(&mut other.keys);
        self.kept.append(&mut other.kept);
        self.snapshot_networks.append(&mut other.snapshot_networks);
        self.findings.append(&mut other.findings);
        self.files += other.files;
        self.reports += other.reports;
        self.unreadable.append(&mut other.unreadable);
        self.sources.extend(other.sources);
        for (suffix, origin) in other.suffixes {
            match self.suffixes.get_mut(&suffix) {
                Some(first) if *first <= origin => {}
                Some(first) => *first = origin,
                None => {
                    self.suffixes.insert(suffix, origin);
                }
            }
        }
        self
    }

    fn problem(&mut self, f: Finding) {
        self.unreadable.insert(f.path(), ());
        self.findings.push(f);
    }

    /// The suffix as one shared string, noting the first report that shows it.
    fn intern(&mut self, suffix: Option<&str>, origin: Option<&Origin>) -> Option<Arc<str>> {
        let s = normalise(suffix?);
        if s.is_empty() {
            return None;
        }
        if let Some((existing, first)) = self.suffixes.get_key_value(s.as_str()) {
            let existing = existing.clone();
            if origin.is_some_and(|o| o < first) {
                self.suffixes.insert(
                    existing.clone(),
                    origin.cloned().unwrap_or_else(|| first.clone()),
                );
            }
            return Some(existing);
        }
        let arc: Arc<str> = Arc::from(s);
        let first = origin
            .cloned()
            .unwrap_or_else(|| Origin::new(PathBuf::new(), 1));
        self.suffixes.insert(arc.clone(), first);
        Some(arc)
    }

    /// Keep the host in full if a rule may flag it; otherwise only its key.
    fn add_host(&mut self, host: Host) {
        self.reports += 1;
        let location = host
            .origin
            .as_ref()
            .map(Location::origin)
            .unwrap_or(Location::File {
                path: PathBuf::new(),
                line: 1,
                column: 1,
            });
        let suffix = self.intern(host.suffix.as_deref(), host.origin.as_ref());
        if may_be_flagged(&host) || (self.keep_resolvable && part_resolvable(&host)) {
            self.kept.push((host, None, location));
            return;
        }
        let key = HostKey {
            ip: attribution_ip(&host),
            suffix,
            identity: identity(&host),
        };
        self.keys.push(key);
    }
}

/// The device FQDN the DNS rules look up: host name + primary DNS suffix, as SCS builds it.
fn device_fqdn(host: &Host) -> Option<String> {
    host.device_fqdn(&FqdnSource::default())
}

/// The ME address the DNS rules compare the device FQDN with.
fn has_me_address(host: &Host) -> bool {
    host.me_ip.is_some_and(|ip| !ip.is_unspecified())
}

/// A host whose FQDN the DNS rules compare with its ME address.
fn resolvable(host: &Host) -> bool {
    device_fqdn(host).is_some() && has_me_address(host)
}

/// Half of a resolvable device: amtinfo gives the ME address, ipconfig the primary suffix; they
/// meet when reports of one device are merged.
fn part_resolvable(host: &Host) -> bool {
    device_fqdn(host).is_some() || has_me_address(host)
}

/// A host that a rule could flag once its network is known.
fn may_be_flagged(host: &Host) -> bool {
    if host.ras == Some(Ras::Outside) {
        return true;
    }
    let ctx = HostContext {
        host,
        name: String::new(),
        network: None,
        location: Location::File {
            path: PathBuf::new(),
            line: 1,
            column: 1,
        },
        dns: None,
    };
    !rules::run_host(&ctx).is_empty()
}

/// The address hosts are attributed by: the OS's (DHCP-assigned), else a real ME address.
fn attribution_ip(host: &Host) -> Option<Ipv4Addr> {
    host.os_ip
        .filter(|ip| !ip.is_unspecified())
        .or(host.me_ip.filter(|ip| !ip.is_unspecified()))
}

/// The same device reported twice (amtinfo and ipconfig, or two runs) is counted once.
fn identity(host: &Host) -> u64 {
    let mut h = DefaultHasher::new();
    if let Some(mac) = mac_key(host) {
        mac.hash(&mut h);
    } else if let Some(name) = short_name(host) {
        name.hash(&mut h);
    } else {
        host.origin.hash(&mut h);
    }
    h.finish()
}

/// The MAC in one spelling.
fn mac_key(host: &Host) -> Option<String> {
    host.mac
        .as_deref()
        .map(|m| m.to_ascii_lowercase().replace('-', ":"))
}

/// How messages name a host.
pub fn host_name(host: &Host) -> String {
    host.hostname
        .clone()
        .or_else(|| host.fqdn.clone())
        .or_else(|| host.origin.as_ref().map(Origin::to_string))
        .unwrap_or_else(|| "unnamed host".to_owned())
}

fn read_one(acc: &mut Acc, path: &Path, explicit: bool, m: &Mappings) {
    let display = display_path(path);
    let fail = |code, line, column, msg: String| {
        Finding::at_file(code, display.clone(), line, column, msg)
    };
    let source = match crate::source::load(path, &display, MAX_SOURCE_BYTES) {
        Ok(source) => source,
        Err(e) if !explicit && e.passed_over_when_walking() => return,
        Err(e) => {
            let (line, column) = e.position();
            acc.problem(fail(Code::SL050, line, column, e.message()));
            return;
        }
    };
    // An observed.toml named on the command line that is too broken to be recognised is read as
    // one anyway, so its TOML error is reported where it is.
    let named_snapshot = explicit && path.extension().is_some_and(|e| e == "toml");
    let found = sources::reader_for(&source.text, m)
        .or_else(|| named_snapshot.then_some(&snapshot::READER));
    let Some(reader) = found else {
        if explicit {
            acc.problem(
                fail(
                    Code::SL053,
                    1,
                    1,
                    "not an observation source scslint can read".into(),
                )
                .help(format!(
                    "collect reads: {}",
                    sources::READERS.map(|r| r.describe).join("; ")
                )),
            );
        }
        return;
    };
    acc.files += 1;
    let (findings_before, kept_before) = (acc.findings.len(), acc.kept.len());
    let parsed = match reader.read(&source, m) {
        Reading::Parsed(parsed) => parsed,
        Reading::Snapshot(observed) => {
            for f in observed.findings {
                acc.problem(f);
            }
            acc.snapshot_networks.extend(observed.networks);
            for SnapshotHost {
                mut host,
                network,
                location,
            } in observed.hosts
            {
                if let Some(why) = host.drop_oversized() {
                    acc.problem(Finding::at(Code::SL051, location.clone(), why));
                }
                acc.reports += 1;
                acc.kept.push((host, network, location));
            }
            return;
        }
    };
    let Parsed {
        scopes,
        hosts,
        problems,
        included,
    } = parsed;
    for file in included {
        acc.sources.insert(file.path.clone(), file);
    }
    for p in problems {
        let f = Finding::at_file(
            Code::SL051,
            p.origin.path,
            p.origin.line,
            p.column,
            format!("{}: {}", reader.describe, p.message),
        );
        acc.problem(f);
    }
    for s in scopes {
        if let Some(why) = s.oversized() {
            let f = Finding::at_file(Code::SL051, s.origin.path.clone(), s.origin.line, 1, why);
            acc.problem(f);
            continue;
        }
        let included = s.origin.path != display;
        acc.scopes.push((s, included));
    }
    for mut host in hosts {
        if let Some(why) = host.drop_oversized() {
            let origin = host
                .origin
                .clone()
                .unwrap_or_else(|| Origin::new(&display, 1));
            acc.problem(Finding::at_file(
                Code::SL051,
                origin.path,
                origin.line,
                1,
                why,
            ));
        }
        acc.add_host(host);
    }
    if reader.dhcp_server || acc.findings.len() > findings_before || acc.kept.len() > kept_before {
        acc.sources.insert(display, source);
    }
}

/// Findings that point into a file read this run show its snippet: a reader's line and column
/// become a span of the file's text.
fn attach_snippets(findings: &mut [Finding], sources: &HashMap<PathBuf, Source>) {
    let place = |location: &mut Location| {
        if let Location::File { path, .. } = location
            && let Some(source) = sources.get(path.as_path())
        {
            location.in_source(source);
        }
    };
    for f in findings {
        place(&mut f.location);
        for r in &mut f.related {
            place(&mut r.location);
        }
    }
}

/// `scslint collect`.
pub fn command(args: CollectArgs, color: ColorWhen) -> Ended {
    let mut config = super::config(&args.config, color)?;
    let dns = super::dns(&args.dns)?;
    let (output, selection) = Output::new(&args.report, Format::Human, &args.exit, color)?;
    config.apply(&selection);
    let external = ExternalSuffixes::new(&config.external_suffixes);
    let collected = collect(
        &args.sources,
        &config.mappings,
        &external,
        dns.as_ref(),
        std::io::stderr().is_terminal() && !output.quiet,
    );
    let text = snapshot_text(&collected);
    if collected.stats.unattributed > 0 && !output.quiet {
        eprintln!(
            "scslint: {} host report(s) joined no network: no address in a DHCP range and no connection-specific suffix",
            collected.stats.unattributed
        );
    }
    let summary = Summary {
        files: collected.stats.files,
        networks: collected.networks.len(),
        hosts: collected.stats.reports,
        ..Summary::default()
    };
    let mut findings = collected.all_findings();
    if let Some(dns) = &dns {
        findings = dns.group_unanswered(findings);
    }
    let outcome = finish(findings, summary, &config.levels);
    match &args.output {
        Some(path) => {
            crate::atomic::write(path, text.as_bytes(), 0o644, true).map_err(|e| {
                Failure::new("scslint", &format!("cannot write {}: {e}", path.display()))
            })?;
            output.print(&outcome)
        }
        None => {
            super::print(&text)?;
            eprint!("{}", output.render(&outcome, Stream::Stderr));
            Ok(output.policy.exit(&outcome))
        }
    }
}

/// Read every source and fold the observations together; with `dns`, look device FQDNs and
/// network suffixes up for the DNS rules. With `progress`, a progress bar on standard error.
pub fn collect(
    sources: &[PathBuf],
    m: &Mappings,
    external: &ExternalSuffixes,
    dns: Option<&DnsCheck>,
    progress: bool,
) -> Collected {
    let bar = progress_bar(progress);
    let start = || Acc {
        keep_resolvable: dns.is_some(),
        ..Acc::default()
    };
    let acc = crate::walk::files(sources, crate::walk::Filter::default())
        .par_bridge()
        .fold(start, |mut acc, item| {
            match item {
                Ok((path, explicit)) => read_one(&mut acc, &path, explicit, m),
                Err(f) => acc.problem(f),
            }
            bar.inc(1);
            acc
        })
        .reduce(start, Acc::merge);
    if dns.is_some() {
        bar.set_message("asking DNS");
    }
    let collected = assemble(acc, external, dns);
    bar.finish_and_clear();
    collected
}

/// A spinner with files done and files per second, or a hidden bar.
fn progress_bar(visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} {human_pos} files read ({per_sec}, {elapsed}) {msg}",
    ) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Index of networks by range (narrowest first) and by suffix (rangeless networks first).
struct Attribution {
    ranges: Vec<(u32, u32, u64, usize)>,
    by_suffix: HashMap<String, usize>,
}

impl Attribution {
    fn new(networks: &[Network]) -> Self {
        let mut ranges: Vec<(u32, u32, u64, usize)> = networks
            .iter()
            .enumerate()
            .flat_map(|(i, n)| {
                n.ranges
                    .iter()
                    .map(move |r| (u32::from(r.start), u32::from(r.end), r.size(), i))
            })
            .collect();
        ranges.sort_by_key(|&(start, _, size, i)| (size, start, i));
        let mut by_suffix = HashMap::new();
        for (i, n) in networks
            .iter()
            .enumerate()
            .filter(|(_, n)| n.ranges.is_empty())
        {
            if let Some(s) = &n.suffix {
                by_suffix.entry(normalise(s)).or_insert(i);
            }
        }
        Attribution { ranges, by_suffix }
    }

    fn by_ip(&self, ip: Option<Ipv4Addr>) -> Option<usize> {
        let ip = u32::from(ip?);
        self.ranges
            .iter()
            .find(|(s, e, _, _)| *s <= ip && ip <= *e)
            .map(|r| r.3)
    }
}

/// Turn scopes and hosts into networks with counts, attribute hosts, and run the host rules.
fn assemble(mut acc: Acc, external: &ExternalSuffixes, dns: Option<&DnsCheck>) -> Collected {
    acc.kept = merge_devices(std::mem::take(&mut acc.kept));
    let mut networks = networks_from_scopes(std::mem::take(&mut acc.scopes));
    networks.extend(acc.snapshot_networks);
    let mut index = Attribution::new(&networks);
    let mut counted: Vec<HashSet<u64>> = vec![HashSet::new(); networks.len()];
    let mut suffix_sources: Vec<Vec<Origin>> = vec![Vec::new(); networks.len()];
    let mut unattributed = 0;

    // A network for hosts whose address is in no DHCP range, keyed by the suffix they received.
    let mut join = |ip: Option<Ipv4Addr>,
                    suffix: Option<&str>,
                    networks: &mut Vec<Network>|
     -> Option<usize> {
        if let Some(i) = index.by_ip(ip) {
            return Some(i);
        }
        let s = normalise(suffix?);
        if s.is_empty() {
            return None;
        }
        if let Some(&i) = index.by_suffix.get(&s) {
            return Some(i);
        }
        let first = acc.suffixes.get(s.as_str());
        networks.push(Network {
            name: format!("suffix {s}"),
            suffix: Some(s.clone()),
            search_v6: Vec::new(),
            trust: Trust::Enterprise,
            trust_origin: TrustOrigin::Assumed,
            kind: NetworkKind::Lan,
            forced_external: None,
            site: None,
            hosts: Some(0),
            ipv6_prefixes: Vec::new(),
            ranges: Vec::new(),
            sources: first.cloned().into_iter().collect(),
            location: first.map(Location::origin).unwrap_or(Location::File {
                path: PathBuf::new(),
                line: 1,
                column: 1,
            }),
        });
        index.by_suffix.insert(s, networks.len() - 1);
        Some(networks.len() - 1)
    };

    for key in &acc.keys {
        match join(key.ip, key.suffix.as_deref(), &mut networks) {
            Some(i) => {
                grow(&mut counted, &mut suffix_sources, networks.len());
                counted[i].insert(key.identity);
            }
            None => unattributed += 1,
        }
    }
    let mut kept_networks: Vec<Option<usize>> = Vec::new();
    for (host, named, _) in &acc.kept {
        let by_name = named
            .as_ref()
            .and_then(|n| networks.iter().position(|x| &x.name == n));
        let i =
            by_name.or_else(|| join(attribution_ip(host), host.suffix.as_deref(), &mut networks));
        grow(&mut counted, &mut suffix_sources, networks.len());
        match i {
            // A snapshot's host is already in its network's count.
            Some(_) if by_name.is_some() => {}
            Some(i) => {
                counted[i].insert(identity(host));
                if let Some(o) = &host.origin {
                    suffix_sources[i].push(o.clone());
                }
            }
            None => unattributed += 1,
        }
        kept_networks.push(i);
    }
    for (i, n) in networks.iter_mut().enumerate() {
        let seen = counted[i].len() as u64;
        // Snapshot networks keep their own count (or its absence: not counted is not empty)
        // when no new host joined them.
        if seen > 0 {
            n.hosts = Some(seen);
        }
        if n.sources.is_empty() {
            let mut s = std::mem::take(&mut suffix_sources[i]);
            s.sort();
            s.dedup();
            s.truncate(5);
            n.sources = s;
        }
        n.apply_external(external);
    }

    let facts = dns.map(|check| DnsFacts::gather(check, wanted(&acc.kept, &networks)));
    let mut findings = acc.findings;
    if let Some(facts) = &facts {
        findings.extend(
            networks
                .iter()
                .filter_map(|n| rules::observed_suffix_in_dns(n, facts)),
        );
    }
    let mut hosts = Vec::new();
    let mut host_findings = Vec::new();
    for ((host, named, location), i) in acc.kept.into_iter().zip(kept_networks) {
        let network = i.map(|i| &networks[i]);
        let name = host_name(&host);
        let ctx = HostContext {
            host: &host,
            name: name.clone(),
            network,
            location: location.clone(),
            dns: facts.as_ref(),
        };
        let found = rules::run_host(&ctx);
        // A snapshot's hosts stay listed (probe works through them); others only with findings.
        if found.is_empty() && named.is_none() {
            continue;
        }
        let codes = found.iter().map(|f| f.code).collect();
        host_findings.extend(found.into_iter().map(|finding| rules::HostFinding {
            finding,
            host: name.clone(),
            network,
        }));
        hosts.push(CollectedHost {
            network: network.map(|n| n.name.clone()),
            host,
            location,
            codes,
        });
    }
    // Lookups the name server gave no answer to are folded per server, not per network.
    let (unanswered, host_findings): (Vec<_>, Vec<_>) = host_findings
        .into_iter()
        .partition(|h| crate::observe::dns_facts::is_unanswered(&h.finding));
    findings.extend(unanswered.into_iter().map(|h| h.finding));
    let mut host_findings = rules::group_host_findings(host_findings);
    host_findings.sort_by_cached_key(Finding::sort_key);
    hosts.sort_by(|a, b| {
        (host_name(&a.host), &a.host.origin).cmp(&(host_name(&b.host), &b.host.origin))
    });
    networks.sort_by(|a, b| a.name.cmp(&b.name));
    attach_snippets(&mut findings, &acc.sources);
    attach_snippets(&mut host_findings, &acc.sources);
    findings.sort_by_cached_key(Finding::sort_key);
    Collected {
        networks,
        hosts,
        findings,
        host_findings,
        stats: Stats {
            files: acc.files,
            reports: acc.reports,
            unattributed,
            unreadable: acc.unreadable.len(),
        },
    }
}

type Kept = (Host, Option<String>, Location);

/// Reports of the same device (same MAC, else same short host name) become one host, field by
/// field: where they disagree, the report whose path sorts first wins. amtinfo's ME view and
/// ipconfig's primary suffix thus meet in one host.
fn merge_devices(mut kept: Vec<Kept>) -> Vec<Kept> {
    kept.sort_by(|a, b| a.0.origin.cmp(&b.0.origin));
    let mut by_mac: HashMap<String, usize> = HashMap::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Kept> = Vec::with_capacity(kept.len());
    for (host, network, location) in kept {
        let mac = host
            .mac
            .as_deref()
            .map(|m| m.to_ascii_lowercase().replace('-', ":"));
        let name = short_name(&host);
        let known = mac
            .as_ref()
            .and_then(|m| by_mac.get(m))
            .or_else(|| name.as_ref().and_then(|n| by_name.get(n)))
            .copied();
        let i = match known {
            Some(i) => {
                let target = &mut out[i];
                fill(&mut target.0, host);
                if target.1.is_none() {
                    target.1 = network;
                }
                i
            }
            None => {
                out.push((host, network, location));
                out.len() - 1
            }
        };
        if let Some(m) = mac {
            by_mac.entry(m).or_insert(i);
        }
        if let Some(n) = name {
            by_name.entry(n).or_insert(i);
        }
    }
    out
}

/// The host name without its domain, lower case.
fn short_name(host: &Host) -> Option<String> {
    let name = host.hostname.as_ref().or(host.fqdn.as_ref())?;
    let short = name
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    (!short.is_empty()).then_some(short)
}

/// Fill every field `into` lacks from `from`.
fn fill(into: &mut Host, from: Host) {
    macro_rules! take {
        ($($field:ident),*) => { $( if into.$field.is_none() { into.$field = from.$field; } )* };
    }
    take!(
        origin,
        hostname,
        fqdn,
        os_ip,
        me_ip,
        mac,
        suffix,
        primary_suffix,
        me_suffix,
        ras,
        link_up,
        os_dhcp,
        me_dhcp,
        amt_version,
        control_mode,
        site
    );
}

/// What the DNS rules need: FQDNs of devices with an ME address, the suffixes of enterprise
/// networks, and the devices' addresses for reverse names.
fn wanted(kept: &[Kept], networks: &[Network]) -> Wanted {
    let mut w = Wanted::default();
    for (host, _, _) in kept.iter().filter(|(h, _, _)| resolvable(h)) {
        w.fqdns.extend(device_fqdn(host));
        w.ptr.extend(host.me_ip.map(std::net::IpAddr::V4));
    }
    w.domains.extend(
        networks
            .iter()
            .filter(|n| n.is_enterprise())
            .filter_map(|n| n.suffix.clone()),
    );
    w
}

fn grow(counted: &mut Vec<HashSet<u64>>, sources: &mut Vec<Vec<Origin>>, len: usize) {
    counted.resize_with(len, HashSet::new);
    sources.resize_with(len, Vec::new);
}

/// One enterprise network per scope; names made unique across sources by adding the file.
fn networks_from_scopes(mut scopes: Vec<(Scope, bool)>) -> Vec<Network> {
    // A file that another one includes is also read on its own when a folder is walked: keep the
    // scope read through the include, which carries the outer scopes' option 15.
    scopes.sort_by(|(a, a_inc), (b, b_inc)| {
        (&a.origin, &a.name, !a_inc).cmp(&(&b.origin, &b.name, !b_inc))
    });
    scopes.dedup_by(|(a, _), (b, _)| a.origin == b.origin && a.name == b.name);
    let scopes: Vec<Scope> = scopes.into_iter().map(|(s, _)| s).collect();
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for s in &scopes {
        *uses.entry(s.name.as_str()).or_default() += 1;
    }
    let mut out: Vec<Network> = scopes
        .iter()
        .filter(|s| s.suffix.is_some() || !s.search_v6.is_empty() || !s.ranges.is_empty())
        .map(|s| {
            let name = if uses[s.name.as_str()] > 1 {
                format!(
                    "{} ({})",
                    s.name,
                    s.origin.path.to_string_lossy().replace('\\', "/")
                )
            } else {
                s.name.clone()
            };
            Network {
                name,
                suffix: s.suffix.clone(),
                search_v6: s.search_v6.clone(),
                trust: Trust::Enterprise,
                trust_origin: TrustOrigin::DhcpServer,
                kind: NetworkKind::Lan,
                forced_external: None,
                site: None,
                hosts: Some(0),
                ipv6_prefixes: Vec::new(),
                ranges: s.ranges.clone(),
                sources: vec![s.origin.clone()],
                location: Location::origin(&s.origin),
            }
        })
        .collect();
    // The same scope read twice (a file named twice, or included twice) is one network.
    out.sort_by(|a, b| (&a.name, &a.sources).cmp(&(&b.name, &b.sources)));
    out.dedup_by(|a, b| a.name == b.name);
    out
}
