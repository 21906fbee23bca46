//! scslint.toml: discovery (working directory, then parents), parsing with spans, validation.
//! Every problem is collected with its span; any problem is a usage error.

use crate::diagnostic::{Code, Severity};
use crate::observe::discovery::DiscoveryMapping;
use crate::observe::inventory_csv::CsvColumns;
use crate::observe::sources::Mappings;
use crate::profile::ScsMapping;
use crate::source::{Source, SourceFile, Span};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const FILE_NAME: &str = "scslint.toml";
pub const DEFAULT_MAX_HOME_DOMAINS: usize = 5;

/// A rule's level in config: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<Level>>,
    #[serde(default)]
    observed: RawObserved,
    #[serde(default)]
    limits: RawLimits,
    scs: Option<ScsMapping>,
    #[serde(default)]
    collect: RawCollect,
    #[serde(default)]
    ignore: Vec<Spanned<RawIgnore>>,
}

/// `[[ignore]]`: codes silenced in the files a path names.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    path: Spanned<String>,
    codes: Spanned<Vec<Spanned<String>>>,
    reason: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCollect {
    discovery: Option<DiscoveryMapping>,
    csv: Option<CsvColumns>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawObserved {
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    external_suffixes: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    max_home_domains: Option<Spanned<i64>>,
}

/// The settings a run uses.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file these came from, if any.
    pub path: Option<PathBuf>,
    pub levels: BTreeMap<Code, Level>,
    /// Observed files, resolved against the config file's folder.
    pub observed_paths: Vec<PathBuf>,
    pub external_suffixes: Vec<String>,
    pub max_home_domains: usize,
    pub scs: ScsMapping,
    /// How collect reads SCS SystemDiscovery XML and CSV inventories.
    pub mappings: Mappings,
    /// `[[ignore]]` entries: codes silenced in files by path (`check` only).
    pub ignores: Vec<crate::suppress::Ignore>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            levels: BTreeMap::new(),
            observed_paths: Vec::new(),
            external_suffixes: Vec::new(),
            max_home_domains: DEFAULT_MAX_HOME_DOMAINS,
            scs: ScsMapping::shipped(),
            mappings: Mappings::default(),
            ignores: Vec::new(),
        }
    }
}

/// A problem in the config file, with the span to underline.
#[derive(Debug, Clone)]
pub struct ConfigError {
    pub source: Option<Source>,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

impl Config {
    /// The severity a finding of `code` gets: config first, else what the rule chose.
    pub fn level_for(&self, code: Code, chosen: Severity) -> Option<Severity> {
        match self.levels.get(&code) {
            Some(level) => level.severity(),
            None => Some(chosen),
        }
    }

    /// Apply `--select` and `--ignore` to the levels, for this run: with a selection, every rule
    /// outside it is off, and a selected rule this file turns off gets its default level back;
    /// ignored rules are off. Each entry is a code, a rule name or a code prefix ([`Code::matching`]).
    /// Input problems (SL050-SL053) stay on. Err names an entry that matches no rule, or an input
    /// problem named to be ignored.
    pub fn select(&mut self, select: &[String], ignore: &[String]) -> Result<(), String> {
        let resolve = |flag: &str, entries: &[String]| {
            let mut codes = std::collections::BTreeSet::new();
            for entry in entries {
                if entry.trim().is_empty() {
                    return Err(format!("{flag}: an empty entry names no rule"));
                }
                let found = Code::matching(entry);
                if found.is_empty() {
                    return Err(format!(
                        "{flag} `{entry}`: no rule has this code, name or code prefix; `scslint rules` lists them"
                    ));
                }
                if let ([code], "--ignore") = (&found[..], flag)
                    && code.is_input_problem()
                {
                    return Err(format!(
                        "--ignore `{entry}`: {code} reports input that could not be read, which is always reported"
                    ));
                }
                codes.extend(found);
            }
            Ok(codes)
        };
        let selected = resolve("--select", select)?;
        let ignored = resolve("--ignore", ignore)?;
        for &code in Code::ALL.iter().filter(|c| !c.is_input_problem()) {
            if ignored.contains(&code) || (!select.is_empty() && !selected.contains(&code)) {
                self.levels.insert(code, Level::Off);
            } else if selected.contains(&code) && self.levels.get(&code) == Some(&Level::Off) {
                self.levels.remove(&code);
            }
        }
        Ok(())
    }

