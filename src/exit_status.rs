//! The exit status of `check` and `collect`: 2 when some input could not be read or parsed, else 1
//! when a finding at or above the fail level remains, else 0. `--exit-zero` turns the 1 into 0,
//! never the 2: a run that could not read its input did not check it.

use crate::diagnostic::Severity;
use crate::outcome::Outcome;

/// How a command ended; `main` maps it to the process's exit status, in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: nothing at or above the fail level.
    Clean,
    /// 1: findings at or above the fail level.
    Findings,
    /// 2: a usage error, or input that could not be read or parsed.
    Trouble,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Clean => 0,
            Exit::Findings => 1,
            Exit::Trouble => 2,
        }
    }
}

/// What the run asks of the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// The lowest level that fails the run.
    pub fail_level: Severity,
    /// Findings never fail the run (unreadable input still does).
    pub exit_zero: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            fail_level: Severity::Error,
            exit_zero: false,
        }
    }
}

impl Policy {
    /// True when this finding level fails the run (whatever `exit_zero` says).
    pub fn fails(&self, severity: Severity) -> bool {
        severity >= self.fail_level
    }

    /// How a run with this outcome ends, as described in the module documentation.
    pub fn exit(&self, outcome: &Outcome) -> Exit {
        if outcome.had_input_problems() {
            Exit::Trouble
        } else if !self.exit_zero && outcome.findings.iter().any(|f| self.fails(f.severity)) {
            Exit::Findings
        } else {
            Exit::Clean
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Finding};
    use crate::level::Levels;
    use crate::outcome::{Summary, finish};

    fn outcome(codes: &[Code]) -> Outcome {
        let findings = codes
            .iter()
            .map(|&c| Finding::at_file(c, "p.xml".into(), 1, 1, "m"))
            .collect();
        finish(findings, Summary::default(), &Levels::default())
    }

    fn policy(fail_level: Severity, exit_zero: bool) -> Policy {
        Policy {
            fail_level,
            exit_zero,
        }
    }

    #[test]
    fn default_fails_on_errors_only() {
        let p = Policy::default();
        assert_eq!(p.exit(&outcome(&[])), Exit::Clean);
        assert_eq!(p.exit(&outcome(&[Code::SL102, Code::SL009])), Exit::Clean);
        assert_eq!(
            p.exit(&outcome(&[Code::SL102, Code::SL100])),
            Exit::Findings
        );
    }

    #[test]
    fn fail_level_lowers_the_bar() {
        let warnings = outcome(&[Code::SL102]);
        let infos = outcome(&[Code::SL009]);
        assert_eq!(
            policy(Severity::Warning, false).exit(&warnings),
            Exit::Findings
        );
        assert_eq!(policy(Severity::Warning, false).exit(&infos), Exit::Clean);
        assert_eq!(policy(Severity::Info, false).exit(&infos), Exit::Findings);
    }

    #[test]
    fn exit_zero_hides_findings_but_not_unreadable_input() {
        assert_eq!(
            policy(Severity::Info, true).exit(&outcome(&[Code::SL100])),
            Exit::Clean
        );
        assert_eq!(
            policy(Severity::Error, true).exit(&outcome(&[Code::SL051])),
            Exit::Trouble
        );
        assert_eq!(
            policy(Severity::Error, false).exit(&outcome(&[Code::SL050])),
            Exit::Trouble
        );
    }
}
