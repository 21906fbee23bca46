//! Entry points for the fuzz targets under `fuzz/` and for the test that replays their corpus and
//! regression files on stable Rust (`tests/fuzz_replay.rs`). Each takes arbitrary bytes and runs
//! them through the real reader or parser, the way scslint meets a file or a reply; nothing here
//! parses on its own. Not a supported interface.

use crate::external::ExternalSuffixes;
use crate::observe::dhcp_common::Files;
use crate::observe::mapping::{CsvColumns, DiscoveryMapping, Mappings};
use crate::observe::model::Parsed;
use crate::observe::reader::Reading;
use crate::observe::{amtinfo, dhcpd, discovery, dnsmasq, inventory_csv, ipconfig, kea};
use crate::observe::{snapshot, sources, windows_dhcp};
use crate::probe::{http, redirection, rmcp, tls, wsman};
use crate::profile::{self, FileOutcome, meshcentral, rpcgo, scs};
use crate::report::human;
use crate::report::terminal::Style;
use crate::rules;
use crate::source::{Encoding, Source, SourceFile};
use crate::xml;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// A fuzz target: its name (the file under `fuzz/fuzz_targets/` and the folders under
/// `fuzz/corpus/` and `fuzz/regressions/`) and what it runs.
pub type Target = (&'static str, fn(&[u8]));

/// Every target, in the order `scripts/fuzz.sh` runs them.
pub const TARGETS: &[Target] = &[
    ("profile", profile),
    ("profile_wsman", profile_wsman),
    ("profile_scs", profile_scs),
    ("profile_meshcentral", profile_meshcentral),
    ("profile_rpcgo", profile_rpcgo),
    ("yaml", yaml),
    ("snapshot", snapshot),
    ("config", config),
    ("baseline", baseline),
    ("collect_source", collect_source),
    ("dhcpd", dhcpd),
    ("kea", kea),
    ("dnsmasq", dnsmasq),
    ("netsh", netsh),
    ("export_dhcpserver", export_dhcpserver),
    ("amtinfo_text", amtinfo_text),
    ("amtinfo_json", amtinfo_json),
    ("ipconfig", ipconfig),
    ("discovery", discovery),
    ("inventory_csv", inventory_csv),
    ("rmcp_pong", rmcp_pong),
    ("http_response", http_response),
    ("wsman_response", wsman_response),
    ("redirection_reply", redirection_reply),
    ("tls_records", tls_records),
    ("certificate", certificate),
];

/// Run target `name` on `data`; false when there is no such target.
pub fn run(name: &str, data: &[u8]) -> bool {
    match TARGETS.iter().find(|(n, _)| *n == name) {
        Some((_, target)) => {
            target(data);
            true
        }
        None => false,
    }
}

/// The path every fuzzed file is read as; includes resolve beside it.
const ROOT: &str = "/fuzz/input";

/// Bytes decoded as scslint decodes a file (UTF-8 with or without BOM, UTF-16 with a BOM);
/// `None` where it would stop at the decoding.
fn decode(data: &[u8]) -> Option<Source> {
    SourceFile::decode(ROOT, data).ok()
}

/// Render the findings as the human report does, so spans taken from hostile input are cut and
/// underlined by the real code.
fn render(findings: &[crate::diagnostic::Finding]) {
    let _ = human::render_findings(findings, Style::plain());
}

/// Networks of every kind the rules tell apart, for the profile rules to judge fuzzed profiles on.
const NETWORKS: &str = r#"
[[network]]
name = "hq"
suffix = "corp.example.com"
trust = "enterprise"
hosts = 10
ipv6_prefixes = ["2001:db8:40:1::/64"]
[[network]]
name = "plant"
suffix = "Plant.Example.COM."
domain_search_v6 = ["corp.example.com", "example"]
[[network]]
name = "none"
suffix = ""
trust = "enterprise"
[[network]]
name = "vpn"
suffix = "vpn.example.com"
kind = "vpn"
[[network]]
name = "home"
suffix = "fritz.box"
trust = "external"
"#;

fn networks() -> &'static [crate::observe::Network] {
    static NETS: OnceLock<Vec<crate::observe::Network>> = OnceLock::new();
    NETS.get_or_init(|| {
        let source = SourceFile::new("/fuzz/observed.toml", NETWORKS.to_owned(), Encoding::Utf8);
        snapshot::read_source(&source).networks
    })
}

/// The profile rules run on what was read, with and without networks, and every finding
/// rendered.
fn outcome(out: FileOutcome) {
    let mut findings = out.findings;
    let external = ExternalSuffixes::default();
    for profile in &out.profiles {
        for networks in [None, Some(networks())] {
            findings.extend(rules::run(&rules::Context::new(
                profile, networks, &external, 4, None,
            )));
        }
    }
    render(&findings);
}

/// Sniffed as `check` sniffs a file, named on the command line and found by walking.
fn profile(data: &[u8]) {
    let mapping = scs::ScsMapping::shipped();
    for explicit in [true, false] {
        let out = profile::read_bytes(data, data.len() as u64, Path::new(ROOT), explicit, &mapping);
        outcome(out);
    }
}

