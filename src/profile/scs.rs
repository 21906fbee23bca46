//! Decrypted Intel SCS profile XML, read through an element mapping (semantic field → element
//! paths by local name), since Intel publishes no schema. Default: schemas/scs-profile-map.toml.

use super::{Detection, FileOutcome, Profile, ProfileKind, RemoteAccess, looks_base64};
use crate::diagnostic::{Code, Finding};
use crate::envdetect::{Algorithm, IpMode};
use crate::source::{Source, Spanned};
use crate::xml::{Document, Element};
use serde::Deserialize;

pub const DEFAULT_MAPPING: &str = include_str!("../../schemas/scs-profile-map.toml");

/// Element paths per semantic field. Every field is optional so a config override can name only
/// the fields it changes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScsFields {
    pub profile_name: Option<Vec<String>>,
    pub home_domains: Option<Vec<String>>,
    pub detection_algorithm: Option<Vec<String>>,
    pub mps_servers: Option<Vec<String>>,
    pub remote_access_policies: Option<Vec<String>>,
    pub ip_mode: Option<Vec<String>>,
    pub ip_sync: Option<Vec<String>>,
    pub fqdn_source: Option<Vec<String>>,
    pub shared_fqdn: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScsMapping {
    pub roots: Option<Vec<String>>,
    #[serde(default)]
    pub fields: ScsFields,
}

impl ScsMapping {
    /// The shipped mapping. It is compiled in and covered by a test, so parsing cannot fail at run time.
    pub fn shipped() -> ScsMapping {
        toml::from_str(DEFAULT_MAPPING).unwrap_or_default()
    }

    /// This mapping with every field it leaves out taken from `base`.
    pub fn over(self, base: &ScsMapping) -> ScsMapping {
        let f = self.fields;
        let b = &base.fields;
        ScsMapping {
            roots: self.roots.or_else(|| base.roots.clone()),
            fields: ScsFields {
                profile_name: f.profile_name.or_else(|| b.profile_name.clone()),
                home_domains: f.home_domains.or_else(|| b.home_domains.clone()),
                detection_algorithm: f
                    .detection_algorithm
                    .or_else(|| b.detection_algorithm.clone()),
                mps_servers: f.mps_servers.or_else(|| b.mps_servers.clone()),
                remote_access_policies: f
                    .remote_access_policies
                    .or_else(|| b.remote_access_policies.clone()),
                ip_mode: f.ip_mode.or_else(|| b.ip_mode.clone()),
                ip_sync: f.ip_sync.or_else(|| b.ip_sync.clone()),
                fqdn_source: f.fqdn_source.or_else(|| b.fqdn_source.clone()),
                shared_fqdn: f.shared_fqdn.or_else(|| b.shared_fqdn.clone()),
            },
        }
    }

    pub fn is_root(&self, local: &str) -> bool {
        self.roots
            .iter()
            .flatten()
            .any(|r| r.eq_ignore_ascii_case(local))
    }

    pub fn roots_list(&self) -> String {
        let roots: Vec<String> = self
            .roots
            .iter()
            .flatten()
            .map(|r| format!("`{r}`"))
            .collect();
        roots.join(", ")
    }
}

/// Does `pattern` (`A/B/C`, or `/Root/A` anchored) match an element whose path is `path`?
fn path_matches(pattern: &str, path: &[&str]) -> bool {
    let anchored = pattern.starts_with('/');
    let want: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
    if want.is_empty() || want.len() > path.len() || (anchored && want.len() != path.len()) {
        return false;
    }
    let tail = &path[path.len() - want.len()..];
    tail.iter()
        .zip(&want)
        .all(|(a, b)| a.eq_ignore_ascii_case(b))
}

/// Every leaf element any pattern of `patterns` matches, in document order: list fields (home
/// domains, MPS servers, policies) take them all, so a preferred and an alternative server both
/// count. An element with element children is a container, never an entry.
fn select_all<'d>(doc: &'d Document, patterns: &Option<Vec<String>>) -> Vec<&'d Element> {
    doc.iter()
        .filter(|(i, e)| {
            if !e.children.is_empty() {
                return false;
            }
            let path = doc.path(*i);
            patterns.iter().flatten().any(|p| path_matches(p, &path))
        })
        .map(|(_, e)| e)
        .collect()
}

