//! The rule registry: every code's documentation and check, run over one profile at a time.
//! Rules see profiles and networks only; they know nothing of output formats.
//!
//! Each rule lives in one file named after it (`unmatched-home-domain` in
//! `unmatched_home_domain.rs`) that opens with its `declare_rule!`; the file's line in
//! `registry!` below compiles it in. From those declarations come the [`Code`] enum (through
//! build.rs), `scslint rules` and `scslint explain`, the SARIF rule descriptors and the tables of
//! docs/rules.md. Adding a rule is a new file and its line here, plus a fixture under
//! tests/rules/ that the rule flags.

use crate::diagnostic::{Code, Finding, Location};
use crate::envdetect::Verdict;
use crate::external::ExternalSuffixes;
use crate::fix::{Applicability, Fix};
use crate::observe::Network;
use crate::observe::dns_facts::DnsFacts;
use crate::observe::model::{FqdnSource, Host};
use crate::profile::{Detection, Profile, ProfileKind};
use crate::source::Span;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// A rule's one declaration, at the top of its file: code, name, default level (with a note for
/// docs/rules.md when the rule raises or lowers it itself), scope, what it needs besides the
/// profile, its check, and what `scslint explain` says of it. Codes no check raises (readers,
/// lookups, suppressions) are declared alike, with `check: Raised`. build.rs reads the fields up
/// to `needs` (and `input_problem`) into [`Code`]; the macro keeps the check and the text.
macro_rules! declare_rule {
    (
        code: $code:ident,
        name: $name:literal,
        level: $level:ident,
        $(level_note: $note:literal,)?
        scope: $scope:ident,
        needs: [$($need:ident),*],
        $(input_problem: $input:literal,)?
        check: $kind:ident $(($($arg:expr),*))?,
        $(autofix: $autofix:ident,)?
        summary: $summary:literal,
        what: $what:literal,
        why: $why:literal,
        fix: $fix:literal,
        example: $example:literal $(,)?
    ) => {
        #[doc = concat!("`", stringify!($code), "` ", $name, ": ", $summary)]
        pub(super) const RULE: $crate::rules::Rule = $crate::rules::Rule {
            code: $crate::diagnostic::Code::$code,
            level_note: $crate::rules::level_note(&[$($note)?]),
            autofix: $crate::rules::autofix(&[$($crate::fix::Applicability::$autofix)?]),
            check: $crate::rules::Check::$kind $(($($arg),*))?,
            doc: $crate::rules::Doc {
                summary: $summary,
                what: $what,
                why: $why,
                fix: $fix,
                example: $example,
            },
        };
    };
}

/// Every rule, one line each: the file under src/rules/ that declares it.
macro_rules! registry {
    ($($rule:ident,)*) => {
        $(mod $rule;)*

        /// Every rule's declaration, at the index of its code.
        const RULES: [&Rule; Code::ALL.len()] = by_code(&[$(&$rule::RULE,)*]);
    };
}

registry! {
    detection_algorithm_mismatch,
    detection_ignored_static_ip,
    dns_lookup_failed,
    encrypted_profile,
    enterprise_network_outside,
    enterprise_network_without_option15,
    external_network_inside,
    fqdn_not_in_dns,
    fqdn_resolves_elsewhere,
    home_domain_dropped_by_console,
    home_domain_not_canonical,
    home_domain_not_in_dns,
    home_domain_too_long,
    home_domains_not_mapped,
    interface_closed_as_predicted,
    interface_closed_unexpectedly,
    invalid_home_domain,
    label_boundary_ambiguity,
    live_home_domains_drift,
    malformed_input,
    me_without_ip,
    mixed_dhcp_static,
    not_amt,
    overbroad_home_domain,
    placeholder_home_domain,
    primary_suffix_differs,
    ras_outside_on_enterprise,
    redundant_home_domain,
    remote_access_needs_detection,
    suppression_without_reason,
    tls_problem,
    too_many_home_domains,
    unexpected_reachability,
    unmatched_home_domain,
    unreadable_input,
    unrecognised_input,
    unused_suppression,
}

pub use crate::wording::{HOSTS_NAMED, join_list, name_list};
pub use home_domain_not_in_dns::{
    check_network as observed_suffix_in_dns, queryable as home_domain_queryable,
};

/// What `scslint explain` prints for a code.
pub struct Doc {
    /// One line, for `scslint rules`.
    pub summary: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
    pub example: &'static str,
}

