//! A fleet of loopback targets for the probe benchmark: on each of COUNT addresses from BASE up,
//! ports 16992 and 16993 are each open (accepts, then closes), refused (nothing bound) or silent
//! (SYNs dropped, like a filtered port: a listener with backlog 0 whose one slot is taken).
//!
//! cargo run --release --example fake_fleet -- --base 127.0.0.0 --count 4096
//!
//! Binds everything, prints one line `ready open=… refused=… silent=… unbindable=…`, then serves
//! until killed. The mix is deterministic: slot `2 * address + port` takes kind `slot % 3`.
//! Needs about two file descriptors per open or silent port.

use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::process::ExitCode;
use std::time::Duration;
use tokio::net::{TcpListener, TcpSocket};

const PORTS: [u16; 2] = [16992, 16993];

struct Args {
    base: Ipv4Addr,
    count: u32,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        base: Ipv4Addr::new(127, 0, 0, 0),
        count: 4096,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--base" => args.base = value.parse().map_err(|e| format!("--base: {e}"))?,
            "--count" => args.count = value.parse().map_err(|e| format!("--count: {e}"))?,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    let last = u32::from(args.base).checked_add(args.count.saturating_sub(1));
    let in_loopback = last.is_some_and(|last| Ipv4Addr::from(last).is_loopback());
    if !args.base.is_loopback() || !in_loopback {
        return Err("--base and --count must stay inside 127.0.0.0/8".into());
    }
    Ok(args)
}

/// What one (address, port) slot does.
#[derive(Clone, Copy)]
enum Kind {
    Open,
    Refused,
    Silent,
}

fn kind(slot: u32) -> Kind {
    match slot % 3 {
        0 => Kind::Open,
        1 => Kind::Refused,
        _ => Kind::Silent,
    }
}

#[derive(Default)]
struct Tally {
    open: usize,
    refused: usize,
    silent: usize,
    unbindable: usize,
}

/// Sockets that must stay alive for the silent slots to stay silent.
#[derive(Default)]
struct Keep {
    listeners: Vec<TcpListener>,
    fillers: Vec<TcpStream>,
}

fn listener(addr: SocketAddr, backlog: u32) -> std::io::Result<TcpListener> {
    let socket = TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(backlog)
}

/// Accept and close at once, forever.
fn serve_open(listener: TcpListener) {
    tokio::spawn(async move {
        loop {
            if listener.accept().await.is_err() {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    });
}

/// A listener whose whole accept queue (one slot at backlog 0) is held by our own connection:
/// the kernel drops every further SYN, so connecting times out.
fn make_silent(addr: SocketAddr, keep: &mut Keep) -> std::io::Result<()> {
    let listener = listener(addr, 0)?;
    let filler = TcpStream::connect_timeout(&addr, Duration::from_secs(1))?;
    keep.listeners.push(listener);
    keep.fillers.push(filler);
    Ok(())
}

fn bind_slot(addr: SocketAddr, kind: Kind, tally: &mut Tally, keep: &mut Keep) {
    let bound = match kind {
        Kind::Refused => {
            tally.refused += 1;
            return;
        }
        Kind::Open => listener(addr, 1024).map(serve_open),
        Kind::Silent => make_silent(addr, keep),
    };
    match (bound, kind) {
        (Err(e), _) => {
            if tally.unbindable == 0 {
                eprintln!("fake_fleet: cannot bind {addr}: {e}");
            }
            tally.unbindable += 1;
        }
        (Ok(()), Kind::Open) => tally.open += 1,
        (Ok(()), _) => tally.silent += 1,
    }
}

async fn run(args: Args) {
    let mut tally = Tally::default();
    let mut keep = Keep::default();
    for i in 0..args.count {
        let ip = Ipv4Addr::from(u32::from(args.base) + i);
        for (p, &port) in PORTS.iter().enumerate() {
            let slot = 2 * i + p as u32;
            bind_slot(
                SocketAddr::from((ip, port)),
                kind(slot),
                &mut tally,
                &mut keep,
            );
        }
    }
    println!(
        "ready open={} refused={} silent={} unbindable={}",
        tally.open, tally.refused, tally.silent, tally.unbindable
    );
    std::future::pending::<()>().await;
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("fake_fleet: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("fake_fleet: no runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(args));
    ExitCode::SUCCESS
}
