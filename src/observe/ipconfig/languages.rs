//! What `ipconfig /all` prints in the languages Windows ships most: one table per language, and
//! one lookup by meaning over all of them, so a report is read whatever its language (and a
//! report whose adapter headers stayed English while its labels were translated, as some
//! Japanese builds print, is read too).
//!
//! Entries are written as ipconfig prints them. Matching ignores case, dot leaders, a trailing
//! colon, runs of spaces (non-breaking and ideographic ones included) and the typographic
//! apostrophe, so the tables stay readable and one entry serves every padding ipconfig uses.
//!
//! Sources. Microsoft publishes no table of these strings; each table was taken from real
//! `ipconfig /all` output of that language Windows (the strings of `ipconfig.exe.mui`) found in
//! public repositories, issues and Microsoft documentation: the English one from the outputs the
//! `jc` project parses (Windows XP to 11), the others as noted on each table. An entry marked
//! "(not seen)" was not found in any public output and is given as Windows prints it to the best
//! of our knowledge; it only ever adds a match, so a wrong one costs nothing.

use std::collections::HashMap;
use std::sync::LazyLock;

/// What a label line means. The subnet mask, default gateway and DHCP server are recognised so
/// a report saved without its header line is still told apart; their values are not needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Label {
    HostName,
    PrimarySuffix,
    SearchList,
    MediaState,
    ConnectionSuffix,
    Description,
    PhysicalAddress,
    DhcpEnabled,
    Ipv4,
    AutoIpv4,
    SubnetMask,
    DefaultGateway,
    DhcpServer,
}

impl Label {
    /// Labels of the host block (before the first adapter).
    pub(super) fn in_host_block(self) -> bool {
        matches!(
            self,
            Label::HostName | Label::PrimarySuffix | Label::SearchList
        )
    }
}

/// What an adapter block's header says the adapter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum AdapterKind {
    Ethernet,
    Wireless,
    /// PPP, tunnel, "unknown" (VPN) and any other adapter.
    #[default]
    Other,
}

/// One language's strings. IPv4 addresses carry the language's word for "preferred" in
/// parentheses (`10.1.4.20(Preferred)`); the address is read without it whatever it says.
struct Language {
    /// BCP 47 tag, for messages.
    tag: &'static str,
    /// The report's first line.
    header: &'static [&'static str],
    labels: &'static [(&'static str, Label)],
    /// How wired and wireless adapter headers begin (the adapter's name follows).
    ethernet: &'static [&'static str],
    wireless: &'static [&'static str],
    yes: &'static [&'static str],
    no: &'static [&'static str],
}

use Label::*;

/// English: Windows XP (`IP Address`, `Dhcp Enabled`) to 11.
const EN: Language = Language {
    tag: "en",
    header: &["Windows IP Configuration"],
    labels: &[
        ("Host Name", HostName),
        ("Primary Dns Suffix", PrimarySuffix),
        ("DNS Suffix Search List", SearchList),
        ("Media State", MediaState),
        ("Connection-specific DNS Suffix", ConnectionSuffix),
        ("Description", Description),
        ("Physical Address", PhysicalAddress),
        ("DHCP Enabled", DhcpEnabled),
        ("IPv4 Address", Ipv4),
        ("IP Address", Ipv4),
        ("Autoconfiguration IPv4 Address", AutoIpv4),
        ("Autoconfiguration IP Address", AutoIpv4),
        ("Subnet Mask", SubnetMask),
        ("Default Gateway", DefaultGateway),
        ("DHCP Server", DhcpServer),
    ],
    ethernet: &["Ethernet adapter"],
    wireless: &["Wireless LAN adapter"],
    yes: &["Yes"],
    no: &["No"],
};

