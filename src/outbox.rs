//! Sending the outbox: due messages in groups that share a connection (same server, same
//! envelope sender), transactional mail before mass mailings, several connections at once.
//!
//! Crash safety: a message is marked `sending` (committed) before its DATA, and `sent` only
//! after the server's final reply. A run that dies leaves at most the messages of its open
//! connections in `sending`; the next run marks them `unknown` and never resends them unless
//! told to (`--resend-unknown`, with the same bytes and so the same Message-ID). Messages a
//! broken connection did not reach stay queued for the next pass.
//!
//! The run streams: it reads the outbox a batch at a time and holds only the batches in flight.

use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::commands::send::endpoint_for;
use crate::error::{Error, Result};
use crate::message;
use crate::routing::{self, Request, Snapshot};
use crate::smtp::{self, FailureClass, Session, SmtpError, Stage, StageLog};
use crate::store::outbox::{self, Group, Pending};
use crate::store::Store;

/// Temporary failures are retried this many times, then the message fails.
pub const MAX_ATTEMPTS: i64 = 5;

/// How a run goes.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub resend_unknown: bool,
    pub per_connection: u32,
    pub connections: usize,
}

/// What became of one message in this run.
#[derive(Debug, Clone, Serialize)]
pub struct MessageResult {
    pub id: i64,
    pub state: &'static str,
    pub attempts: i64,
    pub message_id: Option<String>,
    pub server: Option<String>,
    pub last_reply: Option<String>,
    pub failure_kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<String>,
}

/// What a run found before sending: messages marked unknown, and requeued.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Preamble {
    pub unknown: usize,
    pub requeued_unknown: usize,
    pub due: i64,
}

/// The delay before attempt `attempts + 1`: one minute, doubling, at most an hour.
pub fn backoff(attempts: i64) -> i64 {
    let exponent = (attempts - 1).clamp(0, 6) as u32;
    (60i64 << exponent).min(3600)
}

/// The state and failure kind a failed SMTP step leaves a message in.
fn classify(error: &SmtpError) -> (&'static str, &'static str) {
    match error.class {
        FailureClass::Permanent => (
            "failed",
            match error.stage {
                Stage::Mail => "invalid-sender",
                Stage::Rcpt => "invalid-recipient",
                _ => "refused-by-server",
            },
        ),
        FailureClass::Temporary => ("deferred", "refused-by-server"),
        FailureClass::Timeout => ("deferred", "timeout"),
        FailureClass::ConnectionLost
        | FailureClass::ConnectionRefused
        | FailureClass::UnknownHost => ("deferred", "connection"),
        FailureClass::Tls | FailureClass::StarttlsNotOffered => ("failed", "tls"),
        FailureClass::Auth => ("failed", "authentication"),
        FailureClass::Config => ("failed", "config"),
        FailureClass::Protocol => ("failed", "protocol"),
    }
}

/// Prepares a run: recovers from a crash, and counts what is due.
pub fn prepare(store: &mut Store, resend_unknown: bool) -> Result<Preamble> {
    store.write(|tx| {
        let unknown = outbox::mark_interrupted_unknown(tx)?;
        let requeued_unknown = if resend_unknown {
            outbox::requeue_unknown(tx)?
        } else {
            0
        };
        let due = outbox::due_groups(tx, outbox::now())?
            .iter()
            .map(|g| g.count)
            .sum();
        Ok(Preamble {
            unknown,
            requeued_unknown,
            due,
        })
    })
}

/// What workers tell the run: a message is done, or a whole batch is.
enum Event {
    Message(MessageResult),
    BatchDone,
}

