//! scslint.toml: discovery (a folder, then its parents), parsing with spans, validation, and which
//! config governs each file ([`Configs`]). Every problem is collected with its span; any problem is
//! a usage error.

use crate::diagnostic::{Code, Severity};
pub use crate::level::{Level, Levels};
use crate::observe::mapping::{CsvColumns, DiscoveryMapping, Mappings};
use crate::profile::ScsMapping;
use crate::source::{DecodeError, Encoding, Source, SourceFile, Span, Unreadable};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use toml::Spanned;

pub const FILE_NAME: &str = "scslint.toml";
pub const DEFAULT_MAX_HOME_DOMAINS: usize = 5;

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
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
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
    pub levels: Levels,
    /// Observed files, resolved against the config file's folder.
    pub observed_paths: Vec<PathBuf>,
    pub external_suffixes: Vec<String>,
    pub max_home_domains: usize,
    pub scs: ScsMapping,
    /// How collect reads SCS SystemDiscovery XML and CSV inventories.
    pub mappings: Mappings,
    /// `[[ignore]]` entries: codes silenced in files by path (`check` only).
    pub ignores: Vec<crate::suppress::Ignore>,
    /// `exclude` globs, relative to the config file's folder, with gitignore semantics.
    pub exclude: Option<Exclude>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            levels: Levels::default(),
            observed_paths: Vec::new(),
            external_suffixes: Vec::new(),
            max_home_domains: DEFAULT_MAX_HOME_DOMAINS,
            scs: ScsMapping::shipped(),
            mappings: Mappings::default(),
            ignores: Vec::new(),
            exclude: None,
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
        self.levels.level_for(code, chosen)
    }

    /// Apply `--select`/`--ignore` to the levels, for this run: with a selection, every rule
    /// outside it is off, and a selected rule this file turns off gets its default level back;
    /// ignored rules are off. Input problems (SL050-SL053) stay on.
    pub fn apply(&mut self, selection: &Selection) {
        for &code in Code::ALL.iter().filter(|c| !c.is_input_problem()) {
            let outside = selection.selects_some && !selection.selected.contains(&code);
            if selection.ignored.contains(&code) || outside {
                self.levels.insert(code, Level::Off);
            } else if selection.selected.contains(&code)
                && self.levels.get(&code) == Some(&Level::Off)
            {
                self.levels.remove(&code);
            }
        }
    }

    /// scslint.toml in `start` or its nearest parent.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
    }

    pub fn load(path: &Path) -> Result<Config, Vec<ConfigError>> {
        let display = crate::source::display_path(path);
        let source = match crate::source::load(path, &display, MAX_CONFIG_BYTES) {
            Ok(source) => source,
            Err(Unreadable::Decode(DecodeError::Empty)) => {
                SourceFile::new(display, String::new(), Encoding::Utf8)
            }
            Err(e) => {
                return Err(vec![ConfigError {
                    source: None,
                    span: 0..0,
                    message: e.located(&path.display().to_string()),
                    help: None,
                }]);
            }
        };
        // Paths in the file are relative to its folder, wherever scslint runs from.
        let absolute = crate::source::absolute_path(path);
        let base = absolute.parent().unwrap_or(Path::new("/"));
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
        let (raw, problems) = read_raw(&source.text);
        let help = "see schemas/config.schema.json, or run `scslint init` for a commented example";
        let mut errors: Vec<ConfigError> = problems
            .into_iter()
            .map(|(span, message)| err(span, message, Some(help.into())))
            .collect();
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
        match Exclude::new(base, &raw.exclude) {
            Ok(exclude) => config.exclude = exclude,
            Err(problem) => errors.push(err(problem.0, problem.1, problem.2)),
        }
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
            errors.sort_by_key(|e| (e.span.start, e.span.end));
            Err(errors)
        }
    }
}

type Problem = (Span, String, Option<String>);

/// At most this many problems are reported from one config file.
const MAX_READ_PROBLEMS: usize = 20;

