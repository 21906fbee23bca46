//! `scslint probe`: the live ladder per device (DNS, RMCP, TCP ports, HTTP banner, WS-Man,
//! redirection, TLS, and with credentials the live settings), run concurrently under limits.
//! Wire formats live in the step modules; verdicts here; findings in rules/.

pub mod http;
pub mod redirection;
pub mod rmcp;
pub mod target;
pub mod tcp;
pub mod tls;
pub mod wsman;

use serde::Serialize;
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tcp::PortState;

/// The ports AMT listens on: HTTP, HTTPS, redirection, redirection over TLS.
pub const AMT_PORTS: [u16; 4] = [16992, 16993, 16994, 16995];

/// The TCP ports `--ports` may choose among: AMT's four, and 623 and 664, the ASF/RMCP ports
/// (IANA `asf-rmcp`, `asf-secure-rmcp`) on which DASH serves WS-Management over TCP.
pub const SELECTABLE_PORTS: [u16; 6] = [16992, 16993, 16994, 16995, 623, 664];

/// One `--ports` entry: a port of [`SELECTABLE_PORTS`], nothing else.
pub fn parse_port(raw: &str) -> Result<u16, String> {
    raw.trim()
        .parse::<u16>()
        .ok()
        .filter(|p| SELECTABLE_PORTS.contains(p))
        .ok_or_else(|| {
            let allowed: Vec<String> = SELECTABLE_PORTS.iter().map(u16::to_string).collect();
            format!(
                "`{raw}` is not a port scslint probes; choose among {}",
                allowed.join(", ")
            )
        })
}

/// The TCP ports to connect to: those chosen with `--ports`, in their order without repeats,
/// else 16992 and 16993 for `--ports-only` sweeps and all four AMT ports for the full ladder.
pub fn tcp_ports(chosen: &[u16], ports_only: bool) -> Vec<u16> {
    if chosen.is_empty() {
        let all = if ports_only {
            &AMT_PORTS[..2]
        } else {
            &AMT_PORTS
        };
        return all.to_vec();
    }
    let mut ports = Vec::new();
    for &p in chosen {
        if !ports.contains(&p) {
            ports.push(p);
        }
    }
    ports
}

/// How the ladder runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Each step's own time limit.
    pub timeout: Duration,
    /// Targets in flight at once.
    pub concurrency: usize,
    /// New targets started per second, when limited.
    pub rate: Option<u32>,
    /// Only the TCP connects, no RMCP and no step above them.
    pub ports_only: bool,
    /// The TCP ports connected to ([`tcp_ports`]).
    pub ports: Vec<u16>,
    /// UDP port of the RMCP presence ping (623 on real devices).
    pub rmcp_port: u16,
    pub credentials: Option<wsman::Credentials>,
}

/// One device to probe, with what is known about it beforehand.
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// As given: a name, an address, or a snapshot host's name.
    pub label: String,
    /// The address probed; `None` when the name did not resolve.
    pub address: Option<IpAddr>,
    /// The name used for HTTP Host and TLS: the FQDN when known.
    pub fqdn: Option<String>,
    /// The DNS step, for named targets.
    pub dns: Option<DnsStep>,
    /// The ME's address as an agent reported it (snapshot).
    pub me_ip: Option<Ipv4Addr>,
    /// The option 15 of the network the device is on (snapshot), for the prediction.
    pub network: Option<NetworkRef>,
    /// Why it is a target.
    pub origin: Origin,
}

/// Why an address is probed: each target was asked for, one way or another.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Origin {
    /// Named on the command line: an address or a host name.
    #[default]
    CommandLine,
    /// An address of the range (as probed, `10.1.4.0/24`) given with `--allow-range`.
    Range(String),
    /// A snapshot host, at the ME address it reported.
    SnapshotMe,
    /// A snapshot host without an ME address, at its OS address (`--os-address`).
    SnapshotOs,
}

