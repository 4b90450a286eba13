//! `mailroute send`: route a message exactly as `route` does, build it, and deliver it.
//!
//! Everything that can be checked is checked before any connection: addresses, header values,
//! files, recipients. Then one SMTP conversation: MAIL FROM the decided envelope, RCPT for every
//! To/Cc/Bcc, the message, and the server's final reply.

use std::io::{self, IsTerminal, Read, Write};
use std::time::Duration;

use serde::Serialize;

use super::compose::{self, Composed, Content};
use super::route::request;
use super::Ctx;
use crate::cli::SendArgs;
use crate::error::{Error, ExitCode, Result};
use crate::message;
use crate::output::{write_fields, Done, Human, Paint};
use crate::routing::{self, Decision};
use crate::secrets;
use crate::smtp::{self, Endpoint, Stage, StageLog, DEFAULT_TIMEOUT};
use crate::smtp_url;
use crate::store::{self, Store};

#[derive(Debug, Serialize)]
struct Refused {
    address: String,
    reply: String,
}

#[derive(Debug, Serialize, Default)]
struct Recipients {
    accepted: Vec<String>,
    refused: Vec<Refused>,
}

/// What `send` prints: the routing decision, and what happened to the message.
#[derive(Debug, Serialize)]
struct SendReport {
    #[serde(flatten)]
    decision: serde_json::Value,
    message_id: Option<String>,
    recipients: Recipients,
    reply: Option<String>,
    dry_run: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    #[serde(skip)]
    human_decision: String,
}

impl Human for SendReport {
    fn human(&self, out: &mut dyn Write, paint: &Paint) -> io::Result<()> {
        out.write_all(self.human_decision.as_bytes())?;
        let refused: Vec<String> = self
            .recipients
            .refused
            .iter()
            .map(|r| format!("{} ({})", r.address, r.reply))
            .collect();
        let mut fields = vec![
            ("Message-ID", self.message_id.clone().unwrap_or_default()),
            (
                if self.dry_run {
                    "recipients"
                } else {
                    "accepted"
                },
                self.recipients.accepted.join(", "),
            ),
        ];
        if !refused.is_empty() {
            fields.push(("refused", refused.join(", ")));
        }
        if let Some(reply) = &self.reply {
            fields.push(("reply", reply.replace('\n', " / ")));
        }
        write_fields(out, paint, &fields)?;
        if let Some(message) = &self.message {
            writeln!(
                out,
                "\n{}",
                paint.bold("The message (not sent: --dry-run):")
            )?;
            out.write_all(message.as_bytes())?;
        }
        Ok(())
    }
}

/// The decision's header lines, as `route` prints them.
fn human_decision(decision: &Decision<'_>) -> String {
    let mut out = Vec::new();
    let paint = Paint { color: false };
    let _ = write_fields(&mut out, &paint, &super::route::headline(decision, &paint));
    String::from_utf8_lossy(&out).into_owned()
}

/// A server by name (or the fallback server for `None`), ready to connect to: its secret
/// fetched, its timeout decided (`timeout` first, then the record's, then the default).
pub(crate) fn endpoint_for(
    store: &Store,
    server: Option<&str>,
    timeout: Option<u32>,
) -> Result<Endpoint> {
    let seconds = |record: Option<u32>| {
        timeout
            .or(record)
            .map_or(DEFAULT_TIMEOUT, |s| Duration::from_secs(u64::from(s)))
    };
    match server {
        Some(name) => {
            let server = store::find_server(store.conn(), name)?;
            let secret = if server.user.is_some() {
                secrets::fetch(&server.name, &server.password)?
            } else {
                None
            };
            Ok(Endpoint::for_server(
                &server,
                secret,
                seconds(server.timeout_secs),
            ))
        }
        None => {
            let settings = store::settings(store.conn())?;
            let url = smtp_url::parse_smtp_url(settings.fallback_server_url()).map_err(|e| {
                Error::config(format!("the setting fallback-server is invalid: {e}"))
            })?;
            Ok(Endpoint::fallback(&url, seconds(None)))
        }
    }
}

/// Delivers `bytes` to `recipients`. Some recipients refused is not a failure of the others.
fn deliver(
    endpoint: &Endpoint,
    envelope: &str,
    recipients: &[String],
    bytes: &[u8],
) -> std::result::Result<(Recipients, String), smtp::SmtpError> {
    let mut log = StageLog::default();
    let (mut session, _ehlo) = smtp::open(endpoint, &mut log)?;
    session.mail_from(envelope)?;
    let mut outcome = Recipients::default();
    let mut first_refusal = None;
    for recipient in recipients {
        match session.rcpt_to(recipient) {
            Ok(_) => outcome.accepted.push(recipient.clone()),
            Err(e) => {
                outcome.refused.push(Refused {
                    address: recipient.clone(),
                    reply: e.reply.clone().unwrap_or_else(|| e.message.clone()),
                });
                if !matches!(
                    e.class,
                    smtp::FailureClass::Permanent | smtp::FailureClass::Temporary
                ) {
                    return Err(e);
                }
                first_refusal.get_or_insert(e);
            }
        }
    }
    if outcome.accepted.is_empty() {
        let _ = session.quit();
        return Err(first_refusal.unwrap_or_else(|| {
            smtp::SmtpError::new(Stage::Rcpt, smtp::FailureClass::Protocol, "no recipient")
        }));
    }
    session.data()?;
    let reply = session.message(bytes)?;
    let _ = session.quit();
    Ok((outcome, reply.text()))
}

