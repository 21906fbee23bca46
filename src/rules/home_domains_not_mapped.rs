//! SL012: an SCS profile whose home-domain list the mapping cannot find. Raised by the SCS
//! reader (crate::profile::scs), which then leaves the profile unjudged; no check of its own.

declare_rule! {
    code: SL012,
    name: "home-domains-not-mapped",
    level: Warning,
    scope: Profile,
    needs: [],
    check: Raised,
    summary: "An SCS profile whose root the mapping knows, but where no element matches the home-domain paths.",
    what: "The file is recognised as an Intel SCS profile, but none of the mapping's `home_domains` \
paths matches an element in it. Intel publishes no schema for SCS profile XML, so a real export may \
name the list differently; the profile is then not judged at all, rather than judged as if its list \
were empty.",
    why: "Judging an unread list as empty would report \"detection disabled\" for a profile that may well \
configure it, or stay silent on the very mistake scslint exists to catch.",
    fix: "Run `scslint inspect FILE`: it lists every element with its path and value and proposes a \
starting [scs] mapping. Put the home-domain element's path under [scs.fields] home_domains in \
scslint.toml. If the profile really configures no home domains, turn this code off for that file \
with [[ignore]].",
    example: "  <AMTConfiguration> … <Suffixes><S>company.com</S></Suffixes> …   → SL012 (map `Suffixes/S`)",
}
