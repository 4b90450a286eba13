//! The configuration as routing reads it: alias domains, companies, servers and settings,
//! with the indexes that keep a decision's cost independent of the number of servers.
//! Built by the store's snapshot adapter; read only by the routing core.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

use crate::address::{self, FilterPart, FromFilter, ParsedFrom};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{AliasDomain, Company, Settings};

/// What routing needs to know of an outgoing server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteServer {
    pub name: String,
    pub priority: i64,
    pub enabled: bool,
    pub from_filter: FromFilter,
    /// Why a run found it unreachable, if it did: routing then passes it over like a disabled
    /// server (failover), and the trace says why.
    pub unreachable: Option<String>,
}

impl RouteServer {
    /// Whether routing may choose it by its filter or position.
    pub fn usable(&self) -> bool {
        self.enabled && self.unreachable.is_none()
    }
}

/// An address from the configuration, parsed once when the snapshot is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ConfiguredAddress {
    pub(super) bare: String,
    pub(super) at: usize,
    pub(super) normalized: String,
}

impl ConfiguredAddress {
    pub(super) fn parse(text: &str) -> Option<ConfiguredAddress> {
        match address::parse_from(text).ok()? {
            ParsedFrom::Single(mailbox) => {
                let bare = mailbox.bare();
                Some(ConfiguredAddress {
                    at: mailbox.local.len(),
                    normalized: mailbox.normalized(),
                    bare,
                })
            }
            ParsedFrom::Several(_) => None,
        }
    }

    pub(super) fn view(&self) -> Address<'_> {
        Address {
            local: &self.bare[..self.at],
            domain: &self.bare[self.at + 1..],
            addr_spec: &self.bare,
            normalized: Cow::Borrowed(&self.normalized),
        }
    }
}

/// An address as routing handles it: the parts as given, and the normalised form for matching.
#[derive(Debug, Clone)]
pub(super) struct Address<'a> {
    pub(super) local: &'a str,
    pub(super) domain: &'a str,
    /// `local@domain` as one slice, for borrowing rather than rebuilding it.
    pub(super) addr_spec: &'a str,
    pub(super) normalized: Cow<'a, str>,
}

impl<'a> Address<'a> {
    pub(super) fn bare(&self) -> String {
        self.addr_spec.to_string()
    }

    pub(super) fn envelope(&self) -> Result<Cow<'a, str>> {
        address::envelope_address_of(self.local, self.domain, self.addr_spec).map_err(|e| {
            Error::bad_input(format!(
                "cannot use {} as the envelope sender: {e}",
                self.addr_spec
            ))
        })
    }
}

#[derive(Debug, Clone)]
pub(super) struct DomainEntry {
    pub(super) domain: AliasDomain,
    pub(super) bounce: Option<ConfiguredAddress>,
    pub(super) catchall: Option<String>,
    pub(super) notification: Option<ConfiguredAddress>,
}

#[derive(Debug, Clone)]
pub(super) struct CompanyEntry {
    pub(super) name: String,
    pub(super) domain: Option<usize>,
}

/// The configuration as routing sees it, with the indexes that keep a decision cheap.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub(super) domains: Vec<DomainEntry>,
    pub(super) domains_by_name: HashMap<String, Vec<usize>>,
    pub(super) domains_by_id: HashMap<i64, usize>,
    pub(super) companies: HashMap<String, CompanyEntry>,
    pub(super) company_names: Vec<String>,
    pub(super) servers: Vec<RouteServer>,
    pub(super) servers_by_name: HashMap<String, usize>,
    pub(super) by_address: HashMap<Box<str>, KeyEntry>,
    pub(super) by_domain: HashMap<Box<str>, KeyEntry>,
    pub(super) unfiltered: Vec<u32>,
    pub(super) email_from: Option<ConfiguredAddress>,
    pub(super) fallback_url: String,
    pub(super) fallback_filter: FromFilter,
    pub(super) mass_mailing_server: Option<String>,
}

fn order_key(priority: i64, name: &str, id: i64) -> (i64, String, i64) {
    (priority, name.to_lowercase(), id)
}

