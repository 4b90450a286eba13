//! The routing core: for a sender, which server, which From header, which envelope sender and
//! which Reply-To — and why (routing.md §3–§5).
//!
//! Pure: a [`Snapshot`] of the configuration and a [`Request`] in, a [`Decision`] out, carrying a
//! trace of every step tried and every server looked at. No I/O, no clap, no SQLite, no lettre:
//! the store builds the snapshot (`store::snapshot`), commands render the decision.
//!
//! Servers are found through indexes built once per snapshot (address filter → servers, domain
//! filter → servers, in priority order), so the cost of a decision does not grow with the number
//! of servers.

mod json;
mod trace;

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::address::{self, FilterPart, FromFilter, ParsedFrom};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{AliasDomain, Company, Settings};

pub use json::write_decision;
pub use trace::{Detail, Outcome, Rule, Step, StepName, Warning};

/// What routing needs to know of an outgoing server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteServer {
    pub name: String,
    pub priority: i64,
    pub enabled: bool,
    pub from_filter: FromFilter,
}

/// An address from the configuration, parsed once when the snapshot is built.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ConfiguredAddress {
    bare: String,
    at: usize,
    normalized: String,
}

impl ConfiguredAddress {
    fn parse(text: &str) -> Option<ConfiguredAddress> {
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

    fn view(&self) -> Address<'_> {
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
struct Address<'a> {
    local: &'a str,
    domain: &'a str,
    /// `local@domain` as one slice, for borrowing rather than rebuilding it.
    addr_spec: &'a str,
    normalized: Cow<'a, str>,
}

impl<'a> Address<'a> {
    fn bare(&self) -> String {
        self.addr_spec.to_string()
    }

    fn envelope(&self) -> Result<Cow<'a, str>> {
        address::envelope_address_of(self.local, self.domain, self.addr_spec).map_err(|e| {
            Error::bad_input(format!(
                "cannot use {} as the envelope sender: {e}",
                self.addr_spec
            ))
        })
    }
}

#[derive(Debug, Clone)]
struct DomainEntry {
    domain: AliasDomain,
    bounce: Option<ConfiguredAddress>,
    catchall: Option<String>,
    notification: Option<ConfiguredAddress>,
}

#[derive(Debug, Clone)]
struct CompanyEntry {
    name: String,
    domain: Option<usize>,
}

/// The configuration as routing sees it, with the indexes that keep a decision cheap.
#[derive(Debug, Clone)]
pub struct Snapshot {
    domains: Vec<DomainEntry>,
    domains_by_name: HashMap<String, Vec<usize>>,
    domains_by_id: HashMap<i64, usize>,
    companies: HashMap<String, CompanyEntry>,
    company_names: Vec<String>,
    servers: Vec<RouteServer>,
    servers_by_name: HashMap<String, usize>,
    by_address: HashMap<String, Vec<u32>>,
    by_domain: HashMap<String, Vec<u32>>,
    unfiltered: Vec<u32>,
    email_from: Option<ConfiguredAddress>,
    fallback_url: String,
    fallback_filter: FromFilter,
    mass_mailing_server: Option<String>,
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

    fn server_names(&self) -> Vec<&str> {
        self.servers.iter().map(|s| s.name.as_str()).collect()
    }

    /// Resolves an alias domain reference: its name (case-insensitive) or `#ID`.
    fn find_domain(&self, reference: &str) -> Result<usize> {
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

    fn find_server(&self, name: &str) -> Result<usize> {
        self.servers_by_name
            .get(&name.to_lowercase())
            .copied()
            .ok_or_else(|| Error::not_found("server", name, "servers", &self.server_names()))
    }

    /// The first enabled server in an index list, with the disabled ones passed over before it
    /// and the count of enabled ones after it (which this key can never reach).
    fn first_enabled(&self, list: &[u32]) -> (Option<usize>, Vec<usize>, usize) {
        let mut disabled = Vec::new();
        for (pos, &i) in list.iter().enumerate() {
            let i = i as usize;
            if self.servers[i].enabled {
                let shadowed = list[pos + 1..]
                    .iter()
                    .filter(|&&j| self.servers[j as usize].enabled)
                    .count();
                return (Some(i), disabled, shadowed);
            }
            disabled.push(i);
        }
        (None, disabled, 0)
    }
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

/// What to route: the CLI's `route`/`send` flags as plain values.
#[derive(Debug, Clone, Copy, Default)]
pub struct Request<'a> {
    pub from: Option<&'a str>,
    pub company: Option<&'a str>,
    pub domain: Option<&'a str>,
    pub mass: bool,
    pub server: Option<&'a str>,
    pub reply_to: Option<&'a str>,
}

/// Whom the message is sent as, before headers are built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentAs {
    Sender,
    Notification,
}