/// The raw configuration and every problem serde finds in it, not only the first: after each
/// problem the lines it spans are blanked (a table header with the whole table under it) and the
/// text is read again, offsets unchanged, until it reads or stops making progress. What could be
/// read is returned so that the checks after reading report their problems in the same run.
fn read_raw(text: &str) -> (RawConfig, Vec<(Span, String)>) {
    let mut text = text.to_owned();
    let mut problems: Vec<(Span, String)> = Vec::new();
    while problems.len() < MAX_READ_PROBLEMS {
        let e = match toml::from_str::<RawConfig>(&text) {
            Ok(raw) => return (raw, problems),
            Err(e) => e,
        };
        let message = e.message().trim_end().to_owned();
        let Some(span) = e.span() else {
            problems.push((0..0, message));
            break;
        };
        // A field missing once a broken line was taken out follows from that line's problem.
        let follows = !problems.is_empty() && message.starts_with("missing field");
        if follows || problems.iter().any(|(s, _)| *s == span) {
            break;
        }
        problems.push((span.clone(), message));
        blank_lines(&mut text, span);
    }
    (RawConfig::default(), problems)
}

/// Replace the lines `span` touches by spaces (newlines kept, so offsets hold); a table header
/// takes its table with it.
fn blank_lines(text: &mut String, span: Span) {
    let start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let mut end = text[span.end.min(text.len())..]
        .find('\n')
        .map_or(text.len(), |i| span.end.min(text.len()) + i);
    if text[start..end].trim_start().starts_with('[') {
        // Up to the next table header.
        let mut at = end;
        while at < text.len() {
            let line_end = text[at + 1..].find('\n').map_or(text.len(), |i| at + 1 + i);
            if text[at + 1..line_end].trim_start().starts_with('[') {
                break;
            }
            at = line_end;
        }
        end = at;
    }
    let blanked: String = text[start..end]
        .chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect();
    // Multi-byte characters became one space each: pad to keep the byte length.
    let pad = (end - start).saturating_sub(blanked.len());
    text.replace_range(start..end, &format!("{blanked}{}", " ".repeat(pad)));
}

/// `exclude = [...]`: what walks leave out, as a `.gitignore` in the config file's folder would.
#[derive(Debug, Clone)]
pub struct Exclude {
    /// The config file's folder, absolute.
    base: PathBuf,
    matcher: ignore::gitignore::Gitignore,
}

impl Exclude {
    /// The matcher for `patterns`; `None` when there are none.
    fn new(base: &Path, patterns: &[Spanned<String>]) -> Result<Option<Exclude>, Problem> {
        if patterns.is_empty() {
            return Ok(None);
        }
        let base = crate::source::absolute_path(base);
        let mut builder = ignore::gitignore::GitignoreBuilder::new(&base);
        for p in patterns {
            builder.add_line(None, p.get_ref()).map_err(|e| {
                (
                    p.span(),
                    format!("`{}` is not a valid exclude pattern: {e}", p.get_ref()),
                    Some(
                        "patterns are written as in .gitignore, relative to this file's folder"
                            .into(),
                    ),
                )
            })?;
        }
        let matcher = builder
            .build()
            .map_err(|e| (patterns[0].span(), format!("exclude: {e}"), None))?;
        Ok(Some(Exclude { base, matcher }))
    }

    /// True when `path` (a folder when `is_dir`), or a folder it lies in below the config file's
    /// folder, matches an exclude pattern (and no later `!` pattern takes it back).
    pub fn matches(&self, path: &Path, is_dir: bool) -> bool {
        let absolute = crate::source::absolute_path(path);
        match absolute.strip_prefix(&self.base) {
            Ok(rel) if !rel.as_os_str().is_empty() => self
                .matcher
                .matched_path_or_any_parents(rel, is_dir)
                .is_ignore(),
            _ => false,
        }
    }
}

/// A scslint.toml far larger than this is not a configuration.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// The rules `--select` and `--ignore` name for one run, applied to every config it uses.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    selects_some: bool,
    selected: BTreeSet<Code>,
    ignored: BTreeSet<Code>,
}