/// How a rule looks at its input.
#[derive(Clone, Copy)]
pub enum Check {
    /// Once per profile (with the observed networks, when given).
    Profile(fn(&Context, &mut Vec<Finding>)),
    /// Once per observed host, with what the grouped finding says of all the hosts of one network
    /// (the mistake, without any one host's details).
    Host(fn(&HostContext, &mut Vec<Finding>), &'static str),
    /// Once per probed device.
    Probe(fn(&ProbeContext, &mut Vec<Finding>)),
    /// Raised by readers, lookups or where suppressions are applied, not by a check.
    Raised,
}

/// One rule as its file declares it (see `declare_rule!`); its code carries the name, default
/// level, scope and needs.
pub struct Rule {
    pub code: Code,
    /// When the rule sets another level itself: "error with remote access".
    pub level_note: Option<&'static str>,
    /// How `--fix` corrects its findings where it can: safe fixes with `--fix`, unsafe ones only
    /// with `--unsafe-fixes`. `None`: the rule never offers a fix.
    pub autofix: Option<Applicability>,
    pub check: Check,
    pub doc: Doc,
}

/// The fix applicability of a declaration that has one.
const fn autofix(declared: &[Applicability]) -> Option<Applicability> {
    match declared {
        [one] => Some(*one),
        _ => None,
    }
}

/// The note of a declaration that has one.
const fn level_note(note: &[&'static str]) -> Option<&'static str> {
    match note {
        [one] => Some(one),
        _ => None,
    }
}

/// The declarations at the index of their code. Fails the build when a declared code has no
/// line in the registry, or one code has two.
const fn by_code(listed: &[&'static Rule]) -> [&'static Rule; Code::ALL.len()] {
    let mut slots: [Option<&Rule>; Code::ALL.len()] = [None; Code::ALL.len()];
    let mut i = 0;
    while i < listed.len() {
        let at = listed[i].code as usize;
        assert!(slots[at].is_none(), "a code is registered twice");
        slots[at] = Some(listed[i]);
        i += 1;
    }
    let mut rules = [listed[0]; Code::ALL.len()];
    let mut i = 0;
    while i < rules.len() {
        match slots[i] {
            Some(rule) => rules[i] = rule,
            None => panic!("a rule under src/rules/ has no line in the registry"),
        }
        i += 1;
    }
    rules
}

/// A code's declaration.
pub fn rule(code: Code) -> &'static Rule {
    RULES[code as usize]
}

pub fn doc(code: Code) -> &'static Doc {
    &rule(code).doc
}

/// What `scslint explain` says of a code, section by section, trimmed as every output shows it.
pub struct Explanation {
    pub code: Code,
    pub summary: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
    pub example: &'static str,
}

impl Explanation {
    pub fn of(code: Code) -> Explanation {
        let d = doc(code);
        Explanation {
            code,
            summary: d.summary,
            what: d.what.trim(),
            why: d.why.trim(),
            fix: d.fix.trim(),
            example: d.example.trim_matches('\n'),
        }
    }

    /// The text, with `prose` applied to the title, summary, and what, why and how to fix it
    /// (wrapping them, say); the example is kept as written.
    pub fn text(&self, prose: &dyn Fn(&str) -> String) -> String {
        let code = self.code;
        let title = format!(
            "{code} {name} (default: {sev})",
            name = code.name(),
            sev = code.default_severity().as_str()
        );
        let fix = match autofix_note(code) {
            Some(note) => format!("{}\n{note}", self.fix),
            None => self.fix.to_owned(),
        };
        format!(
            "{title}\n{summary}\n\nWhat it catches\n{what}\n\nWhy it matters for AMT\n{why}\n\nHow to fix it\n{fix}\n\nExample\n{example}\n",
            title = prose(&title),
            summary = prose(self.summary),
            what = prose(self.what),
            why = prose(self.why),
            fix = prose(&fix),
            example = self.example,
        )
    }
}

/// What `scslint explain` adds about `--fix` for a rule that offers fixes.
pub fn autofix_note(code: Code) -> Option<&'static str> {
    Some(match rule(code).autofix? {
        Applicability::Safe => {
            "`scslint check --fix` makes this change itself where the file's layout allows (`--diff` shows it first)."
        }
        Applicability::Unsafe => {
            "`scslint check --fix --unsafe-fixes` makes this change itself (`--diff --unsafe-fixes` shows it first): it changes which networks count as home, so it is never applied without that flag."
        }
    })
}

/// The full text `scslint explain CODE` prints, unwrapped.
pub fn explain(code: Code) -> String {
    Explanation::of(code).text(&str::to_owned)
}

/// Everything a rule may look at. `'n` is the lifetime of the observed networks (and of what
/// the profiles checked against them share), `'a` that of the rest.
pub struct Context<'a, 'n> {
    pub profile: &'a Profile,
    /// `None` when no observed networks were given: network rules do not run.
    pub networks: Option<&'n [Network]>,
    pub external: &'a ExternalSuffixes,
    pub max_home_domains: usize,
    /// What `--dns` found; `None` without it, and DNS rules stay quiet.
    pub dns: Option<&'a DnsFacts>,
    /// The verdicts, computed once for all the rules that look at them (and shared through the
    /// memo with every profile of the same settings).
    verdicts: std::cell::OnceCell<Verdicts<'n>>,
    /// What one run works out once for all its profiles, when the caller keeps it.
    memo: Option<&'a Memo<'n>>,
}

/// Answers that depend on the detection settings or on one home-domain entry, and on the observed
/// networks, but not on the profile otherwise: shared by the profiles of one run, since thousands
/// of profiles repeat the same few lists.
#[derive(Default)]
pub struct Memo<'a> {
    /// The verdicts on every network, by [`verdict_key`].
    verdicts: Mutex<HashMap<String, Verdicts<'a>>>,
    /// The observed enterprise networks that hand out a domain.
    enterprise: std::sync::OnceLock<Arc<Vec<&'a Network>>>,
    /// What comparing an entry (normalised) with those networks found (SL102): matched, or the
    /// nearest observed suffix and the index of a network that sends it.
    fates: Mutex<HashMap<String, Fate>>,
    /// SL100's proposal (its help, and the entries its fix adds), by [`verdict_key`]: it depends
    /// on the networks left outside, which the verdicts decide.
    proposals: Mutex<HashMap<String, Proposal>>,
}

