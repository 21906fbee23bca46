//! DNS names as AMT compares them: normalisation, validation and the label-wise suffix test.
//! Everything here is pure and works on plain strings; spans stay with the callers.

use std::net::IpAddr;

/// Firmware limit on one home-domain entry (IRG: at most 190 characters).
pub const FIRMWARE_MAX_ENTRY_LEN: usize = 190;

/// A name as DNS compares names: ASCII letters without regard to case (RFC 4343), every other
/// byte as it is. Equality, hashing and order agree, so it can key a map or a set.
#[derive(Debug, Clone, Copy)]
pub struct DnsName<'a>(pub &'a str);

impl DnsName<'_> {
    fn folded(&self) -> impl Iterator<Item = u8> + '_ {
        self.0.bytes().map(|b| b.to_ascii_lowercase())
    }
}

impl PartialEq for DnsName<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for DnsName<'_> {}

impl std::hash::Hash for DnsName<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for b in self.folded() {
            state.write_u8(b);
        }
        state.write_u8(0xff);
    }
}

impl PartialOrd for DnsName<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DnsName<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.folded().cmp(other.folded())
    }
}

impl std::fmt::Display for DnsName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// Two lists of names equal name by name, in order, as DNS compares names.
pub fn same_names<S: AsRef<str>>(a: &[S], b: &[S]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(a, b)| DnsName(a.as_ref()) == DnsName(b.as_ref()))
}

/// Normalise a name the way scslint models the firmware: trim surrounding whitespace, drop one
/// trailing dot, ASCII-lowercase.
pub fn normalise(raw: &str) -> String {
    normalised(raw).into_owned()
}

/// [`normalise`] without a copy when the name is already in that form (the usual case).
pub fn normalised(raw: &str) -> std::borrow::Cow<'_, str> {
    let t = raw.trim();
    let t = t.strip_suffix('.').unwrap_or(t);
    if t.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(t.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(t)
    }
}

/// What made an entry differ from its canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NonCanonical {
    Whitespace,
    TrailingDot,
    LeadingDot,
    UpperCase,
}

impl NonCanonical {
    pub fn describe(&self) -> &'static str {
        match self {
            NonCanonical::Whitespace => "surrounding whitespace",
            NonCanonical::TrailingDot => "a trailing dot",
            NonCanonical::LeadingDot => "a leading dot",
            NonCanonical::UpperCase => "upper-case letters",
        }
    }
}

pub fn non_canonical(raw: &str) -> Vec<NonCanonical> {
    let mut out = Vec::new();
    let t = raw.trim();
    if t.len() != raw.len() {
        out.push(NonCanonical::Whitespace);
    }
    if t.starts_with('.') {
        out.push(NonCanonical::LeadingDot);
    }
    if t.len() > 1 && t.ends_with('.') {
        out.push(NonCanonical::TrailingDot);
    }
    if t.bytes().any(|b| b.is_ascii_uppercase()) {
        out.push(NonCanonical::UpperCase);
    }
    out
}

/// The canonical spelling scslint suggests for an entry.
pub fn canonical(raw: &str) -> String {
    let n = normalise(raw);
    n.strip_prefix('.').map(str::to_owned).unwrap_or(n)
}

/// Why a string is not a usable DNS name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameProblem {
    Empty,
    EmptyLabel,
    LabelTooLong { label: String, len: usize },
    NameTooLong { len: usize },
    BadCharacter { ch: char },
    HyphenAtLabelEdge { label: String },
    Url,
    IpAddress,
}

impl std::fmt::Display for NameProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameProblem::Empty => write!(f, "the entry is empty"),
            NameProblem::EmptyLabel => write!(f, "it has an empty label (two dots in a row)"),
            NameProblem::LabelTooLong { label, len } => {
                write!(f, "label `{label}` is {len} characters long (at most 63)")
            }
            NameProblem::NameTooLong { len } => {
                write!(f, "the name is {len} characters long (at most 253)")
            }
            NameProblem::BadCharacter { ch } => write!(
                f,
                "it contains {}, which is not a letter, digit, hyphen or dot",
                describe_char(*ch)
            ),
            NameProblem::HyphenAtLabelEdge { label } => {
                write!(f, "label `{label}` starts or ends with a hyphen")
            }
            NameProblem::Url => write!(f, "it is a URL, not a DNS suffix"),
            NameProblem::IpAddress => write!(f, "it is an IP address, not a DNS suffix"),
        }
    }
}

fn describe_char(ch: char) -> String {
    if ch.is_control() || ch.is_whitespace() {
        format!("the character U+{:04X}", ch as u32)
    } else {
        format!("`{ch}`")
    }
}

/// True when the entry reads as a URL (what the RemoteURLs algorithm expects).
pub fn looks_like_url(raw: &str) -> bool {
    let t = raw.trim();
    t.contains("://") || t.contains('/')
}

