//! A fake Intel AMT device on its own loopback address (127.0.0.x), for the probe tests.
//! It speaks the wire formats of DOMAIN.md §6: RMCP pong, web server and WS-Man, redirection.
//!
//! Build a [`Device`] with [`FakeAmt::new`] and its builder methods, then [`Device::start`]: every
//! socket is bound before `start` returns and served on background threads until the [`Running`]
//! handle is dropped. Ports that are not configured have nothing listening (connect is refused).

use md5::{Digest, Md5};
use quick_xml::events::Event;
use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::hash::BuildHasher;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// The AMT web server and WS-Man, plain HTTP.
pub const HTTP_PORT: u16 = 16992;
/// The AMT web server and WS-Man over TLS.
pub const TLS_PORT: u16 = 16993;
/// Redirection (SOL, IDE-R, KVM), plain.
pub const REDIRECTION_PORT: u16 = 16994;
/// Redirection over TLS.
pub const REDIRECTION_TLS_PORT: u16 = 16995;
/// Where the fake answers RMCP pings unless told otherwise: 623 needs root.
pub const DEFAULT_RMCP_PORT: u16 = 16623;
/// The version `.credentials()` assumes when `.http()` was not called.
pub const DEFAULT_VERSION: &str = "11.8.50.3425";
/// The request that opens a Serial-over-LAN redirection session.
pub const START_SOL: [u8; 8] = [0x10, 0x00, 0x00, 0x00, b'S', b'O', b'L', b' '];
/// The message that ends a redirection session.
pub const END_SESSION: [u8; 4] = [0x12, 0x00, 0x00, 0x00];

const MAX_HEADER: usize = 64 * 1024;
const MAX_BODY: usize = 1024 * 1024;
const MAX_LOGGED_REQUESTS: usize = 1_000;
/// A connection that sends nothing for this long is closed, so no handler thread outlives a test.
const IDLE: Duration = Duration::from_secs(10);
const FIRST_READ: Duration = Duration::from_secs(1);
const GET_ACTION: &str = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Get";
const PUT_ACTION: &str = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Put";
const DETECTION_ID: &str = "Intel(r) AMT Environment Detection Settings";
const AMT_SCHEMA: &str = "http://intel.com/wbem/wscim/1/amt-schema/1/";
const WIRED_ID: &str = "Intel(r) AMT Ethernet Port Settings 0";
const WIRELESS_ID: &str = "Intel(r) AMT Ethernet Port Settings 1";
const INTEL_IANA: [u8; 4] = [0x00, 0x00, 0x01, 0x57];

/// The builder's name in the tests: `FakeAmt::new(ip).http("11.8.50.3425").start()`.
pub type FakeAmt = Device;

/// What a presence ping gets back (DOMAIN.md §6, RMCP/ASF presence pong).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pong {
    /// AMT major version.
    pub major: u8,
    /// AMT minor version.
    pub minor: u8,
    /// Provisioning state: 0 not configured, 1 in progress, 2 completed.
    pub provisioning: u8,
    /// The open AMT port the pong advertises: 16992, 16993, or `None` (`00 00`, not set up).
    pub open_port: Option<u16>,
    /// Put the version in bytes 22/23 and 0 in byte 18, as AMT 16 and later do. Also used when
    /// the major or minor version does not fit a nibble.
    pub use_fallback_version_bytes: bool,
    /// Byte 19 bit 2: 16992 and 16993 both open (MeshCentral's `amtscanner.js` reads it so).
    pub both_ports: bool,
}

impl Pong {
    /// A provisioned device advertising 16992; fallback version bytes from AMT 16 on.
    pub fn new(major: u8, minor: u8) -> Pong {
        Pong {
            major,
            minor,
            provisioning: 2,
            open_port: Some(HTTP_PORT),
            use_fallback_version_bytes: major > 15,
            both_ports: false,
        }
    }

    /// The 28-byte pong answering a ping with tag `tag`.
    pub fn encode(&self, tag: u8) -> [u8; 28] {
        let mut out = [0u8; 28];
        out[..12].copy_from_slice(&[
            0x06, 0x00, 0xFF, 0x06, 0x00, 0x00, 0x11, 0xBE, 0x40, tag, 0x00, 0x10,
        ]);
        out[12..16].copy_from_slice(&INTEL_IANA);
        out[16..18].copy_from_slice(&self.open_port.unwrap_or(0).to_be_bytes());
        let fallback = self.use_fallback_version_bytes || self.major > 15 || self.minor > 15;
        if fallback {
            out[22] = self.major;
            out[23] = self.minor;
        } else {
            out[18] = (self.major << 4) | self.minor;
        }
        out[19] = (self.provisioning & 0x03) | if self.both_ports { 0x04 } else { 0 };
        out[20] = 0x81; // IPMI supported, ASF 1.0
        out
    }
}

/// The 12-byte RMCP/ASF presence ping with tag `tag`.
pub fn presence_ping(tag: u8) -> [u8; 12] {
    [
        0x06, 0x00, 0xFF, 0x06, 0x00, 0x00, 0x11, 0xBE, 0x80, tag, 0x00, 0x00,
    ]
}

/// The tag of a presence ping, or `None` when `datagram` is anything else.
pub fn ping_tag(datagram: &[u8]) -> Option<u8> {
    let [version, _, _, class, i0, i1, i2, i3, kind, tag, ..] = *datagram else {
        return None;
    };
    let is_ping = version == 0x06
        && class & 0x7F == 0x06
        && [i0, i1, i2, i3] == [0x00, 0x00, 0x11, 0xBE]
        && kind == 0x80
        && datagram.len() >= 12;
    is_ping.then_some(tag)
}

/// The 13-byte StartRedirectionSessionReply: status, protocol 1.0, firmware, Intel's IANA number
/// (little-endian, like the protocol's other integers; an assumption), no OEM data.
pub fn redirection_reply(status: u8, firmware: (u8, u8)) -> [u8; 13] {
    [
        0x11, status, 0x00, 0x00, 0x01, 0x00, firmware.0, firmware.1, 0x57, 0x01, 0x00, 0x00, 0x00,
    ]
}

/// RFC 2617 Digest `response` with `qop=auth` and MD5, lower-case hex.
#[allow(clippy::too_many_arguments)]
pub fn digest_response(
    user: &str,
    realm: &str,
    password: &str,
    method: &str,
    uri: &str,
    nonce: &str,
    nc: &str,
    cnonce: &str,
) -> String {
    let ha1 = md5_hex(&format!("{user}:{realm}:{password}"));
    let ha2 = md5_hex(&format!("{method}:{uri}"));
    md5_hex(&format!("{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}"))
}

