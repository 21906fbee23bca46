//! TCP connect probe for the AMT ports (16992-16995): tells open, refused, silent and unreachable
//! apart, each within a caller-given timeout.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpStream;

/// Outcome of one TCP connect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PortState {
    /// The handshake completed.
    Open,
    /// The peer answered with a reset: no listener on that address and port.
    Refused,
    /// No answer within the timeout: filtered, or the host is off.
    Timeout,
    /// No route to the host or network, or any other connect error.
    Unreachable,
}

impl PortState {
    /// The serialised name: "open", "refused", "timeout" or "unreachable".
    pub fn as_str(self) -> &'static str {
        match self {
            PortState::Open => "open",
            PortState::Refused => "refused",
            PortState::Timeout => "timeout",
            PortState::Unreachable => "unreachable",
        }
    }
}

impl fmt::Display for PortState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Connects to `addr`, giving up after `timeout`; the stream is returned only when `Open`.
///
/// A kernel-reported connect timeout also counts as `Timeout`; EHOSTUNREACH, ENETUNREACH and
/// every other error count as `Unreachable`.
pub async fn connect(addr: SocketAddr, timeout: Duration) -> (PortState, Option<TcpStream>) {
    match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
        Ok(Ok(stream)) => (PortState::Open, Some(stream)),
        Ok(Err(err)) => (classify(&err), None),
        Err(_) => (PortState::Timeout, None),
    }
}

fn classify(err: &io::Error) -> PortState {
    match err.kind() {
        io::ErrorKind::ConnectionRefused => PortState::Refused,
        io::ErrorKind::TimedOut => PortState::Timeout,
        _ => PortState::Unreachable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::TcpListener;
    use tokio::time::Instant;

    const SHORT: Duration = Duration::from_millis(300);

    #[tokio::test]
    async fn open_port() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let (state, stream) = connect(listener.local_addr().unwrap(), SHORT).await;
        assert_eq!(state, PortState::Open);
        assert!(stream.is_some());
    }

    #[tokio::test]
    async fn refused_port() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let (state, stream) = connect(addr, SHORT).await;
        assert_eq!(state, PortState::Refused);
        assert!(stream.is_none());
    }

    /// A listener whose accept queue is full drops further SYNs, so connects hang: a loopback
    /// stand-in for a filtered port (Linux behaviour).
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn silent_port_times_out() {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let listener = socket.listen(1).unwrap();
        let addr = listener.local_addr().unwrap();
        let mut held = Vec::new();
        let started = Instant::now();
        let mut last = PortState::Open;
        for _ in 0..16 {
            let (state, stream) = connect(addr, SHORT).await;
            last = state;
            if state != PortState::Open {
                break;
            }
            held.extend(stream);
        }
        assert_eq!(last, PortState::Timeout);
        assert!(started.elapsed() < SHORT * 16 * 5);
    }

    /// Linux refuses TCP connects to multicast addresses with ENETUNREACH (as do hosts with
    /// no route at all).
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn multicast_is_unreachable() {
        let (state, stream) = connect("224.0.0.1:16992".parse().unwrap(), SHORT).await;
        assert_eq!(state, PortState::Unreachable);
        assert!(stream.is_none());
    }

    #[test]
    fn error_kinds() {
        let kind = |k: io::ErrorKind| classify(&io::Error::from(k));
        assert_eq!(kind(io::ErrorKind::ConnectionRefused), PortState::Refused);
        assert_eq!(kind(io::ErrorKind::TimedOut), PortState::Timeout);
        assert_eq!(kind(io::ErrorKind::HostUnreachable), PortState::Unreachable);
        assert_eq!(
            kind(io::ErrorKind::NetworkUnreachable),
            PortState::Unreachable
        );
        assert_eq!(
            kind(io::ErrorKind::PermissionDenied),
            PortState::Unreachable
        );
    }

    #[test]
    fn serialises_lowercase() {
        let all = [
            PortState::Open,
            PortState::Refused,
            PortState::Timeout,
            PortState::Unreachable,
        ];
        let json = serde_json::to_string(&all).unwrap();
        assert_eq!(json, r#"["open","refused","timeout","unreachable"]"#);
        for state in all {
            assert!(json.contains(&format!("\"{state}\"")));
        }
    }
}