impl Origin {
    /// `command-line`, `range` or `snapshot`, as JSON names it.
    pub fn kind(&self) -> &'static str {
        match self {
            Origin::CommandLine => "command-line",
            Origin::Range(_) => "range",
            Origin::SnapshotMe | Origin::SnapshotOs => "snapshot",
        }
    }

    /// Why the target is probed, in words.
    pub fn why(&self) -> String {
        match self {
            Origin::CommandLine => "named on the command line".into(),
            Origin::Range(block) => format!("in the range {block} (--allow-range)"),
            Origin::SnapshotMe => "snapshot host, at its ME address".into(),
            Origin::SnapshotOs => {
                "snapshot host without an ME address, at its OS address (--os-address)".into()
            }
        }
    }

    pub fn is_snapshot(&self) -> bool {
        matches!(self, Origin::SnapshotMe | Origin::SnapshotOs)
    }
}

/// The device's network as a snapshot knows it.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkRef {
    pub name: String,
    pub suffix: Option<String>,
    /// DHCPv6 option 24 of the network, for the verdict; not part of the report.
    #[serde(skip)]
    pub search_v6: Vec<String>,
}

impl NetworkRef {
    /// What a device on this network gets, as the verdict engine reads it.
    pub fn attachment(&self) -> crate::envdetect::Attachment<'_> {
        crate::envdetect::Attachment {
            option15: self.suffix.as_deref(),
            option24: &self.search_v6,
            ipv6_prefixes: &[],
        }
    }
}

/// What DNS said about a named target.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DnsStep {
    pub addresses: Vec<String>,
    /// NXDOMAIN, "no address", timeout, SERVFAIL … when no address came back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The RMCP step as reported: present only when a pong came back.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RmcpStep {
    pub answered: bool,
    pub amt_version: Option<String>,
    pub provisioning: Option<rmcp::Provisioning>,
    pub port: Option<u16>,
    /// The pong's both-ports bit (byte 19 bit 2): 16992 and 16993 are both open.
    pub both_ports: bool,
}

impl RmcpStep {
    /// The ports the pong advertises: both, the one named, or none (AMT not set up).
    pub fn open_ports(&self) -> Vec<u16> {
        rmcp::open_ports(self.port, self.both_ports)
    }

    /// The pong advertises 16993 alone: a TLS-only device, on which a closed 16992 is normal.
    pub fn tls_only(&self) -> bool {
        self.open_ports() == [16993]
    }
}

/// What the probe found at a target, reported as its `verdict` (named apart from the
/// environment-detection verdict the profile predicts, `envdetect::Verdict`).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Reachability {
    /// The ME answers on its ports.
    AmtReachable,
    /// The ME is there (RMCP answers) but the ports probed refuse or time out.
    AmtClosed,
    /// Something other than an ME answers on 16992.
    NotAmt,
    /// A port accepts connections, but nothing showed what listens there: `--ports-only` asked
    /// nothing further, or what accepted never said it is an ME.
    PortsOpen,
    /// No ME answered and no port accepted (a refused port means the host is there with
    /// nothing listening).
    Unreachable,
}

impl Reachability {
    /// The name in reports: `amt-reachable`, `amt-closed`, `not-amt`, `ports-open`,
    /// `unreachable`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reachability::AmtReachable => "amt-reachable",
            Reachability::AmtClosed => "amt-closed",
            Reachability::NotAmt => "not-amt",
            Reachability::PortsOpen => "ports-open",
            Reachability::Unreachable => "unreachable",
        }
    }

    /// Every verdict, in the order summaries count them.
    pub const ALL: [Reachability; 5] = [
        Reachability::AmtReachable,
        Reachability::AmtClosed,
        Reachability::PortsOpen,
        Reachability::NotAmt,
        Reachability::Unreachable,
    ];
}

/// Everything the ladder found for one target; `None` for a step that gave nothing.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub target: String,
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns: Option<DnsStep>,
    pub ports: BTreeMap<String, PortState>,
    pub rmcp: Option<RmcpStep>,
    pub http: Option<http::HttpInfo>,
    pub wsman: Option<wsman::Identify>,
    pub redirection: Option<redirection::Redirection>,
    pub tls: Option<tls::TlsOutcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<Live>,
    pub verdict: Reachability,
    /// Steps that went wrong in a way worth saying (HTTP garbage, credentials refused …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// What the ME says about itself when asked with credentials.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Live {
    pub detection: Option<wsman::LiveDetection>,
    pub ethernet: Option<wsman::EthernetPort>,
    pub general: Option<wsman::General>,
}

