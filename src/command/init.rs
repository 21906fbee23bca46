//! `scslint init`: a commented starter scslint.toml. Every section is there with what it does;
//! every setting is shown commented out with its default (or an example where there is none).
//! The rule list and the mappings are generated from the code and the shipped mapping files, so
//! the starter never disagrees with the program.

use super::{Ended, Failure};
use crate::cli::InitArgs;
use crate::config::{DEFAULT_MAX_HOME_DOMAINS, FILE_NAME};
use crate::diagnostic::Code;
use crate::exit_status::Exit;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The starter configuration text.
pub fn starter() -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "# scslint configuration, written by `scslint init` (scslint {}).\n\
         #\n\
         # `scslint check` checks each file with the nearest scslint.toml in the file's folder or a\n\
         # parent (else the working directory's); `--config FILE` names one for every file and\n\
         # `--no-config` ignores them. Paths in this file are relative to its folder. Every key is\n\
         # optional: a line left commented out keeps the default shown. Unknown keys are errors. The\n\
         # file is described by schemas/config.schema.json in the scslint repository.\n\n",
        env!("CARGO_PKG_VERSION")
    ));

    s.push_str(
        "# Files and folders `scslint check` leaves out when it walks folders, written as in .gitignore\n\
         # and relative to this file's folder: `archive/` (a folder anywhere below), `/drafts/` (only\n\
         # here), `**/*.orig.xml`, `!keep.xml` to take one back. .gitignore and .ignore files are\n\
         # honoured too. Files named on the command line are still checked unless `--force-exclude`\n\
         # is given; the pre-commit hooks leave them out. A top-level key: keep it above any [table].\n\
         # exclude = [\"archive/\", \"**/*.orig.xml\"]\n\n",
    );

    s.push_str(
        "# Per-rule levels, by code or by name: \"off\", \"info\", \"warning\" or \"error\".\n\
         # An error-level finding makes `scslint check` exit with status 1 (and stops a commit in the\n\
         # pre-commit hook); warnings and infos are reported only. The values shown are each rule's\n\
         # default (SL008 turns itself into an error when remote access is configured; naming it here\n\
         # pins one level). SL050-SL053 report input that could not be read; their level is fixed.\n\
         # `scslint explain CODE` tells what a rule catches and how to fix it.\n\
         [rules]\n",
    );
    let rules: Vec<Code> = Code::ALL
        .iter()
        .copied()
        .filter(|c| !c.is_input_problem())
        .collect();
    for c in rules {
        let setting = format!("{} = \"{}\"", c.as_str(), c.default_severity().as_str());
        let _ = writeln!(s, "# {setting:<19} # {}", c.name());
    }

    s.push_str(
        "\n# The networks devices attach to: DHCP option 15 per network. Without them only the profile\n\
         # rules (SL0xx) run. Paths are read as if each were given with --observed, relative to this\n\
         # file: an observed.toml snapshot (`scslint collect SOURCES -o observed.toml` writes one) or\n\
         # raw sources (dhcpd.conf, Kea, dnsmasq, Windows DHCP exports, agent reports), files or folders.\n\
         # The pre-commit hook checks staged profiles against these.\n\
         [observed]\n\
         # paths = [\"observed.toml\"]\n\
         # Suffixes of networks that are never the enterprise (guest Wi-Fi, partner networks), added\n\
         # to the built-in consumer-router suffixes (home, lan, localdomain, fritz.box, home.arpa, ...).\n\
         # external_suffixes = [\"guest.example.com\"]\n",
    );

    let _ = write!(
        s,
        "\n# Thresholds used by rules.\n\
         [limits]\n\
         # The most home-domain entries a profile may list before SL005 reports it.\n\
         # max_home_domains = {DEFAULT_MAX_HOME_DOMAINS}\n"
    );

    s.push_str(
        "\n# How Intel SCS profile exports are read. Intel publishes no schema for SCS profile XML, so\n\
         # scslint reads it through element paths: local names separated by `/`, compared\n\
         # case-insensitively, matching the end of an element's path (a leading `/` anchors at the\n\
         # root). To read your export, uncomment the section and the fields whose elements are named\n\
         # differently; fields left out keep the shipped paths shown.\n",
    );
    s.push_str(&commented_mapping(
        crate::profile::scs::DEFAULT_MAPPING,
        "scs",
    ));

    s.push_str(
        "\n# How `scslint collect` (and `check --observed` on raw sources) reads Intel SCS\n\
         # SystemDiscovery XML reports: element paths as for [scs.fields].\n",
    );
    s.push_str(&commented_mapping(
        crate::observe::mapping::SHIPPED_MAPPING,
        "collect.discovery",
    ));

    s.push_str(
        "\n# How CSV inventory exports are read: header names per field, compared case-insensitively.\n",
    );
    s.push_str(&commented_mapping(
        crate::observe::mapping::SHIPPED_COLUMNS,
        "collect.csv",
    ));
    s
}

