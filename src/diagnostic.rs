//! What every stage reports: a [`Finding`] with a stable [`Code`], a location in a source file and
//! optional context. Severity comes from the code's default, the rule, then config, in that order.

use crate::source::{Source, Span};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// What a rule works on: it decides where `scslint rules` and docs/rules.md list it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// One profile on its own (SL0xx).
    Profile,
    /// A profile against the observed networks (SL1xx).
    Network,
    /// The hosts of agent reports (SL2xx).
    Host,
    /// A device on the wire, from `scslint probe` (SL3xx).
    Probe,
    /// Files that could not be used, and lookups that got no answer (SL050-SL054).
    Input,
    /// Suppressions themselves (SL9xx).
    Suppression,
}

/// What a rule needs besides the profile before it can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Needs {
    /// Observed networks (`--observed`, or `[observed]` in scslint.toml).
    pub networks: bool,
    /// DNS lookups (`--dns`).
    pub dns: bool,
    /// A probe of the device (`scslint probe`).
    pub probe: bool,
}

impl Needs {
    const fn of(names: &[&str]) -> Needs {
        let mut needs = Needs {
            networks: false,
            dns: false,
            probe: false,
        };
        let mut i = 0;
        while i < names.len() {
            match names[i].as_bytes() {
                b"Networks" => needs.networks = true,
                b"Dns" => needs.dns = true,
                b"Probe" => needs.probe = true,
                _ => panic!("unknown need"),
            }
            i += 1;
        }
        needs
    }
}

/// Expands the list build.rs writes from the `declare_rule!` of every file under src/rules/: one
/// line per code, in code order, with its name, default level, scope, needs, whether it is an
/// input problem, and the file that declares it.
macro_rules! codes {
    ($($code:ident $name:literal $severity:ident $scope:ident [$($need:ident)*] $input:literal $file:literal,)*) => {
        /// Every stable diagnostic code. Each is declared once, with its rule, in its own file
        /// under src/rules/ (the doc of each variant names it); this enum is generated from those
        /// declarations.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $(#[doc = concat!("`", $name, "`, declared in ", $file, ".")] $code,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$code,)*];

            pub const fn as_str(self) -> &'static str {
                match self { $(Code::$code => stringify!($code),)* }
            }

            pub const fn name(self) -> &'static str {
                match self { $(Code::$code => $name,)* }
            }

            pub const fn default_severity(self) -> Severity {
                match self { $(Code::$code => Severity::$severity,)* }
            }

            pub const fn scope(self) -> Scope {
                match self { $(Code::$code => Scope::$scope,)* }
            }

            /// What the rule needs besides the profile: observed networks, DNS, a probe.
            pub const fn needs(self) -> Needs {
                match self { $(Code::$code => Needs::of(&[$(stringify!($need)),*]),)* }
            }

            /// Input problems: a file that could not be read or parsed. They make the exit
            /// status 2 and their level cannot be changed.
            pub const fn is_input_problem(self) -> bool {
                match self { $(Code::$code => $input,)* }
            }

            /// The file under src/rules/ that declares the code.
            pub const fn declared_in(self) -> &'static str {
                match self { $(Code::$code => $file,)* }
            }
        }
    };
}

include!(concat!(env!("OUT_DIR"), "/codes.rs"));