    /// scslint.toml in `start` or its nearest parent.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
    }

    pub fn load(path: &Path) -> Result<Config, Vec<ConfigError>> {
        let bytes = std::fs::read(path).map_err(|e| {
            vec![ConfigError {
                source: None,
                span: 0..0,
                message: format!("cannot read {}: {e}", path.display()),
                help: None,
            }]
        })?;
        let source =
            SourceFile::decode(crate::source::display_path(path), &bytes).or_else(|e| match e {
                crate::source::DecodeError::Empty => Ok(SourceFile::new(
                    path,
                    String::new(),
                    crate::source::Encoding::Utf8,
                )),
                other => Err(vec![ConfigError {
                    source: None,
                    span: 0..0,
                    message: format!("{} is not valid UTF-8 text ({other:?})", path.display()),
                    help: None,
                }]),
            })?;
        let base = path.parent().unwrap_or(Path::new("."));
        Config::parse(&source, base).map(|mut c| {
            c.path = Some(path.to_path_buf());
            c
        })
    }

    /// Parse config text; relative observed paths are resolved against `base`.
    pub fn parse(source: &Source, base: &Path) -> Result<Config, Vec<ConfigError>> {
        let err = |span: Span, message: String, help: Option<String>| ConfigError {
            source: Some(source.clone()),
            span,
            message,
            help,
        };
        let raw: RawConfig = toml::from_str(&source.text).map_err(|e| {
            vec![err(
                e.span().unwrap_or(0..0),
                e.message().trim_end().to_owned(),
                Some(
                    "see schemas/config.schema.json, or run `scslint init` for a commented example"
                        .into(),
                ),
            )]
        })?;
        let mut errors = Vec::new();
        let mut config = Config::default();
        for (key, level) in raw.rules {
            match Code::parse(key.get_ref()) {
                Some(code) if code.is_input_problem() => errors.push(err(
                    key.span(),
                    format!(
                        "{code} reports input that could not be read; its level cannot be changed"
                    ),
                    None,
                )),
                Some(code) => {
                    config.levels.insert(code, *level.get_ref());
                }
                None => errors.push(err(
                    key.span(),
                    format!("unknown rule `{}`", key.get_ref()),
                    Some("`scslint rules` lists every code and name".into()),
                )),
            }
        }
        config.observed_paths = raw.observed.paths.iter().map(|p| base.join(p)).collect();
        for s in &raw.observed.external_suffixes {
            let problems = crate::dns_name::validate(s.get_ref());
            if let Some(problem) = problems.first() {
                errors.push(err(
                    s.span(),
                    format!("`{}` is not a DNS suffix: {problem}", s.get_ref()),
                    None,
                ));
            } else {
                config
                    .external_suffixes
                    .push(crate::dns_name::canonical(s.get_ref()));
            }
        }
        if let Some(max) = raw.limits.max_home_domains {
            match usize::try_from(*max.get_ref()) {
                Ok(n) if n >= 1 => config.max_home_domains = n,
                _ => errors.push(err(
                    max.span(),
                    "max_home_domains must be 1 or more".into(),
                    None,
                )),
            }
        }
        if let Some(scs) = raw.scs {
            config.scs = scs.over(&ScsMapping::shipped());
        }
        if let Some(d) = raw.collect.discovery {
            config.mappings.discovery = d.over(&config.mappings.discovery);
        }
        if let Some(c) = raw.collect.csv {
            config.mappings.csv = c.over(&config.mappings.csv);
        }
        for entry in raw.ignore {
            let span = entry.span();
            let entry = entry.into_inner();
            match ignore_entry(entry, span, source, base) {
                Ok(ignore) => config.ignores.push(ignore),
                Err(problems) => errors.extend(
                    problems
                        .into_iter()
                        .map(|(span, message, help)| err(span, message, help)),
                ),
            }
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }
}

type Problem = (Span, String, Option<String>);

/// One `[[ignore]]` entry, checked: a relative path or glob, known codes that may be silenced.
fn ignore_entry(
    raw: RawIgnore,
    span: Span,
    source: &Source,
    base: &Path,
) -> Result<crate::suppress::Ignore, Vec<Problem>> {
    use crate::suppress::Ignore;
    let mut problems: Vec<Problem> = Vec::new();
    let pattern = raw.path.get_ref().trim().replace('\\', "/");
    let path_span = raw.path.span();
    let escapes = Path::new(&pattern).components().any(|c| {
        !matches!(
            c,
            std::path::Component::Normal(_) | std::path::Component::CurDir
        )
    });
    let matcher = if pattern.is_empty() || escapes {
        problems.push((
            path_span.clone(),
            format!("`{pattern}` is not a path below the folder holding scslint.toml"),
            Some(
                "write the path relative to this file's folder, e.g. `meshcentral/config.json`"
                    .into(),
            ),
        ));
        None
    } else {
        let cleaned = pattern.trim_start_matches("./").to_owned();
        match Ignore::matcher(&cleaned) {
            Ok(m) => Some((cleaned, m)),
            Err(e) => {
                problems.push((
                    path_span.clone(),
                    format!("`{pattern}` is not a valid glob: {e}"),
                    None,
                ));
                None
            }
        }
    };
    let mut codes = Vec::new();
    if raw.codes.get_ref().is_empty() {
        problems.push((
            raw.codes.span(),
            "`codes` is empty: name the codes this entry silences".into(),
            None,
        ));
    }
    for c in raw.codes.get_ref() {
        match Code::parse(c.get_ref()) {
            Some(code) if code.suppressible() => codes.push((code, c.span())),
            Some(code) => problems.push((
                c.span(),
                format!("{code} cannot be ignored: input problems and findings about suppressions always count"),
                None,
            )),
            None => problems.push((
                c.span(),
                format!("unknown rule `{}`", c.get_ref()),
                Some("`scslint rules` lists every code and name".into()),
            )),
        }
    }
    match matcher {
        Some((pattern, matcher)) if problems.is_empty() => Ok(Ignore {
            literal: Ignore::is_literal(&pattern),
            pattern,
            matcher,
            base: base.to_path_buf(),
            codes,
            reason: raw
                .reason
                .map(|r| r.trim().to_owned())
                .filter(|r| !r.is_empty()),
            source: source.clone(),
            span,
            path_span,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Encoding;

    fn parse(text: &str) -> Result<Config, Vec<ConfigError>> {
        Config::parse(
            &SourceFile::new("scslint.toml", text.to_owned(), Encoding::Utf8),
            Path::new("/etc/amt"),
        )
    }

    #[test]
    fn reads_every_key() {
        let c = parse(
            r#"
[rules]
SL005 = "off"
unmatched-home-domain = "error"
[observed]
paths = ["observed.toml"]
external_suffixes = ["Guest.Company.com"]
[limits]
max_home_domains = 4
[scs.fields]
home_domains = ["Env/Suffix"]
"#,
        )
        .unwrap();
        assert_eq!(c.levels[&Code::SL005], Level::Off);
        assert_eq!(c.levels[&Code::SL102], Level::Error);
        assert_eq!(c.observed_paths, [PathBuf::from("/etc/amt/observed.toml")]);
        assert_eq!(c.external_suffixes, ["guest.company.com"]);
        assert_eq!(c.max_home_domains, 4);
        assert_eq!(
            c.scs.fields.home_domains.as_deref(),
            Some(&["Env/Suffix".to_string()][..])
        );
        assert!(
            c.scs.fields.ip_mode.is_some(),
            "unnamed SCS fields keep their defaults"
        );
        assert_eq!(c.level_for(Code::SL005, Severity::Warning), None);
        assert_eq!(
            c.level_for(Code::SL001, Severity::Error),
            Some(Severity::Error)
        );
    }

    #[test]
    fn unknown_keys_are_errors_with_their_span() {
        let text = "[rules]\nSL005 = \"off\"\n[limitz]\nx = 1\n";
        let e = parse(text).unwrap_err();
        assert!(e[0].message.contains("limitz"), "{}", e[0].message);
        assert_eq!(&text[e[0].span.clone()], "limitz");
    }

    #[test]
    fn every_bad_rule_entry_is_collected() {
        let text = "[rules]\nSL999 = \"off\"\nSL050 = \"off\"\nSL001 = \"warning\"\n[observed]\nexternal_suffixes = [\"bad_suffix\"]\n";
        let e = parse(text).unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert_eq!(&text[e[0].span.clone()], "SL050");
        assert_eq!(&text[e[1].span.clone()], "SL999");
        let e = parse("[rules]\nSL001 = \"loud\"\n").unwrap_err();
        assert!(e[0].message.contains("loud"), "{}", e[0].message);
    }

    #[test]
    fn reads_ignore_entries() {
        let c = parse(
            "[[ignore]]\npath = \"meshcentral/config.json\"\ncodes = [\"SL006\", \"placeholder-home-domain\"]\nreason = \"lab\"\n\n[[ignore]]\npath = \"./legacy/**/*.json\"\ncodes = [\"SL004\"]\n",
        )
        .unwrap();
        assert_eq!(c.ignores.len(), 2);
        let first = &c.ignores[0];
        assert_eq!(first.pattern, "meshcentral/config.json");
        assert!(first.literal);
        assert_eq!(
            first.codes.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
            [Code::SL006, Code::SL009]
        );
        assert_eq!(first.reason.as_deref(), Some("lab"));
        assert_eq!(first.base, PathBuf::from("/etc/amt"));
        let second = &c.ignores[1];
        assert_eq!(second.pattern, "legacy/**/*.json");
        assert!(!second.literal);
        assert!(second.matcher.is_match("legacy/a/b/config.json"));
        assert!(!second.matcher.is_match("other/config.json"));
        assert_eq!(second.reason, None);
    }

    #[test]
    fn bad_ignore_entries_are_errors_with_their_span() {
        let text = "[[ignore]]\npath = \"../x.json\"\ncodes = [\"SL999\", \"SL051\"]\n[[ignore]]\npath = \"a/[b.json\"\ncodes = []\n[[ignore]]\npath = \"c.json\"\n";
        let e = parse(text).unwrap_err();
        let spans: Vec<&str> = e.iter().map(|e| &text[e.span.clone()]).collect();
        assert!(e[e.len() - 1].message.contains("codes"), "{e:?}");
        assert_eq!(e.len(), 1, "a missing key stops parsing: {spans:?}");
        let text = &text[..text.rfind("[[ignore]]").unwrap()];
        let e = parse(text).unwrap_err();
        let spans: Vec<&str> = e.iter().map(|e| &text[e.span.clone()]).collect();
        assert_eq!(
            spans,
            [
                "\"../x.json\"",
                "\"SL999\"",
                "\"SL051\"",
                "\"a/[b.json\"",
                "[]"
            ],
            "{e:?}"
        );
    }

    #[test]
    fn select_and_ignore_override_the_levels_for_the_run() {
        let strings = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut c =
            parse("[rules]\nSL005 = \"off\"\nSL102 = \"error\"\nSL003 = \"off\"\n").unwrap();
        c.select(
            &strings(&["SL10", "too-many-home-domains"]),
            &strings(&["SL101"]),
        )
        .unwrap();
        let level = |c: &Config, code| c.level_for(code, code.default_severity());
        assert_eq!(level(&c, Code::SL100), Some(Severity::Error));
        assert_eq!(
            level(&c, Code::SL102),
            Some(Severity::Error),
            "configured level kept"
        );
        assert_eq!(
            level(&c, Code::SL005),
            Some(Severity::Warning),
            "selected: back on"
        );
        assert_eq!(level(&c, Code::SL101), None, "ignored");
        assert_eq!(level(&c, Code::SL003), None, "not selected");
        assert_eq!(level(&c, Code::SL200), None, "not selected");
        assert!(!c.levels.contains_key(&Code::SL051), "input problems stay");

        let mut c = Config::default();
        c.select(&[], &strings(&["SL2", "SL05"])).unwrap();
        assert_eq!(level(&c, Code::SL201), None);
        assert_eq!(level(&c, Code::SL054), None);
        assert!(!c.levels.contains_key(&Code::SL050));
        assert_eq!(level(&c, Code::SL100), Some(Severity::Error));

        let e = Config::default()
            .select(&strings(&["SL100", "SL4"]), &[])
            .unwrap_err();
        assert!(e.contains("--select `SL4`"), "{e}");
        let e = Config::default()
            .select(&[], &strings(&["malformed-input"]))
            .unwrap_err();
        assert!(e.contains("SL051"), "{e}");
    }

    #[test]
    fn discovery_walks_up_to_the_nearest_parent() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        assert_eq!(Config::discover(&nested), None);
        std::fs::write(dir.path().join("a").join(FILE_NAME), "").unwrap();
        assert_eq!(
            Config::discover(&nested),
            Some(dir.path().join("a").join(FILE_NAME))
        );
        assert!(Config::load(&dir.path().join("a").join(FILE_NAME)).is_ok());
    }
}