impl SentAs {
    pub fn as_str(self) -> &'static str {
        match self {
            SentAs::Sender => "sender",
            SentAs::Notification => "notification",
        }
    }
}

/// The answer: server, headers, envelope, and the steps that led there.
#[derive(Debug, Clone)]
pub struct Decision<'a> {
    /// The sender as given (trimmed), if any.
    pub from: Option<&'a str>,
    /// The chosen server's name, or `None` for the fallback server.
    pub server: Option<&'a str>,
    /// The fallback server's URL, when it was chosen.
    pub fallback_url: Option<&'a str>,
    pub rule: Rule,
    pub alias_domain: Option<&'a str>,
    pub company: Option<&'a str>,
    pub sent_as: SentAs,
    pub header_from: Cow<'a, str>,
    pub envelope_from: Cow<'a, str>,
    pub reply_to: Cow<'a, str>,
    pub rewritten: bool,
    pub trace: Vec<Step<'a>>,
    pub warnings: Vec<Warning<'a>>,
}

impl Serialize for Decision<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.json(true).serialize(serializer)
    }
}

impl<'a> Decision<'a> {
    /// The JSON form; without `details` the trace steps carry no sentence (`detail`), which
    /// keeps bulk output small and fast. The keys of cli.md are there either way.
    pub fn json(&self, details: bool) -> DecisionJson<'_, 'a> {
        DecisionJson {
            decision: self,
            details,
        }
    }
}

/// A decision as JSON, with or without the trace's sentences.
pub struct DecisionJson<'d, 'a> {
    decision: &'d Decision<'a>,
    details: bool,
}

struct TraceJson<'d, 'a> {
    steps: &'d [Step<'a>],
    details: bool,
}

impl Serialize for TraceJson<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_seq(self.steps.iter().map(|step| step.json(self.details)))
    }
}

impl Serialize for DecisionJson<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let this = self.decision;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("from", &this.from)?;
        map.serialize_entry("server", &this.server)?;
        map.serialize_entry("fallback_url", &this.fallback_url)?;
        map.serialize_entry("rule", this.rule.as_str())?;
        map.serialize_entry("alias_domain", &this.alias_domain)?;
        map.serialize_entry("company", &this.company)?;
        map.serialize_entry("sent_as", this.sent_as.as_str())?;
        map.serialize_entry("header_from", &this.header_from)?;
        map.serialize_entry("envelope_from", &this.envelope_from)?;
        map.serialize_entry("reply_to", &this.reply_to)?;
        map.serialize_entry("rewritten", &this.rewritten)?;
        map.serialize_entry(
            "trace",
            &TraceJson {
                steps: &this.trace,
                details: self.details,
            },
        )?;
        map.serialize_entry("warnings", &this.warnings)?;
        map.end()
    }
}

/// The address routing matches servers against.
enum RoutingSender<'a> {
    None,
    Several,
    One(Address<'a>),
}

/// The sending address finally used, once the server is chosen.
enum Sending<'a> {
    One(Address<'a>),
    Several,
}

struct Trace<'a> {
    steps: Vec<Step<'a>>,
}

impl<'a> Trace<'a> {
    fn push(
        &mut self,
        step: StepName,
        outcome: Outcome,
        server: Option<&'a str>,
        detail: Detail<'a>,
    ) {
        self.steps.push(Step {
            step,
            outcome,
            server,
            detail,
        });
    }
}