impl Code {
    /// Look a code up by its code (`SL102`, any case) or its name (`unmatched-home-domain`).
    pub fn parse(s: &str) -> Option<Code> {
        let s = s.trim();
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(s) || c.name() == s)
    }

    /// The codes a `--select` or `--ignore` entry names: a code (`SL100`, any case), a rule name
    /// (`enterprise-network-outside`), or a code prefix (`SL1`: every SL1xx; `SL`: all). Empty
    /// when it names none.
    pub fn matching(entry: &str) -> Vec<Code> {
        if let Some(code) = Code::parse(entry) {
            return vec![code];
        }
        let prefix = entry.trim().to_ascii_uppercase();
        let is_prefix = prefix
            .strip_prefix("SL")
            .is_some_and(|digits| digits.bytes().all(|b| b.is_ascii_digit()));
        Code::ALL
            .iter()
            .copied()
            .filter(|c| is_prefix && c.as_str().starts_with(&prefix))
            .collect()
    }

    /// Codes a suppression (inline comment or `[[ignore]]`) may silence: not input problems, which
    /// make the exit status 2, and not the findings about suppressions themselves.
    pub fn suppressible(self) -> bool {
        !self.is_input_problem() && !matches!(self.scope(), Scope::Suppression)
    }

    /// Rules that only run with `--dns` (SL054 is raised by the lookups they make).
    pub fn needs_dns(self) -> bool {
        self.needs().dns
    }

    /// Rules that judge a profile against observed networks.
    pub fn needs_networks(self) -> bool {
        self.needs().networks
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a finding points.
#[derive(Debug, Clone)]
pub enum Location {
    /// A span in a loaded file.
    Span { source: Source, span: Span },
    /// A file that could not be loaded, with a 1-based position where one is known.
    File {
        path: PathBuf,
        line: usize,
        column: usize,
    },
}

impl Location {
    pub fn path(&self) -> PathBuf {
        match self {
            Location::Span { source, .. } => source.path.clone(),
            Location::File { path, .. } => path.clone(),
        }
    }

    /// 1-based line and column of the start.
    pub fn line_col(&self) -> (usize, usize) {
        match self {
            Location::Span { source, span } => source.line_col(span.start),
            Location::File { line, column, .. } => (*line, *column),
        }
    }

    /// 1-based line and column of the end (the start for a file position).
    pub fn end_line_col(&self) -> (usize, usize) {
        match self {
            Location::Span { source, span } => source.line_col(span.end.max(span.start)),
            Location::File { line, column, .. } => (*line, *column),
        }
    }

    /// A file position made a span of `source` when it is that file, so the finding shows its
    /// snippet; anything else stays as it is.
    pub fn in_source(&mut self, source: &Source) {
        if let Location::File { path, line, column } = self
            && *path == source.path
            && let Some(span) = source.span_at(*line, *column)
        {
            *self = Location::Span {
                source: source.clone(),
                span,
            };
        }
    }

    pub fn origin(origin: &crate::source::Origin) -> Location {
        Location::File {
            path: origin.path.clone(),
            line: origin.line,
            column: 1,
        }
    }
}

/// A second place worth showing with a finding (the network in observed.toml, the covering entry).
#[derive(Debug, Clone)]
pub struct Related {
    pub location: Location,
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    /// Text shown under the underline.
    pub label: Option<String>,
    pub help: Option<String>,
    pub profile: Option<String>,
    /// The network, when the finding is about exactly one.
    pub network: Option<String>,
    /// Every network the finding is about (one finding per mistake names all of them).
    pub networks: Vec<String>,
    pub home_domain: Option<String>,
    /// The host, when the finding is about exactly one.
    pub host: Option<String>,
    /// Every host the finding is about (host findings are grouped per network).
    pub hosts: Vec<String>,
    /// What a grouped finding is about, in place of its message, members and home domain in the
    /// fingerprint: adding a network to the group keeps the fingerprint.
    pub group_key: Option<String>,
    pub related: Vec<Related>,
    /// The edits that would correct the finding, when the rule knows them.
    pub fix: Option<crate::fix::Fix>,
}

impl Finding {
    pub fn new(code: Code, source: &Source, span: Span, message: impl Into<String>) -> Self {
        let location = Location::Span {
            source: source.clone(),
            span,
        };
        Finding::at(code, location, message)
    }

    /// A finding about a file that has no loaded text (unreadable, too large, not decodable).
    pub fn at_file(
        code: Code,
        path: PathBuf,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Finding::at(code, Location::File { path, line, column }, message)
    }

    pub fn at(code: Code, location: Location, message: impl Into<String>) -> Self {
        Finding {
            code,
            severity: code.default_severity(),
            message: message.into(),
            location,
            label: None,
            help: None,
            profile: None,
            network: None,
            networks: Vec::new(),
            home_domain: None,
            host: None,
            hosts: Vec::new(),
            group_key: None,
            related: Vec::new(),
            fix: None,
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn profile(mut self, name: &str) -> Self {
        self.profile = Some(name.to_owned());
        self
    }
    pub fn network(self, name: &str) -> Self {
        self.networks([name])
    }
    /// The networks the finding is about; `network` is set when there is exactly one.
    pub fn networks<S: AsRef<str>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        (self.networks, self.network) = names_and_single(names);
        self
    }
    pub fn home_domain(mut self, entry: &str) -> Self {
        self.home_domain = Some(entry.to_owned());
        self
    }
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
    pub fn host(self, name: &str) -> Self {
        self.hosts([name])
    }
    /// The hosts the finding is about; `host` is set when there is exactly one.
    pub fn hosts<S: AsRef<str>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        (self.hosts, self.host) = names_and_single(names);
        self
    }
    /// Mark a grouped finding: `key` names the mistake (the profile's list, the network) and
    /// stands in for the message, the member lists and the home domain in the fingerprint.
    pub fn group_key(mut self, key: impl Into<String>) -> Self {
        self.group_key = Some(key.into());
        self
    }
    /// Attach the fix the rule computed, if any.
    pub fn fix(mut self, fix: Option<crate::fix::Fix>) -> Self {
        self.fix = fix;
        self
    }
    pub fn related(self, source: &Source, span: Span, label: impl Into<String>) -> Self {
        let location = Location::Span {
            source: source.clone(),
            span,
        };
        self.related_at(location, label)
    }
    pub fn related_at(mut self, location: Location, label: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            label: label.into(),
        });
        self
    }

    pub fn path(&self) -> PathBuf {
        self.location.path()
    }

    /// 1-based line and column of the finding's start.
    pub fn line_col(&self) -> (usize, usize) {
        self.location.line_col()
    }

    /// A fingerprint that survives line moves: a hash of the code, the path (`/`-separated, without
    /// `./`), the profile, network, home domain and host, and the message with every run of digits
    /// replaced (positions and host counts change from run to run). A grouped finding hashes its
    /// group key instead of the message, network, home domain and host, so it keeps its
    /// fingerprint when a member joins or leaves (a network, or the entry that lets one in).
    /// Severity is left out, so changing a rule's level keeps it. Baselines use it; SARIF uses [`Finding::fingerprint_at`].
    pub fn fingerprint(&self) -> String {
        self.fingerprint_at(&fingerprint_path(&self.path()))
    }

    /// [`Finding::fingerprint`] with the path given as it should be hashed (SARIF hashes the
    /// repository-relative path).
    pub fn fingerprint_at(&self, path: &str) -> String {
        use sha2::{Digest, Sha256};
        let message = match &self.group_key {
            Some(key) => format!("group {key}"),
            None => message_without_numbers(&self.message),
        };
        let grouped = self.group_key.is_some();
        let mut hash = Sha256::new();
        let parts = [
            Some(self.code.as_str()),
            Some(path),
            self.profile.as_deref(),
            self.network.as_deref().filter(|_| !grouped),
            self.home_domain.as_deref().filter(|_| !grouped),
            self.host.as_deref().filter(|_| !grouped),
            Some(message.as_str()),
        ];
        for part in parts {
            // Length-prefixed, with absent told apart from empty, so no two tuples collide.
            match part {
                None => hash.update([0u8]),
                Some(text) => {
                    hash.update([1u8]);
                    hash.update((text.len() as u64).to_le_bytes());
                    hash.update(text.as_bytes());
                }
            }
        }
        hex::encode(&hash.finalize()[..16])
    }

    /// The order findings are printed in: path, line, column, code, then message.
    pub fn sort_key(&self) -> (PathBuf, usize, usize, Code, String) {
        let (line, column) = self.line_col();
        (self.path(), line, column, self.code, self.message.clone())
    }
}

