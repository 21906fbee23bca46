//! `scslint hook install|uninstall`: the git pre-commit hook that runs `check --staged`.

use super::{Ended, Failure};
use crate::cli::HookAction;
use crate::exit_status::Exit;
use crate::hook::install::{self, Installed, Removed};
use std::path::Path;

/// `scslint hook ACTION`.
pub fn command(action: HookAction) -> Ended {
    let shown = |p: &Path| p.display().to_string();
    let done = match action {
        HookAction::Install { force } => install::install(force).map(|done| match done {
            Installed::Created(p) => format!("installed {}", shown(&p)),
            Installed::Updated(p) => format!("updated {}", shown(&p)),
            Installed::Replaced { hook, backup } => format!(
                "replaced the previous hook at {}; it was kept as {} (`scslint hook uninstall` puts it back)",
                shown(&hook),
                shown(&backup)
            ),
        }),
        HookAction::Uninstall => install::uninstall().map(|done| match done {
            Removed::Removed(p) => format!("removed {}", shown(&p)),
            Removed::Restored { hook, backup } => format!(
                "removed scslint's hook and put back the hook it had replaced: {} is now at {}",
                shown(&backup),
                shown(&hook)
            ),
            Removed::NothingInstalled { hook, backup: None } => {
                format!("no hook at {}; nothing to do", shown(&hook))
            }
            Removed::NothingInstalled {
                hook,
                backup: Some(backup),
            } => format!(
                "no hook at {}; nothing to do. A hook scslint replaced earlier is kept at {}: rename it to {} to use it again",
                shown(&hook),
                shown(&backup),
                shown(&hook)
            ),
        }),
    };
    let message = done.map_err(|e| Failure::new("scslint hook", &e))?;
    eprintln!("scslint: {}", crate::report::escape_text(&message));
    Ok(Exit::Clean)
}