impl Report {
    fn new(target: &Target) -> Report {
        Report {
            target: target.label.clone(),
            address: target.address.map(|a| a.to_string()),
            dns: target.dns.clone(),
            ports: BTreeMap::new(),
            rmcp: None,
            http: None,
            wsman: None,
            redirection: None,
            tls: None,
            live: None,
            verdict: Reachability::Unreachable,
            notes: Vec::new(),
        }
    }

    pub fn port(&self, port: u16) -> Option<PortState> {
        self.ports.get(&port.to_string()).copied()
    }

    /// Something at the address answered: a port accepted or refused (the OS sends the reset),
    /// or the ME's RMCP answered.
    pub fn host_answers(&self) -> bool {
        self.ports
            .values()
            .any(|p| matches!(p, PortState::Open | PortState::Refused))
            || self.rmcp.is_some()
    }

    /// The ME answered on one of its ports.
    pub fn me_answers(&self) -> bool {
        self.verdict == Reachability::AmtReachable
    }
}

/// Evidence other than the `Server:` header that an Intel ME is at the address: an RMCP pong
/// (only Intel's OEM IANA 343 is accepted as one), or a WS-Man Identify naming Intel as the
/// vendor, or a 401 whose Digest realm has AMT's `Digest:<32 hex>` shape.
fn amt_evidence(r: &Report) -> Option<&'static str> {
    if r.rmcp.is_some() {
        return Some("the RMCP pong (Intel IANA 343)");
    }
    match &r.wsman {
        Some(id) if id.is_amt() => Some("the WS-Man Identify answer"),
        _ => None,
    }
}

impl Report {
    /// Whether the `Server:` header on 16992 is Intel AMT's; `None` without one.
    fn banner_is_amt(&self) -> Option<bool> {
        let server = self.http.as_ref()?.server.as_deref()?;
        Some(http::is_amt_server(server))
    }

    /// What shows an Intel ME at the address, in words; `None` when nothing does. Intel's
    /// banner; else the RMCP pong or an Intel WS-Man answer, which outweigh another banner
    /// (scanners' fingerprints, nmap's, know AMT answering with other `Server:` values); else,
    /// without any banner, WS-Man or the redirection handshake answering as AMT's do.
    pub fn me_evidence(&self) -> Option<&'static str> {
        match self.banner_is_amt() {
            Some(true) => Some("Intel AMT's `Server:` banner on 16992"),
            Some(false) => amt_evidence(self),
            None => amt_evidence(self).or_else(|| {
                if self
                    .wsman
                    .as_ref()
                    .is_some_and(wsman::Identify::wsman_alive)
                {
                    Some("WS-Man on 16992")
                } else if self.redirection.as_ref().is_some_and(|x| x.status == 0) {
                    Some("the redirection handshake on 16994")
                } else {
                    None
                }
            }),
        }
    }
}

/// The verdict from the steps' results.
fn verdict(r: &Report) -> Reachability {
    let evidence = r.me_evidence();
    let any_open = r.ports.values().any(|p| *p == PortState::Open);
    if r.banner_is_amt() == Some(false) && evidence.is_none() {
        return Reachability::NotAmt;
    }
    match (evidence, any_open) {
        (Some(_), true) => Reachability::AmtReachable,
        // Only the RMCP pong shows an ME without an open port.
        (Some(_), false) => Reachability::AmtClosed,
        (None, true) => Reachability::PortsOpen,
        (None, false) => Reachability::Unreachable,
    }
}

