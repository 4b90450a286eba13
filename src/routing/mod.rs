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

mod decision;
mod json;
mod snapshot;
mod trace;

use std::borrow::Cow;

use crate::address::{self, ParsedFrom};
use crate::error::{Error, Result};

pub use decision::{Decision, DecisionJson, Request, SentAs};
pub use json::write_decision;
pub use snapshot::{ambiguous_domain, RouteServer, Snapshot};
use snapshot::{Address, CompanyEntry, ConfiguredAddress};
pub use trace::{Detail, Outcome, Rule, Step, StepName, Warning};

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
            passed_over(&snapshot.servers[d]),
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
    if let Some(i) = snapshot.servers.iter().position(RouteServer::usable) {
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

/// Why routing passed over a server whose filter matched.
fn passed_over(server: &RouteServer) -> Detail<'_> {
    match &server.unreachable {
        Some(reason) if server.enabled => Detail::Unreachable { reason },
        _ => Detail::Disabled,
    }
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
    let Some((stored_key, entry)) = index.get_key_value(key.as_ref()) else {
        trace.push(step, Outcome::NoMatch, None, no_match(key));
        return None;
    };
    let key = Cow::Borrowed(&**stored_key);
    for &d in entry.disabled.iter() {
        trace.push(
            step,
            Outcome::Skipped,
            Some(&snapshot.servers[d as usize].name),
            passed_over(&snapshot.servers[d as usize]),
        );
    }
    let (found, shadowed) = (entry.first.map(|i| i as usize), entry.shadowed as usize);
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
