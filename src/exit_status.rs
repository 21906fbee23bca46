//! The exit status of `check` and `collect`: 2 when some input could not be read or parsed, else 1
//! when a finding at or above the fail level remains, else 0. `--exit-zero` turns the 1 into 0,
//! never the 2: a run that could not read its input did not check it.

use crate::diagnostic::Severity;
use crate::outcome::Outcome;

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

    /// 0, 1 or 2, as described in the module documentation.
    pub fn code(&self, outcome: &Outcome) -> u8 {
        if outcome.had_input_problems() {
            2
        } else if !self.exit_zero && outcome.findings.iter().any(|f| self.fails(f.severity)) {
            1
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::diagnostic::{Code, Finding};
    use crate::outcome::{Summary, finish};

    fn outcome(codes: &[Code]) -> Outcome {
        let findings = codes
            .iter()
            .map(|&c| Finding::at_file(c, "p.xml".into(), 1, 1, "m"))
            .collect();
        finish(findings, Summary::default(), &Config::default())
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
        assert_eq!(p.code(&outcome(&[])), 0);
        assert_eq!(p.code(&outcome(&[Code::SL102, Code::SL009])), 0);
        assert_eq!(p.code(&outcome(&[Code::SL102, Code::SL100])), 1);
    }

    #[test]
    fn fail_level_lowers_the_bar() {
        let warnings = outcome(&[Code::SL102]);
        let infos = outcome(&[Code::SL009]);
        assert_eq!(policy(Severity::Warning, false).code(&warnings), 1);
        assert_eq!(policy(Severity::Warning, false).code(&infos), 0);
        assert_eq!(policy(Severity::Info, false).code(&infos), 1);
    }

    #[test]
    fn exit_zero_hides_findings_but_not_unreadable_input() {
        assert_eq!(
            policy(Severity::Info, true).code(&outcome(&[Code::SL100])),
            0
        );
        assert_eq!(
            policy(Severity::Error, true).code(&outcome(&[Code::SL051])),
            2
        );
        assert_eq!(
            policy(Severity::Error, false).code(&outcome(&[Code::SL050])),
            2
        );
    }
}
