//! `scslint explain`, `scslint rules` and `scslint man`: the documentation the binary carries.

use super::{Ended, Failure, print};
use crate::cli::Format;
use crate::diagnostic::Code;
use crate::report::docs;
use crate::report::terminal::{ColorWhen, Stream, Style};

/// `scslint explain CODE`.
pub fn explain(code: &str, format: Format, color: ColorWhen) -> Ended {
    match (Code::parse(code), format) {
        (Some(c), Format::Json) => print(&docs::explain_json(c)),
        (Some(c), _) => print(&docs::explain_text(c, Style::detect(color, Stream::Stdout))),
        (None, _) => Err(Failure::new(
            "scslint",
            &format!("unknown rule `{code}`; `scslint rules` lists them all"),
        )),
    }
}

/// `scslint rules`.
pub fn rules(format: Format, color: ColorWhen) -> Ended {
    match format {
        Format::Json => print(&docs::rules_json()),
        _ => print(&docs::rules_text(Style::detect(color, Stream::Stdout))),
    }
}

/// `scslint man [SUBCOMMAND]`.
pub fn man(subcommand: Option<&str>) -> Ended {
    match crate::shell::man_page(subcommand) {
        Some(page) => print(&page),
        None => Err(Failure::new(
            "scslint man",
            &format!(
                "no subcommand `{}`; one of: {}",
                subcommand.unwrap_or_default(),
                crate::shell::man_page_names().join(", ")
            ),
        )),
    }
}
