#!/usr/bin/env python3
"""Gather the seed corpus of every fuzz target into fuzz/corpus/<target>/.

Seeds come from the repository's own samples: tests/fixtures/** and profiles/** for the readers
(DHCP configurations with the files they include packed into one input, as the dhcpd, kea and
dnsmasq targets expect), a scslint.toml and a baseline written by the built binary
(target/debug/scslint, built first when missing), and small well-formed device replies (RMCP pong,
HTTP responses, WS-Man bodies, redirection replies, TLS records around a certificate) built here
byte by byte, as the unit tests of src/probe build them. Run from anywhere:

    python3 fuzz/seeds.py

Existing seeds are replaced; files a fuzzing run added under fuzz/corpus-run/ are not touched.
"""

import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"
PROFILES = ROOT / "profiles"
CORPUS = ROOT / "fuzz" / "corpus"

seeds: dict[str, dict[str, bytes]] = {}


def add(target: str, name: str, data: bytes) -> None:
    seeds.setdefault(target, {})[name] = data


def add_files(target: str, paths) -> None:
    for path in sorted(paths):
        if path.is_file():
            name = str(path.relative_to(ROOT)).removeprefix("tests/fixtures/")
            add(target, name.replace("/", "_").replace(" ", "_").replace(",", ""), path.read_bytes())


def tree(root: Path, includes: list[Path]) -> bytes:
    """One input for an include-following reader: the configuration, then each included file as
    NUL, its name relative to the configuration's folder, a line feed and its content."""
    out = root.read_bytes()
    for inc in includes:
        out += b"\0" + str(inc.relative_to(root.parent)).encode() + b"\n" + inc.read_bytes()
    return out


def readers() -> None:
    every_profile = [p for p in PROFILES.rglob("*") if p.suffix in {".xml", ".json", ".yaml"}]
    add_files("profile", every_profile + list((FIX / "formats").iterdir()))
    add_files("profile_wsman", (PROFILES / "wsman").iterdir())
    add_files("profile_scs", (PROFILES / "scs").iterdir())
    add_files("profile_meshcentral", [PROFILES / "meshcentral/config.json", FIX / "formats/config.json"])
    add_files("profile_rpcgo", (PROFILES / "rpc-go").iterdir())
    add_files("yaml", (PROFILES / "rpc-go").iterdir())
    add_files("snapshot", [PROFILES / "observed.toml", FIX / "formats/observed.toml", FIX / "dhcp/foreign/observed.toml"])
    add_files("config", [ROOT / "schemas/scs-profile-map.toml", ROOT / "schemas/discovery-map.toml", ROOT / "schemas/csv-columns.toml"])
    sources = [p for p in FIX.rglob("*") if p.is_file() and "formats" not in p.parts]
    add_files("collect_source", sources + [PROFILES / "observed.toml"])

    dhcp = FIX / "dhcp"
    add("dhcpd", "with-include.conf", tree(dhcp / "dhcpd.conf", [dhcp / "sites/branch.conf"]))
    add("dhcpd", "fleet-dhcpd.conf", (FIX / "fleet/dhcp/dhcpd.conf").read_bytes())
    add_files("dhcpd", [FIX / "agents/foreign/dhcpd.conf"])
    add("kea", "with-include.conf", tree(dhcp / "kea-dhcp4.conf", [dhcp / "subnets.json"]))
    add_files("kea", [FIX / "agents/foreign/kea-dhcp4.conf"])
    add("dnsmasq", "with-conf-dir.conf", tree(dhcp / "dnsmasq.conf", sorted((dhcp / "dnsmasq.d").iterdir())))
    add_files("dnsmasq", [FIX / "agents/foreign/dnsmasq.conf"])
    add_files("netsh", [dhcp / "netsh-dump.txt", dhcp / "netsh-dump-de.txt"])
    add_files("export_dhcpserver", [dhcp / "export-dhcpserver.xml"])

    agents = list((FIX / "agents").iterdir()) + list((FIX / "fleet/agents").iterdir())
    add_files("amtinfo_text", [p for p in agents if "amtinfo" in p.name or p.name.startswith(("pc042", "lx"))])
    add_files("amtinfo_json", [p for p in agents if p.suffix == ".json"])
    add_files("ipconfig", [p for p in agents if "ipconfig" in p.name])
    add_files("discovery", [p for p in agents if p.suffix == ".xml"])
    add_files("inventory_csv", [p for p in agents if p.suffix == ".csv"])