/// Decides how a message from `request.from` leaves, following routing.md §3–§5.
pub fn decide<'a>(snapshot: &'a Snapshot, request: &Request<'a>) -> Result<Decision<'a>> {
    let mut trace = Trace {
        steps: Vec::with_capacity(10),
    };
    let mut warnings = Vec::new();

    // §3 Context: which alias domain applies.
    let (domain_index, company) = resolve_context(snapshot, request, &mut trace)?;
    let domain = domain_index.map(|i| &snapshot.domains[i]);
    let notification: Option<&'a ConfiguredAddress> =
        match domain.and_then(|d| d.notification.as_ref()) {
            Some(address) => {
                trace.push(
                    StepName::Notification,
                    Outcome::Applied,
                    None,
                    Detail::NotificationFromDomain {
                        address: &address.bare,
                        domain: domain.map(|d| d.domain.name.as_str()).unwrap_or_default(),
                    },
                );
                Some(address)
            }
            None => match &snapshot.email_from {
                Some(address) => {
                    trace.push(
                        StepName::Notification,
                        Outcome::Applied,
                        None,
                        Detail::NotificationFromSetting {
                            address: &address.bare,
                        },
                    );
                    Some(address)
                }
                None => {
                    trace.push(
                        StepName::Notification,
                        Outcome::None,
                        None,
                        Detail::NoNotification,
                    );
                    None
                }
            },
        };
    let unique_sender = domain
        .filter(|d| d.domain.is_unique_sender())
        .and_then(|d| d.notification.as_ref().map(|n| (n, d.domain.name.as_str())));

    // The sender as given, and the address routing matches on.
    let original = match request.from.map(str::trim) {
        Some(text) => Some((
            text,
            address::parse_from(text).map_err(|e| Error::bad_input(e.to_string()))?,
        )),
        None => None,
    };
    let routing_sender = if let Some((unique, domain_name)) = unique_sender {
        trace.push(
            StepName::Sender,
            Outcome::Applied,
            None,
            Detail::UniqueSender {
                address: &unique.bare,
                domain: domain_name,
            },
        );
        RoutingSender::One(unique.view())
    } else {
        match &original {
            Some((_, ParsedFrom::Single(mailbox))) => {
                let address = Address {
                    local: mailbox.local,
                    domain: mailbox.domain,
                    addr_spec: mailbox.addr_spec,
                    normalized: mailbox.normalized_cow(),
                };
                trace.push(
                    StepName::Sender,
                    Outcome::Applied,
                    None,
                    Detail::SenderNormalized {
                        normalized: address.normalized.clone(),
                    },
                );
                RoutingSender::One(address)
            }
            Some((_, ParsedFrom::Several(list))) => {
                trace.push(
                    StepName::Sender,
                    Outcome::Skipped,
                    None,
                    Detail::SenderSeveral { count: list.len() },
                );
                warnings.push(Warning::SeveralAddresses { count: list.len() });
                RoutingSender::Several
            }
            None => {
                trace.push(StepName::Sender, Outcome::None, None, Detail::NoSender);
                RoutingSender::None
            }
        }
    };
    if matches!(routing_sender, RoutingSender::None) && notification.is_none() {
        return Err(Error::config(
            "no sender: give a From address, or configure one with `mailroute domain add NAME` (its default-from) or `mailroute settings set email-from ADDRESS`",
        ));
    }

    // §4 Choosing the server.
    let chosen = choose_server(
        snapshot,
        request,
        &routing_sender,
        notification,
        &mut trace,
        &mut warnings,
    )?;

    // Whom the message is sent as; `from_original` when that is the sender's own address.
    let (sending, from_original) = match (chosen.sent_as, &routing_sender) {
        (SentAs::Notification, _) | (SentAs::Sender, RoutingSender::None) => {
            let address = notification.ok_or_else(|| {
                Error::internal("routing chose the notification address, but there is none")
            })?;
            trace.push(
                StepName::SendingAs,
                Outcome::Applied,
                None,
                Detail::AsNotification {
                    address: &address.bare,
                },
            );
            (Sending::One(address.view()), false)
        }
        (SentAs::Sender, RoutingSender::One(address)) => {
            trace.push(
                StepName::SendingAs,
                Outcome::Applied,
                None,
                Detail::AsSender {
                    local: address.local,
                    domain: address.domain,
                },
            );
            (Sending::One(address.clone()), unique_sender.is_none())
        }
        (SentAs::Sender, RoutingSender::Several) => {
            trace.push(
                StepName::SendingAs,
                Outcome::Applied,
                None,
                Detail::AsSeveral,
            );
            (Sending::Several, true)
        }
    };
    let sent_as = match (&sending, notification) {
        (Sending::One(a), Some(n)) if a.normalized == n.normalized => SentAs::Notification,
        _ => SentAs::Sender,
    };

    // §5 From header.
    let (header_from, rewritten): (Cow<'a, str>, bool) = match (&sending, &original) {
        (Sending::One(address), Some((given, parsed))) => {
            let first = match parsed {
                ParsedFrom::Single(m) => Some(m),
                ParsedFrom::Several(list) => list.first(),
            };
            let same = from_original
                || matches!(parsed, ParsedFrom::Single(m) if m.normalized() == address.normalized);
            if same {
                trace.push(
                    StepName::FromHeader,
                    Outcome::Unchanged,
                    None,
                    Detail::HeaderKept,
                );
                (Cow::Borrowed(*given), false)
            } else {
                let name = first.map(|m| m.name_for_rewrite()).unwrap_or_default();
                let header = format!("{} <{}>", address::quote_display_name(name), address.bare());
                let detail = Detail::HeaderRewritten {
                    local: address.local,
                    domain: address.domain,
                };
                trace.push(StepName::FromHeader, Outcome::Rewritten, None, detail);
                (Cow::Owned(header), true)
            }
        }
        (Sending::One(address), None) => {
            trace.push(
                StepName::FromHeader,
                Outcome::Applied,
                None,
                Detail::HeaderFromNotification,
            );
            (Cow::Owned(address.bare()), false)
        }
        (Sending::Several, Some((given, _))) => {
            trace.push(
                StepName::FromHeader,
                Outcome::Unchanged,
                None,
                Detail::HeaderKept,
            );
            (Cow::Borrowed(*given), false)
        }
        (Sending::Several, None) => return Err(Error::internal("several senders without a From")),
    };

    // §5 Envelope sender.
    let filter = match chosen.server {
        Some(i) => &snapshot.servers[i].from_filter,
        None => &snapshot.fallback_filter,
    };
    let bounce = domain
        .and_then(|d| d.bounce.as_ref())
        .or(snapshot.email_from.as_ref());
    let envelope_from = match bounce {
        Some(b) if filter.matches(Some(&b.normalized)) => {
            trace.push(
                StepName::Envelope,
                Outcome::Applied,
                None,
                Detail::EnvelopeBounce { bounce: &b.bare },
            );
            b.view().envelope()?
        }
        _ => {
            let detail = match bounce {
                Some(b) => Detail::EnvelopeBounceRefused { bounce: &b.bare },
                None => Detail::EnvelopeNoBounce,
            };
            trace.push(StepName::Envelope, Outcome::Applied, None, detail);
            match &sending {
                Sending::One(a) => a.envelope()?,
                Sending::Several => {
                    return Err(Error::bad_input(
                        "the From has several addresses and no bounce address passes the server's from-filter, so there is no single envelope sender: give one address in From",
                    ))
                }
            }
        }
    };

    // §5 Reply-To.
    let company_name = company.map(|c| c.name.as_str());
    let reply_to: Cow<'a, str> = if let Some(given) = request.reply_to.map(str::trim) {
        address::parse_from(given).map_err(|e| Error::bad_input(format!("--reply-to: {e}")))?;
        trace.push(
            StepName::ReplyTo,
            Outcome::Applied,
            None,
            Detail::ReplyToGiven,
        );
        Cow::Borrowed(given)
    } else if let Some((entry, catchall)) = domain.and_then(|d| d.catchall.as_ref().map(|c| (d, c)))
    {
        trace.push(
            StepName::ReplyTo,
            Outcome::Applied,
            None,
            Detail::ReplyToCatchall {
                domain: &entry.domain.name,
                company: company_name,
            },
        );
        match company_name {
            Some(name) => Cow::Owned(format!(
                "{} <{catchall}>",
                address::quote_display_name(name)
            )),
            None => Cow::Borrowed(catchall.as_str()),
        }
    } else {
        trace.push(
            StepName::ReplyTo,
            Outcome::Applied,
            None,
            Detail::ReplyToOriginal,
        );
        match &original {
            Some((given, _)) => Cow::Borrowed(*given),
            None => header_from.clone(),
        }
    };

    Ok(Decision {
        from: original.as_ref().map(|(given, _)| *given),
        server: chosen.server.map(|i| snapshot.servers[i].name.as_str()),
        fallback_url: chosen
            .server
            .is_none()
            .then_some(snapshot.fallback_url.as_str()),
        rule: chosen.rule,
        alias_domain: domain.map(|d| d.domain.name.as_str()),
        company: company_name,
        sent_as,
        header_from,
        envelope_from,
        reply_to,
        rewritten,
        trace: trace.steps,
        warnings,
    })
}

