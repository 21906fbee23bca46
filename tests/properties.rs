//! Properties of the model, checked on generated names, profiles and networks:
//!
//! * label-suffix matching: a byte-exact match is certain, a match that needs case folding or a
//!   trailing dot dropped is inside but uncertain (never certain), and no match crosses a label
//!   boundary (`dns_name::suffix_match`, `envdetect::classify`);
//! * grouping never loses a network: every enterprise network a profile leaves outside is named by
//!   exactly one SL100 finding;
//! * fingerprints (baselines, SARIF `partialFingerprints`) do not depend on the order of the
//!   findings or of the networks, nor on line numbers.
//!
//! Profiles and networks are written as the files scslint reads (a WS-Management instance, an
//! observed.toml) and read by the real readers, so the properties hold for what users write.

use proptest::prelude::*;
use scslint::baseline::{self, Baseline};
use scslint::diagnostic::{Code, Finding};
use scslint::dns_name::{SuffixMatch, normalise, suffix_match};
use scslint::envdetect::{
    Algorithm, Attachment, DetectionSettings, InsideBy, IpMode, Verdict, classify,
};
use scslint::external::ExternalSuffixes;
use scslint::level::Levels;
use scslint::observe::{Network, snapshot};
use scslint::outcome::{self, Summary};
use scslint::profile::{self, Profile, scs::ScsMapping};
use scslint::report::{paths::RepoPaths, sarif};
use scslint::rules::{self, Context};
use scslint::source::{Encoding, SourceFile};
use std::path::Path;

// ---- names ----

/// Labels that overlap as text (`corp`, `mycorp`, `orp`) and as suffixes, so generated names
/// often end one another with and without a label boundary.
const LABELS: &[&str] = &[
    "corp", "mycorp", "orp", "example", "com", "hq", "plant", "lab", "eu", "de", "local",
];

fn labels(len: std::ops::Range<usize>) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(prop::sample::select(LABELS).prop_map(str::to_owned), len)
}

fn name() -> impl Strategy<Value = String> {
    labels(1..4).prop_map(|l| l.join("."))
}

/// `name` with the letters the mask picks upper-cased and, when `dot`, a trailing dot.
fn spelled(name: &str, upper: &[bool], dot: bool) -> String {
    let mut out: String = name
        .chars()
        .zip(upper.iter().cycle())
        .map(|(c, &up)| if up { c.to_ascii_uppercase() } else { c })
        .collect();
    if dot {
        out.push('.');
    }
    out
}

fn verdict_for(entry: &str, value: &str) -> Verdict {
    let strings = [entry.to_owned()];
    let settings = DetectionSettings {
        algorithm: Algorithm::LocalDomains,
        strings: &strings,
        ipv6_prefixes: &[],
    };
    classify(&settings, IpMode::Dhcp, &Attachment::suffix(Some(value)))
}

fn certainty(v: &Verdict) -> Option<bool> {
    match v {
        Verdict::Inside(InsideBy::Domain { uncertain, .. }) => Some(!uncertain),
        _ => None,
    }
}

/// A match, exact or not, that starts at a label boundary of `value`.
fn at_label_boundary(entry: &str, value: &str) -> bool {
    value == entry || value.ends_with(&format!(".{entry}"))
}

proptest! {
    #[test]
    fn suffix_matching_is_label_wise_and_folding_is_never_certain(
        value in labels(1..5),
        take in 1usize..5,
        other in name(),
        use_suffix in any::<bool>(),
        upper_entry in prop::collection::vec(any::<bool>(), 1..8),
        upper_value in prop::collection::vec(any::<bool>(), 1..8),
        dot_entry in any::<bool>(),
        dot_value in any::<bool>(),
    ) {
        let base_value = value.join(".");
        let base_entry = if use_suffix {
            value[value.len().saturating_sub(take)..].join(".")
        } else {
            other
        };
        let entry = spelled(&base_entry, &upper_entry, dot_entry);
        let option15 = spelled(&base_value, &upper_value, dot_value);

        // Matching never crosses a label boundary, on raw or normalised text alike.
        for (e, v) in [(entry.clone(), option15.clone()), (normalise(&entry), normalise(&option15))] {
            let m = suffix_match(&e, &v);
            prop_assert_eq!(m.matches(), at_label_boundary(&e, &v), "{:?} in {:?}: {:?}", e, v, m);
            if v.ends_with(&e) && !at_label_boundary(&e, &v) {
                prop_assert_eq!(m, SuffixMatch::RawOnly);
            }
        }

        let byte_exact = suffix_match(&entry, &option15).matches();
        let folded = suffix_match(&normalise(&entry), &normalise(&option15)).matches();
        let verdict = verdict_for(&entry, &option15);
        let expected = if byte_exact {
            Some(true)
        } else if folded {
            Some(false)
        } else {
            None
        };
        // Byte-exact: certain. Only after folding or dropping the dot: inside, uncertain.
        prop_assert_eq!(certainty(&verdict), expected, "{:?} vs {:?}: {:?}", entry, option15, verdict);
        prop_assert_eq!(verdict.is_outside(), expected.is_none());
        // Folding both sides first changes inside/outside for nothing, and leaves nothing to doubt.
        let canonical = verdict_for(&normalise(&entry), &normalise(&option15));
        prop_assert_eq!(canonical.is_inside(), verdict.is_inside());
        prop_assert!(!canonical.is_uncertain());
        // A suffix taken whole labels at a time always matches once folded.
        if use_suffix {
            prop_assert!(verdict.is_inside());
        }
    }
}