def from_the_binary() -> None:
    """A commented scslint.toml (`scslint init`) and a baseline of the demo (`--write-baseline`)."""
    binary = ROOT / "target/debug/scslint"
    if not binary.exists():
        subprocess.run(["cargo", "build", "--quiet"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([binary, "init", tmp], cwd=ROOT, check=True, capture_output=True)
        add("config", "scslint.toml", (Path(tmp) / "scslint.toml").read_bytes())
        baseline = Path(tmp) / "baseline.json"
        subprocess.run(
            [binary, "check", "profiles/", "--observed", "profiles/observed.toml", "--no-config",
             "--write-baseline", baseline],
            cwd=ROOT, capture_output=True,
        )
        add("baseline", "demo.json", baseline.read_bytes())


PONG = bytes([0x06, 0x00, 0xFF, 0x06, 0x00, 0x00, 0x11, 0xBE, 0x40, 0x5C, 0x00, 0x10,
              0x00, 0x00, 0x01, 0x57, 0x42, 0x60, 0xB8, 0x02,
              0x81, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00])

WSMAN_IDENTIFY = (b'<?xml version="1.0" encoding="UTF-8"?><a:Envelope xmlns:a="http://www.w3.org/2003/05/soap-envelope"'
                  b' xmlns:b="http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd"><a:Header/><a:Body>'
                  b'<b:IdentifyResponse><b:ProtocolVersion>http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd</b:ProtocolVersion>'
                  b'<b:ProductVendor>Intel Corporation</b:ProductVendor><b:ProductVersion>AMT 11.8</b:ProductVersion>'
                  b'</b:IdentifyResponse></a:Body></a:Envelope>')

WSMAN_FAULT = (b'<a:Envelope xmlns:a="http://www.w3.org/2003/05/soap-envelope"><a:Body><a:Fault><a:Code><a:Value>a:Sender</a:Value>'
               b'</a:Code><a:Reason><a:Text xml:lang="en-US">The action is not supported by the service.</a:Text></a:Reason>'
               b'</a:Fault></a:Body></a:Envelope>')

def wsman_instance(cls: str, fields: list[tuple[str, str]]) -> bytes:
    ns = f"http://intel.com/wbem/wscim/1/amt-schema/1/{cls}"
    body = "".join(f"<g:{k}>{v}</g:{k}>" for k, v in fields)
    return (f'<a:Envelope xmlns:a="http://www.w3.org/2003/05/soap-envelope" xmlns:g="{ns}"><a:Header/><a:Body>'
            f"<g:{cls}>{body}</g:{cls}></a:Body></a:Envelope>").encode()


def http(status: str, headers: list[tuple[str, str]], body: bytes = b"", chunked: bool = False) -> bytes:
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
    if chunked:
        out = b""
        for i in range(0, len(body), 100):
            piece = body[i:i + 100]
            out += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        return (head + "Transfer-Encoding: chunked\r\n\r\n").encode() + out + b"0\r\n\r\n"
    return (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def record(kind: int, payload: bytes) -> bytes:
    return bytes([kind, 3, 3]) + struct.pack(">H", len(payload)) + payload


def message(kind: int, body: bytes) -> bytes:
    return bytes([kind]) + struct.pack(">I", len(body))[1:] + body


def u24(data: bytes) -> bytes:
    return struct.pack(">I", len(data))[1:] + data


def certificate() -> bytes:
    """A self-signed certificate with DNS and IP names, as AMT's own looks; made once and kept."""
    kept = CORPUS / "certificate" / "amt-self-signed.der"
    if kept.exists():
        return kept.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        der = Path(tmp) / "cert.der"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", Path(tmp) / "key.pem", "-outform", "DER", "-out", der, "-days", "3650",
             "-subj", "/CN=pc0423.corp.example.com/O=Intel(R) Client Technology",
             "-addext", "subjectAltName=DNS:pc0423.corp.example.com,DNS:*.corp.example.com,IP:10.1.4.21"],
            check=True, capture_output=True,
        )
        return der.read_bytes()


def replies() -> None:
    add("rmcp_pong", "amt-11-8", PONG)
    add("rmcp_pong", "amt-16", PONG[:18] + b"\x00\x06" + PONG[20:22] + b"\x10\x01" + PONG[24:])
    add("rmcp_pong", "ack", PONG[:12])
    add("redirection_reply", "ok", bytes([0x11, 0, 0, 0, 1, 0, 11, 8, 0x57, 0x01, 0, 0, 2, 0xAA, 0xBB]))
    add("redirection_reply", "refused", bytes([0x11, 1, 0, 0]))

    server = ("Server", "Intel(R) Active Management Technology 11.8.50.3425")
    challenge = ("WWW-Authenticate", 'Digest realm="Digest:0123456789ABCDEF0123456789ABCDEF", '
                 'nonce="abcdef", stale="false", qop="auth", opaque="xyz", algorithm=MD5')
    add("http_response", "amt-banner", http("303 See Other", [server, ("Location", "/logon.htm")]))
    add("http_response", "digest-401", http("401 Unauthorized", [server, challenge], b"<html>401</html>"))
    add("http_response", "identify-chunked", http("200 OK", [server, ("Content-Type", "application/soap+xml")],
                                                    WSMAN_IDENTIFY, chunked=True))
    add("http_response", "continue-then-close", b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\nServer: AMT\r\n\r\nbody")

    add("wsman_response", "identify", WSMAN_IDENTIFY)
    add("wsman_response", "fault", WSMAN_FAULT)
    add("wsman_response", "ethernet", wsman_instance("AMT_EthernetPortSettings", [
        ("InstanceID", "Intel(r) AMT Ethernet Port Settings 0"), ("DHCPEnabled", "true"), ("IpSyncEnabled", "true"),
        ("IPAddress", "10.1.4.21"), ("MACAddress", "00-11-22-33-44-55"), ("LinkIsUp", "true")]))
    add("wsman_response", "general", wsman_instance("AMT_GeneralSettings", [
        ("HostName", "pc0423"), ("DomainName", "corp.example.com"), ("SharedFQDN", "true")]))
    add_files("wsman_response", (PROFILES / "wsman").iterdir())

    der = certificate()
    add("certificate", "amt-self-signed.der", der)
    hello = b"\x03\x03" + bytes(32) + b"\x00" + b"\x00\x9c" + b"\x00"
    flight = message(2, hello) + message(11, u24(u24(der))) + message(14, b"")
    add("tls_records", "tls-rsa-flight", record(22, flight))
    add("tls_records", "split-records", b"".join(record(22, flight[i:i + 150]) for i in range(0, len(flight), 150)))
    add("tls_records", "alert", record(21, b"\x02\x28"))


def main() -> int:
    readers()
    from_the_binary()
    replies()
    for target, files in sorted(seeds.items()):
        folder = CORPUS / target
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        size = sum(len(d) for d in files.values())
        print(f"{target:20} {len(files):3} seeds {size:7} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