/// What comparing one home-domain entry with the enterprise networks found (SL102): `None` when
/// some network's option 15 falls under it; else the nearest observed suffix, if any, with the
/// index (in the observed networks) of a network that sends it.
type Fate = Option<Option<(String, usize)>>;

/// What SL100 advises adding: the help text, and the entries its fix adds.
pub type Proposal = (String, Vec<String>);

/// A profile's verdict on each network it is evaluated on, shared by profiles of equal settings.
type Verdicts<'n> = Arc<Vec<(&'n Network, Verdict)>>;

/// Everything a profile's verdicts depend on besides the networks: the algorithm, the IP mode,
/// the list as the firmware gets it with the file entry each comes from, and the IPv6 prefixes.
fn verdict_key(p: &Profile) -> Option<String> {
    let d = p.detection.as_ref()?;
    let mut key = format!(
        "{:?} {:?} {}",
        d.algorithm,
        p.effective_ip_mode(),
        d.written.is_some()
    );
    let firmware = d.settings().strings;
    for (i, s) in firmware.iter().enumerate() {
        key.push_str(&format!("\u{0}{}\u{0}{s}", d.file_index(i)));
    }
    key.push('\u{1}');
    for prefix in &d.ipv6_prefixes {
        key.push_str(prefix);
        key.push('\u{0}');
    }
    Some(key)
}

impl<'a, 'n> Context<'a, 'n> {
    pub fn new(
        profile: &'a Profile,
        networks: Option<&'n [Network]>,
        external: &'a ExternalSuffixes,
        max_home_domains: usize,
        dns: Option<&'a DnsFacts>,
    ) -> Self {
        Context {
            profile,
            networks,
            external,
            max_home_domains,
            dns,
            verdicts: std::cell::OnceCell::new(),
            memo: None,
        }
    }