fn resolve_context<'a>(
    snapshot: &'a Snapshot,
    request: &Request<'_>,
    trace: &mut Trace<'a>,
) -> Result<(Option<usize>, Option<&'a CompanyEntry>)> {
    if let Some(reference) = request.domain {
        let i = snapshot.find_domain(reference)?;
        trace.push(
            StepName::Context,
            Outcome::Applied,
            None,
            Detail::DomainGiven {
                domain: &snapshot.domains[i].domain.name,
            },
        );
        return Ok((Some(i), None));
    }
    let mut company = None;
    if let Some(name) = request.company {
        let entry = snapshot
            .companies
            .get(&name.to_lowercase())
            .ok_or_else(|| {
                Error::not_found("company", name, "companies", &snapshot.company_names)
            })?;
        if let Some(i) = entry.domain {
            trace.push(
                StepName::Context,
                Outcome::Applied,
                None,
                Detail::CompanyDomain {
                    company: &entry.name,
                    domain: &snapshot.domains[i].domain.name,
                },
            );
            return Ok((Some(i), Some(entry)));
        }
        company = Some(entry);
    }
    match (snapshot.domains.first(), company) {
        (Some(first), Some(entry)) => {
            trace.push(
                StepName::Context,
                Outcome::Applied,
                None,
                Detail::CompanyWithoutDomain {
                    company: &entry.name,
                    first: &first.domain.name,
                },
            );
            Ok((Some(0), company))
        }
        (Some(first), None) => {
            trace.push(
                StepName::Context,
                Outcome::Applied,
                None,
                Detail::FirstDomain {
                    domain: &first.domain.name,
                    priority: first.domain.priority,
                },
            );
            Ok((Some(0), None))
        }
        (None, _) => {
            trace.push(StepName::Context, Outcome::None, None, Detail::NoDomain);
            Ok((None, company))
        }
    }
}