/// German, `(Bevorzugt)`: Windows 10 outputs in GitHub issues and notes, an XP one in a forum post
/// (`Physikalische Adresse`, `Ethernetadapter`); `IPv4-Adresse (Auto. Konfiguration)` from plain
/// `ipconfig` on Windows 10.
const DE: Language = Language {
    tag: "de",
    header: &["Windows-IP-Konfiguration", "Windows IP-Konfiguration"],
    labels: &[
        ("Hostname", HostName),
        ("Primäres DNS-Suffix", PrimarySuffix),
        ("DNS-Suffixsuchliste", SearchList),
        ("Medienstatus", MediaState),
        ("Verbindungsspezifisches DNS-Suffix", ConnectionSuffix),
        ("Beschreibung", Description),
        ("Physische Adresse", PhysicalAddress),
        ("Physikalische Adresse", PhysicalAddress),
        ("DHCP aktiviert", DhcpEnabled),
        ("IPv4-Adresse", Ipv4),
        ("IP-Adresse", Ipv4),
        ("Autokonfigurations-IPv4-Adresse", AutoIpv4),
        ("IPv4-Adresse (Auto. Konfiguration)", AutoIpv4),
        ("Subnetzmaske", SubnetMask),
        ("Standardgateway", DefaultGateway),
        ("DHCP-Server", DhcpServer),
    ],
    ethernet: &["Ethernet-Adapter", "Ethernetadapter"],
    wireless: &["Drahtlos-LAN-Adapter"],
    yes: &["Ja"],
    no: &["Nein"],
};

/// French, `(préféré)`: the Windows 10 strings scslint read before these tables;
/// `Adresse d’autoconfiguration IPv4` (not seen).
const FR: Language = Language {
    tag: "fr",
    header: &["Configuration IP de Windows"],
    labels: &[
        ("Nom de l’hôte", HostName),
        ("Suffixe DNS principal", PrimarySuffix),
        ("Liste de recherche du suffixe DNS", SearchList),
        ("Liste de recherche de suffixes DNS", SearchList),
        ("Statut du média", MediaState),
        ("Suffixe DNS propre à la connexion", ConnectionSuffix),
        ("Description", Description),
        ("Adresse physique", PhysicalAddress),
        ("DHCP activé", DhcpEnabled),
        ("Adresse IPv4", Ipv4),
        ("Adresse IP", Ipv4),
        ("Adresse IPv4 de configuration automatique", AutoIpv4),
        ("Adresse d’autoconfiguration IPv4", AutoIpv4),
        ("Masque de sous-réseau", SubnetMask),
        ("Passerelle par défaut", DefaultGateway),
        ("Serveur DHCP", DhcpServer),
    ],
    ethernet: &["Carte Ethernet"],
    wireless: &["Carte réseau sans fil"],
    yes: &["Oui"],
    no: &["Non"],
};

/// Spanish, `(Preferido)`: Windows 10/11 outputs in course notes and tests of network tools;
/// `Dirección IPv4 de configuración automática` (not seen).
const ES: Language = Language {
    tag: "es",
    header: &["Configuración IP de Windows"],
    labels: &[
        ("Nombre de host", HostName),
        ("Sufijo DNS principal", PrimarySuffix),
        ("Lista de búsqueda de sufijos DNS", SearchList),
        ("Estado de los medios", MediaState),
        ("Sufijo DNS específico para la conexión", ConnectionSuffix),
        ("Descripción", Description),
        ("Dirección física", PhysicalAddress),
        ("DHCP habilitado", DhcpEnabled),
        ("Dirección IPv4", Ipv4),
        ("Dirección IP", Ipv4),
        ("Dirección IPv4 de configuración automática", AutoIpv4),
        ("Máscara de subred", SubnetMask),
        ("Puerta de enlace predeterminada", DefaultGateway),
        ("Servidor DHCP", DhcpServer),
    ],
    ethernet: &["Adaptador de Ethernet"],
    wireless: &["Adaptador de LAN inalámbrica"],
    yes: &["sí", "si"],
    no: &["no"],
};

