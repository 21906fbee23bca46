//! Shell completions and man pages, generated from the clap definitions in cli.rs so they never
//! drift from the real options; the man pages add the sections clap cannot derive.

mod man_sections;

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
    let name = subcommand.map(|n| n.replace(' ', "-"));
    let page = match subcommand {
        None => cmd,
        // A subcommand whose own name has a hyphen (`fix-plan`), else `hook-install`.
        Some(name) if cmd.find_subcommand(name).is_some() => cmd.find_subcommand(name)?.clone(),
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
    let title = match &name {
        None => "SCSLINT".to_owned(),
        Some(name) => format!("SCSLINT-{}", name.to_uppercase()),
    };
    let has_options = page.get_arguments().any(|a| !a.is_hide_set());
    let has_subcommands = page.has_subcommands();
    let has_after_help = page.get_after_long_help().is_some() || page.get_after_help().is_some();
    let man = clap_mangen::Man::new(page)
        .title(title)
        .section("1")
        .source(format!("scslint {}", env!("CARGO_PKG_VERSION")))
        .manual("scslint manual");
    // clap_mangen's own sections in its order, with ours between the derived ones and VERSION
    // (man-pages(7): EXIT STATUS, ENVIRONMENT, FILES come after OPTIONS).
    type Part = fn(&clap_mangen::Man, &mut dyn std::io::Write) -> std::io::Result<()>;
    let mut parts: Vec<Part> = vec![
        clap_mangen::Man::render_title,
        clap_mangen::Man::render_name_section,
        clap_mangen::Man::render_synopsis_section,
        clap_mangen::Man::render_description_section,
    ];
    if has_options {
        parts.push(clap_mangen::Man::render_options_section);
    }
    if has_subcommands {
        parts.push(clap_mangen::Man::render_subcommands_section);
    }
    if has_after_help {
        parts.push(clap_mangen::Man::render_extra_section);
    }
    let mut rendered = Vec::new();
    for part in parts {
        let mut out = Vec::new();
        part(&man, &mut out).ok()?;
        rendered.push(String::from_utf8_lossy(&out).into_owned());
    }
    rendered.push(render_sections(&man_sections::sections(name.as_deref())));
    let mut out = Vec::new();
    man.render_version_section(&mut out).ok()?;
    rendered.push(String::from_utf8_lossy(&out).into_owned());
    Some(join_roff(&rendered))
}

/// Our sections as roff: a heading each, then one tagged paragraph per entry.
fn render_sections(sections: &[man_sections::Section]) -> String {
    use clap_mangen::roff::{Roff, bold, roman};
    let mut roff = Roff::new();
    for section in sections {
        roff.control("SH", [section.title]);
        for (term, text) in &section.entries {
            roff.control("TP", []);
            roff.text([bold(*term)]);
            roff.text([roman(*text)]);
        }
    }
    roff.render()
}

/// Pieces rendered one by one, joined into one document: each starts with the same preamble
/// (the apostrophe string definition), which the document needs once.
fn join_roff(pieces: &[String]) -> String {
    let preamble = clap_mangen::roff::Roff::new().render();
    let mut page = preamble.clone();
    for piece in pieces {
        page.push_str(piece.strip_prefix(preamble.as_str()).unwrap_or(piece));
    }
    page
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