/// Run the ladder against one target.
pub async fn probe(target: &Target, options: &Options) -> Report {
    let mut report = Report::new(target);
    if let Some(note) = dns_mismatch(target) {
        report.notes.push(note);
    }
    let Some(ip) = target.address else {
        return report;
    };
    let t = options.timeout;
    let host = target.fqdn.clone().unwrap_or_else(|| ip.to_string());
    let connects = options.ports.iter().map(|&p| async move {
        let (state, stream) = tcp::connect(SocketAddr::new(ip, p), t).await;
        drop(stream);
        (p, state)
    });
    let rmcp_ping = async {
        if options.ports_only {
            None
        } else {
            rmcp::ping(SocketAddr::new(ip, options.rmcp_port), t, 2).await
        }
    };
    let (states, pong) = tokio::join!(futures_util::future::join_all(connects), rmcp_ping);
    for (p, state) in states {
        report.ports.insert(p.to_string(), state);
    }
    report.rmcp = pong.map(|p| RmcpStep {
        answered: true,
        amt_version: p.amt_version,
        provisioning: p.provisioning,
        port: p.port,
        both_ports: p.both_ports,
    });
    if !options.ports_only {
        higher_steps(&mut report, ip, &host, options).await;
    }
    report.verdict = verdict(&report);
    let notes = evidence_notes(&report);
    report.notes.extend(notes);
    if !options.ports_only
        && report.verdict == Reachability::AmtReachable
        && let Some(creds) = &options.credentials
    {
        report.live = Some(
            live(
                &mut report.notes,
                SocketAddr::new(ip, 16992),
                &host,
                creds,
                t,
            )
            .await,
        );
    }
    report
}

/// What the verdict rests on when it is not plain: an ME recognised despite a non-Intel
/// `Server:` header, and the ports the RMCP pong advertises against those that answered.
fn evidence_notes(r: &Report) -> Vec<String> {
    let mut notes = Vec::new();
    let server = r.http.as_ref().and_then(|h| h.server.as_deref());
    if let (Some(server), Some(evidence)) = (server, amt_evidence(r))
        && !http::is_amt_server(server)
        && r.verdict == Reachability::AmtReachable
    {
        notes.push(format!(
            "16992 answers with `Server: {server}`, not Intel AMT's banner; {evidence} shows an Intel ME"
        ));
    }
    let Some(pong) = &r.rmcp else {
        return notes;
    };
    let open = |p: u16| r.port(p) == Some(PortState::Open);
    if pong.tls_only() && open(16993) && !open(16992) {
        notes.push(
            "TLS only: the RMCP pong advertises 16993 alone, so a closed 16992 is expected".into(),
        );
    }
    let advertised = pong.open_ports();
    let closed: Vec<u16> = advertised
        .iter()
        .copied()
        .filter(|p| matches!(r.port(*p), Some(PortState::Refused | PortState::Timeout)))
        .collect();
    if !closed.is_empty() && advertised.iter().any(|p| open(*p)) {
        notes.push(format!(
            "the RMCP pong advertises {} open, yet {} did not accept",
            join_ports(&advertised),
            join_ports(&closed)
        ));
    }
    notes
}

