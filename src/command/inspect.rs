//! `scslint inspect`: what scslint read from each file, and from where, for a user who wonders
//! why a finding did or did not fire. For XML that is no known kind (a real SCS export the mapping
//! does not know) it lists every leaf element with its value and line, and how to map it.

use super::{Ended, print};
use crate::cli::{Format, InspectArgs};
use crate::config::Config;
use crate::diagnostic::Finding;
use crate::envdetect::{Algorithm, IpMode};
use crate::exit_status::Exit;
use crate::observe::Network;
use crate::observe::model::{Host, Parsed, Scope};
use crate::observe::reader::Reading;
use crate::observe::sources;
use crate::profile::{self, Profile, ScsMapping};
use crate::report::terminal::ColorWhen;
use crate::source::{Source, Span, Spanned, display_path};
use crate::xml;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;

/// Larger than any profile or observation source scslint reads.
const MAX_BYTES: u64 = super::collect::MAX_SOURCE_BYTES;
/// Leaf elements listed for an unknown XML file.
const MAX_LEAVES: usize = 500;

#[derive(Debug, Serialize)]
pub struct FileReport {
    pub path: String,
    /// `profile`, `observation`, `xml` (XML of no known kind) or `none`.
    pub kind: &'static str,
    /// What the file was read as (`MeshCentral config.json domain`, `ISC dhcpd.conf`, …).
    pub format: Option<String>,
    pub profiles: Vec<ProfileView>,
    pub networks: Vec<NetworkView>,
    pub hosts: Vec<HostView>,
    /// Every leaf element of an XML file of no known kind.
    pub leaves: Vec<Leaf>,
    /// A starting `[scs]` mapping for such a file.
    pub mapping_hint: Option<String>,
    /// What went wrong reading it (the SL05x findings `check`/`collect` would give).
    pub problems: Vec<Problem>,
}

/// A value with where it was read.
#[derive(Debug, Serialize)]
pub struct At<T> {
    pub value: T,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Serialize)]
pub struct ProfileView {
    pub name: String,
    pub format: &'static str,
    pub line: usize,
    pub column: usize,
    /// `None`: the profile leaves environment detection as it is on the device.
    pub detection: Option<DetectionView>,
    pub ip_mode: Option<At<&'static str>>,
    pub ip_sync: Option<At<bool>>,
    pub mps_servers: Vec<At<String>>,
    pub remote_access_policies: Vec<At<String>>,
    pub fqdn_source: Option<At<String>>,
    pub shared_fqdn: Option<At<bool>>,
}

#[derive(Debug, Serialize)]
pub struct DetectionView {
    pub algorithm: &'static str,
    pub home_domains: Vec<At<String>>,
    pub ipv6_prefixes: Vec<At<String>>,
    /// What the console writes to the firmware, when that differs from the file.
    pub written: Option<Written>,
}

#[derive(Debug, Serialize)]
pub struct Written {
    pub console: &'static str,
    pub home_domains: Vec<String>,
    pub note: String,
}

#[derive(Debug, Serialize)]
pub struct NetworkView {
    pub name: String,
    pub suffix: Option<String>,
    pub domain_search_v6: Vec<String>,
    pub ranges: Vec<String>,
    pub trust: Option<&'static str>,
    /// The file the network was read from, when it is an included one.
    pub file: Option<String>,
    pub line: usize,
}

#[derive(Debug, Serialize)]
pub struct HostView {
    pub name: Option<String>,
    pub suffix: Option<String>,
    pub primary_suffix: Option<String>,
    pub me_suffix: Option<String>,
    pub os_ip: Option<String>,
    pub me_ip: Option<String>,
    pub line: usize,
}

#[derive(Debug, Serialize)]
pub struct Leaf {
    pub path: String,
    pub value: String,
    pub line: usize,
}

#[derive(Debug, Serialize)]
pub struct Problem {
    pub code: String,
    pub message: String,
    pub line: usize,
    pub column: usize,
}

/// `scslint inspect`: 2 when a file could not be read at all, else 0.
pub fn command(args: InspectArgs, color: ColorWhen) -> Ended {
    let config = super::config(&args.config, color)?;
    let reports: Vec<_> = args.files.iter().map(|f| inspect(f, &config)).collect();
    let unreadable = reports
        .iter()
        .any(|r| r.kind == "none" && !r.problems.is_empty());
    let text = match args.format {
        Format::Json => {
            let doc = serde_json::json!({ "version": 1, "files": reports });
            format!("{doc:#}\n")
        }
        _ => render_human(&reports),
    };
    print(&text)?;
    Ok(if unreadable {
        Exit::Trouble
    } else {
        Exit::Clean
    })
}

