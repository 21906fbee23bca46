//! Sample agent reports shared by the agent readers' tests; `reader_tests::samples` lists them
//! with every other sample the sniffers are checked against.

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("../../tests/fixtures/agents/", $name))
    };
}

/// Old tab style: empty ME `DNS Suffix`, wired and wireless sections repeating the same labels
/// (different OS IPs), `AMT IP Address 0.0.0.0`, MAC values with colons, certificate hashes.
pub const AMTINFO_TABS: &str = fixture!("amtinfo-tabs.txt");
/// Newer styled output: ANSI colours inside labels and values, `─` rules under section titles,
/// no colons, bare `Network` in "Remote Access", wired link down and `OS IP Address Not Found`.
pub const AMTINFO_STYLED: &str = fixture!("amtinfo-styled.txt");
/// `--table` output: box-drawn cells, category only on a section's first row, the wireless
/// section before the wired one, ME `DNS Suffix` differing from `DNS Suffix (OS)`.
pub const AMTINFO_TABLE: &str = fixture!("amtinfo-table.txt");
/// Old tab style with CRLF line ends, a release that printed `IP Address` and left out the wired
/// section (no wired port): empty `DNS Suffix (OS)`, only a wireless section.
pub const AMTINFO_OLD_WIRELESS: &str = fixture!("amtinfo-old-wireless.txt");
/// `--json`, camelCase keys: `ras{…}`, `wiredAdapter{…}` and a wireless adapter with the
/// all-zero MAC.
pub const AMTINFO_JSON: &str = fixture!("amtinfo.json");
/// `--json` keyed by display labels (`"DNS Suffix (OS)"` with a trailing dot, numeric RAS
/// `Network`, `"DHCP Enabled": "false"` as a string).
pub const AMTINFO_LABELS_JSON: &str = fixture!("amtinfo-labels.json");
/// Legacy C `rpc --amtinfo all`: flat, `LAN Interface : wired` then `: wireless` opening each
/// adapter's values, an `FQDN` line (the ME's, not option 15).
pub const AMTINFO_LEGACY_C: &str = fixture!("amtinfo-legacy-c.txt");
/// MeshCentral `meshcmd amtinfo`: one line per fact, the wired adapter with its address,
/// `DNS suffix` (the OS suffix of the AMT adapter) beside `Trusted DNS suffix` (MEBx).
pub const MESHCMD_AMTINFO: &str = fixture!("meshcmd-amtinfo.txt");
/// English, CRLF: a VirtualBox adapter with an address listed first, a disconnected Wi-Fi with
/// a stale suffix, the connected Intel Ethernet, a disconnected Bluetooth PAN; continuation lines.
pub const IPCONFIG: &str = fixture!("ipconfig-all.txt");
/// German: Hyper-V `vEthernet` and a connected WLAN before the wired Ethernet, `Ja`/`Nein`,
/// `(Bevorzugt)`, an ISATAP tunnel with an eight-byte hardware address and `Medium getrennt`.
pub const IPCONFIG_DE: &str = fixture!("ipconfig-de.txt");
/// French laptop: Ethernet `Média déconnecté` with a stale suffix, a VMware adapter with an
/// address, the connected Wi-Fi; `Nom de l’hôte` with a typographic apostrophe, `.:` labels.
pub const IPCONFIG_FR: &str = fixture!("ipconfig-fr.txt");
/// English desktop on a dock: a PPP VPN adapter first, the dock's USB Ethernet before the
/// onboard Intel Ethernet (the ME's MAC, static address), a Teredo tunnel.
pub const IPCONFIG_DOCK: &str = fixture!("ipconfig-dock.txt");
/// Simplified Chinese, CRLF: a Hyper-V `vEthernet` with an address, a disconnected WLAN with a
/// stale suffix (`媒体已断开连接`), the connected Ethernet; `是`/`否`, `(首选)`, a default gateway
/// continued on the next line.
pub const IPCONFIG_ZH_CN: &str = fixture!("ipconfig-zh-CN.txt");
/// Japanese laptop: a disconnected Ethernet with a stale suffix, a VirtualBox adapter and an
/// OpenVPN "unknown adapter" with addresses before the connected Wi-Fi; `(優先)`, labels ending
/// `.:`, and full-width colons (`：`) where an editor rewrote two of them.
pub const IPCONFIG_JA: &str = fixture!("ipconfig-ja.txt");
/// Russian, CRLF: a disconnected wireless adapter first, then the Ethernet; `Да`/`Нет`,
/// `(Основной)`, `Основной шлюз` (gateway) beside `Основной DNS-суффикс` (primary suffix).
pub const IPCONFIG_RU: &str = fixture!("ipconfig-ru.txt");
/// Spanish: a disconnected USB Ethernet with a stale suffix, the connected Wi-Fi;
/// `sí`/`no`, `(Preferido)`, `Vínculo: dirección IPv6 local` with a colon inside its label.
pub const IPCONFIG_ES: &str = fixture!("ipconfig-es.txt");
/// Korean: the connected Ethernet, a disconnected Wi-Fi; `예`/`아니요`, `(기본 설정)`.
pub const IPCONFIG_KO: &str = fixture!("ipconfig-ko.txt");
/// A discovery report in another layout: claimed only under the custom mapping its tests use.
pub const DISCOVERY_CUSTOM: &str = fixture!("discovery-custom.xml");
pub const DISCOVERY: &str = fixture!("discovery.xml");
pub const INVENTORY_CSV: &str = fixture!("inventory.csv");
pub const INVENTORY_SEMICOLON: &str = fixture!("inventory-semicolon.csv");