    /// The observed enterprise networks that hand out a domain, in observed order.
    pub fn enterprise_with_domain(&self) -> Arc<Vec<&'n Network>> {
        let compute = || {
            Arc::new(
                self.networks
                    .unwrap_or_default()
                    .iter()
                    .filter(|n| n.is_enterprise() && n.has_domain())
                    .collect(),
            )
        };
        match self.memo {
            Some(memo) => memo.enterprise.get_or_init(compute).clone(),
            None => compute(),
        }
    }

    /// SL100's proposal for this profile: `compute`d once per distinct settings when a memo is
    /// shared, since it follows from the verdicts alone.
    pub fn proposal(&self, compute: impl FnOnce() -> Proposal) -> Proposal {
        let (Some(memo), Some(key)) = (self.memo, verdict_key(self.profile)) else {
            return compute();
        };
        if let Some(known) = memo
            .proposals
            .lock()
            .ok()
            .and_then(|m| m.get(&key).cloned())
        {
            return known;
        }
        let proposal = compute();
        if let Ok(mut m) = memo.proposals.lock() {
            m.insert(key, proposal.clone());
        }
        proposal
    }

    /// Share `memo` with the other profiles checked against the same networks.
    pub fn with_memo(mut self, memo: &'a Memo<'n>) -> Self {
        self.memo = Some(memo);
        self
    }

    pub fn finding(&self, code: Code, span: Span, message: impl Into<String>) -> Finding {
        Finding::new(code, &self.profile.source, span, message).profile(&self.profile.name)
    }

    pub fn detection(&self) -> Option<&'a Detection> {
        self.profile.detection.as_ref()
    }

    /// Networks with the verdict this profile gets on each, when detection can be modelled:
    /// networks were given, the profile manages detection, and the verdict is not "not evaluated".
    pub fn verdicts(&self) -> &[(&'n Network, Verdict)] {
        self.verdicts.get_or_init(|| {
            let compute = || {
                let networks = self.networks.unwrap_or_default();
                Arc::new(
                    networks
                        .iter()
                        .filter_map(|n| Some((n, self.profile.verdict(&n.attachment())?)))
                        .filter(|(_, v)| !matches!(v, Verdict::NotEvaluated(_)))
                        .collect::<Vec<_>>(),
                )
            };
            let (Some(memo), Some(key)) = (self.memo, verdict_key(self.profile)) else {
                return compute();
            };
            if let Some(known) = memo.verdicts.lock().ok().and_then(|m| m.get(&key).cloned()) {
                return known;
            }
            let verdicts = compute();
            if let Ok(mut m) = memo.verdicts.lock() {
                m.insert(key, verdicts.clone());
            }
            verdicts
        })
    }

    /// True when every home domain is a console placeholder: "always outside" is the intent.
    pub fn placeholder_only(&self) -> bool {
        self.detection().is_some_and(|d| {
            d.written.as_ref().is_some_and(|w| w.placeholder)
                || (!d.strings.is_empty()
                    && d.strings.iter().all(|s| crate::dns_name::is_placeholder(s)))
        })
    }

    /// The enterprise networks with a domain where this profile leaves AMT outside (none when
    /// the list is only a placeholder: outside is then the intent). SL100 reports them; SL102
    /// stays quiet where SL100 speaks.
    pub fn enterprise_outside(&self) -> Vec<&'n Network> {
        if self.placeholder_only() {
            return Vec::new();
        }
        self.verdicts()
            .iter()
            .filter(|(n, v)| n.is_enterprise() && n.has_domain() && v.is_outside())
            .map(|(n, _)| *n)
            .collect()
    }

    /// The list as the firmware would get it from `entries` through this profile's console.
    fn firmware_list(&self, entries: &[String]) -> Vec<String> {
        match self.profile.kind {
            ProfileKind::MeshCentral => crate::profile::meshcentral::written(entries).strings,
            _ => entries.to_vec(),
        }
    }

    /// `applicability`, or unsafe when the firmware would get an entry it does not get now
    /// (besides `added`): MeshCentral keeps 4 entries, so one removed lets a fifth in.
    fn applicability_of(
        &self,
        d: &Detection,
        after: &[String],
        added: &[String],
        applicability: Applicability,
    ) -> Applicability {
        let before = self.firmware_list(&d.strings);
        let gains = self
            .firmware_list(after)
            .into_iter()
            .any(|e| !before.contains(&e) && !added.contains(&e));
        if gains {
            Applicability::Unsafe
        } else {
            applicability
        }
    }

    /// A fix writing `value` in place of entry `entry`.
    pub fn replace_fix(&self, entry: usize, value: &str, message: String) -> Option<Fix> {
        let d = self.detection()?;
        let edit = d
            .layout
            .as_ref()?
            .replace(&self.profile.source.text, entry, value)?;
        let mut after = d.strings.clone();
        *after.get_mut(entry)? = value.to_owned();
        let applicability =
            self.applicability_of(d, &after, &[value.to_owned()], Applicability::Safe);
        Some(Fix::new(applicability, message, vec![edit]))
    }

    /// A fix removing entry `entry` (never the list's last one).
    pub fn remove_fix(
        &self,
        entry: usize,
        applicability: Applicability,
        message: String,
    ) -> Option<Fix> {
        let d = self.detection()?;
        let edit = d
            .layout
            .as_ref()?
            .remove(&self.profile.source.text, entry)?;
        let mut after = d.strings.clone();
        if entry >= after.len() {
            return None;
        }
        after.remove(entry);
        let applicability = self.applicability_of(d, &after, &[], applicability);
        Some(Fix::new(applicability, message, vec![edit]).isolated(d.span.start))
    }

    /// An unsafe fix adding `values` at the end of the list; `None` when the console would drop
    /// one of them (MeshCentral past 4 entries).
    pub fn append_fix(&self, values: &[String], message: String) -> Option<Fix> {
        let d = self.detection()?;
        let edit = d
            .layout
            .as_ref()?
            .append(&self.profile.source.text, values)?;
        let mut after = d.strings.clone();
        after.extend(values.iter().cloned());
        let written = self.firmware_list(&after);
        if !values.iter().all(|v| written.contains(v)) {
            return None;
        }
        Some(Fix::new(Applicability::Unsafe, message, vec![edit]).isolated(d.span.start))
    }

    /// Attach the network's definition in observed.toml to a finding.
    pub fn with_network(&self, f: Finding, n: &Network) -> Finding {
        self.with_networks(f, &[n])
    }

    /// Attach every network a grouped finding is about: their names, and where each was observed
    /// (the first [`MAX_RELATED_NETWORKS`]; the last one shown says how many more there are).
    pub fn with_networks(&self, f: Finding, networks: &[&Network]) -> Finding {
        let mut f = f.networks(networks.iter().map(|n| &n.name));
        let shown = networks.len().min(MAX_RELATED_NETWORKS);
        for (i, n) in networks[..shown].iter().enumerate() {
            let mut label = match networks {
                [_] => format!("network `{}` observed here", n.name),
                _ => format!("network {} observed here", n.describe()),
            };
            if i + 1 == shown && networks.len() > shown {
                label.push_str(&format!(
                    "; {} more networks are not shown",
                    networks.len() - shown
                ));
            }
            f = f.related_at(n.location.clone(), label);
        }
        f
    }
}

/// How many networks a grouped finding points at in observed.toml; its `networks` names them all.
pub const MAX_RELATED_NETWORKS: usize = 20;

/// How many names a message lists before "and N more".
pub const MAX_NAMED: usize = 5;

/// One network as [`Network::describe`] puts it; several as their names (up to [`MAX_NAMED`])
/// with the hosts they hold together: "`a`, `b` and 3 more (1200 hosts)".
pub fn describe_networks(networks: &[&Network]) -> String {
    if let [one] = networks {
        return one.describe();
    }
    let names = name_list(networks.iter().map(|n| &n.name), MAX_NAMED);
    let known: u64 = networks.iter().filter_map(|n| n.hosts).sum();
    let unknown = networks.iter().filter(|n| n.hosts.is_none()).count();
    let hosts = |n: u64| format!("{n} host{}", if n == 1 { "" } else { "s" });
    let count = match unknown {
        0 => hosts(known),
        u if u == networks.len() => "host counts unknown".to_owned(),
        1 => format!("at least {}; 1 network has no host count", hosts(known)),
        u => format!("at least {}; {u} networks have no host count", hosts(known)),
    };
    format!("{names} ({count})")
}

