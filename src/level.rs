//! The level each rule runs at, as configured: a severity, or off. Applied once, where findings
//! are finished (`outcome::finish`), and consulted where suppressions are counted.

use crate::diagnostic::{Code, Severity};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};

/// A rule's level in config: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

/// The configured level of every rule the configuration names; the others keep the severity
/// their rule chose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Levels(BTreeMap<Code, Level>);

impl Levels {
    /// The severity a finding of `code` gets: config first, else what the rule chose; `None`
    /// when the rule is off.
    pub fn level_for(&self, code: Code, chosen: Severity) -> Option<Severity> {
        match self.0.get(&code) {
            Some(level) => level.severity(),
            None => Some(chosen),
        }
    }
}

impl Deref for Levels {
    type Target = BTreeMap<Code, Level>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for Levels {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_level_wins_and_off_drops() {
        let mut levels = Levels::default();
        levels.insert(Code::SL005, Level::Off);
        levels.insert(Code::SL102, Level::Error);
        assert_eq!(levels.level_for(Code::SL005, Severity::Warning), None);
        assert_eq!(
            levels.level_for(Code::SL102, Severity::Warning),
            Some(Severity::Error)
        );
        assert_eq!(
            levels.level_for(Code::SL001, Severity::Info),
            Some(Severity::Info)
        );
    }
}
