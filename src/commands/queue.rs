//! `mailroute queue add|run|list|show|retry|cancel|purge`: the outbox from the command line.

use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::compose::{self, Content};
use super::Ctx;
use crate::cli::{QueueCommand, QueueState};
use crate::error::{Error, ExitCode, Result};
use crate::outbox::{self as runner, MessageResult, RunOptions};
use crate::output::{table, write_fields, write_table, Done, Human, Paint};
use crate::routing::{self, Request};
use crate::store::outbox::{self, Entry, NewMessage};
use crate::store::Store;

pub fn run(command: QueueCommand, ctx: &Ctx) -> Result<ExitCode> {
    match command {
        QueueCommand::Add { file, skip_invalid } => add(&file, skip_invalid, ctx),
        QueueCommand::Run {
            resend_unknown,
            per_connection,
        } => send_due(resend_unknown, per_connection, ctx),
        QueueCommand::List { state } => list(state, ctx),
        QueueCommand::Show { id } => show(id, ctx),
        QueueCommand::Retry { ids } => change(&ids, true, ctx),
        QueueCommand::Cancel { ids } => change(&ids, false, ctx),
        QueueCommand::Purge {
            sent: _,
            older_than,
        } => purge(&older_than, ctx),
    }
}

/// A recipient field of a JSONL line: one address or a list.
#[derive(Debug, Deserialize, Default)]
#[serde(untagged)]
enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SendAt {
    Seconds(i64),
    Text(String),
}

/// One line of `queue add --file`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    from: Option<String>,
    #[serde(default)]
    to: OneOrMany,
    #[serde(default)]
    cc: OneOrMany,
    #[serde(default)]
    bcc: OneOrMany,
    subject: Option<String>,
    body: Option<String>,
    html: Option<String>,
    #[serde(default)]
    attachments: Vec<PathBuf>,
    company: Option<String>,
    domain: Option<String>,
    #[serde(default)]
    mass: bool,
    send_at: Option<SendAt>,
}

/// Seconds since the epoch of an RFC 3339 time (`2026-11-23T10:00:00Z`, `...+01:00`).
fn parse_rfc3339(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, rest) = text.split_once(['T', 't', ' '])?;
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let (time, offset) = match rest.find(['Z', 'z', '+', '-']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => return None,
    };
    let time = time.split('.').next()?;
    let mut t = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, min, s) = (t.next()??, t.next()??, t.next().flatten().unwrap_or(0));
    let offset = match offset {
        "Z" | "z" => 0,
        o => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let (oh, om) = o[1..].split_once(':')?;
            sign * (oh.parse::<i64>().ok()? * 3600 + om.parse::<i64>().ok()? * 60)
        }
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) || h > 23 || min > 59 || s > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + min * 60 + s - offset)
}

/// A line made into a routed, built message.
fn prepare(line: &str, snapshot: &routing::Snapshot, now: i64) -> Result<NewMessage> {
    let line: Line = serde_json::from_str(line)
        .map_err(|e| Error::bad_input(format!("not a message object: {e}")))?;
    let request = Request {
        from: line.from.as_deref(),
        company: line.company.as_deref(),
        domain: line.domain.as_deref(),
        mass: line.mass,
        server: None,
        reply_to: None,
    };
    let decision = routing::decide(snapshot, &request)?;
    let content = Content {
        to: line.to.into_vec(),
        cc: line.cc.into_vec(),
        bcc: line.bcc.into_vec(),
        subject: line.subject,
        text: line.body,
        html: line.html,
        attachments: compose::attachments(&line.attachments)?,
    };
    let composed = compose::compose(&decision, content)?;
    let send_at = match line.send_at {
        None => now,
        Some(SendAt::Seconds(s)) => s,
        Some(SendAt::Text(t)) => parse_rfc3339(&t).ok_or_else(|| {
            Error::bad_input(format!("send_at {t:?} is not an RFC 3339 time (2026-11-23T10:00:00Z) or seconds since 1970"))
        })?,
    };
    let (server, envelope_from, header_from) = (
        decision.server.map(str::to_string),
        decision.envelope_from.to_string(),
        decision.header_from.to_string(),
    );
    drop(decision);
    Ok(NewMessage {
        mass: line.mass,
        sender: line.from,
        company: line.company,
        domain: line.domain,
        server,
        envelope_from,
        header_from,
        reply_to: None,
        recipients: composed.recipients,
        message: composed.bytes,
        message_id: composed.message_id,
        send_at,
    })
}