/// A shipped mapping file as a commented-out `[table]`: its explanatory comments kept, each
/// setting on one line with the shipped value, its leading file header dropped.
fn commented_mapping(shipped: &str, table: &str) -> String {
    let Ok(values) = toml::from_str::<toml::Table>(shipped) else {
        return String::new();
    };
    let mut out = format!("# [{table}]\n");
    let mut lines = shipped.lines().peekable();
    // The file's own header (what the file is) does not apply here.
    while lines.peek().is_some_and(|l| l.starts_with('#')) {
        lines.next();
    }
    let mut current = &values;
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with('#') {
            out.push_str(trimmed);
            out.push('\n');
        } else if let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            let name = name.trim();
            current = match values.get(name).and_then(toml::Value::as_table) {
                Some(t) => t,
                None => return String::new(),
            };
            out.push_str(&format!("# [{table}.{name}]\n"));
        } else if let Some((key, _)) = trimmed.split_once('=') {
            let key = key.trim();
            let Some(value) = current.get(key) else {
                return String::new();
            };
            out.push_str(&format!("# {key} = {value}\n"));
            // Skip the rest of a value written over several lines.
            while lines
                .peek()
                .is_some_and(|l| l.starts_with([' ', '\t', ']']))
            {
                lines.next();
            }
        }
    }
    out
}

/// `scslint init`.
pub fn command(args: InitArgs) -> Ended {
    let path = target(args.path.as_deref());
    write(&path, args.force).map_err(|e| Failure::new("scslint init", &e))?;
    eprintln!(
        "scslint: wrote {}; name your observed networks under [observed], then run `scslint check`",
        crate::report::escape_text(&path.display().to_string())
    );
    Ok(Exit::Clean)
}

/// Where `scslint init [PATH]` writes: PATH, PATH/scslint.toml for a folder, or ./scslint.toml.
pub fn target(path: Option<&Path>) -> PathBuf {
    match path {
        Some(p) if p.is_dir() => p.join(FILE_NAME),
        Some(p) => p.to_path_buf(),
        None => PathBuf::from(FILE_NAME),
    }
}

/// Write the starter to `path` atomically; an existing file stays unless `force`.
pub fn write(path: &Path, force: bool) -> Result<(), String> {
    let exists = || {
        format!(
            "{} already exists; it was left as it is (`scslint init --force` replaces it)",
            path.display()
        )
    };
    if !force && path.exists() {
        return Err(exists());
    }
    crate::atomic::write(path, starter().as_bytes(), 0o644, force).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            exists()
        } else {
            format!("cannot write {}: {e}", path.display())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_changeable_rule_is_listed_with_its_default() {
        let text = starter();
        for &c in Code::ALL {
            let line = format!("# {} = \"{}\"", c.as_str(), c.default_severity().as_str());
            assert_eq!(text.contains(&line), !c.is_input_problem(), "{line}");
        }
    }

    #[test]
    fn shipped_mappings_become_one_line_settings() {
        for (shipped, table) in [
            (crate::profile::scs::DEFAULT_MAPPING, "scs"),
            (
                crate::observe::mapping::SHIPPED_MAPPING,
                "collect.discovery",
            ),
            (crate::observe::mapping::SHIPPED_COLUMNS, "collect.csv"),
        ] {
            let text = commented_mapping(shipped, table);
            assert!(text.starts_with(&format!("# [{table}]\n")), "{text}");
            let uncommented: String = text
                .lines()
                .filter_map(|l| l.strip_prefix("# "))
                .filter(|l| l.starts_with('[') || l.contains(" = ["))
                .map(|l| format!("{l}\n"))
                .collect();
            let parsed: toml::Table = toml::from_str(&uncommented).unwrap();
            let mut node = &parsed;
            for part in table.split('.') {
                node = node[part].as_table().unwrap();
            }
            let original: toml::Table = toml::from_str(shipped).unwrap();
            assert_eq!(node, &original, "{table}");
        }
    }

    #[test]
    fn never_overwrites_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let path = target(Some(dir.path()));
        assert_eq!(path, dir.path().join(FILE_NAME));
        write(&path, false).unwrap();
        std::fs::write(&path, "# mine\n").unwrap();
        assert!(write(&path, false).unwrap_err().contains("already exists"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "# mine\n");
        write(&path, true).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), starter());
    }
}
