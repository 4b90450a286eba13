//! The explanation a routing decision carries: its steps, their outcomes, and its warnings.
//!
//! Steps are structured values, not pre-formatted strings: the text is produced only when a step
//! is rendered (human table or JSON), so routing a million senders does not format a million
//! sentences nobody reads. This module only describes; it decides nothing.

use std::borrow::Cow;
use std::fmt;

use serde::ser::{Serialize, SerializeMap, Serializer};

/// Which rule of routing.md §4 chose the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Forced,
    Address,
    Domain,
    NotificationAddress,
    NotificationDomain,
    Unfiltered,
    First,
    Fallback,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Forced => "forced",
            Rule::Address => "address",
            Rule::Domain => "domain",
            Rule::NotificationAddress => "notification-address",
            Rule::NotificationDomain => "notification-domain",
            Rule::Unfiltered => "unfiltered",
            Rule::First => "first",
            Rule::Fallback => "fallback",
        }
    }
}

/// The steps a decision goes through, in the order they can appear in a trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepName {
    Context,
    Notification,
    Sender,
    Forced,
    Address,
    Domain,
    NotificationAddress,
    NotificationDomain,
    Unfiltered,
    First,
    Fallback,
    SendingAs,
    FromHeader,
    Envelope,
    ReplyTo,
}

impl StepName {
    pub const ALL: [StepName; 15] = [
        StepName::Context,
        StepName::Notification,
        StepName::Sender,
        StepName::Forced,
        StepName::Address,
        StepName::Domain,
        StepName::NotificationAddress,
        StepName::NotificationDomain,
        StepName::Unfiltered,
        StepName::First,
        StepName::Fallback,
        StepName::SendingAs,
        StepName::FromHeader,
        StepName::Envelope,
        StepName::ReplyTo,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StepName::Context => "context",
            StepName::Notification => "notification",
            StepName::Sender => "sender",
            StepName::Forced => "forced",
            StepName::Address => "address",
            StepName::Domain => "domain",
            StepName::NotificationAddress => "notification-address",
            StepName::NotificationDomain => "notification-domain",
            StepName::Unfiltered => "unfiltered",
            StepName::First => "first",
            StepName::Fallback => "fallback",
            StepName::SendingAs => "sending-as",
            StepName::FromHeader => "from-header",
            StepName::Envelope => "envelope",
            StepName::ReplyTo => "reply-to",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A setting or a piece of context took effect.
    Applied,
    /// Nothing of this kind exists or was given.
    None,
    /// This server or rule was chosen.
    Matched,
    /// This rule was tried and found nothing.
    NoMatch,
    /// This rule or server was not considered, and the detail says why.
    Skipped,
    /// The From header was kept.
    Unchanged,
    /// The From header was rewritten.
    Rewritten,
}

impl Outcome {
    pub const ALL: [Outcome; 7] = [
        Outcome::Applied,
        Outcome::None,
        Outcome::Matched,
        Outcome::NoMatch,
        Outcome::Skipped,
        Outcome::Unchanged,
        Outcome::Rewritten,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Applied => "applied",
            Outcome::None => "none",
            Outcome::Matched => "matched",
            Outcome::NoMatch => "no-match",
            Outcome::Skipped => "skipped",
            Outcome::Unchanged => "unchanged",
            Outcome::Rewritten => "rewritten",
        }
    }
}

/// Why a step had its outcome. Rendered to a sentence by `Display`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail<'a> {
    DomainGiven {
        domain: &'a str,
    },
    CompanyDomain {
        company: &'a str,
        domain: &'a str,
    },
    CompanyWithoutDomain {
        company: &'a str,
        first: &'a str,
    },
    FirstDomain {
        domain: &'a str,
        priority: i64,
    },
    NoDomain,
    NotificationFromDomain {
        address: &'a str,
        domain: &'a str,
    },
    NotificationFromSetting {
        address: &'a str,
    },
    NoNotification,
    UniqueSender {
        address: &'a str,
        domain: &'a str,
    },
    SenderNormalized {
        normalized: Cow<'a, str>,
    },
    SenderSeveral {
        count: usize,
    },
    NoSender,
    ForcedByFlag {
        filter_matches: bool,
    },
    ForcedByMass {
        filter_matches: bool,
    },
    MassNotSet,
    ServerFlagOverridesMass,
    Disabled,
    Unreachable {
        reason: &'a str,
    },
    AddressFilter {
        key: Cow<'a, str>,
        shadowed: usize,
    },
    NoAddressFilter {
        key: Cow<'a, str>,
    },
    DomainFilter {
        key: Cow<'a, str>,
        shadowed: usize,
    },
    NoDomainFilter {
        key: Cow<'a, str>,
    },
    NoNormalizedSender,
    NoFilter {
        shadowed: usize,
    },
    AllFiltered,
    FirstServer,
    NoEnabledServer,
    FallbackServer {
        url: &'a str,
    },
    FallbackAcceptsSender {
        filter: &'a str,
    },
    FallbackAcceptsNotification {
        filter: &'a str,
    },
    FallbackAcceptsNeither {
        filter: &'a str,
    },
    AsSender {
        local: &'a str,
        domain: &'a str,
    },
    AsNotification {
        address: &'a str,
    },
    AsSeveral,
    HeaderKept,
    HeaderRewritten {
        local: &'a str,
        domain: &'a str,
    },
    HeaderFromNotification,
    EnvelopeBounce {
        bounce: &'a str,
    },
    EnvelopeBounceRefused {
        bounce: &'a str,
    },
    EnvelopeNoBounce,
    ReplyToGiven,
    ReplyToCatchall {
        domain: &'a str,
        company: Option<&'a str>,
    },
    ReplyToOriginal,
}