#[derive(Debug, Serialize)]
struct Invalid {
    line: u64,
    error: String,
}

fn add(file: &std::path::Path, skip_invalid: bool, ctx: &Ctx) -> Result<ExitCode> {
    let input: Box<dyn BufRead> = if file.as_os_str() == "-" {
        Box::new(BufReader::new(io::stdin()))
    } else {
        Box::new(BufReader::new(std::fs::File::open(file).map_err(|e| {
            Error::bad_input(format!("cannot read {}: {e}", file.display()))
        })?))
    };
    let mut store = ctx.open_store()?;
    let snapshot = store.snapshot()?;
    let now = outbox::now();
    let mut invalid: Vec<Invalid> = Vec::new();
    let mut ids: Vec<i64> = Vec::new();
    // One transaction, streaming: all lines or (without --skip-invalid) none.
    let outcome = store.write(|tx| {
        for (number, line) in input.lines().enumerate() {
            let number = number as u64 + 1;
            let line = line.map_err(|e| Error::bad_input(format!("line {number}: cannot read it: {e}")))?;
            if line.trim().is_empty() {
                continue;
            }
            match prepare(&line, &snapshot, now) {
                Ok(message) => ids.push(outbox::enqueue(tx, &message)?),
                Err(e) => invalid.push(Invalid { line: number, error: e.message }),
            }
        }
        if !invalid.is_empty() && !skip_invalid {
            let shown: Vec<String> = invalid.iter().take(5).map(|i| format!("line {}: {}", i.line, i.error)).collect();
            return Err(Error::bad_input(format!(
                "{} invalid line{} in {}, so nothing was enqueued (fix them, or pass --skip-invalid): {}{}",
                invalid.len(),
                if invalid.len() == 1 { "" } else { "s" },
                file.display(),
                shown.join("; "),
                if invalid.len() > 5 { "; ..." } else { "" }
            )));
        }
        Ok(())
    });
    outcome?;
    for i in &invalid {
        ctx.printer
            .warn(format!("line {} skipped: {}", i.line, i.error));
    }
    ctx.printer.report(&Done {
        message: match (ids.first(), ids.last()) {
            (Some(first), Some(last)) => format!("Queued {} messages (ids {first} to {last}); `mailroute queue run` sends them.", ids.len()),
            _ => "Nothing queued.".to_string(),
        },
        object: serde_json::json!({ "queued": ids.len(), "first_id": ids.first(), "last_id": ids.last(), "invalid": invalid }),
    })?;
    Ok(ExitCode::Success)
}

#[derive(Debug, Default, Serialize)]
struct ServerSummary {
    server: String,
    sent: u64,
    deferred: u64,
    failed: u64,
    unknown: u64,
}

#[derive(Debug, Default, Serialize)]
struct RunSummary {
    servers: Vec<ServerSummary>,
}

impl RunSummary {
    fn count(&mut self, result: &MessageResult) {
        let name = result.server.clone().unwrap_or_else(|| "(fallback)".into());
        let row = match self.servers.iter_mut().position(|s| s.server == name) {
            Some(i) => &mut self.servers[i],
            None => {
                self.servers.push(ServerSummary {
                    server: name,
                    ..ServerSummary::default()
                });
                self.servers.last_mut().expect("just pushed")
            }
        };
        match result.state {
            "sent" => row.sent += 1,
            "deferred" => row.deferred += 1,
            "failed" => row.failed += 1,
            _ => row.unknown += 1,
        }
    }
}

impl Human for RunSummary {
    fn human(&self, out: &mut dyn Write, paint: &Paint) -> io::Result<()> {
        if self.servers.is_empty() {
            return writeln!(out, "Nothing was due.");
        }
        let mut t = table(["SERVER", "SENT", "DEFERRED", "FAILED", "UNKNOWN"], paint);
        for s in &self.servers {
            t.add_row(vec![
                s.server.clone(),
                s.sent.to_string(),
                s.deferred.to_string(),
                s.failed.to_string(),
                s.unknown.to_string(),
            ]);
        }
        write_table(out, t)
    }
}