/// Inspect one file.
pub fn inspect(path: &Path, config: &Config) -> FileReport {
    let display = display_path(path);
    let mut report = FileReport {
        path: display.to_string_lossy().into_owned(),
        kind: "none",
        format: None,
        profiles: Vec::new(),
        networks: Vec::new(),
        hosts: Vec::new(),
        leaves: Vec::new(),
        mapping_hint: None,
        problems: Vec::new(),
    };
    let source = match crate::source::load(path, &display, MAX_BYTES) {
        Ok(s) => s,
        Err(e) => {
            let (line, column) = e.position();
            report.problems.push(Problem {
                code: "SL050".into(),
                message: e.message(),
                line,
                column,
            });
            return report;
        }
    };
    let read = profile::read_source(&source, false, &config.scs);
    if !read.profiles.is_empty() || !read.findings.is_empty() {
        report.kind = "profile";
        report.format = read.profiles.first().map(|p| p.kind.describe().to_owned());
        report.profiles = read.profiles.iter().map(profile_view).collect();
        report.problems = read.findings.iter().map(problem).collect();
        return report;
    }
    if let Some(reader) = sources::reader_for(&source.text, &config.mappings) {
        report.kind = "observation";
        report.format = Some(reader.describe.to_owned());
        match reader.read(&source, &config.mappings) {
            Reading::Snapshot(observed) => {
                report.networks = observed.networks.iter().map(snapshot_network).collect();
                report.hosts = observed.hosts.iter().map(|h| host_view(&h.host)).collect();
                report.problems = observed.findings.iter().map(problem).collect();
            }
            Reading::Parsed(Parsed {
                scopes,
                hosts,
                problems,
                ..
            }) => {
                report.networks = scopes.iter().map(|s| scope_view(s, &display)).collect();
                report.hosts = hosts.iter().map(host_view).collect();
                report.problems = problems
                    .into_iter()
                    .map(|p| Problem {
                        code: "SL051".into(),
                        message: p.message,
                        line: p.origin.line,
                        column: p.column,
                    })
                    .collect();
            }
        }
        return report;
    }
    let text = source.text.trim_start();
    if text.starts_with('<')
        && let Ok(doc) = xml::parse(&source.text, source.text.len() - text.len())
    {
        report.kind = "xml";
        report.format = Some(format!("XML, root element `{}`", doc.root().local));
        report.leaves = leaves(&doc, &source);
        report.mapping_hint = Some(mapping_hint(&doc, &report.leaves, &config.scs));
    }
    report
}

fn at<T>(source: &Source, span: &Span, value: T) -> At<T> {
    let (line, column) = source.line_col(span.start);
    At {
        value,
        line,
        column,
    }
}

fn spanned<T: Clone>(source: &Source, s: &Spanned<T>) -> At<T> {
    at(source, &s.span, s.value.clone())
}

fn profile_view(p: &Profile) -> ProfileView {
    let src = &p.source;
    let (line, column) = src.line_col(p.span.start);
    let detection = p.detection.as_ref().map(|d| DetectionView {
        algorithm: match d.algorithm {
            Algorithm::LocalDomains => "local domains (0)",
            Algorithm::RemoteUrls => "remote URLs (1)",
        },
        home_domains: d
            .entries()
            .map(|(_, value, span)| at(src, span, value.to_owned()))
            .collect(),
        ipv6_prefixes: d
            .ipv6_prefixes
            .iter()
            .zip(&d.prefix_spans)
            .map(|(v, span)| at(src, span, v.clone()))
            .collect(),
        written: d
            .written_note()
            .zip(d.written.as_ref())
            .map(|(note, w)| Written {
                console: w.console,
                home_domains: w.strings.clone(),
                note,
            }),
    });
    let remote = p.remote_access.as_ref();
    ProfileView {
        name: p.name.clone(),
        format: p.kind.describe(),
        line,
        column,
        detection,
        ip_mode: p.ip_mode.as_ref().map(|m| {
            let mode = match m.value {
                IpMode::Dhcp => "DHCP",
                IpMode::Static => "static",
            };
            at(src, &m.span, mode)
        }),
        ip_sync: p.ip_sync.as_ref().map(|s| spanned(src, s)),
        mps_servers: remote
            .map(|r| r.mps_servers.iter().map(|s| spanned(src, s)).collect())
            .unwrap_or_default(),
        remote_access_policies: remote
            .map(|r| r.policies.iter().map(|s| spanned(src, s)).collect())
            .unwrap_or_default(),
        fqdn_source: p.fqdn_source.as_ref().map(|s| spanned(src, s)),
        shared_fqdn: p.shared_fqdn.as_ref().map(|s| spanned(src, s)),
    }
}