pub fn run(args: SendArgs, ctx: &Ctx) -> Result<ExitCode> {
    // Everything read and checked before routing and before any connection.
    let stdin_is_input = !io::stdin().is_terminal();
    let (from, raw) = if args.raw {
        let mut input = Vec::new();
        io::stdin().read_to_end(&mut input)?;
        let raw = message::parse_raw(&input).map_err(|e| Error::bad_input(e.to_string()))?;
        (Some(raw.from.clone()), Some(raw))
    } else {
        (args.from.clone(), None)
    };
    // Recipients are checked before routing: a typo must not cost a store round trip.
    compose::envelope_recipients(&args.to)?;
    compose::envelope_recipients(&args.cc)?;
    compose::envelope_recipients(&args.bcc)?;

    let mut store = ctx.open_store()?;
    let request = request(from.as_deref(), &args.context);
    let snapshot = store.snapshot_for(&request)?;
    let decision = routing::decide(&snapshot, &request)?;
    if !ctx.printer.json {
        for warning in &decision.warnings {
            ctx.printer.warn(warning);
        }
    }

    let composed = match raw {
        Some(raw) => compose::compose_raw(&decision, &raw, &args.to)?,
        None => {
            let text = match (&args.body, &args.body_file) {
                (Some(body), _) => Some(body.clone()),
                (None, Some(path)) => Some(compose::text_file(path, "body file")?),
                (None, None) if stdin_is_input => {
                    let mut body = String::new();
                    io::stdin().read_to_string(&mut body).map_err(|e| {
                        Error::bad_input(format!("cannot read the body from stdin: {e}"))
                    })?;
                    Some(body)
                }
                (None, None) => None,
            };
            let html = match &args.html_file {
                Some(path) => Some(compose::text_file(path, "HTML file")?),
                None => None,
            };
            let content = Content {
                to: args.to.clone(),
                cc: args.cc.clone(),
                bcc: args.bcc.clone(),
                subject: args.subject.clone(),
                text,
                html,
                attachments: compose::attachments(&args.attach)?,
            };
            compose::compose(&decision, content)?
        }
    };
    let Composed {
        bytes,
        message_id,
        recipients,
    } = composed;
    if args.queue {
        let id = store.write(|tx| {
            store::outbox::enqueue(
                tx,
                &store::outbox::NewMessage {
                    mass: args.context.mass,
                    sender: from.clone(),
                    company: args.context.company.clone(),
                    domain: args.context.domain.clone(),
                    server: decision.server.map(str::to_string),
                    envelope_from: decision.envelope_from.to_string(),
                    header_from: decision.header_from.to_string(),
                    reply_to: args.context.reply_to.clone(),
                    recipients: recipients.clone(),
                    message: bytes.clone(),
                    message_id: message_id.clone(),
                    send_at: store::outbox::now(),
                },
            )
        })?;
        ctx.printer.report(&Done {
            message: format!("Queued as message {id}; `mailroute queue run` sends it."),
            object: serde_json::json!({ "queued": id, "message_id": message_id, "recipients": recipients }),
        })?;
        return Ok(ExitCode::Success);
    }

    let mut report = SendReport {
        decision: serde_json::to_value(&decision).map_err(|e| Error::internal(e.to_string()))?,
        message_id,
        recipients: Recipients::default(),
        reply: None,
        dry_run: args.dry_run,
        message: None,
        human_decision: human_decision(&decision),
    };
    if args.dry_run {
        report.recipients.accepted = recipients;
        report.message = Some(String::from_utf8_lossy(&bytes).into_owned());
        ctx.printer.report(&report)?;
        return Ok(ExitCode::Success);
    }
    let endpoint = endpoint_for(&store, decision.server, args.timeout)?;
    drop(store);
    if endpoint.target.tls.insecure {
        ctx.printer.warn(format!(
            "certificate verification is off for server '{}' (--insecure)",
            decision.server.unwrap_or("fallback")
        ));
    }
    match deliver(&endpoint, &decision.envelope_from, &recipients, &bytes) {
        Ok((outcome, reply)) => {
            // Some recipients refused: the message went to the others, and the status says how
            // the refusal should be treated (4xx: retry those recipients later).
            let partial = outcome.refused.first().map(|r| {
                if r.reply.starts_with('4') {
                    ExitCode::TempFail
                } else {
                    ExitCode::Unavailable
                }
            });
            report.recipients = outcome;
            report.reply = Some(secrets::scrub(
                &reply,
                endpoint.user.as_deref(),
                endpoint.secret.as_ref(),
            ));
            ctx.printer.report(&report)?;
            if let Some(code) = partial {
                let refused: Vec<&str> = report
                    .recipients
                    .refused
                    .iter()
                    .map(|r| r.address.as_str())
                    .collect();
                ctx.printer.warn(format!(
                    "sent, but these recipients were refused: {}",
                    refused.join(", ")
                ));
                return Ok(code);
            }
            Ok(ExitCode::Success)
        }
        Err(e) => {
            let mut error: Error = e.clone().into();
            error.message = secrets::scrub(
                &error.message,
                endpoint.user.as_deref(),
                endpoint.secret.as_ref(),
            );
            Err(error)
        }
    }
}