/// Everything a host rule may look at.
pub struct HostContext<'a> {
    pub host: &'a Host,
    /// How the host is named in messages: host name, FQDN, or where it was reported.
    pub name: String,
    /// The network the host was attributed to, if any.
    pub network: Option<&'a Network>,
    /// Where host findings point: the agent report, or the host's table in a snapshot.
    pub location: Location,
    /// What `--dns` found; `None` without it, and DNS rules stay quiet.
    pub dns: Option<&'a DnsFacts>,
}

impl HostContext<'_> {
    pub fn finding(&self, code: Code, message: impl Into<String>) -> Finding {
        Finding::at(code, self.location.clone(), message).host(&self.name)
    }

    /// The device's FQDN as Intel SCS builds it by default (host name + primary DNS suffix).
    pub fn fqdn(&self) -> Option<String> {
        self.host.device_fqdn(&FqdnSource::default())
    }
}

/// Run every profile rule on one profile.
pub fn run(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for &code in Code::ALL {
        if code.needs_networks() && ctx.networks.is_none() {
            continue;
        }
        if let Check::Profile(check) = rule(code).check {
            check(ctx, &mut out);
        }
    }
    out
}

/// What the probe rules look at: one device's ladder results, and the profile it should carry
/// with that profile's verdict on the device's network.
pub struct ProbeContext<'a> {
    pub report: &'a crate::probe::Report,
    pub target: &'a crate::probe::Target,
    pub profile: Option<&'a Profile>,
    /// The profile's verdict on the device's network, when both are known.
    pub prediction: Option<Verdict>,
    /// Where findings without a profile point.
    pub location: Location,
}

impl ProbeContext<'_> {
    /// A finding at the profile's home-domain list when there is a profile, else at the target.
    pub fn finding(&self, code: Code, message: impl Into<String>) -> Finding {
        let f = match self.profile {
            Some(p) => {
                let span = p
                    .detection
                    .as_ref()
                    .map_or(p.span.clone(), |d| d.span.clone());
                Finding::new(code, &p.source, span, message).profile(&p.name)
            }
            None => Finding::at(code, self.location.clone(), message),
        };
        let f = f.host(&self.report.target);
        match self.target.network.as_ref() {
            Some(n) => f.network(&n.name),
            None => f,
        }
    }

    /// The option 15 of the device's network.
    pub fn suffix(&self) -> Option<&str> {
        self.target.network.as_ref()?.suffix.as_deref()
    }
}

/// Run every probe rule on one device.
pub fn run_probe(ctx: &ProbeContext) -> Vec<Finding> {
    let mut out = Vec::new();
    for &code in Code::ALL {
        if let Check::Probe(check) = rule(code).check {
            check(ctx, &mut out);
        }
    }
    out
}

/// Run every host rule on one host.
pub fn run_host(ctx: &HostContext) -> Vec<Finding> {
    let mut out = Vec::new();
    for &code in Code::ALL {
        if let Check::Host(check, _) = rule(code).check {
            check(ctx, &mut out);
        }
    }
    out
}

/// Hosts whose reports a grouped host finding lists as related locations.
pub const HOST_LOCATIONS: usize = 20;

/// One host's finding, with what grouping needs: the host's name and its network.
pub struct HostFinding<'a> {
    pub finding: Finding,
    pub host: String,
    pub network: Option<&'a Network>,
}

/// Host findings as reported: one per (code, network), naming its hosts (up to
/// [`HOSTS_NAMED`], then how many more), at the network's definition, with each host's report as a
/// related location (up to [`HOST_LOCATIONS`]) labelled with the host rule's per-host detail. Hosts without a network group together per code.
/// The group key keeps the fingerprint when hosts join or leave.
pub fn group_host_findings(found: Vec<HostFinding>) -> Vec<Finding> {
    let mut groups: BTreeMap<(Code, Option<String>), Vec<HostFinding>> = BTreeMap::new();
    for f in found {
        let key = (f.finding.code, f.network.map(|n| n.name.clone()));
        groups.entry(key).or_default().push(f);
    }
    groups.into_values().map(group).collect()
}

fn group(mut members: Vec<HostFinding>) -> Finding {
    members.sort_by_cached_key(|m| (m.host.clone(), m.finding.sort_key()));
    let first = &members[0];
    let code = first.finding.code;
    let network = first.network;
    let names: Vec<&str> = members.iter().map(|m| m.host.as_str()).collect();
    let place = match network {
        Some(n) => format!("on network {}", n.describe()),
        None => "in no observed network".to_owned(),
    };
    let message = match &members[..] {
        [one] => one.finding.message.clone(),
        _ => format!(
            "{} hosts {place}: {}: {}",
            members.len(),
            host_group_phrase(code),
            name_list(&names, HOSTS_NAMED)
        ),
    };
    // The network's definition, which stays put as hosts join: a stable fingerprint.
    let location = network.map_or_else(|| first.finding.location.clone(), |n| n.location.clone());
    let key = match network {
        Some(n) => format!("hosts on {}", n.name),
        None => "hosts in no network".to_owned(),
    };
    let mut f = Finding::at(code, location, message)
        .severity(first.finding.severity)
        .hosts(&names)
        .group_key(key);
    f.help = first.finding.help.clone();
    if let Some(n) = network {
        f = f.network(&n.name);
    }
    for m in members.iter().take(HOST_LOCATIONS) {
        let detail = m.finding.label.as_deref().unwrap_or("reported here");
        f = f.related_at(
            m.finding.location.clone(),
            format!("`{}`: {detail}", m.host),
        );
    }
    f
}