/// Validate a home-domain entry under the LocalDomains algorithm. Whitespace and one leading or
/// trailing dot are left to the canonical-form check, so they are not reported twice.
pub fn validate(raw: &str) -> Vec<NameProblem> {
    let t = raw.trim();
    let t = t.strip_suffix('.').unwrap_or(t);
    let t = t.strip_prefix('.').unwrap_or(t);
    if t.is_empty() {
        return vec![NameProblem::Empty];
    }
    if looks_like_url(t) {
        return vec![NameProblem::Url];
    }
    let bare = t.trim_start_matches('[').trim_end_matches(']');
    if bare.parse::<IpAddr>().is_ok() {
        return vec![NameProblem::IpAddress];
    }
    let mut out = Vec::new();
    if let Some(ch) = t
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.'))
    {
        out.push(NameProblem::BadCharacter { ch });
    }
    if t.len() > 253 {
        out.push(NameProblem::NameTooLong { len: t.len() });
    }
    for label in t.split('.') {
        if label.is_empty() {
            if !out.contains(&NameProblem::EmptyLabel) {
                out.push(NameProblem::EmptyLabel);
            }
        } else if label.len() > 63 {
            out.push(NameProblem::LabelTooLong {
                label: shorten(label),
                len: label.len(),
            });
        } else if label.starts_with('-') || label.ends_with('-') {
            out.push(NameProblem::HyphenAtLabelEdge {
                label: label.to_owned(),
            });
        }
    }
    out
}

fn shorten(label: &str) -> String {
    if label.chars().count() <= 20 {
        label.to_owned()
    } else {
        format!("{}…", label.chars().take(20).collect::<String>())
    }
}

/// How a normalised home-domain entry relates to a normalised option-15 value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuffixMatch {
    Exact,
    /// The value ends with `.` + entry: a match at a label boundary.
    Label,
    /// The value ends with the entry, but not at a label boundary (`mycorp.com` vs `corp.com`).
    RawOnly,
    None,
}

impl SuffixMatch {
    pub fn matches(self) -> bool {
        matches!(self, SuffixMatch::Exact | SuffixMatch::Label)
    }
}

/// The modelled firmware comparison, on names already passed through [`normalise`].
pub fn suffix_match(entry: &str, value: &str) -> SuffixMatch {
    if entry.is_empty() || value.is_empty() {
        return SuffixMatch::None;
    }
    if value == entry {
        SuffixMatch::Exact
    } else if value.ends_with(entry) {
        let boundary = value.len() - entry.len();
        if value.as_bytes()[boundary - 1] == b'.' {
            SuffixMatch::Label
        } else {
            SuffixMatch::RawOnly
        }
    } else {
        SuffixMatch::None
    }
}

/// A never-matching name that consoles write to mean "always outside" (CIRA everywhere):
/// RPS and rpc-go write a random `<uuid>.com`, MeshCentral a random 12-hex string.
pub fn is_placeholder(raw: &str) -> bool {
    let n = normalise(raw);
    let first = n.split('.').next().unwrap_or("");
    let labels = n.split('.').count();
    let hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    let is_uuid = {
        let parts: Vec<&str> = first.split('-').collect();
        parts.len() == 5
            && parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
            && parts.iter().all(|p| hex(p))
    };
    let is_hex12 = first.len() == 12 && hex(first) && first.bytes().any(|b| b.is_ascii_digit());
    (is_uuid || is_hex12) && labels <= 2
}

/// Labels shared from the right, for "nearest suffix" suggestions.
pub fn shared_right_labels(a: &str, b: &str) -> usize {
    a.rsplit('.')
        .zip(b.rsplit('.'))
        .take_while(|(x, y)| x == y)
        .count()
}

/// Trim, drop one trailing dot, and treat an empty value as absent: how every reader stores a
/// suffix it saw.
pub fn clean_suffix(raw: &str) -> Option<String> {
    let t = raw.trim().trim_matches('"').trim();
    let t = t.strip_suffix('.').unwrap_or(t);
    (!t.is_empty()).then(|| t.to_owned())
}

/// Where a device's FQDN takes its domain from: an Intel SCS profile's FQDN setting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum FqdnSource {
    /// Host name + primary DNS suffix: what Intel SCS uses unless the profile says otherwise.
    #[default]
    PrimarySuffix,
    /// Host name + the wired (on-board LAN) adapter's connection-specific suffix.
    ConnectionSuffix,
    /// Host name + a suffix the profile names.
    Suffix(String),
}

