//! `mailroute route FROM` and `mailroute route --stdin`: ask the routing core, print its answer.
//!
//! The stream form reads one sender a line and writes one decision a line, in input order, as it
//! goes: it never holds the input in memory, and it flushes whenever it has to wait for input, so
//! it can be driven line by line from another program.

use std::io::{self, BufRead, BufReader, BufWriter, Write};

use serde::Serialize;

use super::Ctx;
use crate::cli::{RouteArgs, RouteContext};
use crate::error::{Error, ExitCode, Result};
use crate::output::{write_fields, Human, Paint};
use crate::routing::{self, Decision, Request, Snapshot};

pub fn run(args: RouteArgs, ctx: &Ctx) -> Result<ExitCode> {
    let store = ctx.open_store()?;
    match (&args.from, args.stdin) {
        (_, true) => stream(&store.snapshot()?, &args.context, args.explain, ctx),
        (Some(from), false) => {
            let request = request(Some(from), &args.context);
            let snapshot = store.snapshot_for(&request)?;
            let decision = routing::decide(&snapshot, &request)?;
            let quota = match decision.server {
                Some(name) => quota_of(&store, name)?,
                None => None,
            };
            ctx.printer.report(&RouteReport {
                decision: &decision,
                quota,
            })?;
            if !ctx.printer.json {
                for warning in &decision.warnings {
                    ctx.printer.warn(warning);
                }
            }
            Ok(ExitCode::Success)
        }
        (None, false) => Err(Error::usage("route needs a sender (FROM) or --stdin")),
    }
}

/// One quota window of the chosen server: its limit, what the outbox used of it, what is left.
#[derive(Debug, Serialize)]
struct Window {
    limit: u32,
    used: i64,
    remaining: i64,
}

/// The chosen server's quotas, when it has any (`server set --per-minute/--per-day`).
#[derive(Debug, Serialize)]
struct Quota {
    per_minute: Option<Window>,
    per_day: Option<Window>,
}

fn quota_of(store: &crate::store::Store, server: &str) -> Result<Option<Quota>> {
    let limits = crate::store::find_server(store.conn(), server)?.limits;
    if limits.per_minute.is_none() && limits.per_day.is_none() {
        return Ok(None);
    }
    let (minute, day) =
        crate::store::outbox::quota_used(store.conn(), server, crate::store::outbox::now())?;
    let window = |limit: Option<u32>, used: i64| {
        limit.map(|limit| Window {
            limit,
            used,
            remaining: (i64::from(limit) - used).max(0),
        })
    };
    Ok(Some(Quota {
        per_minute: window(limits.per_minute, minute),
        per_day: window(limits.per_day, day),
    }))
}

/// A decision, with the chosen server's remaining quota when it has one.
#[derive(Serialize)]
struct RouteReport<'d, 'a> {
    #[serde(flatten)]
    decision: &'d Decision<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quota: Option<Quota>,
}

impl Human for RouteReport<'_, '_> {
    fn human(&self, out: &mut dyn Write, paint: &Paint) -> io::Result<()> {
        self.decision.human(out, paint)?;
        if let Some(quota) = &self.quota {
            let describe = |w: &Option<Window>, span: &str| {
                w.as_ref()
                    .map(|w| format!("{} of {} left this {span}", w.remaining, w.limit))
            };
            let parts: Vec<String> = [
                describe(&quota.per_minute, "minute"),
                describe(&quota.per_day, "day"),
            ]
            .into_iter()
            .flatten()
            .collect();
            writeln!(out, "{} {}", paint.bold("quota:"), parts.join(", "))?;
        }
        Ok(())
    }
}

pub fn request<'a>(from: Option<&'a str>, context: &'a RouteContext) -> Request<'a> {
    Request {
        from,
        company: context.company.as_deref(),
        domain: context.domain.as_deref(),
        mass: context.mass,
        server: context.server.as_deref(),
        reply_to: context.reply_to.as_deref(),
    }
}