/// What a grouped finding says of its hosts: the host rule's phrase (SL054 comes from the FQDN
/// lookups of SL202 and SL205).
fn host_group_phrase(code: Code) -> &'static str {
    match rule(code).check {
        Check::Host(_, phrase) => phrase,
        _ if code == Code::SL054 => "the lookup of their device FQDN got no answer",
        _ => doc(code).summary,
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Build profiles and networks from short literals for rule tests.
    use super::*;
    use crate::envdetect::{Algorithm, IpMode};
    use crate::observe::Trust;
    use crate::profile::{ProfileKind, RemoteAccess};
    use crate::source::{Encoding, SourceFile, Spanned};

    pub fn profile(entries: &[&str]) -> Profile {
        profile_with(entries, Algorithm::LocalDomains)
    }

    pub fn profile_with(entries: &[&str], algorithm: Algorithm) -> Profile {
        // Lay the entries out one per line so each has a real span.
        let text: String = entries.iter().map(|e| format!("{e}\n")).collect();
        let source = SourceFile::new("p.xml", text, Encoding::Utf8);
        let mut spans = Vec::new();
        let mut at = 0;
        for e in entries {
            spans.push(at..at + e.len());
            at += e.len() + 1;
        }
        Profile {
            name: "p".into(),
            kind: ProfileKind::Scs,
            source,
            span: 0..0,
            detection: Some(Detection {
                algorithm,
                strings: entries.iter().map(|s| s.to_string()).collect(),
                string_spans: spans,
                ipv6_prefixes: vec![],
                prefix_spans: vec![],
                span: 0..at,
                written: None,
                layout: None,
            }),
            remote_access: None,
            ip_mode: None,
            ip_sync: None,
            fqdn_source: None,
            shared_fqdn: None,
            suppressions: Vec::new(),
        }
    }

    /// A MeshCentral profile: the list as MeshCentral writes it is what the firmware gets.
    pub fn meshcentral(entries: &[&str]) -> Profile {
        let mut p = profile(entries);
        p.kind = ProfileKind::MeshCentral;
        if let Some(d) = p.detection.as_mut() {
            d.written = Some(crate::profile::meshcentral::written(&d.strings));
        }
        p
    }

    pub fn with_remote_access(mut p: Profile) -> Profile {
        p.remote_access = Some(RemoteAccess {
            mps_servers: vec![Spanned::new("mps.company.com".into(), 0..0)],
            policies: vec![],
        });
        p
    }

    pub fn with_static_ip(mut p: Profile) -> Profile {
        p.ip_mode = Some(Spanned::new(IpMode::Static, 0..0));
        p
    }

    pub fn net(name: &str, suffix: Option<&str>, trust: Trust) -> Network {
        Network {
            name: name.into(),
            suffix: suffix.map(str::to_owned),
            search_v6: vec![],
            trust,
            trust_origin: crate::observe::TrustOrigin::Declared,
            kind: crate::observe::NetworkKind::Lan,
            forced_external: None,
            site: None,
            hosts: Some(10),
            ipv6_prefixes: vec![],
            ranges: vec![],
            sources: vec![],
            location: crate::diagnostic::Location::Span {
                source: SourceFile::new(
                    "observed.toml",
                    format!("name = \"{name}\""),
                    Encoding::Utf8,
                ),
                span: 7..9 + name.len(),
            },
        }
    }

    /// Findings of `code` for this profile and these networks.
    pub fn run_rule(code: Code, p: &Profile, networks: Option<&[Network]>) -> Vec<Finding> {
        run_rule_with(code, p, networks, None)
    }

    /// Findings of `code` with what `--dns` found.
    pub fn run_rule_dns(
        code: Code,
        p: &Profile,
        networks: Option<&[Network]>,
        facts: &DnsFacts,
    ) -> Vec<Finding> {
        run_rule_with(code, p, networks, Some(facts))
    }

    fn run_rule_with(
        code: Code,
        p: &Profile,
        networks: Option<&[Network]>,
        dns: Option<&DnsFacts>,
    ) -> Vec<Finding> {
        let external = ExternalSuffixes::new(["guest.company.com"]);
        let ctx = Context::new(p, networks, &external, 5, dns);
        let mut out = Vec::new();
        if let Check::Profile(check) = rule(code).check {
            check(&ctx, &mut out);
        }
        out
    }

    pub fn host(edit: impl FnOnce(&mut Host)) -> Host {
        let mut h = Host::default();
        edit(&mut h);
        h
    }

    /// Findings of host rule `code` for this host on this network.
    pub fn run_host_rule(code: Code, h: &Host, network: Option<&Network>) -> Vec<Finding> {
        run_host_rule_with(code, h, network, None)
    }

    /// Findings of host rule `code` with what `--dns` found.
    pub fn run_host_rule_dns(code: Code, h: &Host, facts: &DnsFacts) -> Vec<Finding> {
        run_host_rule_with(code, h, None, Some(facts))
    }

    /// DNS facts holding one address answer.
    pub fn facts_with_address(fqdn: &str, answer: crate::observe::dns::Answer) -> DnsFacts {
        let mut facts = DnsFacts::default();
        facts.insert_address(fqdn, answer);
        facts
    }

    fn run_host_rule_with(
        code: Code,
        h: &Host,
        network: Option<&Network>,
        dns: Option<&DnsFacts>,
    ) -> Vec<Finding> {
        let ctx = HostContext {
            host: h,
            name: "pc0423".into(),
            network,
            location: Location::File {
                path: "agents/pc0423.txt".into(),
                line: 1,
                column: 1,
            },
            dns,
        };
        let mut out = Vec::new();
        if let Check::Host(check, _) = rule(code).check {
            check(&ctx, &mut out);
        }
        out
    }

    /// The profile a reader makes of `text` (named `name`, whose extension does not matter).
    pub fn read(name: &str, text: &str) -> Profile {
        let source = SourceFile::new(name, text.to_owned(), Encoding::Utf8);
        let out =
            crate::profile::read_source(&source, true, &crate::profile::ScsMapping::shipped());
        out.profiles.into_iter().next().expect("a profile")
    }

    /// `text` with the fix of `finding` applied.
    pub fn fixed(p: &Profile, finding: &Finding) -> String {
        let fix = finding.fix.as_ref().expect("a fix");
        crate::fix::apply(&p.source.text, [fix])
            .expect("applies")
            .text
    }

    pub fn entries_flagged(code: Code, entries: &[&str]) -> Vec<String> {
        let p = profile(entries);
        run_rule(code, &p, None)
            .into_iter()
            .filter_map(|f| f.home_domain)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_of_equal_settings_share_their_verdicts_and_others_do_not() {
        use crate::envdetect::IpMode;
        use crate::observe::Trust;
        use crate::source::Spanned;
        use test_support::{net, profile};
        let networks = [
            net("hq", Some("company.com"), Trust::Enterprise),
            net("hotel", Some("hotel.example"), Trust::External),
        ];
        let external = ExternalSuffixes::default();
        let memo = Memo::default();
        let verdicts = |p: &Profile| {
            let ctx = Context::new(p, Some(&networks), &external, 5, None).with_memo(&memo);
            ctx.verdicts();
            ctx.verdicts.get().cloned().unwrap()
        };
        let (a, b) = (profile(&["company.com"]), profile(&["company.com"]));
        let (va, vb) = (verdicts(&a), verdicts(&b));
        assert!(
            Arc::ptr_eq(&va, &vb),
            "the second profile reuses the first one's verdicts"
        );
        assert!(va[0].1.is_inside() && !va[1].1.is_inside());

        let other = verdicts(&profile(&["ad.company.local"]));
        assert!(!Arc::ptr_eq(&va, &other) && !other[0].1.is_inside());
        let mut fixed = profile(&["company.com"]);
        fixed.ip_mode = Some(Spanned::new(IpMode::Static, 0..0));
        assert!(
            verdicts(&fixed).is_empty(),
            "static IP: nothing evaluated, not hq's verdicts"
        );
        // Without the memo the same verdicts are computed.
        let alone = Context::new(&a, Some(&networks), &external, 5, None);
        let names = |v: &[(&Network, Verdict)]| -> Vec<(String, Verdict)> {
            v.iter().map(|(n, v)| (n.name.clone(), v.clone())).collect()
        };
        assert_eq!(names(alone.verdicts()), names(&va));
    }

    #[test]
    fn rules_whose_verdict_follows_firmware_and_consoles_cite_their_source() {
        use Code::*;
        for code in [
            SL001, SL002, SL003, SL004, SL005, SL008, SL009, SL011, SL100, SL101, SL102, SL104,
            SL300, SL302, SL305,
        ] {
            assert!(explain(code).contains("\nSource: "), "{code}");
        }
    }

    #[test]
    fn device_and_agent_rules_cite_their_source_and_in_place_remedies() {
        for code in [
            Code::SL200,
            Code::SL201,
            Code::SL202,
            Code::SL204,
            Code::SL205,
            Code::SL304,
        ] {
            assert!(explain(code).contains("\nSource: "), "{code}");
        }
        for code in [Code::SL200, Code::SL201] {
            let text = explain(code);
            for words in [
                "WS-Management Put of `AMT_EnvironmentDetectionSettingData`",
                "rpc-go's configure command",
                "re-provisioning",
                "only when no console reaches the ME",
            ] {
                assert!(text.contains(words), "{code}: {words}");
            }
        }
    }

    fn found<'a>(code: Code, host: &str, network: Option<&'a Network>) -> HostFinding<'a> {
        let location = Location::File {
            path: format!("agents/{host}.txt").into(),
            line: 1,
            column: 1,
        };
        HostFinding {
            finding: Finding::at(code, location, format!("`{host}` is wrong"))
                .host(host)
                .label("detail"),
            host: host.to_owned(),
            network,
        }
    }

    #[test]
    fn host_findings_are_grouped_per_code_and_network() {
        use crate::observe::Trust::Enterprise;
        let hq = test_support::net("hq", Some("company.com"), Enterprise);
        let lab = test_support::net("lab", Some("lab.company.com"), Enterprise);
        let mut input: Vec<HostFinding> = (0..25)
            .map(|i| found(Code::SL200, &format!("pc{i:02}"), Some(&hq)))
            .collect();
        input.push(found(Code::SL201, "pc00", Some(&hq)));
        input.push(found(Code::SL200, "lab1", Some(&lab)));
        input.push(found(Code::SL203, "x1", None));
        input.push(found(Code::SL203, "x2", None));
        let out = group_host_findings(input);
        assert_eq!(out.len(), 4, "{out:#?}");
        let big = &out[0];
        assert_eq!(
            (big.code, big.network.as_deref()),
            (Code::SL200, Some("hq"))
        );
        assert_eq!(big.hosts.len(), 25);
        assert_eq!(big.host, None);
        assert!(
            big.message.starts_with("25 hosts on network `hq`")
                && big
                    .message
                    .ends_with("`pc00`, `pc01`, `pc02`, `pc03`, `pc04` and 20 more"),
            "{}",
            big.message
        );
        assert_eq!(big.related.len(), HOST_LOCATIONS);
        assert_eq!(big.related[0].label, "`pc00`: detail");
        assert_eq!(big.path(), hq.location.path());
        // A lone host keeps its own message; hosts in no network group together.
        let lone = out
            .iter()
            .find(|f| f.network.as_deref() == Some("lab"))
            .unwrap();
        assert_eq!(
            (lone.message.as_str(), lone.host.as_deref()),
            ("`lab1` is wrong", Some("lab1"))
        );
        let none = out.iter().find(|f| f.code == Code::SL203).unwrap();
        assert_eq!(none.hosts, ["x1", "x2"]);
        assert!(none.message.starts_with("2 hosts in no observed network"));
    }

    #[test]
    fn a_grouped_host_finding_keeps_its_fingerprint_when_a_host_joins() {
        use crate::observe::Trust::Enterprise;
        let hq = test_support::net("hq", Some("company.com"), Enterprise);
        let one = group_host_findings(vec![found(Code::SL201, "pc1", Some(&hq))]);
        let two = group_host_findings(vec![
            found(Code::SL201, "pc0", Some(&hq)),
            found(Code::SL201, "pc1", Some(&hq)),
        ]);
        assert_ne!(one[0].message, two[0].message);
        assert_eq!(one[0].fingerprint(), two[0].fingerprint());
    }

    /// One declaration per code, checked the way cargo-deny checks its advisory database: codes
    /// and names unique, names in kebab case and naming their file, codes in order, every part of
    /// the explain text written.
    #[test]
    fn codes_unique() {
        let mut codes = std::collections::BTreeSet::new();
        let mut names = std::collections::BTreeSet::new();
        for &code in Code::ALL {
            let name = code.name();
            assert!(codes.insert(code.as_str()), "{code} is declared twice");
            assert!(
                names.insert(name),
                "{code}: `{name}` names another rule too"
            );
            let kebab = name.split('-').all(|word| {
                word.starts_with(|c: char| c.is_ascii_lowercase())
                    && word
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
            assert!(kebab, "{code}: `{name}` is not kebab-case");
            assert_eq!(
                code.declared_in(),
                format!("src/rules/{}.rs", name.replace('-', "_")),
                "{code}"
            );
            assert_eq!(rule(code).code, code, "the registry puts {code} elsewhere");
            let d = doc(code);
            for (part, text) in [
                ("summary", d.summary),
                ("what", d.what),
                ("why", d.why),
                ("fix", d.fix),
                ("example", d.example),
            ] {
                assert!(text.trim().len() > 20, "{code}: {part} is too thin");
            }
            assert!(!d.summary.contains('\n'), "{code}: the summary is one line");
            let text = explain(code);
            assert!(text.starts_with(code.as_str()) && text.contains(name));
        }
        assert!(Code::ALL.is_sorted(), "codes are listed in order");
        assert_eq!(Code::ALL.len(), RULES.len());
    }

    #[test]
    fn a_rule_has_the_check_its_scope_calls_for() {
        use crate::diagnostic::Scope;
        for &code in Code::ALL {
            let check = rule(code).check;
            // SL012 is a profile's, but the SCS reader raises it when no home-domain path matches.
            let fits = match code.scope() {
                _ if code == Code::SL012 => matches!(check, Check::Raised),
                Scope::Profile | Scope::Network => matches!(check, Check::Profile(_)),
                Scope::Host => matches!(check, Check::Host(..)),
                Scope::Probe => matches!(check, Check::Probe(_)),
                Scope::Input | Scope::Suppression => matches!(check, Check::Raised),
            };
            assert!(
                fits,
                "{code}: a {:?} rule with another kind of check",
                code.scope()
            );
            let needs = code.needs();
            assert_eq!(needs.probe, code.scope() == Scope::Probe, "{code}");
            assert!(!needs.networks || code.scope() == Scope::Network, "{code}");
        }
    }

    #[test]
    fn what_each_code_needs_and_is() {
        use Code::*;
        let with = |pick: fn(Code) -> bool| -> Vec<Code> {
            Code::ALL.iter().copied().filter(|&c| pick(c)).collect()
        };
        assert_eq!(with(Code::needs_dns), [SL054, SL105, SL202, SL205]);
        assert_eq!(
            with(Code::needs_networks),
            [SL100, SL101, SL102, SL103, SL104]
        );
        assert_eq!(with(Code::is_input_problem), [SL050, SL051, SL052, SL053]);
        assert_eq!(
            with(|c| !c.suppressible()),
            [SL050, SL051, SL052, SL053, SL900, SL901]
        );
    }
}