impl Snapshot {
    /// Builds the snapshot and its indexes. Values come from the store, where they were validated
    /// on write; one that no longer parses is a configuration error naming the setting.
    pub fn new(
        mut domains: Vec<AliasDomain>,
        companies: Vec<Company>,
        mut servers: Vec<RouteServer>,
        settings: &Settings,
    ) -> Result<Snapshot> {
        domains.sort_by_cached_key(|d| order_key(d.priority, &d.name, d.id));
        let mut server_order: Vec<(i64, String, usize)> = servers
            .iter()
            .enumerate()
            .map(|(i, s)| (s.priority, s.name.to_lowercase(), i))
            .collect();
        server_order.sort();
        if server_order
            .iter()
            .enumerate()
            .any(|(pos, (_, _, i))| pos != *i)
        {
            let mut slots: Vec<Option<RouteServer>> = servers.into_iter().map(Some).collect();
            servers = server_order
                .iter()
                .filter_map(|(_, _, i)| slots[*i].take())
                .collect();
        }

        let mut domains_by_name: HashMap<String, Vec<usize>> = HashMap::default();
        let mut domains_by_id = HashMap::default();
        let entries: Vec<DomainEntry> = domains
            .into_iter()
            .enumerate()
            .map(|(i, domain)| {
                domains_by_name
                    .entry(domain.name.to_lowercase())
                    .or_default()
                    .push(i);
                domains_by_id.insert(domain.id, i);
                DomainEntry {
                    bounce: domain
                        .bounce_address()
                        .and_then(|a| ConfiguredAddress::parse(&a)),
                    catchall: domain.catchall_address(),
                    notification: domain
                        .notification_address()
                        .and_then(|a| ConfiguredAddress::parse(&a)),
                    domain,
                }
            })
            .collect();

        let mut company_names = Vec::with_capacity(companies.len());
        let companies = companies
            .into_iter()
            .map(|c| {
                company_names.push(c.name.clone());
                let domain = c
                    .alias_domain_id
                    .and_then(|id| domains_by_id.get(&id).copied());
                (
                    c.name.to_lowercase(),
                    CompanyEntry {
                        name: c.name,
                        domain,
                    },
                )
            })
            .collect();
        company_names.sort_by_key(|n| n.to_lowercase());

        let mut servers_by_name = HashMap::default();
        let mut by_address: HashMap<String, Vec<u32>> = HashMap::default();
        let mut by_domain: HashMap<String, Vec<u32>> = HashMap::default();
        let mut unfiltered = Vec::new();
        for (i, server) in servers.iter().enumerate() {
            let i32 = i as u32;
            servers_by_name.insert(server.name.to_lowercase(), i);
            if server.from_filter.is_empty() {
                unfiltered.push(i32);
            }
            for part in server.from_filter.parts() {
                let (index, key) = match part {
                    FilterPart::Address(a) => (&mut by_address, a),
                    FilterPart::Domain(d) => (&mut by_domain, d),
                };
                let list = index.entry(key.clone()).or_default();
                // A filter naming the same key twice must not count the server twice.
                if list.last() != Some(&i32) {
                    list.push(i32);
                }
            }
        }

        let by_address = resolve_keys(by_address, &servers);
        let by_domain = resolve_keys(by_domain, &servers);

        let email_from = match settings.email_from.as_deref() {
            Some(text) => Some(ConfiguredAddress::parse(text).ok_or_else(|| {
                Error::config(format!(
                    "the setting email-from ({text}) is not a single address; fix it with `mailroute settings set email-from ADDRESS`"
                ))
            })?),
            None => None,
        };
        let fallback_filter = match settings.fallback_from_filter.as_deref() {
            Some(text) => FromFilter::parse(text).map_err(|e| {
                Error::config(format!(
                    "the setting fallback-from-filter is invalid ({e}); fix it with `mailroute settings set fallback-from-filter LIST`"
                ))
            })?,
            None => FromFilter::empty(),
        };

        Ok(Snapshot {
            domains: entries,
            domains_by_name,
            domains_by_id,
            companies,
            company_names,
            servers,
            servers_by_name,
            by_address,
            by_domain,
            unfiltered,
            email_from,
            fallback_url: settings.fallback_server_url().to_string(),
            fallback_filter,
            mass_mailing_server: settings.mass_mailing_server.clone(),
        })
    }

    /// Servers in routing order (priority, then name).
    pub fn servers(&self) -> &[RouteServer] {
        &self.servers
    }