fn send_due(resend_unknown: bool, per_connection: u32, ctx: &Ctx) -> Result<ExitCode> {
    let mut store = ctx.open_store()?;
    let (preamble, log) = runner::prepare(&mut store, resend_unknown)?;
    warn_unknown(ctx, preamble.unknown);
    let db = store.path().to_path_buf();
    drop(store);
    let progress = (!ctx.printer.json && io::stderr().is_terminal() && preamble.due > 0)
        .then(|| indicatif::ProgressBar::new(preamble.due as u64));
    let mut summary = RunSummary::default();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut write_error = None;
    let options = RunOptions { per_connection };
    runner::run(&db, &log, &options, |result| {
        summary.count(&result);
        if let Some(bar) = &progress {
            bar.inc(1);
        }
        if ctx.printer.json && write_error.is_none() {
            let line = serde_json::to_string(&result).unwrap_or_default();
            if let Err(e) = writeln!(out, "{line}") {
                write_error = Some(e);
            }
        }
    })?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if let Some(e) = write_error {
        return Err(e.into());
    }
    out.flush()?;
    drop(out);
    if !ctx.printer.json {
        ctx.printer.report(&summary)?;
    }
    Ok(ExitCode::Success)
}

/// Says that a dead run left messages whose delivery is unknown.
fn warn_unknown(ctx: &Ctx, unknown: usize) {
    if unknown > 0 {
        ctx.printer.warn(format!(
            "{unknown} message(s) were being sent when a run stopped: they may or may not have arrived and are marked unknown (`mailroute queue list --state unknown`; `mailroute queue run --resend-unknown` sends them again, with the same Message-ID)"
        ));
    }
}

/// Opens the store for a `queue` command other than `run`, first recovering from a run that
/// died (when none is going on), so that what it shows is what happened.
fn open_recovered(ctx: &Ctx) -> Result<Store> {
    let mut store = ctx.open_store()?;
    warn_unknown(ctx, runner::recover_if_idle(&mut store)?);
    Ok(store)
}

#[derive(Debug, Serialize)]
#[serde(transparent)]
struct EntryList(Vec<Entry>);

impl Human for EntryList {
    fn human(&self, out: &mut dyn Write, paint: &Paint) -> io::Result<()> {
        if self.0.is_empty() {
            return writeln!(out, "The outbox is empty.");
        }
        let mut t = table(
            [
                "ID",
                "STATE",
                "ATTEMPTS",
                "SERVER",
                "FROM",
                "TO",
                "LAST REPLY",
            ],
            paint,
        );
        for e in &self.0 {
            let to = match e.recipients.len() {
                0 => String::new(),
                1 => e.recipients[0].clone(),
                n => format!("{} (+{})", e.recipients[0], n - 1),
            };
            t.add_row(vec![
                e.id.to_string(),
                e.state.clone(),
                e.attempts.to_string(),
                e.server.clone().unwrap_or_else(|| "(fallback)".into()),
                e.header_from.clone(),
                to,
                e.last_reply
                    .clone()
                    .unwrap_or_default()
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string(),
            ]);
        }
        write_table(out, t)
    }
}

fn state_name(state: QueueState) -> &'static str {
    match state {
        QueueState::Queued => "queued",
        QueueState::Sending => "sending",
        QueueState::Sent => "sent",
        QueueState::Deferred => "deferred",
        QueueState::Failed => "failed",
        QueueState::Cancelled => "cancelled",
        QueueState::Unknown => "unknown",
    }
}

fn list(state: Option<QueueState>, ctx: &Ctx) -> Result<ExitCode> {
    let store = open_recovered(ctx)?;
    let entries = outbox::list(store.conn(), state.map(state_name))?;
    ctx.printer.report(&EntryList(entries))?;
    Ok(ExitCode::Success)
}

/// `queue show`: a message, and how it was routed to its server. For a message that failed
/// over, the trace recorded then (it names the unreachable server); otherwise the trace of
/// routing it now, which is what the next run will do.
#[derive(Debug, Serialize)]
struct Shown {
    #[serde(flatten)]
    entry: Entry,
    failed_over: bool,
    trace: Vec<TraceStep>,
}

#[derive(Debug, Serialize, Deserialize)]
struct TraceStep {
    step: String,
    outcome: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    server: Option<String>,
    detail: String,
}