fn md5_hex(text: &str) -> String {
    Md5::digest(text.as_bytes())
        .iter()
        .fold(String::with_capacity(32), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

/// One of the ME's network interfaces, as `AMT_EthernetPortSettings` reports it.
#[derive(Clone, Debug)]
pub struct EthernetPort {
    /// `DHCPEnabled`: false means a static ME address (which turns detection off).
    pub dhcp_enabled: bool,
    /// `IPAddress`; `None` means the device's own loopback address. `0.0.0.0` for "no address".
    pub ip_address: Option<Ipv4Addr>,
    /// `SubnetMask`.
    pub subnet_mask: Ipv4Addr,
    /// `DefaultGateway`.
    pub default_gateway: Ipv4Addr,
    /// `PrimaryDNS`.
    pub primary_dns: Ipv4Addr,
    /// `LinkIsUp`.
    pub link_is_up: bool,
    /// `IpSyncEnabled`.
    pub ip_sync_enabled: bool,
    /// `SharedStaticIp`.
    pub shared_static_ip: bool,
    /// `MACAddress`, AMT style: `a4-bb-6d-01-02-03`.
    pub mac_address: String,
}

impl Default for EthernetPort {
    fn default() -> Self {
        EthernetPort {
            dhcp_enabled: true,
            ip_address: None,
            subnet_mask: Ipv4Addr::new(255, 255, 255, 0),
            default_gateway: Ipv4Addr::new(10, 1, 4, 1),
            primary_dns: Ipv4Addr::new(10, 1, 0, 53),
            link_is_up: true,
            ip_sync_enabled: true,
            shared_static_ip: false,
            mac_address: "a4-bb-6d-00-00-01".into(),
        }
    }
}

/// What the digest-protected WS-Man Gets serve.
#[derive(Clone, Debug)]
pub struct AmtSettings {
    /// `AMT_EnvironmentDetectionSettingData.DetectionAlgorithm`: 0 local domains, 1 remote URLs.
    pub detection_algorithm: u8,
    /// `DetectionStrings`, one element each.
    pub detection_strings: Vec<String>,
    /// `DetectionIPv6LocalPrefixes`, one element each.
    pub ipv6_local_prefixes: Vec<String>,
    /// `AMT_GeneralSettings.HostName`.
    pub host_name: String,
    /// `AMT_GeneralSettings.DomainName`.
    pub domain_name: String,
    /// `AMT_GeneralSettings.SharedFQDN`.
    pub shared_fqdn: bool,
    /// `AMT_GeneralSettings.PingResponseEnabled` (ICMP).
    pub ping_response_enabled: bool,
    /// `AMT_GeneralSettings.RmcpPingResponseEnabled`.
    pub rmcp_ping_response_enabled: bool,
    /// `AMT_SetupAndConfigurationService.DhcpDNSSuffix`: the option 15 the ME received.
    pub dhcp_dns_suffix: String,
    /// `AMT_EthernetPortSettings` instance 0.
    pub wired: EthernetPort,
    /// `AMT_EthernetPortSettings` instance 1; `None` answers its Get with a fault.
    pub wireless: Option<EthernetPort>,
}

impl Default for AmtSettings {
    fn default() -> Self {
        AmtSettings {
            detection_algorithm: 0,
            detection_strings: Vec::new(),
            ipv6_local_prefixes: Vec::new(),
            host_name: "pc0423".into(),
            domain_name: "corp.example.com".into(),
            shared_fqdn: true,
            ping_response_enabled: true,
            rmcp_ping_response_enabled: true,
            dhcp_dns_suffix: "corp.example.com".into(),
            wired: EthernetPort::default(),
            wireless: None,
        }
    }
}

/// One HTTP request the fake received, for assertions.
#[derive(Clone, Debug)]
pub struct Request {
    /// The method, as sent.
    pub method: String,
    /// The request target, as sent.
    pub path: String,
    /// The headers, in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body (bounded by 1 MiB).
    pub body: Vec<u8>,
    /// 1 for HTTP/1.1, 0 for HTTP/1.0.
    pub minor_version: u8,
}

impl Request {
    /// The first header called `name`, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn wants_close(&self) -> bool {
        let connection = self.header("connection").unwrap_or("");
        if self.minor_version == 0 {
            !connection.eq_ignore_ascii_case("keep-alive")
        } else {
            connection.eq_ignore_ascii_case("close")
        }
    }
}

#[derive(Clone, Debug)]
enum Rmcp {
    Off,
    Pong(Pong),
    Silent,
    Raw(Vec<u8>),
}

#[derive(Clone, Debug)]
enum PortMode {
    Amt,
    PlainWeb,
    Redirection,
    Silent,
    Raw(Vec<u8>),
    /// `prefix`, then `block` again and again with `pause` between writes, until stopped.
    Stream {
        prefix: Vec<u8>,
        block: Vec<u8>,
        pause: Duration,
    },
}

#[derive(Clone, Debug)]
struct Config {
    ip: Ipv4Addr,
    rmcp: Rmcp,
    rmcp_port: u16,
    rmcp_ignore_first: usize,
    rmcp_ack: bool,
    ports: BTreeMap<u16, PortMode>,
    version: String,
    /// The `Server:` value of AMT answers: `None` is Intel's banner with `version`,
    /// `Some(None)` sends no `Server:` header, `Some(Some(v))` sends `v`.
    server: Option<Option<String>>,
    realm: Option<String>,
    identify_anonymous: bool,
    chunked: bool,
    credentials: Option<(String, String)>,
    settings: AmtSettings,
    redirection_status: u8,
    firmware: (u8, u8),
}

/// A fake AMT device being configured; [`Device::start`] brings it up.
#[derive(Clone, Debug)]
pub struct Device {
    cfg: Config,
}

impl Device {
    /// A device on `ip` with nothing listening: every port refuses and pings go unanswered.
    pub fn new(ip: Ipv4Addr) -> Device {
        Device {
            cfg: Config {
                ip,
                rmcp: Rmcp::Off,
                rmcp_port: DEFAULT_RMCP_PORT,
                rmcp_ignore_first: 0,
                rmcp_ack: false,
                ports: BTreeMap::new(),
                version: DEFAULT_VERSION.into(),
                server: None,
                realm: None,
                identify_anonymous: false,
                chunked: true,
                credentials: None,
                settings: AmtSettings::default(),
                redirection_status: 0,
                firmware: (11, 8),
            },
        }
    }

    /// Answer presence pings on UDP `rmcp_port` with `pong`.
    pub fn rmcp(mut self, pong: Pong) -> Self {
        self.cfg.rmcp = Rmcp::Pong(pong);
        self
    }

    /// The UDP port for RMCP (default 16623; 0 picks a free one, see [`Running::rmcp_addr`]).
    pub fn rmcp_port(mut self, port: u16) -> Self {
        self.cfg.rmcp_port = port;
        self
    }

    /// Bind the RMCP port but never answer (`RmcpPingResponseEnabled` false).
    pub fn rmcp_silent(mut self) -> Self {
        self.cfg.rmcp = Rmcp::Silent;
        self
    }

    /// Answer every valid ping with `reply` verbatim (garbage or truncated pongs).
    pub fn rmcp_raw(mut self, reply: Vec<u8>) -> Self {
        self.cfg.rmcp = Rmcp::Raw(reply);
        self
    }

    /// Drop the first `n` pings unanswered (exercises a second try).
    pub fn rmcp_ignore_first(mut self, n: usize) -> Self {
        self.cfg.rmcp_ignore_first = n;
        self
    }

    /// Send a 4-byte RMCP ACK before each pong (clients must drop datagrams under 20 bytes).
    pub fn rmcp_ack(mut self, yes: bool) -> Self {
        self.cfg.rmcp_ack = yes;
        self
    }

    /// Serve the AMT web server and WS-Man on 16992, announcing `version` in `Server:`.
    pub fn http(mut self, version: &str) -> Self {
        self.cfg.version = version.into();
        self.cfg.ports.insert(HTTP_PORT, PortMode::Amt);
        self
    }

    /// AMT answers on 16992 carry `Server: value` instead of Intel's banner (`.http()` still
    /// serves the AMT web server and WS-Man); `None` sends no `Server:` header at all.
    pub fn server_header(mut self, value: Option<&str>) -> Self {
        self.cfg.server = Some(value.map(str::to_owned));
        self.cfg.ports.entry(HTTP_PORT).or_insert(PortMode::Amt);
        self
    }

    /// Answer an unauthenticated WS-Man Identify with 200 instead of 401.
    pub fn identify_anonymous(mut self, yes: bool) -> Self {
        self.cfg.identify_anonymous = yes;
        self
    }

    /// The Digest realm, `Digest:` + 32 hex. Default: all zeros after `A407` when the pong says
    /// "not provisioned", else a fixed provisioned-looking realm.
    pub fn realm(mut self, realm: &str) -> Self {
        self.cfg.realm = Some(realm.into());
        self
    }

    /// Send 200 WS-Man responses with `Transfer-Encoding: chunked` (default, as AMT does) or
    /// with `Content-Length`.
    pub fn chunked(mut self, yes: bool) -> Self {
        self.cfg.chunked = yes;
        self
    }

    /// Accept HTTP Digest logins for `user`/`password` and serve WS-Man Gets; implies `.http()`
    /// with [`DEFAULT_VERSION`] when 16992 is not configured yet.
    pub fn credentials(mut self, user: &str, password: &str) -> Self {
        self.cfg.credentials = Some((user.into(), password.into()));
        self.cfg.ports.entry(HTTP_PORT).or_insert(PortMode::Amt);
        self
    }

    /// What the WS-Man Gets serve.
    pub fn settings(mut self, settings: AmtSettings) -> Self {
        self.cfg.settings = settings;
        self
    }

    /// Shorthand for the live detection list in [`AmtSettings::detection_strings`].
    pub fn detection_strings(mut self, strings: &[&str]) -> Self {
        self.cfg.settings.detection_strings = strings.iter().map(|s| s.to_string()).collect();
        self
    }

    /// Answer StartRedirectionSession on 16994 with firmware `(major, minor)`.
    pub fn redirection(mut self, firmware: (u8, u8)) -> Self {
        self.cfg.firmware = firmware;
        self.cfg
            .ports
            .insert(REDIRECTION_PORT, PortMode::Redirection);
        self
    }

    /// The status byte of the redirection reply (default 0, success).
    pub fn redirection_status(mut self, status: u8) -> Self {
        self.cfg.redirection_status = status;
        self
    }

    /// Nothing listens on TCP `port` (the default for every port).
    pub fn refuse(mut self, port: u16) -> Self {
        self.cfg.ports.remove(&port);
        self
    }

    /// TCP `port` accepts connections and never sends or closes.
    pub fn silent(mut self, port: u16) -> Self {
        self.cfg.ports.insert(port, PortMode::Silent);
        self
    }

    /// 16992 is another web server: every answer carries `Server: nginx/1.24.0`.
    pub fn plain_web(mut self) -> Self {
        self.cfg.ports.insert(HTTP_PORT, PortMode::PlainWeb);
        self
    }

    /// TCP `port` waits for the first bytes (up to 1 s), sends `reply` verbatim and closes.
    pub fn raw(mut self, port: u16, reply: Vec<u8>) -> Self {
        self.cfg.ports.insert(port, PortMode::Raw(reply));
        self
    }

    /// TCP `port` waits for the first bytes, sends `prefix`, then bytes without end.
    pub fn flood(self, port: u16, prefix: Vec<u8>) -> Self {
        self.stream(port, prefix, vec![b'a'; 16 * 1024], Duration::ZERO)
    }

    /// TCP `port` waits for the first bytes, sends `prefix`, then `block` again and again with
    /// `pause` between writes, without end: a flood, a slowloris, an endless chunked body.
    pub fn stream(mut self, port: u16, prefix: Vec<u8>, block: Vec<u8>, pause: Duration) -> Self {
        let mode = PortMode::Stream {
            prefix,
            block,
            pause,
        };
        self.cfg.ports.insert(port, mode);
        self
    }

    /// Bind everything and serve in the background; panics when a socket cannot be bound.
    /// A port another test holds for a moment (a probe's socket, a device being dropped) is
    /// waited for briefly before giving up.
    pub fn start(self) -> Running {
        let ip = self.cfg.ip;
        let mut last = None;
        for _ in 0..40 {
            match self.clone().try_start() {
                Ok(running) => return running,
                Err(e) if e.kind() == io::ErrorKind::AddrInUse => {
                    last = Some(e);
                    thread::sleep(Duration::from_millis(50));
                }
                Err(e) => panic!("fake AMT on {ip} did not start: {e}"),
            }
        }
        panic!("fake AMT on {ip} did not start: {last:?}")
    }

    /// Bind everything and serve in the background.
    pub fn try_start(mut self) -> io::Result<Running> {
        let realm = self
            .cfg
            .realm
            .clone()
            .unwrap_or_else(|| default_realm(&self.cfg));
        self.cfg.realm = Some(realm);
        let mut listeners = Vec::new();
        for (&port, mode) in &self.cfg.ports {
            listeners.push((port, mode.clone(), TcpListener::bind((self.cfg.ip, port))?));
        }
        let udp = match self.cfg.rmcp {
            Rmcp::Off => None,
            _ => Some(UdpSocket::bind((self.cfg.ip, self.cfg.rmcp_port))?),
        };
        let rmcp_addr = match &udp {
            Some(sock) => sock.local_addr()?,
            None => SocketAddr::from((self.cfg.ip, self.cfg.rmcp_port)),
        };
        let inner = Arc::new(Inner::new(self.cfg));
        let mut running = Running {
            inner: Arc::clone(&inner),
            rmcp_addr,
            tcp: Vec::new(),
            threads: Vec::new(),
        };
        for (port, mode, listener) in listeners {
            running.tcp.push(listener.local_addr()?);
            let inner = Arc::clone(&inner);
            running.threads.push(thread::spawn(move || {
                accept_loop(listener, port, mode, inner)
            }));
        }
        if let Some(sock) = udp {
            sock.set_read_timeout(Some(Duration::from_millis(50)))?;
            running
                .threads
                .push(thread::spawn(move || serve_rmcp(sock, inner)));
        }
        Ok(running)
    }
}

fn default_realm(cfg: &Config) -> String {
    match &cfg.rmcp {
        Rmcp::Pong(p) if p.provisioning == 0 => "Digest:A4070000000000000000000000000000".into(),
        _ => "Digest:9C3E4F0A1B2D4C5E8F7061A2B3C4D5E6".into(),
    }
}

/// A started device; dropping it stops every thread and closes every socket.
pub struct Running {
    inner: Arc<Inner>,
    rmcp_addr: SocketAddr,
    tcp: Vec<SocketAddr>,
    threads: Vec<JoinHandle<()>>,
}

impl Running {
    /// The device's loopback address.
    pub fn ip(&self) -> Ipv4Addr {
        self.inner.cfg.ip
    }

    /// `ip:port`, whether or not anything listens there.
    pub fn addr(&self, port: u16) -> SocketAddr {
        SocketAddr::from((self.inner.cfg.ip, port))
    }

    /// Where RMCP pings go (bound unless RMCP is off).
    pub fn rmcp_addr(&self) -> SocketAddr {
        self.rmcp_addr
    }

    /// The Digest realm the device challenges with.
    pub fn realm(&self) -> &str {
        self.inner.cfg.realm.as_deref().unwrap_or("")
    }

    /// Presence pings received so far (valid ones only).
    pub fn pings(&self) -> usize {
        self.inner.pings.load(Ordering::SeqCst)
    }

    /// TCP connections accepted on `port` so far.
    pub fn connections(&self, port: u16) -> usize {
        lock(&self.inner.accepted).get(&port).copied().unwrap_or(0)
    }

    /// The environment-detection settings the device holds now (after any Put).
    pub fn detection(&self) -> Detection {
        lock(&self.inner.detection).clone()
    }

    /// HTTP requests received so far, oldest first.
    pub fn requests(&self) -> Vec<Request> {
        lock(&self.inner.requests).clone()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.inner.stop.store(true, Ordering::SeqCst);
        for addr in &self.tcp {
            let _ = TcpStream::connect_timeout(addr, Duration::from_secs(1));
        }
        for handle in self.threads.drain(..) {
            let _ = handle.join();
        }
        for (_, stream) in lock(&self.inner.open).drain() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        let handlers = std::mem::take(&mut *lock(&self.inner.handlers));
        for handle in handlers {
            let _ = handle.join();
        }
    }
}

static NEXT_HOST: AtomicU32 = AtomicU32::new(0);

/// A loopback address no other caller in this process got, skipping any where the AMT ports or
/// the default RMCP port cannot be bound. Each test process starts at its own block of 127/8 (by
/// process id), so test binaries running at the same time do not race for the same address
/// between the check and the bind.
pub fn free_loopback_ip() -> Ipv4Addr {
    let base = 10 + (std::process::id() % 0xF000) * 256;
    for _ in 0..4096 {
        let n = base.wrapping_add(NEXT_HOST.fetch_add(1, Ordering::SeqCst));
        let ip = Ipv4Addr::from(0x7F00_0000 | (n & 0x00FF_FFFF));
        let last = n & 0xFF;
        if last == 0 || last == 255 {
            continue;
        }
        if bindable(ip) {
            return ip;
        }
    }
    panic!("no free loopback address with the AMT ports bindable");
}

fn bindable(ip: Ipv4Addr) -> bool {
    let tcp = [HTTP_PORT, TLS_PORT, REDIRECTION_PORT, REDIRECTION_TLS_PORT]
        .iter()
        .map(|&port| TcpListener::bind((ip, port)))
        .collect::<Result<Vec<_>, _>>();
    tcp.is_ok() && UdpSocket::bind((ip, DEFAULT_RMCP_PORT)).is_ok()
}

/// Configuration and the state every serving thread shares.
struct Inner {
    cfg: Config,
    stop: AtomicBool,
    pings: AtomicUsize,
    next_id: AtomicU64,
    requests: Mutex<Vec<Request>>,
    accepted: Mutex<BTreeMap<u16, usize>>,
    open: Mutex<HashMap<u64, TcpStream>>,
    handlers: Mutex<Vec<JoinHandle<()>>>,
    nonces: Mutex<HashSet<String>>,
    /// The environment-detection settings: the configured ones until a Put replaces them.
    detection: Mutex<Detection>,
}

/// What `AMT_EnvironmentDetectionSettingData` holds: algorithm, strings, IPv6 prefixes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Detection {
    pub algorithm: u8,
    pub strings: Vec<String>,
    pub ipv6_prefixes: Vec<String>,
}