fn problem(f: &Finding) -> Problem {
    let (line, column) = f.location.line_col();
    Problem {
        code: f.code.to_string(),
        message: f.message.clone(),
        line,
        column,
    }
}

fn scope_view(s: &Scope, file: &Path) -> NetworkView {
    NetworkView {
        name: s.name.clone(),
        suffix: s.suffix.clone(),
        domain_search_v6: s.search_v6.clone(),
        ranges: s.ranges.iter().map(ToString::to_string).collect(),
        trust: None,
        file: (s.origin.path != file).then(|| s.origin.path.to_string_lossy().into_owned()),
        line: s.origin.line,
    }
}

fn snapshot_network(n: &Network) -> NetworkView {
    NetworkView {
        name: n.name.clone(),
        suffix: n.suffix.clone(),
        domain_search_v6: n.search_v6.clone(),
        ranges: n.ranges.iter().map(ToString::to_string).collect(),
        trust: Some(if n.is_enterprise() {
            "enterprise"
        } else {
            "external"
        }),
        file: None,
        line: n.location.line_col().0,
    }
}

fn host_view(h: &Host) -> HostView {
    HostView {
        name: h
            .hostname
            .clone()
            .or_else(|| h.fqdn.clone())
            .or_else(|| h.mac.clone()),
        suffix: h.suffix.clone(),
        primary_suffix: h.primary_suffix.clone(),
        me_suffix: h.me_suffix.clone(),
        os_ip: h.os_ip.map(|ip| ip.to_string()),
        me_ip: h.me_ip.map(|ip| ip.to_string()),
        line: h.origin.as_ref().map_or(1, |o| o.line),
    }
}

/// Every element without element children, by its path of local names from the root.
fn leaves(doc: &xml::Document, source: &Source) -> Vec<Leaf> {
    doc.iter()
        .filter(|(_, el)| el.children.is_empty())
        .take(MAX_LEAVES)
        .map(|(index, el)| Leaf {
            path: doc.path(index).join("/"),
            value: el.trimmed_text().to_owned(),
            line: source.line_col(el.tag_span.start).0,
        })
        .collect()
}

/// A starting `[scs]` section: the root, and for each field the leaf paths whose names suggest
/// it (written relative to the root, as the mapping's paths are).
fn mapping_hint(doc: &xml::Document, leaves: &[Leaf], shipped: &ScsMapping) -> String {
    let root = &doc.root().local;
    let mut out = String::new();
    let _ = writeln!(out, "[scs]");
    let _ = writeln!(out, "roots = [\"{root}\"]");
    let _ = writeln!(out, "\n[scs.fields]");
    let mut any = false;
    for (field, words) in FIELD_WORDS {
        let mut paths: Vec<String> = leaves
            .iter()
            .filter(|l| {
                let p = l.path.to_ascii_lowercase();
                words.iter().any(|w| p.contains(w))
            })
            .map(|l| {
                l.path
                    .split_once('/')
                    .map_or(l.path.clone(), |(_, rest)| rest.into())
            })
            .collect();
        paths.dedup();
        if paths.is_empty() {
            continue;
        }
        any = true;
        let list: Vec<String> = paths.iter().take(3).map(|p| format!("\"{p}\"")).collect();
        let _ = writeln!(out, "{field} = [{}]", list.join(", "));
    }
    if !any {
        let _ = writeln!(
            out,
            "# no element name suggests a field; name the elements that hold each one"
        );
    }
    if shipped.is_root(root) {
        let _ = writeln!(out, "# `{root}` is already a known root");
    }
    out
}

/// Words in element paths that suggest each mapping field.
const FIELD_WORDS: &[(&str, &[&str])] = &[
    ("profile_name", &["profilename", "profile/name"]),
    (
        "home_domains",
        &["homedomain", "detectionstring", "domains/", "dnssuffix"],
    ),
    ("detection_algorithm", &["algorithm"]),
    (
        "mps_servers",
        &["mps", "presenceserver", "server/address", "server/host"],
    ),
    ("remote_access_policies", &["policy", "policies", "trigger"]),
    ("ip_mode", &["ipmode", "dhcpenabled", "dhcp"]),
    ("ip_sync", &["ipsync"]),
    ("fqdn_source", &["fqdnsource", "fqdn/source"]),
    ("shared_fqdn", &["sharedfqdn", "fqdn/shared"]),
];