/// Italian, `(Preferenziale)`: Windows 7 to 11 outputs (`Hostname` on XP);
/// `Indirizzo IPv4 autoconfigurazione` (not seen).
const IT: Language = Language {
    tag: "it",
    header: &["Configurazione IP di Windows"],
    labels: &[
        ("Nome host", HostName),
        ("Hostname", HostName),
        ("Suffisso DNS primario", PrimarySuffix),
        ("Elenco di ricerca suffissi DNS", SearchList),
        ("Stato supporto", MediaState),
        ("Suffisso DNS specifico per connessione", ConnectionSuffix),
        ("Descrizione", Description),
        ("Indirizzo fisico", PhysicalAddress),
        ("DHCP abilitato", DhcpEnabled),
        ("Indirizzo IPv4", Ipv4),
        ("Indirizzo IP", Ipv4),
        ("Indirizzo IPv4 autoconfigurazione", AutoIpv4),
        ("Subnet mask", SubnetMask),
        ("Gateway predefinito", DefaultGateway),
        ("Server DHCP", DhcpServer),
    ],
    ethernet: &["Scheda Ethernet"],
    wireless: &["Scheda LAN wireless"],
    yes: &["Sì", "Si"],
    no: &["No"],
};

/// Brazilian Portuguese, `(Preferencial)`: Windows 10/11 outputs in issues and course notes;
/// `Endereço IPv4 de Autoconfiguração` (not seen).
const PT_BR: Language = Language {
    tag: "pt-BR",
    header: &["Configuração de IP do Windows"],
    labels: &[
        ("Nome do host", HostName),
        ("Sufixo DNS primário", PrimarySuffix),
        ("Lista de pesquisa de sufixo DNS", SearchList),
        ("Estado da mídia", MediaState),
        ("Sufixo DNS específico de conexão", ConnectionSuffix),
        ("Descrição", Description),
        ("Endereço Físico", PhysicalAddress),
        ("DHCP Habilitado", DhcpEnabled),
        ("Endereço IPv4", Ipv4),
        ("Endereço IP", Ipv4),
        ("Endereço IPv4 de Autoconfiguração", AutoIpv4),
        ("Máscara de Sub-rede", SubnetMask),
        ("Gateway Padrão", DefaultGateway),
        ("Servidor DHCP", DhcpServer),
    ],
    ethernet: &["Adaptador Ethernet"],
    wireless: &["Adaptador de Rede sem Fio"],
    yes: &["Sim"],
    no: &["Não"],
};

/// Dutch: Windows XP outputs in forum posts (`Host-naam`, the misspelt `DHCP ingeshakeld`) and a
/// Windows 7 one (`IPv4-adres`); `Hostnaam`, `Mediumstatus`, `Autoconfiguratie IPv4-adres`,
/// `Draadloos LAN-adapter` and the state `(voorkeur)` (not seen).
const NL: Language = Language {
    tag: "nl",
    header: &["Windows IP-configuratie"],
    labels: &[
        ("Hostnaam", HostName),
        ("Host-naam", HostName),
        ("Primair DNS-achtervoegsel", PrimarySuffix),
        ("DNS-achtervoegselzoeklijst", SearchList),
        ("Mediumstatus", MediaState),
        ("Verbindingsspec. DNS-achtervoegsel", ConnectionSuffix),
        ("Beschrijving", Description),
        ("Fysiek adres", PhysicalAddress),
        ("DHCP ingeschakeld", DhcpEnabled),
        ("DHCP ingeshakeld", DhcpEnabled),
        ("IPv4-adres", Ipv4),
        ("IP-adres", Ipv4),
        ("Autoconfiguratie IPv4-adres", AutoIpv4),
        ("Subnetmasker", SubnetMask),
        ("Standaardgateway", DefaultGateway),
        ("DHCP-server", DhcpServer),
    ],
    ethernet: &["Ethernet-adapter"],
    wireless: &["Draadloos LAN-adapter"],
    yes: &["ja"],
    no: &["nee"],
};

