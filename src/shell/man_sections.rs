//! The man page sections clap cannot derive from the definitions in cli.rs: EXIT STATUS,
//! ENVIRONMENT and FILES, each written once and given to every page it applies to.

/// One section: a heading and its entries (a term, then what it means).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: &'static str,
    pub entries: Vec<(&'static str, &'static str)>,
}

/// A page: `None` for scslint(1), else the subcommand as `scslint man` names it (`hook-install`).
type Page<'a> = Option<&'a str>;

/// The subcommands that colour or wrap text (findings, `explain`, `rules`, config errors).
const STYLED: &[&str] = &["check", "collect", "probe", "inspect", "explain", "rules"];
/// The subcommands that walk folders (and so read ignore files).
const WALKING: &[&str] = &["check", "collect"];
/// The subcommands that run git.
const GIT: &[&str] = &["check", "hook", "hook-install", "hook-uninstall"];
/// The hook's pages.
const HOOK: &[&str] = &["hook", "hook-install", "hook-uninstall"];

/// An entry of ENVIRONMENT or FILES, and the subcommand pages it belongs on (scslint(1) shows
/// every entry).
struct Entry {
    term: &'static str,
    text: &'static str,
    pages: &'static [&'static str],
}

const ENVIRONMENT: &[Entry] = &[
    Entry {
        term: "NO_COLOR",
        text: "With --color auto (the default): any non-empty value turns colour off. It is read first, before CLICOLOR_FORCE.",
        pages: STYLED,
    },
    Entry {
        term: "CLICOLOR_FORCE",
        text: "With --color auto and NO_COLOR unset: any value other than empty or 0 turns colour on, also when the output is no terminal.",
        pages: STYLED,
    },
    Entry {
        term: "CLICOLOR",
        text: "With --color auto: 0 turns colour off (unless CLICOLOR_FORCE turned it on).",
        pages: STYLED,
    },
    Entry {
        term: "TERM",
        text: "With --color auto: dumb turns colour off (unless CLICOLOR_FORCE turned it on). Otherwise colour goes to terminals only.",
        pages: STYLED,
    },
    Entry {
        term: "COLUMNS",
        text: "The width findings, explain and rules are wrapped to when the output is no terminal (a terminal's own width wins). Default 100; kept between 40 and 240.",
        pages: STYLED,
    },
    Entry {
        term: "the variable --password-env names",
        text: "probe --user: the AMT password. Without --password-env the password is asked on the terminal; it is never taken from the command line.",
        pages: &["probe"],
    },
    Entry {
        term: "PATH",
        text: "Where git is found (check --staged, hook install, hook uninstall). The installed hook runs the scslint binary that installed it, by absolute path, and scslint from PATH when that binary has gone.",
        pages: GIT,
    },
    Entry {
        term: "GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE",
        text: "Passed on to git, which honours them: check --staged reads the index git names (git commit -a and git commit FILE hand the hook a temporary index this way), and hook install finds the hooks folder of that repository.",
        pages: GIT,
    },
    Entry {
        term: "HOME, XDG_CONFIG_HOME",
        text: "Where git's global excludes file is found (core.excludesFile, else $XDG_CONFIG_HOME/git/ignore or ~/.config/git/ignore); walked folders honour it.",
        pages: WALKING,
    },
];

const FILES: &[Entry] = &[
    Entry {
        term: "scslint.toml",
        text: "The configuration (rule levels, exclude, [observed] paths, [[ignore]] entries, SCS and collect mappings). check uses, for each file, the nearest scslint.toml in the file's folder or a parent, else the working directory's; the other subcommands use the working directory's or its nearest parent's. --config FILE names one for every file; --no-config ignores them. Paths in it are relative to its folder. scslint init writes a commented starter.",
        pages: &["check", "collect", "probe", "inspect", "init"],
    },
    Entry {
        term: "observed.toml",
        text: "An observed-networks snapshot (DHCP option 15 per network, flagged hosts), read with --observed or [observed] paths in scslint.toml. collect -o FILE writes one, to a temporary file beside FILE renamed into place, so a failed run never leaves half a snapshot.",
        pages: &["check", "collect", "probe"],
    },
    Entry {
        term: ".gitignore, .ignore, .git/info/exclude",
        text: "Honoured when folders are walked, as ripgrep does: .gitignore and git's exclude files inside a git repository, .ignore everywhere, in the walked folder and its parents. Hidden files and folders are skipped and links are not followed. Files named on the command line are always read (check --force-exclude and --staged still apply exclude from scslint.toml).",
        pages: WALKING,
    },
    Entry {
        term: "a baseline file (e.g. scslint-baseline.json)",
        text: "check --write-baseline FILE records the findings left after suppressions, to a temporary file beside FILE renamed into place; check --baseline FILE leaves out the findings it lists. A missing or malformed baseline is a usage error.",
        pages: &["check"],
    },
    Entry {
        term: ".git/hooks/pre-commit",
        text: "The hook hook install writes (where git rev-parse --git-path hooks points: core.hooksPath and linked worktrees are honoured), a POSIX sh script marked by a line # scslint-managed-hook. A hook without that line is never changed without --force.",
        pages: HOOK,
    },
    Entry {
        term: ".git/hooks/pre-commit.scslint-backup",
        text: "Where hook install --force keeps the hook it replaces; when that name is taken, .1, .2 and so on are added, so no backup is overwritten. hook uninstall puts the newest backup back.",
        pages: HOOK,
    },
    Entry {
        term: "/etc/resolv.conf",
        text: "The system resolver configuration, used by --dns and for probe target names unless --nameserver names a server. /etc/hosts is not consulted.",
        pages: &["check", "collect", "probe"],
    },
];