/// Every name, and the name alone when there is exactly one.
fn names_and_single<S: AsRef<str>>(
    names: impl IntoIterator<Item = S>,
) -> (Vec<String>, Option<String>) {
    let all: Vec<String> = names.into_iter().map(|n| n.as_ref().to_owned()).collect();
    let single = match &all[..] {
        [one] => Some(one.clone()),
        _ => None,
    };
    (all, single)
}

/// A path as fingerprints see it: `/` separators, no `.` components.
fn fingerprint_path(path: &std::path::Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().replace('\\', "/"))
        .collect();
    parts.join("/").replace("//", "/")
}

/// A message with every run of digits replaced by `#` and whitespace collapsed: line numbers,
/// columns and host counts do not change what a finding is.
fn message_without_numbers(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for word in message.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        let mut in_digits = false;
        for c in word.chars() {
            if c.is_ascii_digit() {
                if !in_digits {
                    out.push('#');
                }
                in_digits = true;
            } else {
                out.push(c);
                in_digits = false;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Encoding, SourceFile};
    use std::collections::HashSet;

    fn finding_at(text: &str, offset: usize, message: &str) -> Finding {
        let source = SourceFile::new("./profiles/hq.xml", text.to_owned(), Encoding::Utf8);
        Finding::new(Code::SL102, &source, offset..offset + 3, message)
            .profile("hq")
            .home_domain("corp.example")
    }

    #[test]
    fn fingerprints_survive_line_moves_but_not_other_changes() {
        let a = finding_at(
            "abc\n",
            0,
            "entry on line 1 matches nothing (see observed.toml:6:8)",
        );
        let b = finding_at(
            "\n\n  abc\n",
            4,
            "entry on line 3 matches nothing (see observed.toml:9:8)",
        );
        assert_ne!(a.line_col(), b.line_col());
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.fingerprint().len(), 32);
        assert_eq!(
            a.clone().severity(Severity::Error).fingerprint(),
            a.fingerprint(),
            "a level change keeps the fingerprint"
        );
        assert_ne!(a.clone().network("hq").fingerprint(), a.fingerprint());
        assert_ne!(
            finding_at("abc", 0, "other text").fingerprint(),
            a.fingerprint()
        );
        let mut moved = a.clone();
        moved.location = Location::File {
            path: "profiles/other.xml".into(),
            line: 1,
            column: 1,
        };
        assert_ne!(moved.fingerprint(), a.fingerprint());
        let mut same_file = a.clone();
        same_file.location = Location::File {
            path: "profiles/hq.xml".into(),
            line: 7,
            column: 2,
        };
        assert_eq!(
            same_file.fingerprint(),
            a.fingerprint(),
            "`./profiles/hq.xml` and `profiles/hq.xml` are one file"
        );
    }

    #[test]
    fn grouped_findings_keep_their_fingerprint_when_members_change() {
        let one = finding_at("abc", 0, "enterprise network `a` is outside")
            .networks(["a"])
            .group_key("outside");
        let two = finding_at("abc", 0, "enterprise networks `a` and `b` are outside")
            .networks(["a", "b"])
            .group_key("outside");
        assert_eq!(one.network.as_deref(), Some("a"));
        assert_eq!(two.network, None);
        assert_eq!(one.fingerprint(), two.fingerprint());
        assert_ne!(
            one.fingerprint(),
            one.clone().group_key("inside").fingerprint()
        );
    }

    #[test]
    fn numbers_are_taken_out_of_messages() {
        assert_eq!(
            message_without_numbers("`x` appears again (first on line 12);  see dhcpd.conf:14:3"),
            "`x` appears again (first on line #); see dhcpd.conf:#:#"
        );
        assert_eq!(
            message_without_numbers("network `hq` (420 hosts)"),
            message_without_numbers("network `hq` (431 hosts)")
        );
    }

    #[test]
    fn codes_and_names_are_unique_and_parse_back() {
        let codes: HashSet<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let names: HashSet<_> = Code::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(codes.len(), Code::ALL.len());
        assert_eq!(names.len(), Code::ALL.len());
        for &c in Code::ALL {
            assert_eq!(Code::parse(c.as_str()), Some(c));
            assert_eq!(Code::parse(&c.as_str().to_lowercase()), Some(c));
            assert_eq!(Code::parse(c.name()), Some(c));
            assert!(
                c.name()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-' || b.is_ascii_digit())
            );
        }
        assert_eq!(Code::parse("SL999"), None);
    }

    #[test]
    fn entries_match_by_code_name_and_prefix() {
        assert_eq!(Code::matching("sl100"), [Code::SL100]);
        assert_eq!(Code::matching("unmatched-home-domain"), [Code::SL102]);
        assert_eq!(
            Code::matching("SL10"),
            [
                Code::SL100,
                Code::SL101,
                Code::SL102,
                Code::SL103,
                Code::SL104,
                Code::SL105
            ]
        );
        assert_eq!(Code::matching("SL").len(), Code::ALL.len());
        assert_eq!(Code::matching("SL2").len(), 6);
        for nothing in ["SL4", "SL1000", "S", "", "SLx", "enterprise", "1"] {
            assert_eq!(Code::matching(nothing), [], "{nothing}");
        }
    }
}