/// Polish: a Windows XP output in a forum post, Windows 10 `Adres IPv4`; `Lista przeszukiwania
/// sufiksów DNS`, `Stan nośnika`, `Autokonfiguracja adresu IPv4`, `Karta bezprzewodowej sieci LAN`
/// and the state `(Preferowane)` (not seen).
const PL: Language = Language {
    tag: "pl",
    header: &["Konfiguracja IP systemu Windows"],
    labels: &[
        ("Nazwa hosta", HostName),
        ("Sufiks podstawowej domeny DNS", PrimarySuffix),
        ("Lista przeszukiwania sufiksów DNS", SearchList),
        ("Stan nośnika", MediaState),
        ("Sufiks DNS konkretnego połączenia", ConnectionSuffix),
        ("Opis", Description),
        ("Adres fizyczny", PhysicalAddress),
        ("DHCP włączone", DhcpEnabled),
        ("Adres IPv4", Ipv4),
        ("Adres IP", Ipv4),
        ("Autokonfiguracja adresu IPv4", AutoIpv4),
        ("Maska podsieci", SubnetMask),
        ("Brama domyślna", DefaultGateway),
        ("Serwer DHCP", DhcpServer),
    ],
    ethernet: &["Karta Ethernet"],
    wireless: &["Karta bezprzewodowej sieci LAN"],
    yes: &["Tak"],
    no: &["Nie"],
};

/// Russian, `(Основной)`: Windows 10/11 outputs in course homework repositories;
/// `DHCP-сервер` (not seen).
const RU: Language = Language {
    tag: "ru",
    header: &["Настройка протокола IP для Windows"],
    labels: &[
        ("Имя компьютера", HostName),
        ("Основной DNS-суффикс", PrimarySuffix),
        ("Порядок просмотра суффиксов DNS", SearchList),
        ("Состояние среды", MediaState),
        ("DNS-суффикс подключения", ConnectionSuffix),
        ("Описание", Description),
        ("Физический адрес", PhysicalAddress),
        ("DHCP включен", DhcpEnabled),
        ("IPv4-адрес", Ipv4),
        ("IP-адрес", Ipv4),
        ("Автонастройка IPv4-адреса", AutoIpv4),
        ("Маска подсети", SubnetMask),
        ("Основной шлюз", DefaultGateway),
        ("DHCP-сервер", DhcpServer),
    ],
    ethernet: &["Адаптер Ethernet"],
    wireless: &["Адаптер беспроводной локальной сети"],
    yes: &["Да"],
    no: &["Нет"],
};

/// Japanese, `(優先)`: Windows 10/11 outputs in GitHub repositories and tests; `DHCP サーバー`
/// (not seen).
const JA: Language = Language {
    tag: "ja",
    header: &["Windows IP 構成"],
    labels: &[
        ("ホスト名", HostName),
        ("プライマリ DNS サフィックス", PrimarySuffix),
        ("DNS サフィックス検索一覧", SearchList),
        ("メディアの状態", MediaState),
        ("接続固有の DNS サフィックス", ConnectionSuffix),
        ("説明", Description),
        ("物理アドレス", PhysicalAddress),
        ("DHCP 有効", DhcpEnabled),
        ("IPv4 アドレス", Ipv4),
        ("IP アドレス", Ipv4),
        ("自動構成 IPv4 アドレス", AutoIpv4),
        ("サブネット マスク", SubnetMask),
        ("デフォルト ゲートウェイ", DefaultGateway),
        ("DHCP サーバー", DhcpServer),
    ],
    ethernet: &["イーサネット アダプター"],
    wireless: &["無線 LAN アダプター"],
    yes: &["はい"],
    no: &["いいえ"],
};

