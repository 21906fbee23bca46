//! The scslint binary: parse the arguments, run the command, and map how it ended to the exit
//! status (0 clean, 1 findings at or above the fail level, 2 usage error or unreadable input).

#![deny(clippy::unwrap_used, clippy::expect_used)]

use clap::Parser;
use scslint::cli::Cli;
use scslint::exit_status::Exit;
use std::process::ExitCode;

fn main() -> ExitCode {
    ignore_file_size_signal();
    let exit = match scslint::command::run(Cli::parse()) {
        Ok(exit) => exit,
        Err(failure) => {
            eprint!("{}", failure.text());
            Exit::Trouble
        }
    };
    ExitCode::from(exit.code())
}

/// Under a file-size limit (`ulimit -f`), a write past it raises SIGXFSZ, which kills the
/// process; ignored, the write fails with EFBIG instead and the run reports it and exits 2, the
/// old file intact.
fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN before any thread starts installs no
    // handler code and races with nothing.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}