struct Chosen {
    server: Option<usize>,
    rule: Rule,
    sent_as: SentAs,
}

fn choose_server<'a>(
    snapshot: &'a Snapshot,
    request: &Request<'_>,
    sender: &RoutingSender<'a>,
    notification: Option<&'a ConfiguredAddress>,
    trace: &mut Trace<'a>,
    warnings: &mut Vec<Warning<'a>>,
) -> Result<Chosen> {
    let sender_normalized: Option<Cow<'a, str>> = match sender {
        RoutingSender::One(a) => Some(a.normalized.clone()),
        _ => None,
    };

    // 1. Forced.
    if let Some((i, by_flag)) = forced_server(snapshot, request, trace)? {
        let server = &snapshot.servers[i];
        let filter_matches = server.from_filter.matches(sender_normalized.as_deref());
        if !filter_matches {
            warnings.push(Warning::ForcedFilterMismatch {
                server: &server.name,
                filter: server.from_filter.as_str(),
            });
        }
        let detail = if by_flag {
            Detail::ForcedByFlag { filter_matches }
        } else {
            Detail::ForcedByMass { filter_matches }
        };
        trace.push(
            StepName::Forced,
            Outcome::Matched,
            Some(&server.name),
            detail,
        );
        return Ok(Chosen {
            server: Some(i),
            rule: Rule::Forced,
            sent_as: SentAs::Sender,
        });
    }

    // 2–3. The sender's address, then its domain.
    if let Some(key) = &sender_normalized {
        if let Some(i) = lookup(snapshot, trace, StepName::Address, key.clone(), true) {
            return Ok(Chosen {
                server: Some(i),
                rule: Rule::Address,
                sent_as: SentAs::Sender,
            });
        }
        let domain = match key {
            Cow::Borrowed(k) => Cow::Borrowed(address::domain_of(k)),
            Cow::Owned(k) => Cow::Owned(address::domain_of(k).to_string()),
        };
        if let Some(i) = lookup(snapshot, trace, StepName::Domain, domain, false) {
            return Ok(Chosen {
                server: Some(i),
                rule: Rule::Domain,
                sent_as: SentAs::Sender,
            });
        }
    } else {
        trace.push(
            StepName::Address,
            Outcome::Skipped,
            None,
            Detail::NoNormalizedSender,
        );
        trace.push(
            StepName::Domain,
            Outcome::Skipped,
            None,
            Detail::NoNormalizedSender,
        );
    }

    // 4. The notification address, then its domain.
    match notification {
        Some(n) => {
            if let Some(i) = lookup(
                snapshot,
                trace,
                StepName::NotificationAddress,
                Cow::Borrowed(&n.normalized),
                true,
            ) {
                return Ok(Chosen {
                    server: Some(i),
                    rule: Rule::NotificationAddress,
                    sent_as: SentAs::Notification,
                });
            }
            let domain = Cow::Borrowed(address::domain_of(&n.normalized));
            if let Some(i) = lookup(snapshot, trace, StepName::NotificationDomain, domain, false) {
                return Ok(Chosen {
                    server: Some(i),
                    rule: Rule::NotificationDomain,
                    sent_as: SentAs::Notification,
                });
            }
        }
        None => {
            trace.push(
                StepName::NotificationAddress,
                Outcome::Skipped,
                None,
                Detail::NoNotification,
            );
            trace.push(
                StepName::NotificationDomain,
                Outcome::Skipped,
                None,
                Detail::NoNotification,
            );
        }
    }
    let as_notification_or_sender = if notification.is_some() {
        SentAs::Notification
    } else {
        SentAs::Sender
    };

    // 5. The first server without a filter.
    let (found, disabled, shadowed) = snapshot.first_enabled(&snapshot.unfiltered);
    for d in disabled {
        trace.push(
            StepName::Unfiltered,
            Outcome::Skipped,
            Some(&snapshot.servers[d].name),
            Detail::Disabled,
        );
    }
    if let Some(i) = found {
        trace.push(
            StepName::Unfiltered,
            Outcome::Matched,
            Some(&snapshot.servers[i].name),
            Detail::NoFilter { shadowed },
        );
        return Ok(Chosen {
            server: Some(i),
            rule: Rule::Unfiltered,
            sent_as: as_notification_or_sender,
        });
    }
    trace.push(
        StepName::Unfiltered,
        Outcome::NoMatch,
        None,
        Detail::AllFiltered,
    );

    // 6. The first enabled server at all.
    if let Some(i) = snapshot.servers.iter().position(|s| s.enabled) {
        let server = &snapshot.servers[i];
        trace.push(
            StepName::First,
            Outcome::Matched,
            Some(&server.name),
            Detail::FirstServer,
        );
        let sending_as: Cow<'a, str> = match (notification, sender) {
            (Some(n), _) => Cow::Borrowed(&n.bare),
            (None, RoutingSender::One(a)) => Cow::Owned(a.bare()),
            (None, _) => Cow::Borrowed("the sender"),
        };
        warnings.push(Warning::NoFilterMatches {
            server: &server.name,
            sending_as,
        });
        return Ok(Chosen {
            server: Some(i),
            rule: Rule::First,
            sent_as: as_notification_or_sender,
        });
    }
    trace.push(
        StepName::First,
        Outcome::NoMatch,
        None,
        Detail::NoEnabledServer,
    );

    // 7. The fallback server.
    trace.push(
        StepName::Fallback,
        Outcome::Matched,
        None,
        Detail::FallbackServer {
            url: &snapshot.fallback_url,
        },
    );
    let filter = &snapshot.fallback_filter;
    let has_sender = !matches!(sender, RoutingSender::None);
    let sent_as = if has_sender && filter.matches(sender_normalized.as_deref()) {
        trace.push(
            StepName::Fallback,
            Outcome::Applied,
            None,
            Detail::FallbackAcceptsSender {
                filter: filter.as_str(),
            },
        );
        SentAs::Sender
    } else if notification.is_some_and(|n| filter.matches(Some(&n.normalized))) {
        trace.push(
            StepName::Fallback,
            Outcome::Applied,
            None,
            Detail::FallbackAcceptsNotification {
                filter: filter.as_str(),
            },
        );
        SentAs::Notification
    } else {
        trace.push(
            StepName::Fallback,
            Outcome::Applied,
            None,
            Detail::FallbackAcceptsNeither {
                filter: filter.as_str(),
            },
        );
        let sending_as: Cow<'a, str> = match (notification, sender) {
            (Some(n), _) => Cow::Borrowed(&n.bare),
            (None, RoutingSender::One(a)) => Cow::Owned(a.bare()),
            (None, _) => Cow::Borrowed("the sender"),
        };
        warnings.push(Warning::FallbackFilterMismatch {
            filter: filter.as_str(),
            sending_as,
        });
        as_notification_or_sender
    };
    Ok(Chosen {
        server: None,
        rule: Rule::Fallback,
        sent_as,
    })
}