/// The human report.
pub fn render_human(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
        let format = r
            .format
            .as_deref()
            .unwrap_or("not a profile or observation source");
        let _ = writeln!(out, "{}: {format}", r.path);
        for p in &r.profiles {
            let _ = writeln!(out, "  profile `{}` ({}:{})", p.name, p.line, p.column);
            match &p.detection {
                None => {
                    let _ = writeln!(
                        out,
                        "    environment detection: left as it is on the device"
                    );
                }
                Some(d) => {
                    let _ = writeln!(out, "    algorithm: {}", d.algorithm);
                    if d.home_domains.is_empty() {
                        let _ = writeln!(out, "    home domains: none");
                    }
                    for h in &d.home_domains {
                        let _ = writeln!(
                            out,
                            "    home domain `{}` ({}:{})",
                            h.value, h.line, h.column
                        );
                    }
                    for h in &d.ipv6_prefixes {
                        let _ = writeln!(
                            out,
                            "    IPv6 prefix `{}` ({}:{})",
                            h.value, h.line, h.column
                        );
                    }
                    if let Some(w) = &d.written {
                        let _ = writeln!(out, "    firmware gets: {}", w.note);
                    }
                }
            }
            let ip = p.ip_mode.as_ref().map_or_else(
                || "DHCP (not set)".to_owned(),
                |m| format!("{} ({}:{})", m.value, m.line, m.column),
            );
            let _ = writeln!(out, "    IP mode: {ip}");
            if let Some(s) = &p.ip_sync {
                let _ = writeln!(out, "    IP sync: {} ({}:{})", s.value, s.line, s.column);
            }
            if p.mps_servers.is_empty() {
                let _ = writeln!(out, "    remote access: none");
            }
            for m in &p.mps_servers {
                let _ = writeln!(
                    out,
                    "    MPS server `{}` ({}:{})",
                    m.value, m.line, m.column
                );
            }
            for m in &p.remote_access_policies {
                let _ = writeln!(
                    out,
                    "    remote access policy `{}` ({}:{})",
                    m.value, m.line, m.column
                );
            }
            if let Some(f) = &p.fqdn_source {
                let _ = writeln!(
                    out,
                    "    FQDN source: {} ({}:{})",
                    f.value, f.line, f.column
                );
            }
            if let Some(f) = &p.shared_fqdn {
                let _ = writeln!(
                    out,
                    "    shared FQDN: {} ({}:{})",
                    f.value, f.line, f.column
                );
            }
        }
        for n in &r.networks {
            let suffix = n
                .suffix
                .as_deref()
                .map_or_else(|| "no option 15".into(), |s| format!("option 15 `{s}`"));
            let at = match &n.file {
                Some(f) => format!("{f}:{}", n.line),
                None => format!("line {}", n.line),
            };
            let _ = write!(out, "  network `{}` ({at}): {suffix}", n.name);
            if !n.domain_search_v6.is_empty() {
                let _ = write!(out, ", option 24 `{}`", n.domain_search_v6.join(", "));
            }
            if !n.ranges.is_empty() {
                let _ = write!(out, ", {}", n.ranges.join(", "));
            }
            if let Some(t) = n.trust {
                let _ = write!(out, ", {t}");
            }
            out.push('\n');
        }
        for h in &r.hosts {
            let name = h.name.as_deref().unwrap_or("(unnamed)");
            let _ = write!(out, "  host `{name}` (line {})", h.line);
            for (label, value) in [
                ("suffix", &h.suffix),
                ("primary suffix", &h.primary_suffix),
                ("ME suffix", &h.me_suffix),
                ("OS IP", &h.os_ip),
                ("ME IP", &h.me_ip),
            ] {
                if let Some(v) = value {
                    let _ = write!(out, ", {label} {v}");
                }
            }
            out.push('\n');
        }
        if !r.leaves.is_empty() {
            let _ = writeln!(out, "  leaf elements (path = value, line):");
            for l in &r.leaves {
                let _ = writeln!(out, "    {} = {:?} (line {})", l.path, l.value, l.line);
            }
        }
        if let Some(hint) = &r.mapping_hint {
            let _ = writeln!(
                out,
                "  to read it as an SCS profile, map its elements in scslint.toml (check the guesses):"
            );
            for line in hint.lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
        for p in &r.problems {
            let _ = writeln!(out, "  {} {}:{}: {}", p.code, p.line, p.column, p.message);
        }
    }
    // Names and values come from the files: no control character of theirs reaches the terminal.
    let lines: Vec<String> = out.split('\n').map(crate::report::escape_text).collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_output_escapes_what_the_files_hold() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p\u{1b}]0;owned\u{7}.xml");
        std::fs::write(&path, "<Inventory><Item>x</Item></Inventory>\n").unwrap();
        let text = render_human(&[inspect(&path, &Config::default())]);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text}"
        );
        assert!(text.contains("p\\x1b]0;owned\\x07.xml: "), "{text}");
        assert!(text.ends_with('\n') && text.lines().count() > 1, "{text}");
    }
}