    /// Alias domains in routing order (priority, then name).
    pub fn alias_domains(&self) -> impl Iterator<Item = &AliasDomain> {
        self.domains.iter().map(|d| &d.domain)
    }

    pub(super) fn server_names(&self) -> Vec<&str> {
        self.servers.iter().map(|s| s.name.as_str()).collect()
    }

    /// Resolves an alias domain reference: its name (case-insensitive) or `#ID`.
    pub(super) fn find_domain(&self, reference: &str) -> Result<usize> {
        if let Some(id) = reference
            .strip_prefix('#')
            .and_then(|n| n.parse::<i64>().ok())
        {
            if let Some(&i) = self.domains_by_id.get(&id) {
                return Ok(i);
            }
        }
        match self.domains_by_name.get(&reference.to_lowercase()) {
            Some(list) if list.len() == 1 => Ok(list[0]),
            Some(list) => Err(ambiguous_domain(
                reference,
                list.iter().map(|&i| &self.domains[i].domain),
            )),
            None => {
                let mut names: Vec<&str> = self
                    .domains
                    .iter()
                    .map(|d| d.domain.name.as_str())
                    .collect();
                names.dedup();
                Err(Error::not_found(
                    "alias domain",
                    reference,
                    "alias domains",
                    &names,
                ))
            }
        }
    }

    pub(super) fn find_server(&self, name: &str) -> Result<usize> {
        self.servers_by_name
            .get(&name.to_lowercase())
            .copied()
            .ok_or_else(|| Error::not_found("server", name, "servers", &self.server_names()))
    }

    /// The first enabled server in an index list, with the disabled ones passed over before it
    /// and the count of enabled ones after it (which this key can never reach).
    pub(super) fn first_enabled(&self, list: &[u32]) -> (Option<usize>, Vec<usize>, usize) {
        let mut disabled = Vec::new();
        for (pos, &i) in list.iter().enumerate() {
            let i = i as usize;
            if self.servers[i].usable() {
                let shadowed = list[pos + 1..]
                    .iter()
                    .filter(|&&j| self.servers[j as usize].usable())
                    .count();
                return (Some(i), disabled, shadowed);
            }
            disabled.push(i);
        }
        (None, disabled, 0)
    }
}

/// What one filter key resolves to, worked out when the snapshot is built rather than per
/// sender: the server routing takes for it, the disabled servers passed over before it, and how
/// many later enabled servers have the same key (and so are never chosen for it).
#[derive(Debug, Clone)]
pub(super) struct KeyEntry {
    pub(super) first: Option<u32>,
    pub(super) disabled: Box<[u32]>,
    pub(super) shadowed: u32,
}

fn resolve_keys(
    index: HashMap<String, Vec<u32>>,
    servers: &[RouteServer],
) -> HashMap<Box<str>, KeyEntry> {
    index
        .into_iter()
        .map(|(key, list)| {
            let position = list.iter().position(|&i| servers[i as usize].usable());
            let entry = match position {
                Some(pos) => KeyEntry {
                    first: Some(list[pos]),
                    disabled: list[..pos].into(),
                    shadowed: list[pos + 1..]
                        .iter()
                        .filter(|&&j| servers[j as usize].usable())
                        .count() as u32,
                },
                None => KeyEntry {
                    first: None,
                    disabled: list.into_boxed_slice(),
                    shadowed: 0,
                },
            };
            (key.into_boxed_str(), entry)
        })
        .collect()
}

/// A two-or-more domains share this name: name one by `#ID`.
pub fn ambiguous_domain<'d>(
    reference: &str,
    candidates: impl Iterator<Item = &'d AliasDomain>,
) -> Error {
    let described: Vec<String> = candidates
        .map(|d| {
            format!(
                "#{} (bounce {}, catchall {})",
                d.id,
                d.bounce.as_deref().unwrap_or("none"),
                d.catchall.as_deref().unwrap_or("none")
            )
        })
        .collect();
    Error::new(
        ErrorKind::BadInput,
        format!(
            "{} alias domains are named '{reference}': {}; name one by its id, e.g. '{}'",
            described.len(),
            described.join(", "),
            described
                .first()
                .and_then(|d| d.split(' ').next())
                .unwrap_or("#1")
        ),
    )
}