/// The server forced by `--server`, or by `--mass` and the setting mass-mailing-server, with
/// whether the flag forced it. A forced server that is disabled is an error.
fn forced_server<'a>(
    snapshot: &'a Snapshot,
    request: &Request<'_>,
    trace: &mut Trace<'a>,
) -> Result<Option<(usize, bool)>> {
    let forced = match (request.server, request.mass, &snapshot.mass_mailing_server) {
        (Some(name), mass, _) => {
            if mass && snapshot.mass_mailing_server.is_some() {
                trace.push(StepName::Forced, Outcome::Applied, None, Detail::ServerFlagOverridesMass);
            }
            Some((snapshot.find_server(name)?, true))
        }
        (None, true, Some(name)) => Some((
            snapshot.find_server(name).map_err(|_| {
                Error::config(format!(
                    "the setting mass-mailing-server names '{name}', which is not a server; fix it with `mailroute settings set mass-mailing-server NAME` (servers: {})",
                    snapshot.server_names().join(", ")
                ))
            })?,
            false,
        )),
        (None, true, None) => {
            trace.push(StepName::Forced, Outcome::Skipped, None, Detail::MassNotSet);
            None
        }
        (None, false, _) => None,
    };
    if let Some((i, by_flag)) = forced {
        let server = &snapshot.servers[i];
        if !server.enabled {
            let how = if by_flag {
                "forced with --server"
            } else {
                "named by the setting mass-mailing-server"
            };
            return Err(Error::config(format!(
                "server '{}' is disabled but {how}; enable it with `mailroute server enable {}`",
                server.name, server.name
            )));
        }
    }
    Ok(forced)
}