impl Inner {
    fn new(cfg: Config) -> Inner {
        let detection = Detection {
            algorithm: cfg.settings.detection_algorithm,
            strings: cfg.settings.detection_strings.clone(),
            ipv6_prefixes: cfg.settings.ipv6_local_prefixes.clone(),
        };
        Inner {
            detection: Mutex::new(detection),
            cfg,
            stop: AtomicBool::new(false),
            pings: AtomicUsize::new(0),
            next_id: AtomicU64::new(1),
            requests: Mutex::new(Vec::new()),
            accepted: Mutex::new(BTreeMap::new()),
            open: Mutex::new(HashMap::new()),
            handlers: Mutex::new(Vec::new()),
            nonces: Mutex::new(HashSet::new()),
        }
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// Keep a handle on `stream` so dropping the device can shut it; `None` if it cannot be.
    fn register(&self, stream: &TcpStream) -> Option<u64> {
        let clone = stream.try_clone().ok()?;
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        lock(&self.open).insert(id, clone);
        Some(id)
    }

    fn forget(&self, id: u64) {
        lock(&self.open).remove(&id);
    }

    fn log(&self, request: &Request) {
        let mut requests = lock(&self.requests);
        if requests.len() < MAX_LOGGED_REQUESTS {
            requests.push(request.clone());
        }
    }

    fn new_nonce(&self) -> String {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        // Each RandomState has fresh keys: two of them make an unpredictable 128-bit nonce.
        let a = RandomState::new().hash_one(id);
        let b = RandomState::new().hash_one(id);
        let nonce = format!("{a:016x}{b:016x}");
        let mut nonces = lock(&self.nonces);
        if nonces.len() > 4096 {
            nonces.clear();
        }
        nonces.insert(nonce.clone());
        nonce
    }

    fn message_id(&self) -> String {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        format!("uuid:00000000-8086-8086-8086-{id:012X}")
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

// ---------------------------------------------------------------------------------------------
// RMCP

fn serve_rmcp(sock: UdpSocket, inner: Arc<Inner>) {
    let mut buf = [0u8; 1500];
    while !inner.stopped() {
        let (n, from) = match sock.recv_from(&mut buf) {
            Ok(got) => got,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => continue,
            Err(_) => {
                thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        let datagram = buf.get(..n).unwrap_or(&[]);
        if let Some(tag) = ping_tag(datagram) {
            let seen = inner.pings.fetch_add(1, Ordering::SeqCst) + 1;
            if seen > inner.cfg.rmcp_ignore_first {
                answer_ping(&sock, from, datagram, tag, &inner.cfg);
            }
        }
    }
}

fn answer_ping(sock: &UdpSocket, to: SocketAddr, ping: &[u8], tag: u8, cfg: &Config) {
    if cfg.rmcp_ack {
        let sequence = ping.get(2).copied().unwrap_or(0xFF);
        let _ = sock.send_to(&[0x06, 0x00, sequence, 0x86], to);
    }
    match &cfg.rmcp {
        Rmcp::Pong(pong) => {
            let _ = sock.send_to(&pong.encode(tag), to);
        }
        Rmcp::Raw(reply) => {
            let _ = sock.send_to(reply, to);
        }
        Rmcp::Silent | Rmcp::Off => {}
    }
}

// ---------------------------------------------------------------------------------------------
// TCP: accepting, and the simple port behaviours

fn accept_loop(listener: TcpListener, port: u16, mode: PortMode, inner: Arc<Inner>) {
    for conn in listener.incoming() {
        if inner.stopped() {
            break;
        }
        let Ok(stream) = conn else {
            thread::sleep(Duration::from_millis(10));
            continue;
        };
        *lock(&inner.accepted).entry(port).or_insert(0) += 1;
        let Some(id) = inner.register(&stream) else {
            continue;
        };
        if matches!(mode, PortMode::Silent) {
            continue; // the registered clone keeps it open, unanswered, until the device drops
        }
        let mode = mode.clone();
        let conn_inner = Arc::clone(&inner);
        let handle = thread::spawn(move || {
            serve_connection(stream, &mode, &conn_inner);
            conn_inner.forget(id);
        });
        lock(&inner.handlers).push(handle);
    }
}

fn serve_connection(mut stream: TcpStream, mode: &PortMode, inner: &Inner) {
    let _ = stream.set_read_timeout(Some(IDLE));
    let _ = stream.set_write_timeout(Some(IDLE));
    match mode {
        PortMode::Amt | PortMode::PlainWeb => serve_http(&mut stream, mode, inner),
        PortMode::Redirection => serve_redirection(&mut stream, &inner.cfg),
        PortMode::Raw(reply) => {
            read_first(&mut stream);
            let _ = stream.write_all(reply);
        }
        PortMode::Stream {
            prefix,
            block,
            pause,
        } => {
            read_first(&mut stream);
            endless(&mut stream, prefix, block, *pause, inner);
        }
        PortMode::Silent => {}
    }
    close_gracefully(&mut stream);
}

/// Wait up to a second for the client's first bytes and discard them.
fn read_first(stream: &mut TcpStream) {
    let _ = stream.set_read_timeout(Some(FIRST_READ));
    let mut buf = [0u8; 4096];
    let _ = stream.read(&mut buf);
    let _ = stream.set_read_timeout(Some(IDLE));
}

fn endless(stream: &mut TcpStream, prefix: &[u8], block: &[u8], pause: Duration, inner: &Inner) {
    if stream.write_all(prefix).is_err() {
        return;
    }
    while !inner.stopped() && stream.write_all(block).is_ok() {
        if !pause.is_zero() {
            std::thread::sleep(pause);
        }
    }
}

/// Send FIN, then read what the client still sends (briefly), so unread input does not turn
/// the close into a reset that could discard the reply.
fn close_gracefully(stream: &mut TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let mut buf = [0u8; 4096];
    let mut drained = 0usize;
    while drained < MAX_HEADER {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
}

// ---------------------------------------------------------------------------------------------
// Redirection

fn serve_redirection(stream: &mut TcpStream, cfg: &Config) {
    let mut request = Vec::with_capacity(8);
    let mut buf = [0u8; 512];
    while request.len() < START_SOL.len() {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(buf.get(..n).unwrap_or(&[])),
        }
    }
    if request.first() != Some(&0x10) {
        return;
    }
    let reply = redirection_reply(cfg.redirection_status, cfg.firmware);
    if stream.write_all(&reply).is_err() {
        return;
    }
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(_) if buf.first() == Some(&END_SESSION[0]) => return,
            Ok(_) => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP

/// A response before framing.
struct Response {
    status: u16,
    reason: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    chunked: bool,
}

impl Response {
    fn new(
        status: u16,
        reason: &'static str,
        content_type: &str,
        body: impl Into<Vec<u8>>,
    ) -> Self {
        Response {
            status,
            reason,
            headers: vec![("Content-Type", content_type.to_owned())],
            body: body.into(),
            chunked: false,
        }
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    fn to_bytes(&self, head_only: bool, close: bool) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, self.reason);
        for (name, value) in &self.headers {
            let _ = write!(out, "{name}: {value}\r\n");
        }
        if close {
            out.push_str("Connection: close\r\n");
        }
        if self.chunked && !head_only {
            out.push_str("Transfer-Encoding: chunked\r\n\r\n");
            let mut bytes = out.into_bytes();
            for chunk in self.body.chunks(500) {
                bytes.extend_from_slice(format!("{:X}\r\n", chunk.len()).as_bytes());
                bytes.extend_from_slice(chunk);
                bytes.extend_from_slice(b"\r\n");
            }
            bytes.extend_from_slice(b"0\r\n\r\n");
            return bytes;
        }
        let _ = write!(out, "Content-Length: {}\r\n\r\n", self.body.len());
        let mut bytes = out.into_bytes();
        if !head_only {
            bytes.extend_from_slice(&self.body);
        }
        bytes
    }
}

/// Why no request could be read.
enum ReadError {
    /// The peer closed or went idle: just close.
    Closed,
    /// The request is unacceptable: answer with this status and close.
    Reject(u16, &'static str),
}

fn serve_http(stream: &mut TcpStream, mode: &PortMode, inner: &Inner) {
    let mut buf = Vec::new();
    loop {
        let request = match read_request(stream, &mut buf) {
            Ok(request) => request,
            Err(ReadError::Closed) => return,
            Err(ReadError::Reject(status, reason)) => {
                let response = Response::new(status, reason, "text/html", Vec::new());
                let _ = stream.write_all(&response.to_bytes(false, true));
                return;
            }
        };
        inner.log(&request);
        let response = match mode {
            PortMode::PlainWeb => nginx_response(&request),
            _ => amt_response(&request, inner),
        };
        let close = request.wants_close();
        let head_only = request.method == "HEAD";
        if stream
            .write_all(&response.to_bytes(head_only, close))
            .is_err()
            || close
        {
            return;
        }
    }
}

/// Read one request from `stream`; bytes past it stay in `buf` for the next one.
fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<Request, ReadError> {
    let (mut request, head_len) = loop {
        if let Some(parsed) = parse_head(buf)? {
            break parsed;
        }
        if buf.len() > MAX_HEADER {
            return Err(ReadError::Reject(431, "Request Header Fields Too Large"));
        }
        fill(stream, buf)?;
    };
    if head_len > MAX_HEADER {
        return Err(ReadError::Reject(431, "Request Header Fields Too Large"));
    }
    if request.header("transfer-encoding").is_some() {
        return Err(ReadError::Reject(411, "Length Required"));
    }
    let length = match request.header("content-length") {
        None => 0,
        Some(v) => v
            .trim()
            .parse::<usize>()
            .map_err(|_| ReadError::Reject(400, "Bad Request"))?,
    };
    if length > MAX_BODY {
        return Err(ReadError::Reject(413, "Payload Too Large"));
    }
    let end = head_len.saturating_add(length);
    while buf.len() < end {
        fill(stream, buf)?;
    }
    request.body = buf.get(head_len..end).unwrap_or(&[]).to_vec();
    buf.drain(..end.min(buf.len()));
    Ok(request)
}

fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<(), ReadError> {
    let mut chunk = [0u8; 8192];
    match stream.read(&mut chunk) {
        Ok(0) | Err(_) => Err(ReadError::Closed),
        Ok(n) => {
            buf.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
            Ok(())
        }
    }
}

/// The request head in `buf` and its length, `None` while incomplete.
fn parse_head(buf: &[u8]) -> Result<Option<(Request, usize)>, ReadError> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut parsed = httparse::Request::new(&mut headers);
    let head_len = match parsed.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(ReadError::Reject(431, "Request Header Fields Too Large"));
        }
        Err(_) => return Err(ReadError::Reject(400, "Bad Request")),
    };
    let request = Request {
        method: parsed.method.unwrap_or("").to_owned(),
        path: parsed.path.unwrap_or("").to_owned(),
        headers: parsed
            .headers
            .iter()
            .map(|h| {
                let value = String::from_utf8_lossy(h.value).into_owned();
                (h.name.to_owned(), value)
            })
            .collect(),
        body: Vec::new(),
        minor_version: parsed.version.unwrap_or(1),
    };
    Ok(Some((request, head_len)))
}

fn nginx_response(request: &Request) -> Response {
    let (status, reason, body) = if request.path == "/" {
        (
            200,
            "OK",
            "<html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1></body></html>\n",
        )
    } else {
        (
            404,
            "Not Found",
            "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx/1.24.0</center></body></html>\n",
        )
    };
    Response::new(status, reason, "text/html", body).header("Server", "nginx/1.24.0")
}

// ---------------------------------------------------------------------------------------------
// The AMT web server

fn amt_response(request: &Request, inner: &Inner) -> Response {
    let response = match (request.method.as_str(), request.path.as_str()) {
        ("GET" | "HEAD", "/") => Response::new(303, "See Other", "text/html", logon_link())
            .header("Location", "/logon.htm"),
        ("GET" | "HEAD", "/logon.htm") => {
            Response::new(200, "OK", "text/html", logon_page(&inner.cfg.version))
        }
        ("POST", "/wsman") => wsman_response(request, inner),
        (_, "/index.htm") if authorized(request, inner) => {
            Response::new(200, "OK", "text/html", logon_page(&inner.cfg.version))
        }
        _ if authorized(request, inner) => Response::new(
            404,
            "Not Found",
            "text/html",
            "<html><body>Not Found</body></html>",
        ),
        _ => challenge(inner),
    };
    let server = match &inner.cfg.server {
        None => Some(format!(
            "Intel(R) Active Management Technology {}",
            inner.cfg.version
        )),
        Some(custom) => custom.clone(),
    };
    let response = match server {
        Some(value) => response.header("Server", value),
        None => response,
    };
    response.header("X-Frame-Options", "DENY")
}

fn logon_link() -> &'static str {
    "<html><head><title>Intel&reg; Active Management Technology</title></head><body><a href=\"/logon.htm\">Log on</a></body></html>\n"
}

fn logon_page(version: &str) -> String {
    format!(
        "<html><head><title>Intel&reg; Active Management Technology</title></head><body><h1>Intel&reg; Active Management Technology</h1><p>Version {}</p><form action=\"/index.htm\"><input type=\"submit\" value=\"Log On...\"></form></body></html>\n",
        quick_xml::escape::escape(version)
    )
}

fn challenge(inner: &Inner) -> Response {
    let realm = inner.cfg.realm.as_deref().unwrap_or("");
    let value = format!(
        "Digest realm=\"{realm}\", nonce=\"{}\",stale=\"false\",qop=\"auth\"",
        inner.new_nonce()
    );
    Response::new(
        401,
        "Unauthorized",
        "text/html",
        "<html><head><title>401 Unauthorized</title></head><body>Unauthorized</body></html>\n",
    )
    .header("WWW-Authenticate", value)
}

/// Whether `request` carries a valid Digest login for the configured credentials.
fn authorized(request: &Request, inner: &Inner) -> bool {
    let Some((user, password)) = &inner.cfg.credentials else {
        return false;
    };
    let Some(params) = request.header("authorization").and_then(digest_params) else {
        return false;
    };
    let get = |key: &str| params.get(key).map(String::as_str).unwrap_or("");
    let realm = inner.cfg.realm.as_deref().unwrap_or("");
    let algorithm_ok = matches!(get("algorithm"), "" | "MD5" | "md5");
    let known_nonce = lock(&inner.nonces).contains(get("nonce"));
    if get("username") != user
        || get("realm") != realm
        || get("uri") != request.path
        || get("qop") != "auth"
        || !algorithm_ok
        || !known_nonce
    {
        return false;
    }
    let expected = digest_response(
        user,
        realm,
        password,
        &request.method,
        &request.path,
        get("nonce"),
        get("nc"),
        get("cnonce"),
    );
    get("response").eq_ignore_ascii_case(&expected)
}

/// The parameters of a `Digest` credentials header, keys lower-cased.
fn digest_params(header: &str) -> Option<HashMap<String, String>> {
    let header = header.trim_start();
    let scheme = header.get(..6)?;
    if !scheme.eq_ignore_ascii_case("digest") {
        return None;
    }
    let mut rest = header.get(6..)?;
    let mut params = HashMap::new();
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        if rest.is_empty() {
            return Some(params);
        }
        let (key, after) = rest.split_once('=')?;
        let (value, after) = param_value(after.trim_start())?;
        params.insert(key.trim().to_ascii_lowercase(), value);
        rest = after;
    }
}

/// A token or a quoted string at the start of `text`, and what follows it.
fn param_value(text: &str) -> Option<(String, &str)> {
    let Some(quoted) = text.strip_prefix('"') else {
        let end = text.find(',').unwrap_or(text.len());
        return Some((text.get(..end)?.trim().to_owned(), text.get(end..)?));
    };
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, quoted.get(i + 1..)?)),
            '\\' => value.push(chars.next()?.1),
            c => value.push(c),
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// WS-Man