fn filter_text(filter: &str) -> &str {
    if filter.is_empty() {
        "(empty: accepts every sender)"
    } else {
        filter
    }
}

fn shadowed_note(f: &mut fmt::Formatter<'_>, shadowed: usize) -> fmt::Result {
    match shadowed {
        0 => Ok(()),
        1 => f.write_str("; 1 later server with the same filter is never chosen for it"),
        n => write!(
            f,
            "; {n} later servers with the same filter are never chosen for it"
        ),
    }
}

impl fmt::Display for Detail<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Detail::DomainGiven { domain } => write!(f, "alias domain {domain} (--domain)"),
            Detail::CompanyDomain { company, domain } => {
                write!(f, "alias domain {domain} of company '{company}'")
            }
            Detail::CompanyWithoutDomain { company, first } => write!(
                f,
                "company '{company}' has no alias domain; using the first alias domain {first}"
            ),
            Detail::FirstDomain { domain, priority } => write!(
                f,
                "alias domain {domain}: the first by priority ({priority}), then name"
            ),
            Detail::NoDomain => f.write_str("no alias domain is configured"),
            Detail::NotificationFromDomain { address, domain } => {
                write!(f, "notification address {address} (default-from of {domain})")
            }
            Detail::NotificationFromSetting { address } => {
                write!(f, "notification address {address} (setting email-from)")
            }
            Detail::NoNotification => f.write_str(
                "no notification address: no alias domain default-from and no setting email-from",
            ),
            Detail::UniqueSender { address, domain } => write!(
                f,
                "unique sender: default-from of {domain} is a full address, every message is sent as {address}"
            ),
            Detail::SenderNormalized { normalized } => {
                write!(f, "sender address {normalized}")
            }
            Detail::SenderSeveral { count } => write!(
                f,
                "the From has {count} addresses and does not normalise: the sender steps are skipped"
            ),
            Detail::NoSender => f.write_str("no From given: the notification address is the sender"),
            Detail::ForcedByFlag { filter_matches } => {
                f.write_str("forced with --server")?;
                if !filter_matches {
                    f.write_str("; the sender does not match its from-filter")?;
                }
                Ok(())
            }
            Detail::ForcedByMass { filter_matches } => {
                f.write_str("mass mailing: the setting mass-mailing-server names it")?;
                if !filter_matches {
                    f.write_str("; the sender does not match its from-filter")?;
                }
                Ok(())
            }
            Detail::MassNotSet => {
                f.write_str("--mass given but the setting mass-mailing-server is not set: routing normally")
            }
            Detail::ServerFlagOverridesMass => {
                f.write_str("--server given: it takes precedence over the mass-mailing server")
            }
            Detail::Disabled => f.write_str("has a matching filter but is disabled"),
            Detail::Unreachable { reason } => write!(
                f,
                "has a matching filter but could not be reached in this run ({reason}): failing over"
            ),
            Detail::AddressFilter { key, shadowed } => {
                write!(f, "first server whose from-filter has the address {key}")?;
                shadowed_note(f, *shadowed)
            }
            Detail::NoAddressFilter { key } => {
                write!(f, "no enabled server has the address {key} in its from-filter")
            }
            Detail::DomainFilter { key, shadowed } => {
                write!(f, "first server whose from-filter has the domain {key}")?;
                shadowed_note(f, *shadowed)
            }
            Detail::NoDomainFilter { key } => {
                write!(f, "no enabled server has the domain {key} in its from-filter")
            }
            Detail::NoNormalizedSender => f.write_str("no single sender address to look up"),
            Detail::NoFilter { shadowed } => {
                f.write_str("first enabled server without a from-filter")?;
                if *shadowed > 0 {
                    write!(f, "; {shadowed} later unfiltered servers are never chosen this way")?;
                }
                Ok(())
            }
            Detail::AllFiltered => f.write_str("every enabled server has a from-filter"),
            Detail::FirstServer => f.write_str(
                "no from-filter matches: using the first enabled server by priority, then name",
            ),
            Detail::NoEnabledServer => f.write_str("no server is enabled"),
            Detail::FallbackServer { url } => {
                write!(f, "fallback server {url} (setting fallback-server)")
            }
            Detail::FallbackAcceptsSender { filter } => write!(
                f,
                "the sender passes the fallback-from-filter {}",
                filter_text(filter)
            ),
            Detail::FallbackAcceptsNotification { filter } => write!(
                f,
                "the sender does not pass the fallback-from-filter {filter}; the notification address does"
            ),
            Detail::FallbackAcceptsNeither { filter } => write!(
                f,
                "neither the sender nor the notification address passes the fallback-from-filter {filter}"
            ),
            Detail::AsSender { local, domain } => write!(f, "sent as the sender {local}@{domain}"),
            Detail::AsNotification { address } => {
                write!(f, "sent as the notification address {address}")
            }
            Detail::AsSeveral => f.write_str("sent as the From given, with its several addresses"),
            Detail::HeaderKept => f.write_str("the From header is the sender as given"),
            Detail::HeaderRewritten { local, domain } => write!(
                f,
                "the From header is rewritten to {local}@{domain}, keeping the sender's name"
            ),
            Detail::HeaderFromNotification => {
                f.write_str("no From given: the From header is the notification address")
            }
            Detail::EnvelopeBounce { bounce } => {
                write!(f, "bounce address {bounce} passes the server's from-filter")
            }
            Detail::EnvelopeBounceRefused { bounce } => write!(
                f,
                "bounce address {bounce} does not pass the server's from-filter: the sending address is the envelope"
            ),
            Detail::EnvelopeNoBounce => {
                f.write_str("no bounce address: the sending address is the envelope")
            }
            Detail::ReplyToGiven => f.write_str("--reply-to given"),
            Detail::ReplyToCatchall { domain, company } => match company {
                Some(company) => write!(
                    f,
                    "catchall address of alias domain {domain}, named after company '{company}'"
                ),
                None => write!(f, "catchall address of alias domain {domain}"),
            },
            Detail::ReplyToOriginal => {
                f.write_str("no catchall address applies: the original From")
            }
        }
    }
}