fn join_ports(ports: &[u16]) -> String {
    ports
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Step 1's comparison: the name's addresses against the ME's, when a snapshot knows it.
fn dns_mismatch(target: &Target) -> Option<String> {
    let me = target.me_ip.filter(|ip| !ip.is_unspecified())?;
    let dns = target.dns.as_ref()?;
    let name = target.fqdn.as_deref()?;
    if dns.addresses.is_empty() || dns.addresses.iter().any(|a| *a == me.to_string()) {
        return None;
    }
    Some(format!(
        "DNS: `{name}` resolves to {}, not to the ME's address {me}",
        dns.addresses.join(", ")
    ))
}

/// HTTP and WS-Man on 16992, redirection on 16994 and TLS on 16993, each only where its port
/// accepted, the three ports side by side.
async fn higher_steps(report: &mut Report, ip: IpAddr, host: &str, options: &Options) {
    let t = options.timeout;
    let open = |p: u16| report.port(p) == Some(PortState::Open);
    let web = async {
        if !open(16992) {
            return (None, None);
        }
        let at = SocketAddr::new(ip, 16992);
        (
            Some(http::get_root(at, host, t).await),
            Some(wsman::identify(at, host, t).await),
        )
    };
    let redirect = async {
        match open(16994) {
            true => Some(redirection::handshake(SocketAddr::new(ip, 16994), t).await),
            false => None,
        }
    };
    let tls = async {
        match open(16993) {
            true => Some(tls::inspect(SocketAddr::new(ip, 16993), host, t).await),
            false => None,
        }
    };
    let ((root, identify), redirect, tls) = tokio::join!(web, redirect, tls);
    match root {
        Some(Ok(info)) => report.http = Some(info),
        Some(Err(e)) => report.notes.push(format!("HTTP on 16992: {e}")),
        None => {}
    }
    match identify {
        Some(Ok(id)) => report.wsman = Some(id),
        Some(Err(e)) => report.notes.push(format!("WS-Man Identify: {e}")),
        None => {}
    }
    match redirect {
        Some(Ok(r)) => report.redirection = Some(r),
        Some(Err(e)) => report.notes.push(format!("redirection on 16994: {e}")),
        None => {}
    }
    report.tls = tls;
}

/// The live settings, with Digest credentials.
async fn live(
    notes: &mut Vec<String>,
    at: SocketAddr,
    host: &str,
    creds: &wsman::Credentials,
    t: Duration,
) -> Live {
    let mut live = Live::default();
    let class = |c: &str| format!("http://intel.com/wbem/wscim/1/amt-schema/1/{c}");
    match wsman::get(
        at,
        host,
        creds,
        &class("AMT_EnvironmentDetectionSettingData"),
        t,
    )
    .await
    {
        Ok(xml) => match wsman::parse_detection(&xml) {
            Ok(d) => live.detection = Some(d),
            Err(e) => notes.push(format!("AMT_EnvironmentDetectionSettingData: {e}")),
        },
        Err(e) => notes.push(format!("AMT_EnvironmentDetectionSettingData: {e}")),
    }
    match wsman::get(at, host, creds, &class("AMT_EthernetPortSettings"), t).await {
        Ok(xml) => live.ethernet = wsman::parse_ethernet(&xml).ok(),
        Err(e) => notes.push(format!("AMT_EthernetPortSettings: {e}")),
    }
    match wsman::get(at, host, creds, &class("AMT_GeneralSettings"), t).await {
        Ok(xml) => live.general = wsman::parse_general(&xml).ok(),
        Err(e) => notes.push(format!("AMT_GeneralSettings: {e}")),
    }
    live
}

/// Sockets one target may hold at once: the four TCP ports, RMCP, and one spare.
const SOCKETS_PER_TARGET: u64 = 6;
/// Descriptors kept back for the rest of the process (files, DNS, the runtime).
const RESERVED_FILES: u64 = 64;

/// Targets probed at once when `--concurrency` is not given: what the open-file limit allows,
/// between 1 and 1024.
pub fn default_concurrency() -> usize {
    concurrency_for(open_file_limit().unwrap_or(1024))
}

/// Targets that fit an open-file limit of `limit` descriptors.
fn concurrency_for(limit: u64) -> usize {
    let n = limit.saturating_sub(RESERVED_FILES) / SOCKETS_PER_TARGET;
    n.clamp(1, 1024) as usize
}

#[cfg(unix)]
fn open_file_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one rlimit into the struct it is given, and nothing else.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    // rlim_t is u64 on Linux but not on every Unix.
    #[allow(clippy::unnecessary_cast)]
    ok.then_some(limit.rlim_cur as u64)
}

#[cfg(not(unix))]
fn open_file_limit() -> Option<u64> {
    None
}