/// What the fake reads from a WS-Man request envelope.
#[derive(Default, Debug)]
struct WsmanRequest {
    action: String,
    resource_uri: String,
    message_id: String,
    selectors: Vec<(String, String)>,
    identify: bool,
}

fn wsman_response(request: &Request, inner: &Inner) -> Response {
    let parsed = parse_wsman(&request.body);
    let identify = parsed.as_ref().is_some_and(|w| w.identify);
    if identify && inner.cfg.identify_anonymous {
        return soap(200, "OK", identify_response(&inner.cfg.version), inner);
    }
    if !authorized(request, inner) {
        return challenge(inner);
    }
    match parsed {
        None => soap(
            400,
            "Bad Request",
            fault(
                None,
                "InvalidMessageInformationHeader",
                "The message is not a valid SOAP envelope.",
                inner,
            ),
            inner,
        ),
        Some(w) if w.identify => soap(200, "OK", identify_response(&inner.cfg.version), inner),
        Some(w) if w.action == PUT_ACTION => wsman_put(&w, &request.body, inner),
        Some(w) => wsman_get(&w, inner),
    }
}

fn soap(status: u16, reason: &'static str, body: String, inner: &Inner) -> Response {
    let mut response = Response::new(status, reason, "application/soap+xml; charset=UTF-8", body);
    response.chunked = inner.cfg.chunked;
    response
}

