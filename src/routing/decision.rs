//! What routing is asked ([`Request`]) and what it answers ([`Decision`]), with the JSON form
//! of the answer (cli.md's keys).

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::trace::{Rule, Step, Warning};

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