fn profile_wsman(data: &[u8]) {
    let Some(source) = decode(data) else { return };
    let start = xml::chunk_prefix_len(source.text.trim_start());
    let Ok(doc) = xml::parse(&source.text, start) else {
        return;
    };
    if let Some(index) = crate::profile::wsman::find_instance(&doc) {
        outcome(crate::profile::wsman::read(&doc, index, &source));
    }
}

fn profile_scs(data: &[u8]) {
    let Some(source) = decode(data) else { return };
    let Ok(doc) = xml::parse(&source.text, 0) else {
        return;
    };
    outcome(scs::read(&doc, &source, &scs::ScsMapping::shipped(), true));
}

fn profile_meshcentral(data: &[u8]) {
    let Some(source) = decode(data) else { return };
    outcome(meshcentral::read(&source, true));
}

fn profile_rpcgo(data: &[u8]) {
    let Some(source) = decode(data) else { return };
    outcome(rpcgo::read(&source, true));
}

/// The YAML tree alone, walked through every lookup the rpc-go reader makes.
fn yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(doc) = profile::yaml::parse(text) else {
        return;
    };
    let Some(root) = doc.root() else { return };
    let mut todo = vec![root];
    let mut seen = std::collections::HashSet::new();
    while let Some(id) = todo.pop() {
        if !seen.insert(id) {
            continue;
        }
        let _ = (doc.scalar(id), doc.is_null(id), doc.boolean(id));
        let _ = (doc.get(id, "configuration"), doc.value(id, "<<"));
        if let Some(items) = doc.seq(id) {
            todo.extend_from_slice(items);
        }
        if let profile::yaml::Kind::Map(pairs) = &doc.node(id).kind {
            for (k, v) in pairs {
                if let Some(key) = doc.scalar(*k) {
                    let _ = doc.get(id, key);
                }
                todo.extend([*k, *v]);
            }
        }
    }
}

fn snapshot(data: &[u8]) {
    let Some(source) = decode(data) else { return };
    let observed = snapshot::read_source(&source);
    render(&observed.findings);
}

fn config(data: &[u8]) {
    let Some(source) = decode(data) else { return };
    match crate::config::Config::parse(&source, Path::new("/fuzz")) {
        Ok(config) => {
            if let Some(exclude) = &config.exclude {
                let _ = exclude.matches(Path::new("/fuzz/a/b.xml"), false);
            }
        }
        Err(errors) => {
            let _ = human::render_config_errors(&errors, Style::plain());
        }
    }
}

fn baseline(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = crate::baseline::Baseline::parse(text);
    }
}

/// Sniffed and read as `collect` reads one file.
fn collect_source(data: &[u8]) {
    let Some(source) = decode(data) else { return };
    let mappings = Mappings::default();
    match sources::reader_for(&source.text, &mappings).map(|r| r.read(&source, &mappings)) {
        Some(Reading::Parsed(p)) => parsed(p),
        Some(Reading::Snapshot(_)) | None => {}
    }
}

fn parsed(mut p: Parsed) {
    for s in &p.scopes {
        let _ = s.oversized();
    }
    for h in &mut p.hosts {
        let _ = h.drop_oversized();
        let _ = crate::command::collect::host_name(h);
    }
}

/// A DHCP server configuration with the files it includes, all in memory: the input is split at
/// NUL bytes; the first part is the configuration (`/fuzz/input`), each later part is a file
/// whose first line is its name relative to `/fuzz/` (`sites/hq.conf`, `dnsmasq.d/a.conf`).
fn include_tree(data: &[u8]) -> Option<(String, Files)> {
    let mut parts = data.split(|b| *b == 0);
    let root = decode(parts.next()?)?;
    let mut files = BTreeMap::new();
    for part in parts {
        let (name, body) = match part.iter().position(|b| *b == b'\n') {
            Some(at) => (&part[..at], &part[at + 1..]),
            None => (part, &[][..]),
        };
        let name = String::from_utf8_lossy(name);
        let path = crate::source::lexical_path(&Path::new("/fuzz").join(name.trim()));
        files.insert(path, body.to_vec());
    }
    Some((root.text.clone(), Files::Memory(Arc::new(files))))
}

fn dhcpd(data: &[u8]) {
    if let Some((text, files)) = include_tree(data) {
        parsed(dhcpd::parse_in(Path::new(ROOT), &text, files));
    }
}

fn kea(data: &[u8]) {
    if let Some((text, files)) = include_tree(data) {
        parsed(kea::parse_in(Path::new(ROOT), &text, files));
    }
}

fn dnsmasq(data: &[u8]) {
    if let Some((text, files)) = include_tree(data) {
        parsed(dnsmasq::parse_in(Path::new(ROOT), &text, files));
    }
}

/// Decoded text that `opens` accepts (after a BOM and blanks): a reader that chooses its form by
/// the first character gets each form from a target of its own.
fn text_for(data: &[u8], opens: fn(&str) -> bool) -> Option<Source> {
    decode(data).filter(|s| opens(s.text.trim_start_matches('\u{feff}').trim_start()))
}