/// Action, ResourceURI, MessageID, selectors and whether the body is an Identify; `None` when
/// the body is not well-formed XML.
fn parse_wsman(body: &[u8]) -> Option<WsmanRequest> {
    let text = std::str::from_utf8(body).ok()?;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut out = WsmanRequest::default();
    let mut depth = 0usize;
    let mut value = String::new();
    let mut selector = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(tag) => {
                depth += 1;
                if depth > 64 {
                    return None;
                }
                value.clear();
                let local = tag.local_name();
                match local.as_ref() {
                    "Identify" => out.identify = true,
                    "Selector" => {
                        selector = tag
                            .try_get_attribute("Name")
                            .ok()
                            .flatten()
                            .and_then(|a| {
                                a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok()
                            })
                            .map(|v| v.into_owned())
                            .unwrap_or_default();
                    }
                    _ => {}
                }
            }
            Event::Empty(tag) => out.identify |= tag.local_name().as_ref() == "Identify",
            Event::Text(t) => value.push_str(&t.xml10_content()),
            Event::CData(t) => value.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => value.push_str(&resolve_ref(&r)?),
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                let text = std::mem::take(&mut value).trim().to_owned();
                match tag.local_name().as_ref() {
                    "Action" => out.action = text,
                    "ResourceURI" => out.resource_uri = text,
                    "MessageID" => out.message_id = text,
                    "Selector" => out.selectors.push((std::mem::take(&mut selector), text)),
                    _ => {}
                }
            }
            Event::Eof => return Some(out),
            _ => {}
        }
    }
}

