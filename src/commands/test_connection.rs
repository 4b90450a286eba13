//! `mailroute test-connection`: every stage of an SMTP conversation, with its reply and its
//! duration, stopping before a message could be delivered. Several servers are tested at once.

use std::io::{self, IsTerminal, Write};
use std::time::Duration;

use serde::Serialize;

use super::Ctx;
use crate::address::{self, FilterPart, FromFilter};
use crate::cli::TestConnectionArgs;
use crate::error::{Error, ExitCode, Result};
use crate::model::{AliasDomain, Server, Settings};
use crate::output::{table, write_table, Human, Paint};
use crate::secrets;
use crate::smtp::{self, Endpoint, Stage, StageLog, StageReport, TlsInfo, DEFAULT_TIMEOUT};
use crate::smtp_url;
use crate::store;

/// One server to test, with everything decided before connecting.
struct Plan {
    label: Option<String>,
    url: String,
    endpoint: Endpoint,
    from: String,
    to: String,
    warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ErrorReport {
    pub kind: &'static str,
    pub stage: &'static str,
    pub message: String,
}

/// The result for one server.
#[derive(Debug, Serialize)]
pub struct ServerResult {
    pub server: Option<String>,
    pub url: String,
    pub ok: bool,
    pub from: String,
    pub to: String,
    pub stages: Vec<StageReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsInfo>,
    pub capabilities: Vec<String>,
    pub warnings: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcript: Option<Vec<String>>,
    #[serde(skip)]
    exit: ExitCode,
}

/// The sender of routing.md §6 for a server with this filter.
pub fn test_sender(
    filter: &FromFilter,
    domains: &[AliasDomain],
    settings: &Settings,
) -> Option<String> {
    let parts = filter.parts();
    if let Some(FilterPart::Address(a)) = parts.iter().find(|p| matches!(p, FilterPart::Address(_)))
    {
        return Some(a.clone());
    }
    let domain_parts: Vec<&str> = parts
        .iter()
        .filter_map(|p| match p {
            FilterPart::Domain(d) => Some(d.as_str()),
            FilterPart::Address(_) => None,
        })
        .collect();
    // `domains` is in routing order (priority, then name).
    for domain in domains {
        if domain_parts
            .iter()
            .any(|d| d.eq_ignore_ascii_case(&domain.name))
        {
            if let Some(n) = domain.notification_address() {
                return Some(n);
            }
        }
    }
    if let Some(first) = domain_parts.first() {
        return Some(format!("noreply@{first}"));
    }
    settings.email_from.as_deref().and_then(address::normalize)
}

fn envelope(address_text: &str, what: &str) -> Result<String> {
    match address::parse_from(address_text) {
        Ok(address::ParsedFrom::Single(m)) => address::envelope_address(m.local, m.domain)
            .map_err(|e| Error::bad_input(format!("{what} {address_text}: {e}"))),
        Ok(address::ParsedFrom::Several(_)) => Err(Error::bad_input(format!(
            "{what} must be one address: {address_text}"
        ))),
        Err(e) => Err(Error::bad_input(format!("{what}: {e}"))),
    }
}

fn plan_for_server(
    server: &Server,
    args: &TestConnectionArgs,
    domains: &[AliasDomain],
    settings: &Settings,
) -> Result<Plan> {
    let from = match &args.from {
        Some(f) => f.clone(),
        None => test_sender(&server.from_filter, domains, settings).ok_or_else(|| {
            Error::config(format!(
                "no test sender for server '{}': its from-filter names no address or domain and the setting email-from is unset; give --from ADDR",
                server.name
            ))
        })?,
    };
    let from = envelope(&from, "--from")?;
    let to = envelope(args.to.as_deref().unwrap_or(&from), "--to")?;
    let mut warnings = Vec::new();
    if server.insecure {
        warnings.push(format!(
            "certificate verification is off for server '{}' (--insecure): anyone on the path can read the mail and the password",
            server.name
        ));
    }
    if server.port == 25 && server.user.is_some() {
        warnings.push(format!(
            "server '{}' authenticates on port 25, which many providers and networks block: prefer 465 (tls), 587 or 2525 (starttls)",
            server.name
        ));
    }
    if !server.enabled {
        warnings.push(format!(
            "server '{}' is disabled: routing never chooses it",
            server.name
        ));
    }
    let secret = if server.user.is_some() {
        secrets::fetch(&server.name, &server.password)?
    } else {
        None
    };
    let timeout = args
        .timeout
        .or(server.timeout_secs)
        .map_or(DEFAULT_TIMEOUT, |s| Duration::from_secs(u64::from(s)));
    Ok(Plan {
        label: Some(server.name.clone()),
        url: smtp_url::SmtpUrl {
            host: server.host.clone(),
            port: server.port,
            security: server.security,
            user: server.user.clone(),
        }
        .to_string(),
        endpoint: Endpoint::for_server(server, secret, timeout),
        from,
        to,
        warnings,
    })
}

fn plan_for_fallback(
    args: &TestConnectionArgs,
    domains: &[AliasDomain],
    settings: &Settings,
) -> Result<Plan> {
    let url = smtp_url::parse_smtp_url(settings.fallback_server_url())
        .map_err(|e| Error::config(format!("the setting fallback-server is invalid: {e}")))?;
    let filter = match settings.fallback_from_filter.as_deref() {
        Some(text) => FromFilter::parse(text).map_err(|e| {
            Error::config(format!("the setting fallback-from-filter is invalid: {e}"))
        })?,
        None => FromFilter::empty(),
    };
    let from = match &args.from {
        Some(f) => f.clone(),
        None => test_sender(&filter, domains, settings).ok_or_else(|| {
            Error::config(
                "no test sender for the fallback server: set email-from or give --from ADDR",
            )
        })?,
    };
    let from = envelope(&from, "--from")?;
    let to = envelope(args.to.as_deref().unwrap_or(&from), "--to")?;
    let timeout = args
        .timeout
        .map_or(DEFAULT_TIMEOUT, |s| Duration::from_secs(u64::from(s)));
    Ok(Plan {
        label: None,
        url: url.to_string(),
        endpoint: Endpoint::fallback(&url, timeout),
        from,
        to,
        warnings: Vec::new(),
    })
}

fn server_url(server: &Server) -> String {
    smtp_url::SmtpUrl {
        host: server.host.clone(),
        port: server.port,
        security: server.security,
        user: server.user.clone(),
    }
    .to_string()
}

/// The result for a server that could not be tried at all.
fn unplanned(name: Option<&str>, url: &str, error: Error) -> ServerResult {
    ServerResult {
        server: name.map(str::to_string),
        url: url.to_string(),
        ok: false,
        from: String::new(),
        to: String::new(),
        stages: Vec::new(),
        error: Some(ErrorReport {
            kind: error.kind.as_str(),
            stage: "setup",
            message: error.message.clone(),
        }),
        tls: None,
        capabilities: Vec::new(),
        warnings: Vec::new(),
        transcript: None,
        exit: error.exit_code(),
    }
}

/// Runs every stage against one server. Never delivers a message.
fn probe(plan: &Plan, want_data: bool, want_transcript: bool) -> ServerResult {
    let mut log = StageLog::default();
    let mut transcript = None;
    let mut tls = None;
    let mut capabilities = Vec::new();
    let outcome: std::result::Result<(), smtp::SmtpError> = (|| {
        let (mut session, ehlo) = match smtp::open(&plan.endpoint, &mut log) {
            Ok(opened) => opened,
            Err(e) => return Err(e),
        };
        capabilities = ehlo.capabilities.clone();
        tls = session.tls.clone();
        let result = (|| {
            log.run(
                Stage::Mail,
                || session.mail_from(&plan.from),
                |r| Some(r.text()),
            )?;
            log.run(
                Stage::Rcpt,
                || session.rcpt_to(&plan.to),
                |r| Some(r.text()),
            )?;
            if want_data {
                // After 354 the server waits for a message: hanging up abandons it undelivered.
                log.run(Stage::Data, || session.data(), |r| Some(r.text()))?;
                session
                    .transcript
                    .note("hanging up after 354: no message is sent");
                return Ok(());
            }
            log.run(Stage::Rset, || session.rset(), |r| Some(r.text()))?;
            log.run(Stage::Quit, || session.quit(), |r| Some(r.text()))?;
            Ok(())
        })();
        if want_transcript {
            transcript = Some(session.transcript.lines());
        }
        result
    })();
    let scrub = |text: String| {
        secrets::scrub(
            &text,
            plan.endpoint.user.as_deref(),
            plan.endpoint.secret.as_ref(),
        )
    };
    let mut stages = log.reports;
    for stage in &mut stages {
        stage.reply = stage.reply.take().map(scrub);
    }
    let (ok, error, exit) = match outcome {
        Ok(()) => (true, None, ExitCode::Success),
        Err(e) => (
            false,
            Some(ErrorReport {
                kind: e.class.as_str(),
                stage: e.stage.as_str(),
                message: scrub(e.message.clone()),
            }),
            e.class.exit_code(),
        ),
    };
    ServerResult {
        server: plan.label.clone(),
        url: plan.url.clone(),
        ok,
        from: plan.from.clone(),
        to: plan.to.clone(),
        stages,
        error,
        tls,
        capabilities,
        warnings: plan.warnings.clone(),
        transcript: transcript.map(|lines| lines.into_iter().map(scrub).collect()),
        exit,
    }
}

impl Human for ServerResult {
    fn human(&self, out: &mut dyn Write, paint: &Paint) -> io::Result<()> {
        let name = self.server.clone().unwrap_or_else(|| "fallback".into());
        let verdict = if self.ok {
            paint.good("OK")
        } else {
            paint.bad("FAILED")
        };
        let total: u64 = self.stages.iter().map(|s| s.ms).sum();
        writeln!(
            out,
            "{}  {}  {verdict} ({total} ms)",
            paint.bold(&name),
            self.url
        )?;
        let mut t = table(["STAGE", "", "MS", "REPLY"], paint);
        for stage in &self.stages {
            let reply = stage.reply.clone().unwrap_or_default();
            t.add_row(vec![
                stage.stage.to_string(),
                if stage.ok {
                    "ok".into()
                } else {
                    "FAILED".into()
                },
                stage.ms.to_string(),
                reply.lines().next().unwrap_or("").to_string(),
            ]);
        }
        write_table(out, t)?;
        if !self.capabilities.is_empty() {
            writeln!(out, "capabilities: {}", self.capabilities.join(", "))?;
        }
        if let Some(tls) = &self.tls {
            writeln!(
                out,
                "tls: {} {}; certificate {} issued by {}, SAN {}, expires in {} days{}",
                tls.protocol,
                tls.cipher,
                tls.subject.as_deref().unwrap_or("?"),
                tls.issuer.as_deref().unwrap_or("?"),
                tls.subject_alt_names.join(" "),
                tls.expires_in_days
                    .map_or("?".to_string(), |d| d.to_string()),
                if tls.verified { "" } else { " (NOT verified)" }
            )?;
        }
        if let Some(error) = &self.error {
            writeln!(out, "{} {}", paint.bad("error:"), error.message)?;
        }
        if let Some(lines) = &self.transcript {
            writeln!(out)?;
            for line in lines {
                writeln!(out, "{line}")?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, Serialize)]
#[serde(transparent)]
struct Results(Vec<ServerResult>);

impl Human for Results {
    fn human(&self, out: &mut dyn Write, paint: &Paint) -> io::Result<()> {
        for (i, result) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            result.human(out, paint)?;
        }
        if self.0.len() > 1 {
            writeln!(out)?;
            let mut t = table(["SERVER", "RESULT", "MS", "FAILED AT"], paint);
            for r in &self.0 {
                t.add_row(vec![
                    r.server.clone().unwrap_or_else(|| "fallback".into()),
                    if r.ok {
                        "ok".into()
                    } else {
                        r.error.as_ref().map_or("failed", |e| e.kind).to_string()
                    },
                    r.stages.iter().map(|s| s.ms).sum::<u64>().to_string(),
                    r.error
                        .as_ref()
                        .map_or(String::new(), |e| e.stage.to_string()),
                ]);
            }
            write_table(out, t)?;
        }
        Ok(())
    }
}

/// Probes every plan, each server in its own thread: the wall time is the slowest server's, not
/// the sum. A plan that failed already is its own result. Results keep the order of `plans`.
fn probe_all(
    plans: Vec<std::result::Result<Plan, Box<ServerResult>>>,
    args: &TestConnectionArgs,
    progress: Option<&indicatif::ProgressBar>,
) -> Vec<ServerResult> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = plans
            .into_iter()
            .map(|plan| {
                scope.spawn(move || {
                    let result = match plan {
                        Ok(plan) => probe(&plan, args.data, args.transcript),
                        Err(result) => *result,
                    };
                    if let Some(bar) = progress {
                        bar.inc(1);
                    }
                    result
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a probe thread panicked"))
            .collect()
    })
}

/// Tests these servers as `test-connection NAME...` does with `args` (its names and `--all` are
/// not read), without printing anything: for callers such as `doctor --connect`. A server that
/// cannot even be tried (no test sender, password command failing) gets a failed result.
pub(crate) fn test_servers(
    servers: &[Server],
    args: &TestConnectionArgs,
    domains: &[AliasDomain],
    settings: &Settings,
) -> Vec<ServerResult> {
    let plans = servers
        .iter()
        .map(|s| {
            plan_for_server(s, args, domains, settings)
                .map_err(|e| Box::new(unplanned(Some(&s.name), &server_url(s), e)))
        })
        .collect();
    probe_all(plans, args, None)
}

pub fn run(args: TestConnectionArgs, ctx: &Ctx) -> Result<ExitCode> {
    let store = ctx.open_store()?;
    let conn = store.conn();
    let settings = store::settings(conn)?;
    let domains = store::domains(conn)?;
    let servers: Vec<Server> = if args.names.is_empty() {
        store::servers(conn)?
            .into_iter()
            .filter(|s| s.enabled)
            .collect()
    } else {
        args.names
            .iter()
            .map(|n| store::find_server(conn, n))
            .collect::<Result<_>>()?
    };
    drop(store);
    // A server that cannot even be tried (no test sender, password command failing) is a
    // failed result of its own: the others are still tested.
    let plans: Vec<std::result::Result<Plan, Box<ServerResult>>> = if servers.is_empty() {
        vec![plan_for_fallback(&args, &domains, &settings)
            .map_err(|e| Box::new(unplanned(None, settings.fallback_server_url(), e)))]
    } else {
        servers
            .iter()
            .map(|s| {
                plan_for_server(s, &args, &domains, &settings)
                    .map_err(|e| Box::new(unplanned(Some(&s.name), &server_url(s), e)))
            })
            .collect()
    };
    for plan in plans.iter().flatten() {
        for warning in &plan.warnings {
            ctx.printer.warn(warning);
        }
    }
    let progress =
        (plans.len() > 1 && io::stderr().is_terminal() && !ctx.printer.json).then(|| {
            let bar = indicatif::ProgressBar::new(plans.len() as u64);
            bar.set_message("testing servers");
            bar
        });
    let results = probe_all(plans, &args, progress.as_ref());
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let worst = results
        .iter()
        .map(|r| r.exit)
        .max()
        .unwrap_or(ExitCode::Success);
    if results.len() == 1 {
        ctx.printer.report(&results[0])?;
    } else {
        ctx.printer.report(&Results(results))?;
    }
    Ok(worst)
}