/// Simplified Chinese, `(首选)`: Windows 10/11 outputs, among them MetaCubeX/mihomo issue 1919;
/// `自动配置 IPv4 地址` (not seen).
const ZH_CN: Language = Language {
    tag: "zh-CN",
    header: &["Windows IP 配置"],
    labels: &[
        ("主机名", HostName),
        ("主 DNS 后缀", PrimarySuffix),
        ("DNS 后缀搜索列表", SearchList),
        ("媒体状态", MediaState),
        ("连接特定的 DNS 后缀", ConnectionSuffix),
        ("描述", Description),
        ("物理地址", PhysicalAddress),
        ("DHCP 已启用", DhcpEnabled),
        ("IPv4 地址", Ipv4),
        ("IP 地址", Ipv4),
        ("自动配置 IPv4 地址", AutoIpv4),
        ("子网掩码", SubnetMask),
        ("默认网关", DefaultGateway),
        ("DHCP 服务器", DhcpServer),
    ],
    ethernet: &["以太网适配器"],
    wireless: &["无线局域网适配器"],
    yes: &["是"],
    no: &["否"],
};

/// Traditional Chinese, `(偏好選項)`: Windows 10 outputs in GitHub notes; `媒體狀態`,
/// `自動設定 IPv4 位址` and `DHCP 伺服器` (not seen).
const ZH_TW: Language = Language {
    tag: "zh-TW",
    header: &["Windows IP 設定"],
    labels: &[
        ("主機名稱", HostName),
        ("主要 DNS 尾碼", PrimarySuffix),
        ("DNS 尾碼搜尋清單", SearchList),
        ("媒體狀態", MediaState),
        ("連線特定 DNS 尾碼", ConnectionSuffix),
        ("描述", Description),
        ("實體位址", PhysicalAddress),
        ("DHCP 已啟用", DhcpEnabled),
        ("IPv4 位址", Ipv4),
        ("IP 位址", Ipv4),
        ("自動設定 IPv4 位址", AutoIpv4),
        ("子網路遮罩", SubnetMask),
        ("預設閘道", DefaultGateway),
        ("DHCP 伺服器", DhcpServer),
    ],
    ethernet: &["乙太網路卡"],
    wireless: &["無線區域網路介面卡"],
    yes: &["是"],
    no: &["否"],
};

/// Korean, `(기본 설정)`: Windows 10/11 outputs in GitHub scripts and notes; `DNS 접미사 검색
/// 목록`, `미디어 상태`, `자동 구성 IPv4 주소`, `무선 LAN 어댑터` and `DHCP 서버` (not seen).
const KO: Language = Language {
    tag: "ko",
    header: &["Windows IP 구성"],
    labels: &[
        ("호스트 이름", HostName),
        ("주 DNS 접미사", PrimarySuffix),
        ("DNS 접미사 검색 목록", SearchList),
        ("미디어 상태", MediaState),
        ("연결별 DNS 접미사", ConnectionSuffix),
        ("설명", Description),
        ("물리적 주소", PhysicalAddress),
        ("DHCP 사용", DhcpEnabled),
        ("IPv4 주소", Ipv4),
        ("IP 주소", Ipv4),
        ("자동 구성 IPv4 주소", AutoIpv4),
        ("서브넷 마스크", SubnetMask),
        ("기본 게이트웨이", DefaultGateway),
        ("DHCP 서버", DhcpServer),
    ],
    ethernet: &["이더넷 어댑터"],
    wireless: &["무선 LAN 어댑터"],
    yes: &["예"],
    no: &["아니요"],
};

const LANGUAGES: &[&Language] = &[
    &EN, &DE, &FR, &ES, &IT, &PT_BR, &NL, &PL, &RU, &JA, &ZH_CN, &ZH_TW, &KO,
];

/// Every language's strings, normalised, keyed for lookup.
struct Lookup {
    headers: Vec<String>,
    labels: HashMap<String, Label>,
    /// Adapter header beginnings, longest first.
    adapters: Vec<(String, AdapterKind)>,
    answers: HashMap<String, bool>,
}