impl Selection {
    /// Each entry is a code, a rule name or a code prefix ([`Code::matching`]). Err names an entry
    /// that matches no rule, or an input problem named to be ignored.
    pub fn parse(select: &[String], ignore: &[String]) -> Result<Selection, String> {
        let resolve = |flag: &str, entries: &[String]| {
            let mut codes = BTreeSet::new();
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
        Ok(Selection {
            selects_some: !select.is_empty(),
            selected: resolve("--select", select)?,
            ignored: resolve("--ignore", ignore)?,
        })
    }
}

/// Which config each file is checked with: one for every file (`--config`, `--no-config`), or the
/// nearest scslint.toml in the file's folder or a parent, falling back to the working directory's
/// (or the defaults). Cheap to clone; files are looked up as they are walked, each config file is
/// loaded once.
#[derive(Clone)]
pub struct Configs {
    inner: Arc<ConfigsInner>,
}

struct ConfigsInner {
    /// `Some` when every file uses the same config.
    fixed: Option<Arc<Config>>,
    /// Where the fallback is looked for (absolute).
    working_directory: Option<PathBuf>,
    /// For files with no scslint.toml above them or the working directory.
    defaults: Arc<Config>,
    /// `--select`/`--ignore`, applied to every config file as it is loaded.
    selection: Selection,
    cache: Mutex<Cache>,
    /// Problems in the config files found on the way, each file once.
    errors: Mutex<Vec<ConfigError>>,
}

/// What [`Configs`] found so far.
#[derive(Default)]
struct Cache {
    /// Folder → the config that governs it (`None`: none above it).
    dirs: HashMap<PathBuf, Option<Arc<Config>>>,
    /// Config file → its settings.
    files: HashMap<PathBuf, Arc<Config>>,
}

impl Configs {
    /// One config for every file, with the run's `--select`/`--ignore` applied.
    pub fn one(mut config: Config, selection: &Selection) -> Configs {
        config.apply(selection);
        Configs::build(Some(Arc::new(config)), None, selection)
    }

    /// The nearest scslint.toml of each file, else the working directory's (else the defaults),
    /// each with the run's `--select`/`--ignore` applied.
    pub fn nearest(selection: &Selection) -> Configs {
        let cwd = std::env::current_dir()
            .ok()
            .map(|d| crate::source::absolute_path(&d));
        Configs::build(None, cwd, selection)
    }

    fn build(
        fixed: Option<Arc<Config>>,
        working_directory: Option<PathBuf>,
        selection: &Selection,
    ) -> Configs {
        let mut defaults = Config::default();
        defaults.apply(selection);
        Configs {
            inner: Arc::new(ConfigsInner {
                fixed,
                working_directory,
                defaults: Arc::new(defaults),
                selection: selection.clone(),
                cache: Mutex::new(Cache::default()),
                errors: Mutex::new(Vec::new()),
            }),
        }
    }

    /// The config of the working directory: the one for every file, or the fallback.
    pub fn for_working_directory(&self) -> Arc<Config> {
        let inner = &self.inner;
        if let Some(fixed) = &inner.fixed {
            return fixed.clone();
        }
        inner
            .working_directory
            .as_deref()
            .and_then(|d| self.nearest_to(d))
            .unwrap_or_else(|| inner.defaults.clone())
    }

    /// The config a file is checked with (for a folder: the config of the folder it lies in).
    pub fn for_file(&self, path: &Path) -> Arc<Config> {
        if self.inner.fixed.is_some() {
            return self.for_working_directory();
        }
        let absolute = crate::source::absolute_path(path);
        let dir = absolute.parent().unwrap_or(Path::new("/"));
        self.nearest_to(dir)
            .unwrap_or_else(|| self.for_working_directory())
    }

    /// The config of `dir` or its nearest parent ([`Config::discover`]), each file loaded once.
    fn nearest_to(&self, dir: &Path) -> Option<Arc<Config>> {
        let mut cache = self
            .inner
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(known) = cache.dirs.get(dir) {
            return known.clone();
        }
        let found = Config::discover(dir).map(|file| {
            cache
                .files
                .entry(file.clone())
                .or_insert_with(|| Arc::new(self.load(&file)))
                .clone()
        });
        cache.dirs.insert(dir.to_path_buf(), found.clone());
        found
    }

    /// A config file found next to the files; its problems are kept for [`Configs::errors`].
    fn load(&self, path: &Path) -> Config {
        let mut config = self.load_file(path);
        config.apply(&self.inner.selection);
        config
    }

    fn load_file(&self, path: &Path) -> Config {
        Config::load(path).unwrap_or_else(|errors| {
            self.inner
                .errors
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .extend(errors);
            Config {
                path: Some(path.to_path_buf()),
                ..Config::default()
            }
        })
    }