/// Checks the parts of a request that do not depend on the sender (context, forced server,
/// Reply-To), so that a stream of senders can fail once, before reading, on a bad option.
pub fn check_request(snapshot: &Snapshot, request: &Request<'_>) -> Result<()> {
    let mut trace = Trace { steps: Vec::new() };
    resolve_context(snapshot, request, &mut trace)?;
    forced_server(snapshot, request, &mut trace)?;
    if let Some(reply_to) = request.reply_to {
        address::parse_from(reply_to.trim())
            .map_err(|e| Error::bad_input(format!("--reply-to: {e}")))?;
    }
    Ok(())
}

/// Looks a key up in the address or domain index and records what was found in the trace.
fn lookup<'a>(
    snapshot: &'a Snapshot,
    trace: &mut Trace<'a>,
    step: StepName,
    key: Cow<'a, str>,
    is_address: bool,
) -> Option<usize> {
    let index = if is_address {
        &snapshot.by_address
    } else {
        &snapshot.by_domain
    };
    let no_match = |key| {
        if is_address {
            Detail::NoAddressFilter { key }
        } else {
            Detail::NoDomainFilter { key }
        }
    };
    let Some((stored_key, list)) = index.get_key_value(key.as_ref()) else {
        trace.push(step, Outcome::NoMatch, None, no_match(key));
        return None;
    };
    let key = Cow::Borrowed(stored_key.as_str());
    let (found, disabled, shadowed) = snapshot.first_enabled(list);
    for d in disabled {
        trace.push(
            step,
            Outcome::Skipped,
            Some(&snapshot.servers[d].name),
            Detail::Disabled,
        );
    }
    match found {
        Some(i) => {
            let detail = if is_address {
                Detail::AddressFilter { key, shadowed }
            } else {
                Detail::DomainFilter { key, shadowed }
            };
            trace.push(
                step,
                Outcome::Matched,
                Some(&snapshot.servers[i].name),
                detail,
            );
            Some(i)
        }
        None => {
            trace.push(step, Outcome::NoMatch, None, no_match(key));
            None
        }
    }
}

#[cfg(test)]
mod tests;
