//! The shape every observation reader shares. Each reader module declares one `READER` of this
//! type next to its code; `sources::READERS` lists them in sniffing order. This module imports no
//! reader, so a reader can name it without closing an import circle.

use super::mapping::Mappings;
use super::model::{Observed, Parsed};
use crate::source::Source;

/// One kind of observation source: what it is called, how it is told apart from the others, and
/// how it is read.
pub struct Reader {
    /// A short stable name (`kea`, `dhcpd`, `amtinfo`, …).
    pub name: &'static str,
    /// What the kind is, for messages: "Kea DHCPv4 configuration".
    pub describe: &'static str,
    /// A DHCP server's own configuration: its scopes are the enterprise's networks, and a file
    /// of this kind is always worth a snippet.
    pub dhcp_server: bool,
    /// A cheap look at the text (its head, or one pass at most): does this reader claim it?
    pub sniff: fn(&str, &Mappings) -> bool,
    pub read: fn(&Source, &Mappings) -> Reading,
}

/// What a reader made of a file: observations of the common model, or a snapshot's networks
/// and hosts as written.
pub enum Reading {
    Parsed(Parsed),
    Snapshot(Observed),
}

impl Reader {
    pub fn sniff(&self, text: &str, m: &Mappings) -> bool {
        (self.sniff)(text, m)
    }

    pub fn read(&self, source: &Source, m: &Mappings) -> Reading {
        (self.read)(source, m)
    }
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// Readers are compared by name: there is one of each.
impl PartialEq for Reader {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}