/// Sends everything due; `report` is called for each message as it is done.
pub fn run(db: &Path, options: &RunOptions, mut report: impl FnMut(MessageResult)) -> Result<()> {
    let store = Store::open(db)?;
    let snapshot = Arc::new(store.snapshot()?);
    let connections = options.connections.max(1);
    let (jobs, job_receiver) = mpsc::sync_channel::<(Group, Vec<Pending>)>(connections);
    let job_receiver = Arc::new(Mutex::new(job_receiver));
    let (events, event_receiver) = mpsc::channel::<Event>();
    std::thread::scope(|scope| -> Result<()> {
        let mut workers = Vec::new();
        for _ in 0..connections {
            let job_receiver = Arc::clone(&job_receiver);
            let events = events.clone();
            let snapshot = Arc::clone(&snapshot);
            workers.push(scope.spawn(move || -> Result<()> {
                let store = Store::open(db)?;
                loop {
                    // The lock is held only to take a job, not while sending it.
                    let job = match job_receiver.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => return Err(Error::internal("a worker of the run panicked")),
                    };
                    let Ok((group, batch)) = job else {
                        return Ok(());
                    };
                    let sent = send_batch(&store, &snapshot, &group, batch, &events);
                    let _ = events.send(Event::BatchDone);
                    sent?;
                }
            }));
        }
        drop(events);
        let mut in_flight = 0usize;
        let mut handle = |event: Event, in_flight: &mut usize| match event {
            Event::Message(result) => report(result),
            Event::BatchDone => *in_flight -= 1,
        };
        // Passes: a broken connection leaves the rest of its batch queued for the next pass.
        // A pass ends only when all its batches are done, so no message is dispatched twice.
        for _pass in 0..3 {
            let now = outbox::now();
            let groups = outbox::due_groups(store.conn(), now)?;
            if groups.is_empty() {
                break;
            }
            for group in groups {
                // Transactional mail is served first: mass mailings start only when it is done.
                if group.mass {
                    while in_flight > 0 {
                        match event_receiver.recv() {
                            Ok(event) => handle(event, &mut in_flight),
                            Err(_) => break,
                        }
                    }
                }
                let mut after = 0;
                loop {
                    let batch = outbox::next_batch(
                        store.conn(),
                        &group,
                        after,
                        options.per_connection,
                        now,
                    )?;
                    let Some(last) = batch.last() else { break };
                    after = last.entry.id;
                    let full = batch.len() as u32 == options.per_connection;
                    in_flight += 1;
                    if jobs.send((group.clone(), batch)).is_err() {
                        return Err(Error::internal("every worker of the run stopped"));
                    }
                    while let Ok(event) = event_receiver.try_recv() {
                        handle(event, &mut in_flight);
                    }
                    if !full {
                        break;
                    }
                }
            }
            while in_flight > 0 {
                match event_receiver.recv() {
                    Ok(event) => handle(event, &mut in_flight),
                    Err(_) => break,
                }
            }
        }
        drop(jobs);
        for worker in workers {
            worker
                .join()
                .map_err(|_| Error::internal("a worker of the run panicked"))??;
        }
        for event in event_receiver.try_iter() {
            handle(event, &mut in_flight);
        }
        Ok(())
    })
}

/// Sends one batch over one connection.
fn send_batch(
    store: &Store,
    snapshot: &Snapshot,
    group: &Group,
    batch: Vec<Pending>,
    events: &mpsc::Sender<Event>,
) -> Result<()> {
    let finish = |pending: &Pending,
                  state: &'static str,
                  reply: Option<String>,
                  kind: Option<&'static str>,
                  refused: Vec<String>,
                  remaining: Option<Vec<String>>|
     -> Result<()> {
        let attempts = pending.entry.attempts + 1;
        let (state, kind, next) = match state {
            "deferred" if attempts >= MAX_ATTEMPTS => ("failed", Some("too-many-attempts"), None),
            "deferred" => ("deferred", kind, Some(outbox::now() + backoff(attempts))),
            other => (other, kind, None),
        };
        outbox::finish(
            store.conn(),
            pending.entry.id,
            state,
            reply.as_deref(),
            kind,
            next,
            remaining.as_deref(),
        )?;
        let _ = events.send(Event::Message(MessageResult {
            id: pending.entry.id,
            state,
            attempts,
            message_id: pending.entry.message_id.clone(),
            server: group.server.clone(),
            last_reply: reply,
            failure_kind: kind,
            refused,
        }));
        Ok(())
    };

    // Messages whose routing changed since they were queued go back with their new routing.
    let mut sendable = Vec::with_capacity(batch.len());
    for pending in batch {
        let entry = &pending.entry;
        let request = Request {
            from: entry.sender.as_deref(),
            company: entry.company.as_deref(),
            domain: entry.domain.as_deref(),
            mass: entry.mass,
            server: None,
            reply_to: entry.reply_to.as_deref(),
        };
        match routing::decide(snapshot, &request) {
            Ok(decision)
                if decision.server.map(str::to_string) == group.server
                    && decision.envelope_from == entry.envelope_from =>
            {
                if decision.header_from != entry.header_from {
                    let rewritten = message::parse_raw(&pending.message).and_then(|raw| {
                        message::rewrite_raw(&raw, Some(&decision.header_from), None)
                    });
                    if let Ok(bytes) = rewritten {
                        outbox::reroute(
                            store.conn(),
                            entry.id,
                            decision.server,
                            &decision.envelope_from,
                            &decision.header_from,
                            &bytes,
                        )?;
                        sendable.push(Pending {
                            entry: entry.clone(),
                            message: bytes,
                        });
                        continue;
                    }
                }
                sendable.push(pending);
            }
            Ok(decision) => {
                let bytes = message::parse_raw(&pending.message)
                    .and_then(|raw| message::rewrite_raw(&raw, Some(&decision.header_from), None))
                    .unwrap_or_else(|_| pending.message.clone());
                // Picked up again by the next pass, in its new group.
                outbox::reroute(
                    store.conn(),
                    entry.id,
                    decision.server,
                    &decision.envelope_from,
                    &decision.header_from,
                    &bytes,
                )?;
            }
            Err(e) => finish(
                &pending,
                "failed",
                Some(e.message),
                Some("config"),
                Vec::new(),
                None,
            )?,
        }
    }
    if sendable.is_empty() {
        return Ok(());
    }

    let endpoint = match endpoint_for(store, group.server.as_deref(), None) {
        Ok(endpoint) => endpoint,
        Err(e) => {
            for pending in &sendable {
                finish(
                    pending,
                    "failed",
                    Some(e.message.clone()),
                    Some("config"),
                    Vec::new(),
                    None,
                )?;
            }
            return Ok(());
        }
    };
    let mut log = StageLog::default();
    let mut session = match smtp::open(&endpoint, &mut log) {
        Ok((session, _)) => session,
        Err(e) => {
            let (state, kind) = classify(&e);
            for pending in &sendable {
                finish(
                    pending,
                    state,
                    Some(e.message.clone()),
                    Some(kind),
                    Vec::new(),
                    None,
                )?;
            }
            return Ok(());
        }
    };
    for pending in &sendable {
        outbox::mark_sending(store.conn(), pending.entry.id)?;
        match deliver(
            &mut session,
            &pending.entry.envelope_from,
            &pending.entry.recipients,
            &pending.message,
        ) {
            Delivery::Sent {
                reply,
                refused,
                retry,
            } => {
                let (state, remaining) = if retry.is_empty() {
                    ("sent", None)
                } else {
                    ("deferred", Some(retry))
                };
                finish(pending, state, Some(reply), None, refused, remaining)?;
            }
            Delivery::Refused(e) => {
                let (state, kind) = classify(&e);
                finish(
                    pending,
                    state,
                    e.reply.clone().or(Some(e.message.clone())),
                    Some(kind),
                    Vec::new(),
                    None,
                )?;
                if session.rset().is_err() {
                    break;
                }
            }
            Delivery::NotSent(e) => {
                let (state, kind) = classify(&e);
                finish(
                    pending,
                    state,
                    Some(e.message.clone()),
                    Some(kind),
                    Vec::new(),
                    None,
                )?;
                break;
            }
            Delivery::Unknown(e) => {
                finish(
                    pending,
                    "unknown",
                    Some(format!("{}: it may or may not have arrived", e.message)),
                    Some("connection"),
                    Vec::new(),
                    None,
                )?;
                break;
            }
        }
    }
    let _ = session.quit();
    Ok(())
}