static LOOKUP: LazyLock<Lookup> = LazyLock::new(|| {
    let mut lookup = Lookup {
        headers: Vec::new(),
        labels: HashMap::new(),
        adapters: Vec::new(),
        answers: HashMap::new(),
    };
    let mut seen_in: HashMap<String, &str> = HashMap::new();
    for language in LANGUAGES {
        lookup
            .headers
            .extend(language.header.iter().map(|h| normalize(h)));
        for (text, label) in language.labels {
            let key = normalize(text);
            let earlier = lookup.labels.insert(key.clone(), *label);
            let first = *seen_in.entry(key).or_insert(language.tag);
            debug_assert!(
                earlier.is_none_or(|e| e == *label),
                "`{text}` ({}) means something else in {first}",
                language.tag
            );
        }
        let kinds = [
            (language.ethernet, AdapterKind::Ethernet),
            (language.wireless, AdapterKind::Wireless),
        ];
        for (beginnings, kind) in kinds {
            lookup
                .adapters
                .extend(beginnings.iter().map(|b| (normalize(b), kind)));
        }
        for (words, answer) in [(language.yes, true), (language.no, false)] {
            for word in words {
                let earlier = lookup.answers.insert(normalize(word), answer);
                debug_assert!(
                    earlier.is_none_or(|e| e == answer),
                    "`{word}` is yes and no"
                );
            }
        }
    }
    lookup
        .adapters
        .sort_by_key(|(b, _)| std::cmp::Reverse(b.len()));
    lookup
});