// ---- profiles and networks as files ----

#[derive(Debug, Clone)]
struct Net {
    suffix: Option<String>,
    trust: Option<&'static str>,
    vpn: bool,
}

fn net() -> impl Strategy<Value = Net> {
    (
        prop::option::weighted(0.9, name()),
        prop::sample::select(vec![None, Some("enterprise"), Some("external")]),
        prop::bool::weighted(0.15),
    )
        .prop_map(|(suffix, trust, vpn)| Net { suffix, trust, vpn })
}

/// Networks named `n0`, `n1`, … in the order generated.
fn nets(max: usize) -> impl Strategy<Value = Vec<(String, Net)>> {
    prop::collection::vec(net(), 0..max).prop_map(|nets| {
        nets.into_iter()
            .enumerate()
            .map(|(i, n)| (format!("n{i}"), n))
            .collect()
    })
}

/// A WS-Management instance listing `entries`, after `pad` comment lines.
fn profile_file(entries: &[String], pad: usize) -> Profile {
    let ns = "http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData";
    let mut text = "<!-- moved down -->\n".repeat(pad);
    text.push_str(&format!(
        "<g:AMT_EnvironmentDetectionSettingData xmlns:g=\"{ns}\">\n  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>\n"
    ));
    for e in entries {
        text.push_str(&format!("  <g:DetectionStrings>{e}</g:DetectionStrings>\n"));
    }
    text.push_str("</g:AMT_EnvironmentDetectionSettingData>\n");
    let source = SourceFile::new("profiles/p.xml", text, Encoding::Utf8);
    let mut read = profile::read_source(&source, true, &ScsMapping::shipped());
    assert!(
        read.findings.iter().all(|f| !f.code.is_input_problem()),
        "{:?}",
        read.findings
    );
    read.profiles.pop().expect("one profile")
}

/// An observed.toml with `nets` in this order, each table after `pad` comment lines.
fn observed_file(nets: &[(String, Net)], pad: usize) -> Vec<Network> {
    let mut text = String::new();
    for (name, n) in nets {
        text.push_str(&"# moved down\n".repeat(pad));
        text.push_str(&format!("[[network]]\nname = \"{name}\"\nhosts = 3\n"));
        if let Some(s) = &n.suffix {
            text.push_str(&format!("suffix = \"{s}\"\n"));
        }
        if let Some(t) = n.trust {
            text.push_str(&format!("trust = \"{t}\"\n"));
        }
        if n.vpn {
            text.push_str("kind = \"vpn\"\n");
        }
    }
    let source = SourceFile::new("observed.toml", text, Encoding::Utf8);
    let observed = snapshot::read_source(&source);
    assert!(observed.findings.is_empty(), "{:?}", observed.findings);
    let external = ExternalSuffixes::default();
    let mut networks = observed.networks;
    for n in &mut networks {
        n.apply_external(&external);
    }
    networks
}

fn findings(profile: &Profile, networks: &[Network]) -> Vec<Finding> {
    let external = ExternalSuffixes::default();
    rules::run(&Context::new(profile, Some(networks), &external, 4, None))
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_enterprise_network_left_outside_is_in_exactly_one_sl100(
        entries in prop::collection::vec(name(), 1..4),
        nets in nets(45),
    ) {
        let profile = profile_file(&entries, 0);
        let networks = observed_file(&nets, 0);
        let outside: Vec<String> = networks
            .iter()
            .filter(|n| n.is_enterprise() && n.has_domain())
            .filter(|n| profile.verdict(&n.attachment()).is_some_and(|v| v.is_outside()))
            .map(|n| n.name.clone())
            .collect();
        let named: Vec<String> = findings(&profile, &networks)
            .into_iter()
            .filter(|f| f.code == Code::SL100)
            .flat_map(|f| f.networks)
            .collect();
        prop_assert_eq!(sorted(named), sorted(outside));
    }

    #[test]
    fn fingerprints_ignore_finding_order_network_order_and_lines(
        entries in prop::collection::vec(name(), 1..4),
        (nets, shuffled) in nets(30).prop_flat_map(|n| (Just(n.clone()), Just(n).prop_shuffle())),
        pad in 1usize..4,
    ) {
        let before = findings(&profile_file(&entries, 0), &observed_file(&nets, 0));
        let mut after = findings(&profile_file(&entries, pad), &observed_file(&shuffled, pad));
        after.reverse();
        let prints = |f: &[Finding]| sorted(f.iter().map(Finding::fingerprint).collect());
        prop_assert_eq!(prints(&before), prints(&after));

        let sarif_prints = |f: &[Finding]| {
            let outcome = outcome::finish(f.to_vec(), Summary::default(), &Levels::default());
            let log = sarif::log(&outcome, &RepoPaths::from_dir(Path::new("/")));
            sorted(
                log["runs"][0]["results"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|r| r["partialFingerprints"].to_string())
                    .collect(),
            )
        };
        prop_assert_eq!(sarif_prints(&before), sarif_prints(&after));

        // A baseline written from one run leaves out every finding of the other.
        let recorded = Baseline::parse(&baseline::render(&before)).unwrap();
        let outcome = outcome::finish(after, Summary::default(), &Levels::default());
        let left = recorded.filter(outcome).findings;
        prop_assert!(left.is_empty(), "{:?}", left.iter().map(|f| &f.message).collect::<Vec<_>>());
    }
}