enum Delivery {
    /// The server took it for these recipients; `refused` were refused for good, `retry` for now.
    Sent {
        reply: String,
        refused: Vec<String>,
        retry: Vec<String>,
    },
    /// The server refused it; the connection is still usable (after RSET).
    Refused(SmtpError),
    /// The connection broke before the message could be accepted.
    NotSent(SmtpError),
    /// The connection broke after the message was written, before the server's verdict.
    Unknown(SmtpError),
}

fn deliver(session: &mut Session, envelope: &str, recipients: &[String], bytes: &[u8]) -> Delivery {
    let broken = |e: &SmtpError| {
        matches!(
            e.class,
            FailureClass::ConnectionLost | FailureClass::Timeout
        )
    };
    if let Err(e) = session.mail_from(envelope) {
        return if broken(&e) {
            Delivery::NotSent(e)
        } else {
            Delivery::Refused(e)
        };
    }
    let (mut accepted, mut refused, mut retry) = (0, Vec::new(), Vec::new());
    let mut first_refusal = None;
    for recipient in recipients {
        match session.rcpt_to(recipient) {
            Ok(_) => accepted += 1,
            Err(e) if broken(&e) => return Delivery::NotSent(e),
            Err(e) => {
                if e.class == FailureClass::Temporary {
                    retry.push(recipient.clone());
                } else {
                    refused.push(recipient.clone());
                }
                first_refusal.get_or_insert(e);
            }
        }
    }
    if accepted == 0 {
        return Delivery::Refused(first_refusal.unwrap_or_else(|| {
            SmtpError::new(Stage::Rcpt, FailureClass::Protocol, "no recipient")
        }));
    }
    if let Err(e) = session.data() {
        return if broken(&e) {
            Delivery::NotSent(e)
        } else {
            Delivery::Refused(e)
        };
    }
    if let Err(e) = session.write_message(bytes) {
        return Delivery::NotSent(e);
    }
    match session.final_reply() {
        Ok(reply) => Delivery::Sent {
            reply: reply.text(),
            refused,
            retry,
        },
        Err(e) if e.reply.is_some() => Delivery::Refused(e),
        Err(e) => Delivery::Unknown(e),
    }
}