impl FqdnSource {
    /// A profile's FQDN source as written (`HostNamePrimaryDnsSuffix`, `OnBoardLanDnsSuffix`,
    /// `corp.example.com`); text that names no other source is the default.
    pub fn parse(text: &str) -> FqdnSource {
        let t = text.trim();
        let words: String = t
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if t.contains('.') && !t.contains(char::is_whitespace) {
            clean_suffix(t).map_or(FqdnSource::PrimarySuffix, FqdnSource::Suffix)
        } else if words.contains("primary") {
            FqdnSource::PrimarySuffix
        } else if ["connection", "onboard", "lan"]
            .iter()
            .any(|w| words.contains(w))
        {
            FqdnSource::ConnectionSuffix
        } else {
            FqdnSource::PrimarySuffix
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_names_compare_hash_and_sort_without_case() {
        use std::collections::HashSet;
        assert_eq!(DnsName("Corp.Example"), DnsName("corp.example"));
        assert_ne!(DnsName("corp.example."), DnsName("corp.example"));
        assert_ne!(
            DnsName("é.example"),
            DnsName("É.example"),
            "only ASCII folds"
        );
        let set: HashSet<DnsName> = [DnsName("A.b"), DnsName("a.B"), DnsName("c")].into();
        assert_eq!(set.len(), 2);
        assert!(DnsName("B") > DnsName("a"));
        assert!(same_names(&["A", "b"], &["a", "B"]));
        assert!(!same_names(&["a", "b"], &["b", "a"]));
        assert!(!same_names(&["a"], &["a", "a"]));
    }

    #[test]
    fn normalises_case_whitespace_and_one_trailing_dot() {
        assert_eq!(normalise(" Company.COM. "), "company.com");
        assert_eq!(normalise("company.com.."), "company.com.");
        assert_eq!(canonical(".Corp.example."), "corp.example");
    }

    #[test]
    fn suffix_match_respects_label_boundaries() {
        use SuffixMatch::*;
        let cases = [
            ("company.com", "company.com", Exact),
            ("company.com", "site7.company.com", Label),
            ("corp.com", "mycorp.com", RawOnly),
            ("site7.company.com", "company.com", None),
            ("ad.company.local", "company.com", None),
            ("com", "guest-wifi.com", Label),
            ("company.com", "", None),
            ("", "company.com", None),
        ];
        for (entry, value, want) in cases {
            assert_eq!(suffix_match(entry, value), want, "{entry} vs {value}");
        }
    }

    #[test]
    fn validation_names_each_problem() {
        assert!(validate("company.com").is_empty());
        assert!(validate("xn--bcher-kva.example").is_empty());
        assert!(
            validate("Company.COM.").is_empty(),
            "canonical form is SL003's business"
        );
        assert_eq!(validate("a..b"), vec![NameProblem::EmptyLabel]);
        assert_eq!(validate(""), vec![NameProblem::Empty]);
        assert_eq!(validate("   "), vec![NameProblem::Empty]);
        assert!(matches!(
            validate(&"a".repeat(64))[0],
            NameProblem::LabelTooLong { len: 64, .. }
        ));
        let long = vec!["abcdefghij"; 24].join(".");
        assert_eq!(validate(&long), vec![NameProblem::NameTooLong { len: 263 }]);
        assert_eq!(
            validate("my_corp.com"),
            vec![NameProblem::BadCharacter { ch: '_' }]
        );
        assert_eq!(
            validate("-corp.com"),
            vec![NameProblem::HyphenAtLabelEdge {
                label: "-corp".into()
            }]
        );
        assert_eq!(
            validate("https://amt.company.com/check"),
            vec![NameProblem::Url]
        );
        assert_eq!(validate("10.1.4.20"), vec![NameProblem::IpAddress]);
        assert_eq!(validate("fe80::1"), vec![NameProblem::IpAddress]);
    }

    #[test]
    fn canonical_form_problems() {
        assert!(non_canonical("company.com").is_empty());
        assert_eq!(
            non_canonical(" .Company.com. "),
            vec![
                NonCanonical::Whitespace,
                NonCanonical::LeadingDot,
                NonCanonical::TrailingDot,
                NonCanonical::UpperCase
            ]
        );
    }

    #[test]
    fn recognises_console_placeholders() {
        assert!(is_placeholder("0f3c2b1a-9d8e-4c7b-a6f5-e4d3c2b1a09a.com"));
        assert!(is_placeholder("3fa85f64c2d1"));
        assert!(!is_placeholder("company.com"));
        assert!(!is_placeholder("deadbeefcafe.company.com"));
        assert!(
            !is_placeholder("abcdefabcdef"),
            "all letters: a word, not random hex"
        );
    }

    #[test]
    fn counts_shared_labels_from_the_right() {
        assert_eq!(shared_right_labels("ad.company.local", "company.com"), 0);
        assert_eq!(shared_right_labels("site4.company.com", "company.com"), 2);
    }
}
