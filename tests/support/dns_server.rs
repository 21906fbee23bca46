//! A real authoritative DNS server (hickory-server) on loopback, serving zones given as master-file
//! text, for tests that exercise scslint's DNS checks end to end.

use hickory_server::Server;
use hickory_server::proto::rr::LowerName;
use hickory_server::proto::serialize::txt::Parser;
use hickory_server::store::in_memory::InMemoryZoneHandler;
use hickory_server::zone_handler::{AxfrPolicy, Catalog, ZoneType};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

fn handler(text: &str) -> (LowerName, Arc<InMemoryZoneHandler>) {
    let (origin, records) = Parser::new(text, None, None).parse().expect("zone parses");
    let zone =
        InMemoryZoneHandler::new(origin.clone(), records, ZoneType::Primary, AxfrPolicy::Deny)
            .expect("zone loads");
    (LowerName::new(&origin), Arc::new(zone))
}

/// Start a server authoritative for `zones` on 127.0.0.1 (UDP and TCP on one ephemeral port) in a
/// background thread that lives as long as the test process; returns its address.
pub fn start(zones: Vec<String>) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let mut catalog = Catalog::new();
            for text in &zones {
                let (origin, zone) = handler(text);
                catalog.upsert(origin, vec![zone]);
            }
            let (udp, tcp) = bind_pair().await;
            let addr = udp.local_addr().expect("local addr");
            let mut server = Server::new(catalog);
            server.register_socket(udp);
            server.register_listener(tcp, Duration::from_secs(5), 32);
            tx.send(addr).expect("report address");
            let _ = server.block_until_done().await;
        });
    });
    rx.recv().expect("server started")
}

/// A UDP socket and a TCP listener on the same ephemeral loopback port.
async fn bind_pair() -> (tokio::net::UdpSocket, tokio::net::TcpListener) {
    for _ in 0..20 {
        let udp = tokio::net::UdpSocket::bind("127.0.0.1:0")
            .await
            .expect("udp bind");
        let port = udp.local_addr().expect("local addr").port();
        if let Ok(tcp) = tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
            return (udp, tcp);
        }
    }
    panic!("no free port for UDP and TCP together");
}

/// A UDP socket on loopback that reads queries and never answers.
pub fn silent() -> (std::net::UdpSocket, SocketAddr) {
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").expect("udp bind");
    let addr = sock.local_addr().expect("local addr");
    (sock, addr)
}