/// Lower case, `’` as `'`, full-width `．` and `：` as `.` and `:`, every run of white space
/// (control characters, byte-order marks and zero-width spaces too) as one space, without dot
/// leaders, a trailing colon or outer spaces.
pub(super) fn normalize(text: &str) -> String {
    if text.is_ascii() {
        return normalize_ascii(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        let c = match c {
            '\u{2019}' | '\u{2018}' | '\u{02bc}' => '\'',
            '\u{ff0e}' => '.',
            '\u{ff1a}' => ':',
            c => c,
        };
        if c.is_whitespace() || c.is_control() || matches!(c, '\u{feff}' | '\u{200b}') {
            gap = !out.is_empty();
            continue;
        }
        if gap {
            out.push(' ');
            gap = false;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    let end = out.trim_end_matches(['.', ':', ' ']).len();
    out.truncate(end);
    out
}

/// [`normalize`] for the common case, byte by byte.
fn normalize_ascii(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    let mut gap = false;
    for &b in text.as_bytes() {
        if b.is_ascii_whitespace() || b.is_ascii_control() {
            gap = !out.is_empty();
            continue;
        }
        if gap {
            out.push(b' ');
            gap = false;
        }
        out.push(b.to_ascii_lowercase());
    }
    while out.last().is_some_and(|b| matches!(b, b'.' | b':' | b' ')) {
        out.pop();
    }
    String::from_utf8(out).unwrap_or_default()
}

/// The report's first line (`Windows IP Configuration`) in any language. Every language keeps
/// the word `Windows`, so lines without it are passed over without a closer look.
pub(super) fn is_header(line: &str) -> bool {
    let names_windows = line
        .as_bytes()
        .windows(7)
        .any(|w| w.eq_ignore_ascii_case(b"windows"));
    names_windows && LOOKUP.headers.contains(&normalize(line))
}

/// What a label (the text before its colon, dot leaders and all) means, in any language.
pub(super) fn label(text: &str) -> Option<Label> {
    LOOKUP.labels.get(&normalize(text)).copied()
}

/// The kind of adapter an adapter block's header line names.
pub(super) fn adapter_kind(header: &str) -> AdapterKind {
    let header = normalize(header);
    LOOKUP
        .adapters
        .iter()
        .find(|(beginning, _)| {
            header
                .strip_prefix(beginning.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
        })
        .map_or(AdapterKind::Other, |(_, kind)| *kind)
}

/// `Yes` or `No` in any language.
pub(super) fn yes_no(value: &str) -> Option<bool> {
    LOOKUP.answers.get(&normalize(value)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVERY_LABEL: [Label; 13] = [
        HostName,
        PrimarySuffix,
        SearchList,
        MediaState,
        ConnectionSuffix,
        Description,
        PhysicalAddress,
        DhcpEnabled,
        Ipv4,
        AutoIpv4,
        SubnetMask,
        DefaultGateway,
        DhcpServer,
    ];

    #[test]
    fn every_language_says_everything_and_means_one_thing() {
        assert_eq!(LANGUAGES.len(), 13);
        for language in LANGUAGES {
            let tag = language.tag;
            for meaning in EVERY_LABEL {
                assert!(
                    language.labels.iter().any(|(_, l)| *l == meaning),
                    "{tag} has no {meaning:?}"
                );
            }
            for (text, meaning) in language.labels {
                assert_eq!(label(text), Some(*meaning), "{tag}: {text}");
            }
            assert!(!language.header.is_empty() && language.header.iter().all(|h| is_header(h)));
            for beginning in language.ethernet {
                let header = format!("{beginning} LAN 1:");
                assert_eq!(adapter_kind(&header), AdapterKind::Ethernet, "{tag}");
            }
            for beginning in language.wireless {
                let header = format!("{beginning} Wi-Fi:");
                assert_eq!(adapter_kind(&header), AdapterKind::Wireless, "{tag}");
            }
            assert!(
                language.yes.iter().all(|w| yes_no(w) == Some(true)),
                "{tag}"
            );
            assert!(
                language.no.iter().all(|w| yes_no(w) == Some(false)),
                "{tag}"
            );
        }
    }

    #[test]
    fn padding_case_and_typography_do_not_matter() {
        assert_eq!(
            normalize("  Connection-specific DNS Suffix  . :"),
            "connection-specific dns suffix"
        );
        assert_eq!(label("Nom de l'hôte . . . . . . . . . . "), Some(HostName));
        assert_eq!(label("Nom\u{a0}de l\u{2019}hôte\u{202f}."), Some(HostName));
        assert!(is_header("\u{feff}Windows IP 配置"));
        assert_eq!(label("IPv4 アドレス．．．．"), Some(Ipv4));
        assert_eq!(
            label("连接特定的\u{3000}DNS\u{3000}后缀 . . ："),
            Some(ConnectionSuffix)
        );
        assert_eq!(
            label("DHCP ingeschakeld:. . . . . . . . "),
            Some(DhcpEnabled)
        );
        assert_eq!(label("PRIMARY DNS SUFFIX"), Some(PrimarySuffix));
        // The byte-by-byte path and the general one agree.
        let ascii = " Connection-specific\tDNS  Suffix . . :\r";
        assert_eq!(normalize(ascii), normalize(&format!("{ascii}\u{a0}")));
        assert_eq!(label("Primary"), None);
        assert_eq!(label(""), None);
        assert!(is_header("  windows ip configuration \r"));
        assert!(!is_header("Windows IP Configuration for a lab"));
    }

    #[test]
    fn adapter_headers_by_their_first_words() {
        assert_eq!(
            adapter_kind("Ethernet adapter Ethernet 2:"),
            AdapterKind::Ethernet
        );
        assert_eq!(
            adapter_kind("Wireless LAN adapter Wi-Fi:"),
            AdapterKind::Wireless
        );
        assert_eq!(adapter_kind("以太网适配器 以太网:"), AdapterKind::Ethernet);
        assert_eq!(
            adapter_kind("无线局域网适配器 WLAN："),
            AdapterKind::Wireless
        );
        // A name that only starts like a kind is not one.
        assert_eq!(
            adapter_kind("Ethernet adapterless bridge:"),
            AdapterKind::Other
        );
        assert_eq!(
            adapter_kind("Unknown adapter Tailscale:"),
            AdapterKind::Other
        );
        assert_eq!(adapter_kind("PPP adapter Corp VPN:"), AdapterKind::Other);
        // Spanish and Portuguese Ethernet headers do not swallow their wireless ones.
        assert_eq!(
            adapter_kind("Adaptador de LAN inalámbrica Wi-Fi:"),
            AdapterKind::Wireless
        );
        assert_eq!(
            adapter_kind("Adaptador de Rede sem Fio Wi-Fi:"),
            AdapterKind::Wireless
        );
    }
}
