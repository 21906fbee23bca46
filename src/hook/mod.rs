//! scslint in git hooks: the staged profiles a pre-commit hook checks, and the plain
//! `.git/hooks/pre-commit` script `scslint hook install` writes.

pub mod git;
pub mod install;
pub mod staged;