/// The decision's headline: server, From, envelope, Reply-To, as `route` and `send` print it.
pub fn headline(decision: &Decision<'_>, paint: &Paint) -> Vec<(&'static str, String)> {
    let server = match (decision.server, decision.fallback_url) {
        (Some(name), _) => paint.good(name),
        (None, Some(url)) => format!("{} {url}", paint.warn("fallback")),
        (None, None) => "fallback".into(),
    };
    let header = if decision.rewritten {
        format!("{}  {}", decision.header_from, paint.dim("(rewritten)"))
    } else {
        decision.header_from.to_string()
    };
    vec![
        (
            "server",
            format!(
                "{server}  {}",
                paint.dim(format!("(rule: {})", decision.rule.as_str()))
            ),
        ),
        ("From", header),
        ("envelope", decision.envelope_from.to_string()),
        ("Reply-To", decision.reply_to.to_string()),
    ]
}

impl Human for Decision<'_> {
    fn human(&self, out: &mut dyn Write, paint: &Paint) -> io::Result<()> {
        write_fields(out, paint, &headline(self, paint))?;
        writeln!(out)?;
        writeln!(out, "{}", paint.bold("How it was decided:"))?;
        for (n, step) in self.trace.iter().enumerate() {
            let server = step.server.map(|s| format!("{s}: ")).unwrap_or_default();
            writeln!(
                out,
                "{:>3}. {:<21} {:<10} {server}{}",
                n + 1,
                step.step.as_str(),
                step.outcome.as_str(),
                step.detail
            )?;
        }
        Ok(())
    }
}

/// An input line that could not be routed, as the stream reports it.
#[derive(Serialize)]
struct LineError<'a> {
    line: u64,
    from: &'a str,
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    kind: &'a str,
    message: &'a str,
}

/// Tabs inside a value would shift the columns of the TSV output.
fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(['\t', '\n', '\r']) {
        text.replace(['\t', '\n', '\r'], " ").into()
    } else {
        text.into()
    }
}

fn stream(
    snapshot: &Snapshot,
    context: &RouteContext,
    explain: bool,
    ctx: &Ctx,
) -> Result<ExitCode> {
    let json = ctx.printer.json;
    routing::check_request(snapshot, &request(None, context))?;
    let mut input = BufReader::with_capacity(1 << 16, io::stdin().lock());
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut line = Vec::with_capacity(256);
    let (mut json_line, mut scratch) = (Vec::with_capacity(2048), String::new());
    let (mut line_no, mut failed) = (0u64, 0u64);
    let mut first_failure: Option<ExitCode> = None;
    loop {
        // About to wait for input: whoever feeds us line by line must see the answers so far.
        if input.buffer().is_empty() {
            out.flush()?;
        }
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        line_no += 1;
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        let outcome = match std::str::from_utf8(&line) {
            Ok(from) => routing::decide(snapshot, &request(Some(from), context)),
            Err(_) => Err(Error::bad_input("the line is not valid UTF-8")),
        };
        match outcome {
            Ok(decision) => {
                let text = decision.from.unwrap_or_default();
                if json {
                    json_line.clear();
                    routing::write_decision(&decision, explain, &mut json_line, &mut scratch);
                    json_line.push(b'\n');
                    out.write_all(&json_line)?;
                } else {
                    writeln!(
                        out,
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        cell(text),
                        decision.server.unwrap_or("-"),
                        decision.rule.as_str(),
                        cell(&decision.header_from),
                        decision.envelope_from,
                        cell(&decision.reply_to)
                    )?;
                }
            }
            Err(error) => {
                let text = String::from_utf8_lossy(&line);
                failed += 1;
                first_failure.get_or_insert(error.exit_code());
                if json {
                    let report = LineError {
                        line: line_no,
                        from: &text,
                        error: ErrorBody {
                            kind: error.kind.as_str(),
                            message: &error.message,
                        },
                    };
                    serde_json::to_writer(&mut out, &report).map_err(io::Error::from)?;
                    out.write_all(b"\n")?;
                } else {
                    writeln!(out, "{}\t-\terror\t{}", cell(&text), cell(&error.message))?;
                }
            }
        }
    }
    out.flush()?;
    if failed > 0 {
        ctx.printer.warn(format!(
            "{failed} of {line_no} lines could not be routed (see the error lines in the output)"
        ));
    }
    Ok(first_failure.unwrap_or(ExitCode::Success))
}