    /// Problems in the config files found so far: any one is a usage error.
    pub fn errors(&self) -> Vec<ConfigError> {
        self.inner
            .errors
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Whether `path` is left out by the `exclude` patterns of its config.
    pub fn excludes(&self, path: &Path, is_dir: bool) -> bool {
        self.for_file(path)
            .exclude
            .as_ref()
            .is_some_and(|e| e.matches(path, is_dir))
    }
}

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
        assert_eq!(&text[e[0].span.clone()], "SL999", "in file order");
        assert_eq!(&text[e[1].span.clone()], "SL050");
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
        // The entry without `codes` is reported with the others, in file order.
        assert_eq!(
            spans,
            [
                "\"../x.json\"",
                "\"SL999\"",
                "\"SL051\"",
                "\"a/[b.json\"",
                "[]",
                "[[ignore]]"
            ],
            "{e:?}"
        );
        assert!(e[5].message.contains("codes"), "{e:?}");
    }

    #[test]
    fn select_and_ignore_override_the_levels_for_the_run() {
        let strings = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut c =
            parse("[rules]\nSL005 = \"off\"\nSL102 = \"error\"\nSL003 = \"off\"\n").unwrap();
        c.apply(
            &Selection::parse(
                &strings(&["SL10", "too-many-home-domains"]),
                &strings(&["SL101"]),
            )
            .unwrap(),
        );
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
        c.apply(&Selection::parse(&[], &strings(&["SL2", "SL05"])).unwrap());
        assert_eq!(level(&c, Code::SL201), None);
        assert_eq!(level(&c, Code::SL054), None);
        assert!(!c.levels.contains_key(&Code::SL050));
        assert_eq!(level(&c, Code::SL100), Some(Severity::Error));

        let e = Selection::parse(&strings(&["SL100", "SL4"]), &[]).unwrap_err();
        assert!(e.contains("--select `SL4`"), "{e}");
        let e = Selection::parse(&[], &strings(&["malformed-input"])).unwrap_err();
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

    #[test]
    fn each_file_gets_its_nearest_config_loaded_once_and_its_excludes() {
        let dir = tempfile::tempdir().unwrap();
        let team = dir.path().join("team");
        std::fs::create_dir_all(team.join("sub")).unwrap();
        std::fs::write(
            team.join(FILE_NAME),
            "exclude = [\"old/\", \"/top.xml\"]\n[limits]\nmax_home_domains = 2\n",
        )
        .unwrap();
        let configs = Configs::nearest(&Selection::default());
        let a = configs.for_file(&team.join("a.xml"));
        let b = configs.for_file(&team.join("sub/b.xml"));
        assert!(Arc::ptr_eq(&a, &b), "one load per file");
        assert_eq!(a.max_home_domains, 2);
        assert_eq!(a.path.as_deref(), Some(team.join(FILE_NAME).as_path()));
        assert!(configs.excludes(&team.join("sub/old"), true));
        assert!(configs.excludes(&team.join("sub/old/x.xml"), false));
        assert!(configs.excludes(&team.join("top.xml"), false));
        assert!(!configs.excludes(&team.join("sub/top.xml"), false));
        assert!(!configs.excludes(&team.join("a.xml"), false));
        // Beside the team folder, its config does not apply.
        let outside = configs.for_file(&dir.path().join("x.xml"));
        assert_ne!(outside.path, a.path);
        assert!(!configs.excludes(&dir.path().join("old"), true));
        assert!(configs.errors().is_empty());
        // One config for every file: the team's is not looked at.
        let one = Configs::one(Config::default(), &Selection::default());
        assert_eq!(one.for_file(&team.join("a.xml")).max_home_domains, 5);
        assert!(!one.excludes(&team.join("sub/old"), true));
    }

    #[test]
    fn every_problem_is_reported_in_one_run_in_file_order() {
        let text = "[rules]\nSL005 = \"of\"\nSL999 = \"error\"\n\n[limits]\nmax_home_domains = \"x\"\n\n\
                    [observed]\npaths = 3\nbogus = 1\nexternal_suffixes = [\"-bad\"]\n\n[nonsense]\na = 1\n";
        let source = SourceFile::new("scslint.toml", text.to_owned(), Encoding::Utf8);
        let errors = Config::parse(&source, Path::new("/")).unwrap_err();
        let found: Vec<(usize, &str)> = errors
            .iter()
            .map(|e| {
                let line = text[..e.span.start].matches('\n').count() + 1;
                (line, e.message.split([':', ',']).next().unwrap_or(""))
            })
            .collect();
        assert_eq!(
            found,
            [
                (2, "unknown variant `of`"),
                (3, "unknown rule `SL999`"),
                (6, "invalid type"),
                (9, "invalid type"),
                (10, "unknown field `bogus`"),
                (11, "`-bad` is not a DNS suffix"),
                (13, "unknown field `nonsense`"),
            ]
        );
    }
}
