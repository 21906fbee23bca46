//! Shell completions and man pages, generated from the clap definitions in cli.rs so they never
//! drift from the real options.

use crate::cli::Cli;
use clap::CommandFactory;

pub use clap_complete::Shell;

/// The completion script for `shell`.
pub fn completions(shell: Shell) -> String {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "scslint", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The names `scslint man` accepts: every subcommand (and `hook install`-style nested ones as
/// `hook-install`).
pub fn man_page_names() -> Vec<String> {
    let cmd = Cli::command();
    let mut names = Vec::new();
    for sub in cmd.get_subcommands() {
        names.push(sub.get_name().to_owned());
        for nested in sub.get_subcommands() {
            names.push(format!("{}-{}", sub.get_name(), nested.get_name()));
        }
    }
    names
}

/// The roff man page of scslint, or of one subcommand (`check`, `hook-install`): `scslint(1)`,
/// `scslint-check(1)`. `None` when there is no such subcommand.
pub fn man_page(subcommand: Option<&str>) -> Option<String> {
    let mut cmd = Cli::command();
    cmd.build();
    let page = match subcommand {
        None => cmd,
        Some(name) => {
            let mut parts = name.splitn(2, ['-', ' ']);
            let first = parts.next()?;
            let mut sub = cmd.find_subcommand(first)?.clone();
            if let Some(nested) = parts.next() {
                sub = sub.find_subcommand(nested)?.clone();
            }
            sub
        }
    };
    let title = match subcommand {
        None => "SCSLINT".to_owned(),
        Some(name) => format!("SCSLINT-{}", name.replace(' ', "-").to_uppercase()),
    };
    let man = clap_mangen::Man::new(page)
        .title(title)
        .section("1")
        .source(format!("scslint {}", env!("CARGO_PKG_VERSION")))
        .manual("scslint manual");
    let mut out = Vec::new();
    man.render(&mut out).ok()?;
    Some(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn man_pages_exist_for_every_subcommand() {
        let top = man_page(None).unwrap();
        assert!(top.contains(".TH SCSLINT 1"), "{top}");
        assert!(top.contains("scslint\\-check(1)"), "{top}");
        for name in man_page_names() {
            let page = man_page(Some(&name)).unwrap_or_else(|| panic!("{name}"));
            let title = format!(".TH SCSLINT-{} 1", name.to_uppercase());
            assert!(page.contains(&title), "{name}: {page}");
        }
        assert!(man_page(Some("nonsense")).is_none());
        assert!(man_page(Some("hook-nonsense")).is_none());
    }
}