/// One line of a decision's trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step<'a> {
    pub step: StepName,
    pub outcome: Outcome,
    /// The server this step looked at, when it looked at one.
    pub server: Option<&'a str>,
    pub detail: Detail<'a>,
}

impl<'a> Step<'a> {
    /// The JSON form, with or without the `detail` sentence.
    pub fn json(&self, details: bool) -> StepJson<'_, 'a> {
        StepJson {
            step: self,
            details,
        }
    }
}

impl Serialize for Step<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.json(true).serialize(serializer)
    }
}

pub struct StepJson<'s, 'a> {
    step: &'s Step<'a>,
    details: bool,
}

impl Serialize for StepJson<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let step = self.step;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("step", step.step.as_str())?;
        map.serialize_entry("outcome", step.outcome.as_str())?;
        if let Some(server) = step.server {
            map.serialize_entry("server", server)?;
        }
        if self.details {
            map.serialize_entry("detail", &Displayed(&step.detail))?;
        }
        map.end()
    }
}

/// Something the user should know about a decision that does not stop it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning<'a> {
    SeveralAddresses {
        count: usize,
    },
    ForcedFilterMismatch {
        server: &'a str,
        filter: &'a str,
    },
    NoFilterMatches {
        server: &'a str,
        sending_as: Cow<'a, str>,
    },
    FallbackFilterMismatch {
        filter: &'a str,
        sending_as: Cow<'a, str>,
    },
}

impl fmt::Display for Warning<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::SeveralAddresses { count } => write!(
                f,
                "the From has {count} addresses; routing skipped the sender steps (give a single address to route by sender)"
            ),
            Warning::ForcedFilterMismatch { server, filter } => write!(
                f,
                "the sender does not match the from-filter of server '{server}' ({filter}): the message may be marked as spam"
            ),
            Warning::NoFilterMatches { server, sending_as } => write!(
                f,
                "no server's from-filter matches {sending_as}: using the first server '{server}' anyway; the message may be refused or marked as spam"
            ),
            Warning::FallbackFilterMismatch { filter, sending_as } => write!(
                f,
                "neither the sender nor the notification address passes the fallback-from-filter ({filter}): sending as {sending_as} anyway"
            ),
        }
    }
}

impl Serialize for Warning<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Serializes any `Display` as a JSON string without building the string first.
struct Displayed<'d, T>(&'d T);

impl<T: fmt::Display> Serialize for Displayed<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self.0)
    }
}
