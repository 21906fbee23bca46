//! README.md and docs/*.md against the program and each other. Every scslint command they show in
//! a shell block, or in a `run:` or list line of a YAML block (CI recipes), must be one the program
//! takes: it is parsed by the clap definitions the binary itself parses with, and never run (some
//! would probe networks or need files that exist only on a reader's machine). Every relative link
//! must reach its file, and its heading when it names one.

mod support;

use clap::Parser;
use scslint::cli::Cli;
use std::path::Path;
use support::root;

/// A command found in a document: where, and its words after `scslint`.
#[derive(Debug)]
struct Shown {
    at: String,
    words: Vec<String>,
}

/// Every scslint command in the fenced `sh`/`console` blocks of `text` (continuation lines
/// joined, `$ ` prompts and `VAR=value` prefixes dropped, cut at a comment, pipe, redirection or
/// `&&`), and in the `run:` and list lines of its `yaml` blocks. `cargo run --release --` counts
/// as scslint.
fn commands(name: &str, text: &str) -> Vec<Shown> {
    let mut found = Vec::new();
    let mut block: Option<String> = None;
    let mut pending = String::new();
    let mut start = 0;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            block = match block {
                Some(_) => None,
                None => Some(info.trim().to_owned()),
            };
            pending.clear();
            continue;
        }
        let Some(kind) = block.as_deref() else {
            continue;
        };
        let logical = match kind {
            "sh" | "bash" | "shell" | "console" => {
                if pending.is_empty() {
                    start = i + 1;
                }
                if let Some(head) = line.strip_suffix('\\') {
                    pending.push_str(head);
                    pending.push(' ');
                    continue;
                }
                pending.push_str(line);
                std::mem::take(&mut pending)
            }
            "yaml" | "yml" => {
                start = i + 1;
                let item = trimmed.strip_prefix("- ").unwrap_or(trimmed);
                item.strip_prefix("run:").unwrap_or(item).to_owned()
            }
            _ => continue,
        };
        let mut words = shell_words(&logical).into_iter().peekable();
        if words.peek().is_some_and(|w| w == "$") {
            words.next();
        }
        let mut words: Vec<String> = words
            .skip_while(|w| {
                w.split_once('=').is_some_and(|(k, _)| {
                    !k.is_empty() && k.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                })
            })
            .collect();
        let rest = if words.first().is_some_and(|w| w == "scslint") {
            words.split_off(1)
        } else if words.starts_with(&[
            "cargo".into(),
            "run".into(),
            "--release".into(),
            "--".into(),
        ]) {
            words.split_off(4)
        } else {
            continue;
        };
        found.push(Shown {
            at: format!("{name}:{start}"),
            words: rest,
        });
    }
    found
}

/// A shell line's words up to a comment, pipe, redirection, `&&` or `;`, quotes removed.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == c {
                        break;
                    }
                    word.push(q);
                }
            }
            ' ' | '\t' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '#' if !in_word => break,
            '|' | '>' | '<' | ';' => break,
            '&' if chars.peek() == Some(&'&') => break,
            '2' if !in_word && chars.peek() == Some(&'>') => break,
            _ => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// The commands clap refuses, as `file:line: scslint WORDS: error`.
fn refused(shown: &[Shown]) -> Vec<String> {
    shown
        .iter()
        .filter_map(|s| {
            let argv = std::iter::once("scslint".to_owned()).chain(s.words.iter().cloned());
            match Cli::try_parse_from(argv) {
                Ok(_) => None,
                Err(e)
                    if matches!(
                        e.kind(),
                        clap::error::ErrorKind::DisplayHelp
                            | clap::error::ErrorKind::DisplayVersion
                    ) =>
                {
                    None
                }
                Err(e) => Some(format!(
                    "{}: scslint {}: {}",
                    s.at,
                    s.words.join(" "),
                    e.to_string().lines().next().unwrap_or_default()
                )),
            }
        })
        .collect()
}

#[test]
fn a_command_the_program_does_not_take_is_reported_with_its_place() {
    let doc = "Intro.\n\n```sh\nscslint check profiles/ --observed observed.toml   # fine\n\
               scslint check --no-such-flag\n$ NO_COLOR=1 scslint lint profiles/ | head\n\
               scslint probe 127.0.0.0/30 \\\n  --ports 80\n```\n\n\
               ```text\nscslint check [PATH]... --not-checked-here\n```\n\n\
               ```yaml\n      - run: scslint check --format xml > out.txt\n\
               \x20     - run: cargo install --locked scslint\n\
               \x20 script:\n    - scslint rules --format json\n```\n";
    let shown = commands("doc.md", doc);
    assert_eq!(shown.len(), 6, "{shown:?}");
    assert_eq!(shown[2].words, ["lint", "profiles/"]);
    let refused = refused(&shown);
    assert_eq!(refused.len(), 4, "{refused:#?}");
    let expected = [
        "doc.md:5: scslint check --no-such-flag: error:",
        "doc.md:6: scslint lint profiles/: error:",
        "doc.md:7: scslint probe 127.0.0.0/30 --ports 80: error:",
        "doc.md:16: scslint check --format xml: error:",
    ];
    for (got, want) in refused.iter().zip(expected) {
        assert!(got.starts_with(want), "{got}");
    }
}