/// The exit statuses of `page`, as (status, meaning).
fn exit_status(page: Page) -> Vec<(&'static str, &'static str)> {
    match page {
        None => vec![
            (
                "0",
                "Success. check and collect: no finding at or above --fail-level (default error) remains, or --exit-zero was given; probe: no error-level finding.",
            ),
            (
                "1",
                "check, collect and probe: at least one finding at or above the fail level remains (probe: an error-level finding).",
            ),
            (
                "2",
                "A usage error (bad arguments, a scslint.toml that does not load, a --select or --ignore entry that matches no rule, a missing or malformed baseline, a probe target refused or not confirmed, an unknown rule for explain or subcommand for man, a hook or scslint.toml that hook and init leave alone), or some input could not be read or parsed (SL050-SL053), even with --exit-zero. inspect exits 2 only when a file could not be read at all.",
            ),
        ],
        Some("check") => vec![
            (
                "0",
                "No finding at or above --fail-level (default error) remains after suppressions, --baseline and --fix, or --exit-zero was given, or --write-baseline recorded the findings. With --diff: nothing to fix.",
            ),
            (
                "1",
                "At least one finding at or above --fail-level remains, and neither --exit-zero nor --write-baseline was given. With --diff: there is something to fix (the diff is printed, nothing is written).",
            ),
            (
                "2",
                concat!(
                    "A usage error (bad arguments; a scslint.toml that does not load; a --select or --ignore entry that matches no rule; --statistics with a format other than human, concise or json; a missing or malformed --baseline; a --write-baseline file that cannot be written; --staged outside a git repository; a --dns resolver that cannot start; output that cannot be written), ",
                    "or some input could not be read or parsed (SL050-SL053), even with --exit-zero: what was not read was not checked. Everything that could be read is still reported."
                ),
            ),
        ],
        Some("collect") => vec![
            (
                "0",
                "No finding at or above --fail-level (default error) remains, or --exit-zero was given.",
            ),
            (
                "1",
                "At least one finding at or above --fail-level remains (host rules, DNS rules), and no --exit-zero.",
            ),
            (
                "2",
                concat!(
                    "A usage error (bad arguments, a scslint.toml that does not load, a --select or --ignore entry that matches no rule, --statistics with a format other than human, concise or json, a --dns resolver that cannot start), the snapshot or the report could not be written, ",
                    "or some source could not be read or parsed (SL050-SL053), even with --exit-zero; everything else is still collected."
                ),
            ),
        ],
        Some("probe") => vec![
            (
                "0",
                "No error-level finding: every target was probed (or, with --dry-run, listed) and nothing confirmed a misfire. probe has no --fail-level or --exit-zero.",
            ),
            (
                "1",
                "An error-level finding: SL300 (the misfire confirmed), SL302 (live home domains differ from the profile's), SL305 where the profile predicts inside, or a rule scslint.toml raises to error.",
            ),
            (
                "2",
                concat!(
                    "A usage error: bad arguments or scslint.toml; a refused target (a broadcast, multicast or unspecified address; a range without --allow-range or larger than an IPv4 /16 or an IPv6 /112); nothing to probe; snapshot hosts or more than 256 range addresses without --yes and no terminal to confirm on, or a confirmation not given; --user without a password; ",
                    "or --observed or --profile input that could not be read or parsed."
                ),
            ),
        ],
        Some("inspect") => vec![
            (
                "0",
                "Every file was read: what it is (possibly none of the kinds scslint reads) and any problem in it are printed.",
            ),
            (
                "2",
                "A file could not be read at all (SL050), or a usage error (bad arguments, a scslint.toml that does not load).",
            ),
        ],
        Some("diff") => vec![
            (
                "0",
                "The comparison was printed: any snapshot changes; for findings, no new finding at or above --fail-level (default error), or --exit-zero was given.",
            ),
            (
                "1",
                "Findings: at least one new finding at or above --fail-level, and no --exit-zero.",
            ),
            (
                "2",
                "A usage error, a file that cannot be read or is neither a snapshot nor a JSON report or baseline (a report written before reports carried fingerprints included), a snapshot compared with findings, or output that cannot be written.",
            ),
        ],
        Some("fix-plan") => vec![
            ("0", "No profile needs a corrected list."),
            (
                "1",
                "At least one profile's list would change: its corrected list and how to put it on the devices are printed.",
            ),
            (
                "2",
                "A usage error (bad arguments, a scslint.toml that does not load), or some input could not be read or parsed (SL050-SL053).",
            ),
        ],
        Some("report") => vec![
            (
                "0",
                "The report was written, whatever it predicts and whatever the findings: a report is no gate (use check for that).",
            ),
            (
                "2",
                "An input could not be read or parsed (the report is still written and lists it), no observed networks were given, the output could not be written, or a usage error (bad arguments, a scslint.toml that does not load).",
            ),
        ],
        Some("explain") => vec![
            ("0", "The rule was explained."),
            ("2", "No rule has that code or name, or a usage error."),
        ],
        Some("man") => vec![
            ("0", "The page was printed."),
            ("2", "No subcommand of that name, or a usage error."),
        ],
        Some("init") => vec![
            ("0", "The starter scslint.toml was written."),
            (
                "2",
                "The file exists and --force was not given (it is left as it is), it could not be written, or a usage error.",
            ),
        ],
        Some("hook-install") => vec![
            (
                "0",
                "The hook was written: created, updated (scslint's own), or replaced with --force (the previous hook kept as a backup).",
            ),
            (
                "2",
                "A pre-commit hook scslint did not write is there and --force was not given (it is left as it is), the working directory is in no git repository, git could not be run, or the hook could not be written.",
            ),
        ],
        Some("hook-uninstall") => vec![
            (
                "0",
                "scslint's hook was removed (and the newest backup put back), or there was none.",
            ),
            (
                "2",
                "The hook there was not written by scslint (it is left as it is), the working directory is in no git repository, git could not be run, or a file could not be changed.",
            ),
        ],
        Some("hook") => vec![
            ("0", "hook install or hook uninstall did what it was asked."),
            (
                "2",
                "A hook scslint did not write is in the way (install without --force, uninstall), no git repository, or a file could not be changed.",
            ),
        ],
        Some(_) => vec![
            ("0", "Success."),
            ("2", "A usage error, or the output could not be written."),
        ],
    }
}