fn netsh(data: &[u8]) {
    if let Some(s) = text_for(data, |t| !t.starts_with('<')) {
        parsed(windows_dhcp::parse(Path::new(ROOT), &s.text));
    }
}

fn export_dhcpserver(data: &[u8]) {
    if let Some(s) = text_for(data, |t| t.starts_with('<')) {
        parsed(windows_dhcp::parse(Path::new(ROOT), &s.text));
    }
}

fn amtinfo_text(data: &[u8]) {
    if let Some(s) = text_for(data, |t| !t.starts_with('{')) {
        parsed(amtinfo::parse(Path::new(ROOT), &s.text));
    }
}

fn amtinfo_json(data: &[u8]) {
    if let Some(s) = text_for(data, |t| t.starts_with('{')) {
        parsed(amtinfo::parse(Path::new(ROOT), &s.text));
    }
}

fn ipconfig(data: &[u8]) {
    if let Some(s) = decode(data) {
        parsed(ipconfig::parse(Path::new(ROOT), &s.text));
    }
}

fn discovery(data: &[u8]) {
    if let Some(s) = decode(data) {
        let mapping = DiscoveryMapping::shipped();
        parsed(discovery::parse(Path::new(ROOT), &s.text, &mapping));
    }
}

fn inventory_csv(data: &[u8]) {
    if let Some(s) = decode(data) {
        let columns = CsvColumns::shipped();
        parsed(inventory_csv::parse(Path::new(ROOT), &s.text, &columns));
    }
}

/// A datagram answering the ping whose tag it echoes (byte 9), so the checks past the tag run.
fn rmcp_pong(data: &[u8]) {
    let tag = data.get(9).copied().unwrap_or(0);
    if let Ok(pong) = rmcp::decode_pong(data, tag) {
        let _ = pong.open_ports();
    }
}

/// One runtime for the targets that read from an in-memory stream: nothing in them waits.
// A harness that cannot build a runtime cannot run at all: failing loudly is right.
#[allow(clippy::expect_used)]
fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a current-thread runtime")
    })
}

/// The bytes a device sent back, as the HTTP client reads them after its request (head, then the
/// body by length, chunks or close), and what the probes make of the response.
fn http_response(data: &[u8]) {
    for read_body in [false, true] {
        let mut stream = tokio::io::join(data, tokio::io::sink());
        let exchange = http::exchange(&mut stream, b"", read_body, Duration::from_secs(60));
        let Ok(response) = runtime().block_on(exchange) else {
            continue;
        };
        let _ = http::http_info(&response);
        let _ = wsman::classify_identify(&response);
        for value in response.headers_named("www-authenticate") {
            if let Some(challenge) = http::parse_challenge(value) {
                let _ =
                    http::digest_authorization(&challenge, "admin", "pw", "POST", "/wsman", "0a");
            }
        }
    }
}

/// A WS-Man response body, read by every parser the probes use on one.
fn wsman_response(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = wsman::fault_reason(text);
    let _ = wsman::parse_detection(text);
    let _ = wsman::parse_ethernet(text);
    let _ = wsman::parse_general(text);
    let response = http::Response {
        status: 200,
        headers: Vec::new(),
        body: data.to_vec(),
    };
    let _ = wsman::classify_identify(&response);
}

fn redirection_reply(data: &[u8]) {
    let _ = redirection::decode_reply(data);
}

/// The records a server sends after the hand-built TLS 1.2 hello, up to its certificate.
fn tls_records(data: &[u8]) {
    let mut reader = data;
    if let Ok(peek) = runtime().block_on(tls::read_until_certificate(&mut reader)) {
        certificate(&peek.der);
    }
}

fn certificate(data: &[u8]) {
    if let Ok(cert) = tls::parse_certificate(data) {
        for name in ["pc0423.corp.example.com", "10.1.4.21", "", "*.example.com"] {
            let _ = tls::name_matches(&cert, name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_networks_profiles_are_judged_on_all_read() {
        let names: Vec<&str> = networks().iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["hq", "plant", "none", "vpn", "home"]);
    }

    #[test]
    fn include_trees_split_at_nul_bytes() {
        let (text, files) = include_tree(b"include \"a.conf\";\0a.conf\nx\0d/../b\n").unwrap();
        assert_eq!(text, "include \"a.conf\";");
        let Files::Memory(files) = files else {
            panic!("not in memory")
        };
        let names: Vec<_> = files
            .keys()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["/fuzz/a.conf", "/fuzz/b"]);
        assert_eq!(files[Path::new("/fuzz/a.conf")], b"x");
        assert!(include_tree(b"\xff\0a\n").is_none());
    }

    #[test]
    fn names_are_unique() {
        for (i, (name, _)) in TARGETS.iter().enumerate() {
            assert!(!TARGETS[..i].iter().any(|(n, _)| n == name), "{name}");
        }
    }
}