fn resolve_ref(r: &quick_xml::events::BytesRef<'_>) -> Option<String> {
    if r.is_char_ref() {
        return r.resolve_char_ref().ok().flatten().map(String::from);
    }
    let name: &str = r;
    quick_xml::escape::resolve_predefined_entity(name).map(str::to_owned)
}

fn identify_response(version: &str) -> String {
    let short: Vec<&str> = version.split('.').take(2).collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><a:Envelope xmlns:a="http://www.w3.org/2003/05/soap-envelope" xmlns:b="http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd" xmlns:c="http://schemas.dmtf.org/wbem/dash/1/dash.xsd"><a:Header></a:Header><a:Body><b:IdentifyResponse><b:ProtocolVersion>http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd</b:ProtocolVersion><b:ProductVendor>Intel(r)</b:ProductVendor><b:ProductVersion>AMT {}</b:ProductVersion><c:DASHVersion>1.0.0</c:DASHVersion><b:SecurityProfiles><b:SecurityProfileName>http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/http/digest</b:SecurityProfileName></b:SecurityProfiles></b:IdentifyResponse></a:Body></a:Envelope>"#,
        quick_xml::escape::escape(short.join("."))
    )
}

fn wsman_get(w: &WsmanRequest, inner: &Inner) -> Response {
    if w.action != GET_ACTION {
        let text = "The action is not supported by the service.";
        return soap(
            400,
            "Bad Request",
            fault(Some(w), "ActionNotSupported", text, inner),
            inner,
        );
    }
    let class = w.resource_uri.strip_prefix(AMT_SCHEMA).unwrap_or("");
    let s = &inner.cfg.settings;
    let fields = match class {
        "AMT_EnvironmentDetectionSettingData" => Some(detection_fields(&lock(&inner.detection))),
        "AMT_GeneralSettings" => Some(general_fields(s, inner.cfg.realm.as_deref().unwrap_or(""))),
        "AMT_SetupAndConfigurationService" => Some(setup_fields(s)),
        "AMT_EthernetPortSettings" => ethernet_instance(w, s)
            .map(|(id, port, wireless)| ethernet_fields(id, port, wireless, inner.cfg.ip)),
        _ => None,
    };
    match fields {
        Some(fields) => soap(200, "OK", get_response(w, class, &fields, inner), inner),
        None => {
            let text = "No route can be determined to reach the destination role defined by the WS-Addressing To.";
            soap(
                400,
                "Bad Request",
                fault(Some(w), "DestinationUnreachable", text, inner),
                inner,
            )
        }
    }
}

