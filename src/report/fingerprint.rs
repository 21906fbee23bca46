//! Fingerprints that identify a finding across runs without its position: SARIF's
//! `partialFingerprints`, so code scanning keeps one alert when lines move above it.
//!
//! A fingerprint ([`Finding::fingerprint_at`]) hashes the code, the repository-relative path, the
//! profile, network, home domain and host the finding names, and its message with digits taken
//! out (host counts change from one collection to the next). Never the line or column. A grouped
//! finding (one per mistake, naming every network or host it is about) hashes its group key in
//! place of the message, network, home domain and host, so it keeps its fingerprint, and its
//! baseline entry, when a network joins or leaves the group. Findings that would still share a
//! hash get `:1`, `:2`, … in their reading order, so each one stays distinct.

use crate::diagnostic::Finding;
use std::collections::HashMap;

/// The fingerprint key SARIF results carry it under.
pub const KEY: &str = "scslint/v1";

/// The position-free hash of one finding (32 hex digits); `path` is its repository-relative path.
pub fn base(f: &Finding, path: &str) -> String {
    f.fingerprint_at(path)
}

/// Fingerprints of findings in their reporting order, `base:n` with n counting equal bases.
pub fn all<'a>(findings: impl IntoIterator<Item = (&'a Finding, String)>) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    findings
        .into_iter()
        .map(|(f, path)| {
            let base = base(f, &path);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            format!("{base}:{n}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::source::SourceFile;

    #[test]
    fn position_and_counts_do_not_matter_but_identity_does() {
        let a = SourceFile::new(
            "p.xml",
            "<a>\n<b>corp.com</b>".into(),
            crate::source::Encoding::Utf8,
        );
        let moved = SourceFile::new(
            "p.xml",
            "<!-- new -->\n\n<a>\n<b>corp.com</b>".into(),
            crate::source::Encoding::Utf8,
        );
        let f1 = Finding::new(
            Code::SL100,
            &a,
            7..15,
            "network `hq` (420 hosts) is outside",
        )
        .profile("p")
        .network("hq");
        let f2 = Finding::new(
            Code::SL100,
            &moved,
            20..28,
            "network `hq` (431 hosts) is outside",
        )
        .profile("p")
        .network("hq");
        assert_ne!(f1.line_col(), f2.line_col());
        assert_eq!(base(&f1, "p.xml"), base(&f2, "p.xml"));
        assert_ne!(base(&f1, "p.xml"), base(&f1, "q.xml"));
        let other = f1.clone().network("wifi");
        assert_ne!(base(&f1, "p.xml"), base(&other, "p.xml"));
        assert_eq!(base(&f1, "p.xml").len(), 32);
    }

    #[test]
    fn equal_findings_are_numbered_in_order() {
        let f = Finding::at_file(Code::SL051, "x.xml".into(), 3, 1, "broken");
        let prints = all([(&f, "x.xml".to_owned()), (&f, "x.xml".to_owned())]);
        assert!(prints[0].ends_with(":1"), "{prints:?}");
        assert!(prints[1].ends_with(":2"), "{prints:?}");
        assert_eq!(prints[0][..32], prints[1][..32]);
    }
}