#[test]
fn every_command_in_readme_and_docs_is_one_the_program_takes() {
    let mut files = vec![root().join("README.md")];
    let mut docs: Vec<_> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let mut shown = Vec::new();
    for file in &files {
        let name = file.strip_prefix(root()).unwrap_or(Path::new("?"));
        let text = std::fs::read_to_string(file).unwrap();
        let found = commands(&name.display().to_string(), &text);
        shown.extend(found);
    }
    let in_readme = shown
        .iter()
        .filter(|s| s.at.starts_with("README.md"))
        .count();
    assert!(in_readme >= 8, "README shows {in_readme} commands");
    assert!(shown.len() >= 40, "{} commands in all", shown.len());
    let refused = refused(&shown);
    assert!(refused.is_empty(), "{refused:#?}");
}

/// The text of `text` outside fenced code blocks, line by line with 1-based numbers.
fn prose(text: &str) -> Vec<(usize, &str)> {
    let mut fenced = false;
    let mut lines = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            lines.push((i + 1, line));
        }
    }
    lines
}

/// The anchors GitHub gives the headings of `text`: lower case, punctuation other than `-` and
/// `_` dropped, spaces turned into `-`.
fn anchors(text: &str) -> Vec<String> {
    prose(text)
        .into_iter()
        .filter_map(|(_, line)| line.strip_prefix('#'))
        .map(|h| {
            h.trim_start_matches('#')
                .trim()
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
                .map(|c| if c == ' ' { '-' } else { c })
                .collect()
        })
        .collect()
}

/// Relative links of the Markdown files in `files` (paths relative to `base`) whose file or
/// heading does not exist, as `file:line: link`.
fn broken_links(base: &Path, files: &[&str]) -> Vec<String> {
    let link = regex::Regex::new(r"\]\(([^)\s]+)\)").unwrap();
    let mut broken = Vec::new();
    for name in files {
        let path = base.join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        for (number, line) in prose(&text) {
            for found in link.captures_iter(line) {
                let target = &found[1];
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
                let file = if file.is_empty() {
                    path.clone()
                } else {
                    path.parent().unwrap().join(file)
                };
                let ok = file.exists()
                    && (anchor.is_empty()
                        || std::fs::read_to_string(&file)
                            .is_ok_and(|linked| anchors(&linked).iter().any(|a| a == anchor)));
                if !ok {
                    broken.push(format!("{name}:{number}: {target}"));
                }
            }
        }
    }
    broken
}

#[test]
fn a_link_to_a_missing_file_or_heading_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    support::write(
        dir.path(),
        "docs/a.md",
        "# Probing `scslint probe`: the ladder\n\n[ok](#probing-scslint-probe-the-ladder) \
         [ok](b.md#what-it-reads) [gone](c.md) [web](https://example.com/x.md)\n\n\
         ```text\n[not a link](nowhere.md)\n```\n[bad anchor](b.md#what-it-writes)\n",
    );
    support::write(dir.path(), "docs/b.md", "## What it reads\n");
    let broken = broken_links(dir.path(), &["docs/a.md"]);
    assert_eq!(
        broken,
        ["docs/a.md:3: c.md", "docs/a.md:8: b.md#what-it-writes"]
    );
}

#[test]
fn every_link_in_readme_and_docs_reaches_its_file_and_heading() {
    let mut files = vec!["README.md".to_owned()];
    for entry in std::fs::read_dir(root().join("docs")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") {
            files.push(format!("docs/{name}"));
        }
    }
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    let broken = broken_links(root(), &files);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_rule_tables_of_docs_rules_md_are_the_declarations() {
    let path = root().join("docs/rules.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let generated = scslint::report::docs::with_rule_tables(&text)
        .unwrap_or_else(|e| panic!("docs/rules.md: {e}"));
    if std::env::var_os("UPDATE_DOCS").is_some() {
        if generated != text {
            std::fs::write(&path, &generated).unwrap();
        }
        return;
    }
    assert!(
        generated == text,
        "the rule tables of docs/rules.md are stale: run `UPDATE_DOCS=1 cargo test --test docs` \
         to write them from the rule declarations under src/rules/"
    );
}