/// The entries of `table` that belong on `page`.
fn entries(table: &[Entry], page: Page) -> Vec<(&'static str, &'static str)> {
    table
        .iter()
        .filter(|e| page.is_none_or(|p| e.pages.contains(&p)))
        .map(|e| (e.term, e.text))
        .collect()
}

/// The extra sections of `page`, in man-pages(7) order; sections with no entry are left out.
pub fn sections(page: Page) -> Vec<Section> {
    let mut all = vec![Section {
        title: "EXIT STATUS",
        entries: exit_status(page),
    }];
    let environment = entries(ENVIRONMENT, page);
    if !environment.is_empty() {
        all.push(Section {
            title: "ENVIRONMENT",
            entries: environment,
        });
    }
    let files = entries(FILES, page);
    if !files.is_empty() {
        all.push(Section {
            title: "FILES",
            entries: files,
        });
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_name_real_pages_and_every_page_has_an_exit_status() {
        let names = crate::shell::man_page_names();
        for entry in ENVIRONMENT.iter().chain(FILES) {
            for page in entry.pages {
                assert!(names.iter().any(|n| n == page), "{}: {page}", entry.term);
            }
        }
        for page in names.iter().map(|n| Some(n.as_str())).chain([None]) {
            let statuses: Vec<_> = exit_status(page).iter().map(|(s, _)| *s).collect();
            assert_eq!(statuses.first(), Some(&"0"), "{page:?}");
            assert_eq!(statuses.last(), Some(&"2"), "{page:?}");
        }
        let top = sections(None);
        assert_eq!(top[1].entries.len(), ENVIRONMENT.len());
        assert_eq!(top[2].entries.len(), FILES.len());
    }
}