/// Is the list's container there (`EnvironmentDetection/HomeDomains` of the pattern
/// `EnvironmentDetection/HomeDomains/Domain`), empty? Then the list is known to be empty.
fn has_container(doc: &Document, patterns: &Option<Vec<String>>) -> bool {
    let containers: Vec<&str> = patterns
        .iter()
        .flatten()
        .filter_map(|p| {
            p.trim_end_matches('/')
                .rsplit_once('/')
                .map(|(parent, _)| parent)
        })
        .filter(|parent| !parent.trim_matches('/').is_empty())
        .collect();
    doc.iter().any(|(i, _)| {
        let path = doc.path(i);
        containers.iter().any(|c| path_matches(c, &path))
    })
}

/// Elements matched by the first pattern of `patterns` that matches anything.
fn select<'d>(doc: &'d Document, patterns: &Option<Vec<String>>) -> Vec<&'d Element> {
    for pattern in patterns.iter().flatten() {
        let found: Vec<&Element> = doc
            .iter()
            .filter(|(i, _)| path_matches(pattern, &doc.path(*i)))
            .map(|(_, e)| e)
            .collect();
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

fn spanned_text(el: &Element) -> Spanned<String> {
    Spanned::new(el.trimmed_text().to_owned(), el.text_span.clone())
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "enabled" | "on" => Some(true),
        "false" | "0" | "no" | "disabled" | "off" => Some(false),
        _ => None,
    }
}

fn parse_ip_mode(s: &str) -> Option<IpMode> {
    match s.trim().to_ascii_lowercase().as_str() {
        "dhcp" | "dynamic" => Some(IpMode::Dhcp),
        "static" | "manual" | "fixed" => Some(IpMode::Static),
        other => parse_bool(other).map(|dhcp| if dhcp { IpMode::Dhcp } else { IpMode::Static }),
    }
}

fn parse_algorithm(s: &str) -> Option<Algorithm> {
    match s.trim().to_ascii_lowercase().as_str() {
        "0" | "localdomains" | "local-domains" | "local_domains" | "local" => {
            Some(Algorithm::LocalDomains)
        }
        "1" | "remoteurls" | "remote-urls" | "remote_urls" | "remote" => {
            Some(Algorithm::RemoteUrls)
        }
        _ => None,
    }
}