/// Probe every target under the concurrency limit and rate, in target order. Ctrl-C (or
/// `stop`) stops starting new targets; those in flight finish their current steps.
pub fn run_all(
    targets: Vec<Target>,
    options: &Options,
    stop: Arc<AtomicBool>,
    progress: &indicatif::ProgressBar,
) -> Result<Vec<Report>, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the probe runtime: {e}"))?;
    runtime.block_on(async {
        let signal_stop = stop.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                signal_stop.store(true, Ordering::SeqCst);
            }
        });
        let limit = Arc::new(tokio::sync::Semaphore::new(options.concurrency.max(1)));
        let mut pace = options.rate.map(|r| {
            let mut i = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(r.max(1))));
            i.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            i
        });
        let mut tasks = tokio::task::JoinSet::new();
        for (index, target) in targets.into_iter().enumerate() {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            if let Some(p) = pace.as_mut() {
                p.tick().await;
            }
            let Ok(permit) = limit.clone().acquire_owned().await else {
                break;
            };
            let options = options.clone();
            let progress = progress.clone();
            tasks.spawn(async move {
                let report = probe(&target, &options).await;
                drop(permit);
                progress.inc(1);
                (index, report)
            });
        }
        let mut done = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            if let Ok(pair) = joined {
                done.push(pair);
            }
        }
        done.sort_by_key(|(i, _)| *i);
        Ok(done.into_iter().map(|(_, r)| r).collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrency_follows_the_open_file_limit() {
        assert_eq!(concurrency_for(1024), 160);
        assert_eq!(concurrency_for(40), 1);
        assert_eq!(concurrency_for(1 << 20), 1024);
        assert!((1..=1024).contains(&default_concurrency()));
    }

    fn report(ports: &[(u16, PortState)], rmcp: bool) -> Report {
        let mut r = Report::new(&Target::default());
        for (p, s) in ports {
            r.ports.insert(p.to_string(), *s);
        }
        r.rmcp = rmcp.then(|| RmcpStep {
            answered: true,
            amt_version: Some("11.8".into()),
            provisioning: None,
            port: Some(16992),
            both_ports: false,
        });
        r
    }

    #[test]
    fn verdicts_from_the_steps() {
        use PortState::*;
        let closed = report(&[(16992, Refused), (16993, Refused)], true);
        assert_eq!(verdict(&closed), Reachability::AmtClosed);
        let nothing = report(&[(16992, Timeout), (16993, Timeout)], false);
        assert_eq!(verdict(&nothing), Reachability::Unreachable);
        let mut web = report(&[(16992, Open)], false);
        web.http = Some(http::HttpInfo {
            status: 200,
            server: Some("nginx/1.24.0".into()),
            amt_version: None,
        });
        assert_eq!(verdict(&web), Reachability::NotAmt);
        web.http = Some(http::HttpInfo {
            status: 303,
            server: Some("Intel(R) Active Management Technology 11.8.50.3425".into()),
            amt_version: Some("11.8.50".into()),
        });
        assert_eq!(verdict(&web), Reachability::AmtReachable);
        assert!(closed.host_answers() && !nothing.host_answers());
    }

    #[test]
    fn an_open_port_without_evidence_is_ports_open_not_unreachable() {
        use PortState::*;
        // What a --ports-only sweep sees of a device whose ports accept.
        let open = report(&[(16992, Open), (16993, Refused)], false);
        assert_eq!(verdict(&open), Reachability::PortsOpen);
        let tls = report(&[(16992, Refused), (16993, Open)], false);
        assert_eq!(verdict(&tls), Reachability::PortsOpen);
        let dash = report(&[(623, Open)], false);
        assert_eq!(verdict(&dash), Reachability::PortsOpen);
        // Nothing accepts: unreachable, as before.
        let refused = report(&[(16992, Refused), (16993, Timeout)], false);
        assert_eq!(verdict(&refused), Reachability::Unreachable);
        assert!(open.me_evidence().is_none());
    }

    #[test]
    fn ports_are_chosen_among_amts_and_dashs() {
        assert_eq!(tcp_ports(&[], true), [16992, 16993]);
        assert_eq!(tcp_ports(&[], false), AMT_PORTS);
        assert_eq!(tcp_ports(&[664, 16992, 664], false), [664, 16992]);
        for p in SELECTABLE_PORTS {
            assert_eq!(parse_port(&p.to_string()), Ok(p));
        }
        for bad in ["80", "16996", "0", "x", "-1"] {
            let e = parse_port(bad).unwrap_err();
            assert!(
                e.contains("16992, 16993, 16994, 16995, 623, 664"),
                "{bad}: {e}"
            );
        }
    }

    fn http(server: Option<&str>) -> Option<http::HttpInfo> {
        Some(http::HttpInfo {
            status: 200,
            server: server.map(str::to_owned),
            amt_version: None,
        })
    }

    #[test]
    fn rmcp_or_wsman_evidence_outweighs_a_non_intel_banner() {
        use PortState::*;
        // `Server: AMT` is AMT's short banner.
        let mut short = report(&[(16992, Open)], false);
        short.http = http(Some("AMT"));
        assert_eq!(verdict(&short), Reachability::AmtReachable);
        // Another banner, but the RMCP pong came from Intel's ME.
        let mut odd = report(&[(16992, Open)], true);
        odd.http = http(Some("Embedded HTTP Server"));
        assert_eq!(verdict(&odd), Reachability::AmtReachable);
        odd.verdict = verdict(&odd);
        let notes = evidence_notes(&odd);
        assert!(notes.iter().any(|n| n.contains("RMCP pong")), "{notes:?}");
        // No RMCP, but a 401 with AMT's realm shape, or an Identify naming Intel.
        let mut realm = report(&[(16992, Open)], false);
        realm.http = http(Some("Embedded HTTP Server"));
        realm.wsman = Some(wsman::Identify::AuthRequired {
            realm: Some("Digest:9C3E4F0A1B2D4C5E8F7061A2B3C4D5E6".into()),
        });
        assert_eq!(verdict(&realm), Reachability::AmtReachable);
        realm.wsman = Some(wsman::Identify::AuthRequired {
            realm: Some("intranet".into()),
        });
        assert_eq!(
            verdict(&realm),
            Reachability::NotAmt,
            "any Digest 401 is not evidence"
        );
        realm.wsman = Some(wsman::Identify::Identified {
            vendor: Some("Intel(r)".into()),
            version: Some("AMT 11".into()),
        });
        assert_eq!(verdict(&realm), Reachability::AmtReachable);
        // No Server header at all, Identify names Intel.
        realm.http = http(None);
        assert_eq!(verdict(&realm), Reachability::AmtReachable);
    }

    #[test]
    fn the_pong_says_which_ports_to_expect() {
        use PortState::*;
        let mut tls_only = report(&[(16992, Refused), (16993, Open)], true);
        if let Some(p) = tls_only.rmcp.as_mut() {
            p.port = Some(16993);
        }
        tls_only.verdict = verdict(&tls_only);
        assert_eq!(tls_only.verdict, Reachability::AmtReachable);
        let notes = evidence_notes(&tls_only);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("TLS only"), "{notes:?}");
        // Both ports advertised, one refuses: said, not silently accepted.
        let mut dual = report(&[(16992, Refused), (16993, Open)], true);
        if let Some(p) = dual.rmcp.as_mut() {
            p.both_ports = true;
        }
        dual.verdict = verdict(&dual);
        let notes = evidence_notes(&dual);
        assert!(
            notes
                .iter()
                .any(|n| n.contains("16992 and 16993 open, yet 16992")),
            "{notes:?}"
        );
        // As advertised: nothing to say.
        let mut plain = report(&[(16992, Open), (16993, Refused)], true);
        plain.verdict = verdict(&plain);
        assert!(evidence_notes(&plain).is_empty());
    }

    #[test]
    fn a_name_pointing_away_from_the_me_is_noted() {
        let mut t = Target {
            fqdn: Some("pc0424.corp.test".into()),
            me_ip: Some("10.1.4.21".parse().unwrap()),
            dns: Some(DnsStep {
                addresses: vec!["10.1.4.77".into()],
                error: None,
            }),
            ..Target::default()
        };
        let note = dns_mismatch(&t).unwrap();
        assert!(note.contains("10.1.4.77") && note.contains("10.1.4.21"));
        t.dns = Some(DnsStep {
            addresses: vec!["10.1.4.21".into()],
            error: None,
        });
        assert!(dns_mismatch(&t).is_none());
        t.me_ip = Some(Ipv4Addr::UNSPECIFIED);
        assert!(dns_mismatch(&t).is_none());
    }
}