impl Human for Shown {
    fn human(&self, out: &mut dyn Write, paint: &Paint) -> io::Result<()> {
        let entry = &self.entry;
        write_fields(
            out,
            paint,
            &[
                ("message", entry.id.to_string()),
                ("state", entry.state.clone()),
                ("attempts", entry.attempts.to_string()),
                ("Message-ID", entry.message_id.clone().unwrap_or_default()),
                (
                    "server",
                    entry.server.clone().unwrap_or_else(|| "(fallback)".into()),
                ),
                ("From", entry.header_from.clone()),
                ("envelope", entry.envelope_from.clone()),
                ("recipients", entry.recipients.join(", ")),
                ("last reply", entry.last_reply.clone().unwrap_or_default()),
                ("failure", entry.failure_kind.clone().unwrap_or_default()),
            ],
        )?;
        if self.trace.is_empty() {
            return Ok(());
        }
        writeln!(out)?;
        let title = if self.failed_over {
            "How it was routed when it failed over:"
        } else {
            "How it is routed now:"
        };
        writeln!(out, "{}", paint.bold(title))?;
        for (n, step) in self.trace.iter().enumerate() {
            let server = step
                .server
                .as_ref()
                .map(|s| format!("{s}: "))
                .unwrap_or_default();
            writeln!(
                out,
                "{:>3}. {:<21} {:<10} {server}{}",
                n + 1,
                step.step,
                step.outcome,
                step.detail
            )?;
        }
        Ok(())
    }
}

fn show(id: i64, ctx: &Ctx) -> Result<ExitCode> {
    let store = open_recovered(ctx)?;
    let entry = outbox::find(store.conn(), id)?;
    let recorded = entry
        .route_trace
        .as_deref()
        .and_then(|json| serde_json::from_str::<Vec<TraceStep>>(json).ok());
    let failed_over = recorded.is_some();
    let trace = match recorded {
        Some(trace) => trace,
        None => {
            let snapshot = store.snapshot()?;
            // A message the configuration can no longer route shows no trace; its run says why.
            routing::decide(&snapshot, &runner::request_of(&entry))
                .map(|decision| {
                    decision
                        .trace
                        .iter()
                        .map(|step| TraceStep {
                            step: step.step.as_str().to_string(),
                            outcome: step.outcome.as_str().to_string(),
                            server: step.server.map(str::to_string),
                            detail: step.detail.to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default()
        }
    };
    ctx.printer.report(&Shown {
        entry,
        failed_over,
        trace,
    })?;
    Ok(ExitCode::Success)
}

fn change(ids: &[i64], retry: bool, ctx: &Ctx) -> Result<ExitCode> {
    let mut store: Store = open_recovered(ctx)?;
    store.write(|tx| {
        if retry {
            outbox::retry(tx, ids)
        } else {
            outbox::cancel(tx, ids)
        }
    })?;
    let verb = if retry { "Queued again" } else { "Cancelled" };
    ctx.printer.report(&Done {
        message: format!(
            "{verb}: {}.",
            ids.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        object: serde_json::json!({ if retry { "retried" } else { "cancelled" }: ids }),
    })?;
    Ok(ExitCode::Success)
}

/// `90s`, `15m`, `12h`, `30d` in seconds.
fn parse_duration(text: &str) -> Option<i64> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit())?);
    let number: i64 = number.parse().ok()?;
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return None,
    };
    number.checked_mul(seconds)
}

fn purge(older_than: &str, ctx: &Ctx) -> Result<ExitCode> {
    let seconds = parse_duration(older_than).ok_or_else(|| {
        Error::bad_input(format!("--older-than {older_than:?} is not a duration: give a number and a unit, as 90s, 15m, 12h, 30d or 2w"))
    })?;
    let mut store = open_recovered(ctx)?;
    let purged = store.write(|tx| outbox::purge_sent(tx, outbox::now() - seconds))?;
    ctx.printer.report(&Done {
        message: format!("Purged {purged} sent messages older than {older_than}."),
        object: serde_json::json!({ "purged": purged }),
    })?;
    Ok(ExitCode::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times_and_durations() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2026-11-23T10:00:00Z"), Some(1_795_428_000));
        assert_eq!(
            parse_rfc3339("2026-11-23T11:00:00+01:00"),
            Some(1_795_428_000)
        );
        assert_eq!(parse_rfc3339("2026-13-23T11:00:00Z"), None);
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(parse_duration("30d"), Some(2_592_000));
        assert_eq!(parse_duration("90s"), Some(90));
        assert_eq!(parse_duration("12"), None);
        assert_eq!(parse_duration("3 days"), None);
    }
}