/// Read a document whose root the mapping knows. `explicit`: the user named the file, so a root
/// with nothing mapped under it is reported rather than skipped.
pub fn read(doc: &Document, source: &Source, mapping: &ScsMapping, explicit: bool) -> FileOutcome {
    let f = &mapping.fields;
    let root = doc.root();
    let mut findings = Vec::new();
    let name = select(doc, &f.profile_name)
        .first()
        .map(|e| e.trimmed_text().to_owned())
        .filter(|n| !n.is_empty())
        .or_else(|| {
            source
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "SCS profile".to_owned());

    let domains = select_all(doc, &f.home_domains);
    let algorithm = select(doc, &f.detection_algorithm);
    let mps = select_all(doc, &f.mps_servers);
    let policies = select_all(doc, &f.remote_access_policies);
    let ip_mode = select(doc, &f.ip_mode);
    let ip_sync = select(doc, &f.ip_sync);
    let fqdn_source = select(doc, &f.fqdn_source);
    let shared_fqdn = select(doc, &f.shared_fqdn);
    let nothing_mapped = [
        &domains,
        &algorithm,
        &mps,
        &policies,
        &ip_mode,
        &ip_sync,
        &fqdn_source,
        &shared_fqdn,
    ]
    .iter()
    .all(|v| v.is_empty());
    if nothing_mapped && let Some(blob) = doc.elements.iter().find(|e| looks_base64(&e.text)) {
        return FileOutcome {
            profiles: Vec::new(),
            findings: vec![
                Finding::new(
                    Code::SL052,
                    source,
                    blob.text_span.clone(),
                    "this SCS profile is encrypted: its payload is a base64 blob",
                )
                .label("encrypted payload")
                .help(super::DECRYPT_HELP),
            ],
        };
    }

    // A known root with nothing of a profile under it: another document that shares the root's
    // name, unless the user named it.
    let list_present = !domains.is_empty() || has_container(doc, &f.home_domains);
    if nothing_mapped && !list_present && !explicit {
        return FileOutcome::default();
    }
    let mut profile = Profile::new(
        name.clone(),
        ProfileKind::Scs,
        source,
        root.tag_span.clone(),
    );
    if !list_present {
        // No home-domain path matched: the list may be there under other element names, so the
        // profile is not judged as if it had none.
        findings.push(
            Finding::new(
                Code::SL012,
                source,
                root.tag_span.clone(),
                format!("SCS profile `{name}`: no element matches the mapping's home-domain paths, so its environment detection is not checked"),
            )
            .label("SCS profile root")
            .help(format!(
                "run `scslint inspect {}` to list its elements, then name the home-domain element under [scs.fields] home_domains in scslint.toml",
                source.path.display()
            ))
            .profile(&name),
        );
    }
    let mut bad_value = |el: &Element, field: &str, expected: &str| {
        findings.push(
            Finding::new(
                Code::SL051,
                source,
                el.text_span.clone(),
                format!(
                    "`{}` is not a valid {field} (expected {expected})",
                    el.trimmed_text()
                ),
            )
            .label(format!("mapped as {field}"))
            .profile(&name),
        );
    };

    let mut detection = Detection {
        algorithm: Algorithm::LocalDomains,
        strings: Vec::new(),
        string_spans: Vec::new(),
        ipv6_prefixes: Vec::new(),
        prefix_spans: Vec::new(),
        span: root.tag_span.clone(),
        written: None,
        layout: Some(super::edit::ListLayout::xml(&source.text, &domains)),
    };
    if let Some(el) = algorithm.first() {
        match parse_algorithm(el.trimmed_text()) {
            Some(a) => detection.algorithm = a,
            None => bad_value(el, "detection_algorithm", "0/LocalDomains or 1/RemoteURLs"),
        }
    }
    for el in &domains {
        detection.push(Spanned::new(el.text.clone(), el.text_span.clone()));
    }
    if let (Some(first), Some(last)) = (domains.first(), domains.last()) {
        detection.span = first.text_span.start..last.text_span.end;
    }
    profile.detection = list_present.then_some(detection);

    if !mps.is_empty() || !policies.is_empty() {
        profile.remote_access = Some(RemoteAccess {
            mps_servers: mps
                .iter()
                .map(|e| spanned_text(e))
                .filter(|s| !s.value.is_empty())
                .collect(),
            policies: policies.iter().map(|e| spanned_text(e)).collect(),
        });
    }
    if let Some(el) = ip_mode.first() {
        match parse_ip_mode(el.trimmed_text()) {
            Some(m) => profile.ip_mode = Some(Spanned::new(m, el.text_span.clone())),
            None => bad_value(el, "ip_mode", "DHCP or Static"),
        }
    }
    if let Some(el) = ip_sync.first() {
        match parse_bool(el.trimmed_text()) {
            Some(b) => profile.ip_sync = Some(Spanned::new(b, el.text_span.clone())),
            None => bad_value(el, "ip_sync", "true or false"),
        }
    }
    if let Some(el) = shared_fqdn.first() {
        match parse_bool(el.trimmed_text()) {
            Some(b) => profile.shared_fqdn = Some(Spanned::new(b, el.text_span.clone())),
            None => bad_value(el, "shared_fqdn", "true or false"),
        }
    }
    profile.fqdn_source = fqdn_source.first().map(|e| spanned_text(e));
    FileOutcome {
        profiles: vec![profile],
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::read_source;
    use crate::source::{Encoding, SourceFile};

    fn read_str(text: &str, mapping: &ScsMapping) -> FileOutcome {
        read_source(
            &SourceFile::new("p/hq.xml", text.to_owned(), Encoding::Utf8),
            true,
            mapping,
        )
    }

    const PROFILE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Profile xmlns="urn:example:scs">
  <ProfileName>HQ Standard</ProfileName>
  <Network><IPSettings><Mode>DHCP</Mode><IPSync>true</IPSync></IPSettings>
    <FQDN><Source>PrimaryDnsSuffix</Source><Shared>true</Shared></FQDN></Network>
  <EnvironmentDetection><HomeDomains><Domain>company.com</Domain><Domain>vpn.company.com</Domain></HomeDomains></EnvironmentDetection>
  <RemoteAccess><MPSServers><MPSServer><Address>mps.company.com</Address><Port>4433</Port></MPSServer></MPSServers>
    <Policies><Policy><Name>user-initiated</Name></Policy></Policies></RemoteAccess>
</Profile>"#;

    #[test]
    fn shipped_mapping_parses_and_fills_every_field() {
        let m: ScsMapping = toml::from_str(DEFAULT_MAPPING).expect("shipped mapping must parse");
        let f = &m.fields;
        for field in [
            &f.profile_name,
            &f.home_domains,
            &f.detection_algorithm,
            &f.mps_servers,
            &f.remote_access_policies,
            &f.ip_mode,
            &f.ip_sync,
            &f.fqdn_source,
            &f.shared_fqdn,
        ] {
            assert!(field.as_ref().is_some_and(|v| !v.is_empty()));
        }
        assert!(m.is_root("profile"));
    }

    #[test]
    fn reads_every_mapped_field() {
        let out = read_str(PROFILE, &ScsMapping::shipped());
        assert!(out.findings.is_empty(), "{:?}", out.findings);
        let p = &out.profiles[0];
        assert_eq!(p.name, "HQ Standard");
        assert_eq!(
            p.detection.as_ref().unwrap().strings,
            ["company.com", "vpn.company.com"]
        );
        assert!(p.has_remote_access());
        assert_eq!(
            p.remote_access.as_ref().unwrap().policies[0].value,
            "user-initiated"
        );
        assert_eq!(p.ip_mode.as_ref().unwrap().value, IpMode::Dhcp);
        assert!(p.ip_sync.as_ref().unwrap().value);
        assert!(p.shared_fqdn.as_ref().unwrap().value);
        assert_eq!(p.fqdn_source.as_ref().unwrap().value, "PrimaryDnsSuffix");
    }

    /// A shape built from the AMT SDK's property names and the SCS console's words, read by the
    /// shipped mapping without an override.
    #[test]
    fn sdk_and_console_vocabulary_is_read_by_the_shipped_mapping() {
        let text = r#"<AMTConfiguration>
  <ProfileName>Plant</ProfileName>
  <AMT_EthernetPortSettings><DHCPEnabled>true</DHCPEnabled><IpSyncEnabled>false</IpSyncEnabled></AMT_EthernetPortSettings>
  <AMT_GeneralSettings><SharedFQDN>false</SharedFQDN></AMT_GeneralSettings>
  <AMT_EnvironmentDetectionSettingData>
    <DetectionAlgorithm>0</DetectionAlgorithm>
    <DetectionStrings><string>plant.example.com</string><string>example.com</string></DetectionStrings>
  </AMT_EnvironmentDetectionSettingData>
  <RemoteAccess>
    <PreferredServer><Address>mps1.example.com</Address></PreferredServer>
    <AlternativeServer><Address>mps2.example.com</Address></AlternativeServer>
    <RemoteAccessPolicy><Name>Fast Call For Help</Name></RemoteAccessPolicy>
    <RemoteAccessPolicy><Name>Scheduled maintenance</Name></RemoteAccessPolicy>
  </RemoteAccess>
</AMTConfiguration>"#;
        let out = read_str(text, &ScsMapping::shipped());
        assert!(out.findings.is_empty(), "{:?}", out.findings);
        let p = &out.profiles[0];
        assert_eq!(p.name, "Plant");
        assert_eq!(
            p.detection.as_ref().unwrap().strings,
            ["plant.example.com", "example.com"]
        );
        let ra = p.remote_access.as_ref().unwrap();
        let servers: Vec<&str> = ra.mps_servers.iter().map(|s| s.value.as_str()).collect();
        assert_eq!(servers, ["mps1.example.com", "mps2.example.com"]);
        assert_eq!(ra.policies.len(), 2);
        assert_eq!(p.ip_mode.as_ref().unwrap().value, IpMode::Dhcp);
        assert!(!p.ip_sync.as_ref().unwrap().value);
        assert!(!p.shared_fqdn.as_ref().unwrap().value);
    }

    #[test]
    fn unmapped_home_domains_are_reported_not_judged_empty() {
        let text = "<Profile><ProfileName>X</ProfileName><Suffixes><S>company.com</S></Suffixes></Profile>";
        let out = read_str(text, &ScsMapping::shipped());
        assert_eq!(out.findings.len(), 1, "{:?}", out.findings);
        assert_eq!(out.findings[0].code, Code::SL012);
        assert!(
            out.findings[0]
                .help
                .as_deref()
                .unwrap()
                .contains("scslint inspect")
        );
        assert!(out.profiles[0].detection.is_none());
        // An empty list's container: known to be empty, judged as such.
        let empty =
            "<Profile><EnvironmentDetection><HomeDomains/></EnvironmentDetection></Profile>";
        let out = read_str(empty, &ScsMapping::shipped());
        assert!(out.findings.is_empty(), "{:?}", out.findings);
        assert!(
            out.profiles[0]
                .detection
                .as_ref()
                .unwrap()
                .strings
                .is_empty()
        );
        // A walked document that only shares the root's name is skipped.
        let other = "<Profile><Theme>dark</Theme></Profile>";
        let walked = read_source(
            &SourceFile::new("ui.xml", other.to_owned(), Encoding::Utf8),
            false,
            &ScsMapping::shipped(),
        );
        assert!(walked.profiles.is_empty() && walked.findings.is_empty());
    }

    #[test]
    fn an_override_remaps_only_what_it_names() {
        let text = PROFILE
            .replace("<HomeDomains><Domain>", "<Suffixes><S>")
            .replace("</Domain><Domain>", "</S><S>")
            .replace("</Domain></HomeDomains>", "</S></Suffixes>");
        let over: ScsMapping =
            toml::from_str("[fields]\nhome_domains = [\"EnvironmentDetection/Suffixes/S\"]")
                .unwrap();
        let mapping = over.over(&ScsMapping::shipped());
        let out = read_str(&text, &mapping);
        let p = &out.profiles[0];
        assert_eq!(
            p.detection.as_ref().unwrap().strings,
            ["company.com", "vpn.company.com"]
        );
        assert_eq!(
            p.ip_mode.as_ref().unwrap().value,
            IpMode::Dhcp,
            "unnamed fields keep the default"
        );
    }

    #[test]
    fn bad_values_are_reported_and_the_rest_read() {
        let out = read_str(
            &PROFILE.replace("<Mode>DHCP</Mode>", "<Mode>sometimes</Mode>"),
            &ScsMapping::shipped(),
        );
        assert_eq!(out.findings[0].code, Code::SL051);
        assert_eq!(out.profiles[0].detection.as_ref().unwrap().strings.len(), 2);
    }

    #[test]
    fn encrypted_payloads_are_recognised() {
        let blob = "U2FsdGVkX1".repeat(30);
        let out = read_str(
            &format!("<Profile><Data>{blob}</Data></Profile>"),
            &ScsMapping::shipped(),
        );
        assert_eq!(out.findings[0].code, Code::SL052);
        let out = read_str(
            "<Profile xmlns:x=\"http://www.w3.org/2001/04/xmlenc#\"><x:EncryptedData><x:CipherData><x:CipherValue>AAAA</x:CipherValue></x:CipherData></x:EncryptedData></Profile>",
            &ScsMapping::shipped(),
        );
        assert_eq!(out.findings[0].code, Code::SL052);
    }

    #[test]
    fn path_patterns() {
        assert!(path_matches(
            "HomeDomains/Domain",
            &["Profile", "EnvironmentDetection", "HomeDomains", "Domain"]
        ));
        assert!(path_matches(
            "homedomains/DOMAIN",
            &["X", "HomeDomains", "Domain"]
        ));
        assert!(!path_matches(
            "/HomeDomains/Domain",
            &["X", "HomeDomains", "Domain"]
        ));
        assert!(path_matches(
            "/X/HomeDomains/Domain",
            &["X", "HomeDomains", "Domain"]
        ));
        assert!(!path_matches("", &["X"]));
    }
}
