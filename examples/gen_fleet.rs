//! Writes a synthetic fleet for tests and benchmarks: one ISC dhcpd.conf with M subnets, and N
//! agent reports (rpc-go amtinfo text and JSON, ipconfig /all) spread over those subnets.
//!
//! cargo run --release --example gen_fleet -- --reports 100000 --scopes 300 --out /tmp/fleet
//!
//! About 2% of devices are broken the way the troubleshooting article describes: the ME has no
//! address and reports "outside enterprise" on its own LAN. The output is deterministic.

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

struct Args {
    reports: usize,
    scopes: usize,
    out: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        reports: 1000,
        scopes: 20,
        out: PathBuf::from("fleet"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--reports" => args.reports = value.parse().map_err(|e| format!("--reports: {e}"))?,
            "--scopes" => args.scopes = value.parse().map_err(|e| format!("--scopes: {e}"))?,
            "--out" => args.out = PathBuf::from(value),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if args.scopes == 0 || args.scopes > 65_536 {
        return Err("--scopes must be 1..=65536".into());
    }
    Ok(args)
}

/// A small deterministic generator (SplitMix64): the same fleet on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn subnet(i: usize) -> (u8, u8) {
    ((i / 256) as u8, (i % 256) as u8)
}

fn dhcpd_conf(scopes: usize) -> String {
    let mut s = String::from(
        "# Synthetic fleet: one subnet per site.\nddns-update-style none;\ndefault-lease-time 86400;\noption domain-name \"company.com\";\noption domain-name-servers 10.255.0.53;\n\n",
    );
    for i in 0..scopes {
        let (a, b) = subnet(i);
        let _ = writeln!(
            s,
            "subnet 10.{a}.{b}.0 netmask 255.255.255.0 {{\n  range 10.{a}.{b}.20 10.{a}.{b}.250;\n  option routers 10.{a}.{b}.1;\n  option domain-name \"site{i}.company.com\";\n}}\n"
        );
    }
    s
}

struct Device {
    host: String,
    suffix: String,
    os_ip: String,
    me_ip: String,
    mac: String,
    ras_outside: bool,
}

fn amtinfo_text(d: &Device) -> String {
    let ras = if d.ras_outside {
        "outside enterprise"
    } else {
        "direct"
    };
    format!(
        "Version\t\t\t: 16.1.27\nBuild Number\t\t: 2225\nSKU\t\t\t: 16392\nUUID\t\t\t: 4c4c4544-0042-3910-8054-b4c04f4e3132\nControl Mode\t\t: activated in client control mode\nDNS Suffix\t\t: {suffix}\nDNS Suffix (OS)\t\t: {suffix}\nHostname (OS)\t\t: {host}\nRAS Network\t\t: {ras}\nRAS Remote Status\t: not connected\n---Wired Adapter---\nDHCP Enabled\t\t: true\nDHCP Mode\t\t: passive\nLink Status\t\t: up\nAMT IP Address\t\t: {me}\nOS IP Address\t\t: {os}\nMAC Address\t\t: {mac}\n",
        suffix = d.suffix,
        host = d.host,
        me = d.me_ip,
        os = d.os_ip,
        mac = d.mac
    )
}

fn amtinfo_json(d: &Device) -> String {
    let ras = if d.ras_outside {
        "outside enterprise"
    } else {
        "direct"
    };
    format!(
        "{{\n  \"amt\": \"16.1.27\",\n  \"buildNumber\": \"2225\",\n  \"sku\": \"16392\",\n  \"controlMode\": \"activated in client control mode\",\n  \"dnsSuffix\": \"{suffix}\",\n  \"dnsSuffixOS\": \"{suffix}\",\n  \"hostnameOS\": \"{host}\",\n  \"ras\": {{\"networkStatus\": \"{ras}\", \"remoteStatus\": \"not connected\", \"remoteTrigger\": \"user initiated\", \"mpsHostname\": \"\"}},\n  \"wiredAdapter\": {{\"isEnable\": true, \"linkStatus\": \"up\", \"dhcpEnabled\": true, \"dhcpMode\": \"passive\", \"ipAddress\": \"{me}\", \"osIpAddress\": \"{os}\", \"macAddress\": \"{mac}\"}}\n}}\n",
        suffix = d.suffix,
        host = d.host,
        me = d.me_ip,
        os = d.os_ip,
        mac = d.mac
    )
}

fn ipconfig(d: &Device) -> String {
    format!(
        "\r\nWindows IP Configuration\r\n\r\n   Host Name . . . . . . . . . . . . : {host}\r\n   Primary Dns Suffix  . . . . . . . : {suffix}\r\n   Node Type . . . . . . . . . . . . : Hybrid\r\n   IP Routing Enabled. . . . . . . . : No\r\n   WINS Proxy Enabled. . . . . . . . : No\r\n   DNS Suffix Search List. . . . . . : {suffix}\r\n\r\nEthernet adapter Ethernet:\r\n\r\n   Connection-specific DNS Suffix  . : {suffix}\r\n   Description . . . . . . . . . . . : Intel(R) Ethernet Connection (7) I219-LM\r\n   Physical Address. . . . . . . . . : {mac}\r\n   DHCP Enabled. . . . . . . . . . . : Yes\r\n   Autoconfiguration Enabled . . . . : Yes\r\n   IPv4 Address. . . . . . . . . . . : {os}(Preferred)\r\n   Subnet Mask . . . . . . . . . . . : 255.255.255.0\r\n   Default Gateway . . . . . . . . . : {gw}\r\n   DNS Servers . . . . . . . . . . . : 10.255.0.53\r\n",
        host = d.host,
        suffix = d.suffix,
        mac = d.mac.replace(':', "-").to_uppercase(),
        os = d.os_ip,
        gw = d
            .os_ip
            .rsplit_once('.')
            .map(|(net, _)| format!("{net}.1"))
            .unwrap_or_default()
    )
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen_fleet: {e}");
            std::process::exit(2);
        }
    };
    let write = |path: PathBuf, text: &str| {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).expect("create folder");
        }
        fs::write(&path, text).expect("write file");
    };
    write(args.out.join("dhcp/dhcpd.conf"), &dhcpd_conf(args.scopes));
    let mut rng = Rng(0x5C5_11D7);
    for n in 0..args.reports {
        let site = rng.below(args.scopes as u64) as usize;
        let (a, b) = subnet(site);
        let host_octet = 20 + (n % 230);
        let broken = rng.below(50) == 0;
        let d = Device {
            host: format!("pc{n:06}"),
            suffix: format!("site{site}.company.com"),
            os_ip: format!("10.{a}.{b}.{host_octet}"),
            me_ip: if broken {
                "0.0.0.0".into()
            } else {
                format!("10.{a}.{b}.{host_octet}")
            },
            mac: format!(
                "a4:bb:6d:{:02x}:{:02x}:{:02x}",
                (n >> 16) & 0xff,
                (n >> 8) & 0xff,
                n & 0xff
            ),
            ras_outside: broken,
        };
        let dir = args.out.join(format!("agents/{:03}", n / 1000));
        match rng.below(10) {
            0..=4 => write(dir.join(format!("{}.json", d.host)), &amtinfo_json(&d)),
            5..=7 => write(
                dir.join(format!("{}.amtinfo.txt", d.host)),
                &amtinfo_text(&d),
            ),
            _ => write(dir.join(format!("{}.ipconfig.txt", d.host)), &ipconfig(&d)),
        }
    }
    println!(
        "wrote {} reports over {} scopes to {}",
        args.reports,
        args.scopes,
        args.out.display()
    );
}