type Fields = Vec<(&'static str, String)>;

fn flag(b: bool) -> String {
    b.to_string()
}

/// A Put of `AMT_EnvironmentDetectionSettingData`, selected by its InstanceID, whose body is the
/// instance in the class's namespace: stored, and answered with a PutResponse carrying it.
fn wsman_put(w: &WsmanRequest, body: &[u8], inner: &Inner) -> Response {
    let class = "AMT_EnvironmentDetectionSettingData";
    let selected = w
        .selectors
        .iter()
        .any(|(name, value)| name == "InstanceID" && value == DETECTION_ID);
    let parsed = (w.resource_uri == format!("{AMT_SCHEMA}{class}") && selected)
        .then(|| put_instance(body, &format!("{AMT_SCHEMA}{class}")))
        .flatten();
    let Some(detection) = parsed else {
        let text = "The request is not a valid Put of the instance.";
        return soap(
            400,
            "Bad Request",
            fault(Some(w), "InvalidRepresentation", text, inner),
            inner,
        );
    };
    let fields = detection_fields(&detection);
    *lock(&inner.detection) = detection;
    let response = get_response(w, class, &fields, inner).replace(
        "transfer/GetResponse</b:Action>",
        "transfer/PutResponse</b:Action>",
    );
    soap(200, "OK", response, inner)
}

/// The environment-detection instance in a Put body: its element in namespace `ns`, with a
/// numeric DetectionAlgorithm. Properties in another namespace do not count.
fn put_instance(body: &[u8], ns: &str) -> Option<Detection> {
    use quick_xml::name::ResolveResult;
    let text = std::str::from_utf8(body).ok()?;
    let mut reader = quick_xml::reader::NsReader::from_str(text);
    let mut out = Detection::default();
    let (mut in_instance, mut algorithm, mut depth) = (false, None, 0usize);
    let mut current: Option<String> = None;
    let mut value = String::new();
    loop {
        let (resolved, event) = reader.read_resolved_event().ok()?;
        let ours = matches!(resolved, ResolveResult::Bound(n) if n.as_ref() == ns);
        match event {
            Event::Start(tag) => {
                depth += 1;
                if depth > 64 {
                    return None;
                }
                let local = tag.local_name().as_ref().to_owned();
                if ours && local == "AMT_EnvironmentDetectionSettingData" {
                    in_instance = true;
                } else if ours && in_instance {
                    current = Some(local);
                    value.clear();
                }
            }
            Event::Text(t) => value.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => value.push_str(&resolve_ref(&r)?),
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                let local = tag.local_name().as_ref().to_owned();
                if local == "AMT_EnvironmentDetectionSettingData" {
                    in_instance = false;
                }
                if current.as_deref() == Some(local.as_str()) {
                    let v = std::mem::take(&mut value);
                    match local.as_str() {
                        "DetectionAlgorithm" => algorithm = v.trim().parse().ok(),
                        "DetectionStrings" => out.strings.push(v),
                        "DetectionIPv6LocalPrefixes" => out.ipv6_prefixes.push(v.trim().to_owned()),
                        _ => {}
                    }
                    current = None;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out.algorithm = algorithm?;
    Some(out)
}

fn detection_fields(s: &Detection) -> Fields {
    let mut fields = vec![("DetectionAlgorithm", s.algorithm.to_string())];
    fields.extend(
        s.ipv6_prefixes
            .iter()
            .map(|p| ("DetectionIPv6LocalPrefixes", p.clone())),
    );
    fields.extend(s.strings.iter().map(|d| ("DetectionStrings", d.clone())));
    fields.push(("ElementName", DETECTION_ID.into()));
    fields.push(("InstanceID", DETECTION_ID.into()));
    fields
}

fn general_fields(s: &AmtSettings, realm: &str) -> Fields {
    vec![
        ("AMTNetworkEnabled", "1".into()),
        ("DDNSPeriodicUpdateInterval", "1440".into()),
        ("DDNSTTL", "900".into()),
        ("DDNSUpdateByDHCPServerEnabled", "true".into()),
        ("DDNSUpdateEnabled", "false".into()),
        ("DHCPv6ConfigurationTimeout", "0".into()),
        ("DigestRealm", realm.into()),
        ("DomainName", s.domain_name.clone()),
        ("ElementName", "Intel(r) AMT: General Settings".into()),
        ("HostName", s.host_name.clone()),
        ("HostOSFQDN", format!("{}.{}", s.host_name, s.domain_name)),
        ("IdleWakeTimeout", "65535".into()),
        ("InstanceID", "Intel(r) AMT: General Settings".into()),
        ("NetworkInterfaceEnabled", "true".into()),
        ("PingResponseEnabled", flag(s.ping_response_enabled)),
        ("PowerSource", "0".into()),
        ("PreferredAddressFamily", "0".into()),
        ("PresenceNotificationInterval", "0".into()),
        ("PrivacyLevel", "0".into()),
        (
            "RmcpPingResponseEnabled",
            flag(s.rmcp_ping_response_enabled),
        ),
        ("SharedFQDN", flag(s.shared_fqdn)),
        ("ThunderboltDockEnabled", "0".into()),
        ("WsmanOnlyMode", "false".into()),
    ]
}

fn setup_fields(s: &AmtSettings) -> Fields {
    vec![
        (
            "CreationClassName",
            "AMT_SetupAndConfigurationService".into(),
        ),
        ("DhcpDNSSuffix", s.dhcp_dns_suffix.clone()),
        (
            "ElementName",
            "Intel(r) AMT Setup and Configuration Service".into(),
        ),
        ("EnabledState", "5".into()),
        (
            "Name",
            "Intel(r) AMT Setup and Configuration Service".into(),
        ),
        ("PasswordModel", "1".into()),
        ("ProvisioningMode", "1".into()),
        ("ProvisioningState", "2".into()),
        ("RequestedState", "12".into()),
        ("SystemCreationClassName", "CIM_ComputerSystem".into()),
        ("SystemName", "Intel(r) AMT".into()),
        ("ZeroTouchConfigurationEnabled", "true".into()),
    ]
}

/// The instance a Get names by its `InstanceID` selector (instance 0 when there is none).
fn ethernet_instance<'a>(
    w: &WsmanRequest,
    s: &'a AmtSettings,
) -> Option<(&'static str, &'a EthernetPort, bool)> {
    let id = w
        .selectors
        .iter()
        .find(|(name, _)| name == "InstanceID")
        .map(|(_, value)| value.as_str());
    match id {
        None | Some(WIRED_ID) => Some((WIRED_ID, &s.wired, false)),
        Some(WIRELESS_ID) => s.wireless.as_ref().map(|port| (WIRELESS_ID, port, true)),
        Some(_) => None,
    }
}

fn ethernet_fields(id: &str, port: &EthernetPort, wireless: bool, own: Ipv4Addr) -> Fields {
    let ip = port.ip_address.unwrap_or(own);
    vec![
        ("DHCPEnabled", flag(port.dhcp_enabled)),
        ("DefaultGateway", port.default_gateway.to_string()),
        ("ElementName", "Intel(r) AMT Ethernet Port Settings".into()),
        ("IPAddress", ip.to_string()),
        ("InstanceID", id.into()),
        ("IpSyncEnabled", flag(port.ip_sync_enabled)),
        ("LinkIsUp", flag(port.link_is_up)),
        ("LinkPolicy", "1".into()),
        ("LinkPolicy", "14".into()),
        ("LinkPolicy", "16".into()),
        ("MACAddress", port.mac_address.clone()),
        (
            "PhysicalConnectionType",
            if wireless { "3" } else { "0" }.into(),
        ),
        ("PrimaryDNS", port.primary_dns.to_string()),
        ("SharedDynamicIP", "true".into()),
        ("SharedMAC", "true".into()),
        ("SharedStaticIp", flag(port.shared_static_ip)),
        ("SubnetMask", port.subnet_mask.to_string()),
    ]
}

const ENVELOPE_NS: &str = r#"xmlns:a="http://www.w3.org/2003/05/soap-envelope" xmlns:b="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:c="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:d="http://schemas.xmlsoap.org/ws/2005/02/trust" xmlns:e="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:f="http://schemas.dmtf.org/wbem/wsman/1/cimbinding.xsd""#;

fn get_response(w: &WsmanRequest, class: &str, fields: &Fields, inner: &Inner) -> String {
    let mut body = format!("<g:{class}>");
    for (name, value) in fields {
        let _ = write!(
            body,
            "<g:{name}>{}</g:{name}>",
            quick_xml::escape::escape(value.as_str())
        );
    }
    let _ = write!(body, "</g:{class}>");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><a:Envelope {ENVELOPE_NS} xmlns:g="{AMT_SCHEMA}{class}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><a:Header><b:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</b:To><b:RelatesTo>{}</b:RelatesTo><b:Action a:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse</b:Action><b:MessageID>{}</b:MessageID><c:ResourceURI>{AMT_SCHEMA}{class}</c:ResourceURI></a:Header><a:Body>{body}</a:Body></a:Envelope>"#,
        quick_xml::escape::escape(w.message_id.as_str()),
        inner.message_id(),
    )
}

fn fault(w: Option<&WsmanRequest>, subcode: &str, text: &str, inner: &Inner) -> String {
    let relates = w.map(|w| w.message_id.as_str()).unwrap_or("");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><a:Envelope {ENVELOPE_NS}><a:Header><b:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</b:To><b:RelatesTo>{}</b:RelatesTo><b:Action a:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/fault</b:Action><b:MessageID>{}</b:MessageID></a:Header><a:Body><a:Fault><a:Code><a:Value>a:Sender</a:Value><a:Subcode><a:Value>b:{subcode}</a:Value></a:Subcode></a:Code><a:Reason><a:Text xml:lang="en-US">{text}</a:Text></a:Reason><a:Detail></a:Detail></a:Fault></a:Body></a:Envelope>"#,
        quick_xml::escape::escape(relates),
        inner.message_id(),
    )
}
