//! `mailroute doctor`: checks the whole configuration for mistakes a tool can see before a
//! message bounces, and reports each one with a severity, the objects involved and the fix.
//! With `--connect` it also runs `test-connection` on every enabled server.
//!
//! Exit status: 78 when any finding is an error, else 1 with `--strict` when any is a warning,
//! else 0. Notes (`info`) never change the exit status.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::test_connection::{self, ServerResult};
use super::Ctx;
use crate::address::FromFilter;
use crate::cli::{DoctorArgs, TestConnectionArgs};
use crate::error::{ExitCode, Result};
use crate::model::{AliasDomain, Company, PasswordSource, Server, Settings};
use crate::output::{table, write_table, Human, Paint};
use crate::smtp_url::Security;
use crate::store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// One problem found in the configuration.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    /// The objects involved, as "server main", "domain example.com", "company Acme",
    /// "setting mass-mailing-server".
    pub objects: Vec<String>,
    pub message: String,
    /// A command (or commands) that fixes it.
    pub fix: String,
}

fn finding(
    code: &'static str,
    severity: Severity,
    objects: Vec<String>,
    message: String,
    fix: String,
) -> Finding {
    Finding {
        code,
        severity,
        objects,
        message,
        fix,
    }
}

fn server_obj(name: &str) -> String {
    format!("server {name}")
}

fn domain_obj(domain: &AliasDomain) -> String {
    format!("domain {}", domain.name)
}

/// Quotes an argument for a POSIX shell when it needs it, so that fixes can be pasted.
fn sh(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "@%+=:,./-_#".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// Everything the checks read.
struct Config {
    domains: Vec<AliasDomain>,
    companies: Vec<Company>,
    /// In routing order: priority, then name.
    servers: Vec<Server>,
    settings: Settings,
}

impl Config {
    fn enabled(&self) -> impl Iterator<Item = &Server> {
        self.servers.iter().filter(|s| s.enabled)
    }

    fn is_mass_server(&self, server: &Server) -> bool {
        self.settings
            .mass_mailing_server
            .as_deref()
            .is_some_and(|m| m.eq_ignore_ascii_case(&server.name))
    }
}

fn check(config: &Config) -> Vec<Finding> {
    let mut findings = Vec::new();
    check_shadowing(config, &mut findings);
    check_same_priority(config, &mut findings);
    check_domain_addresses(config, &mut findings);
    check_mass_mailing(config, &mut findings);
    check_servers(config, &mut findings);
    check_notification(config, &mut findings);
    check_companies(config, &mut findings);
    // Errors first, then warnings, then notes; the order of the checks within each.
    findings.sort_by_key(|f| f.severity);
    findings
}

/// Servers that steps 2–5 of routing (routing.md §4) can never choose.
///
/// Routing never matches a filter as a whole: it looks up one key at a time and takes the first
/// enabled server (priority, then name) holding that key. The keys are the filter's address parts
/// (steps 2 and 4, first half), its domain parts (step 3 and 4, second half), and "no filter"
/// (step 5). So a server B can win through a key only when no earlier enabled server holds the
/// same key, and B is never chosen when every one of its keys is held by an earlier enabled
/// server.
///
/// Only the same key shadows. In particular an earlier server with the domain part
/// `example.com` does NOT shadow B's address part `x@example.com`: the address lookup goes
/// through all servers before any domain lookup (step 2 before step 3, and likewise within
/// step 4), so a sender `x@example.com` still gets B. Nor does an earlier unfiltered server
/// shadow a filtered one: step 5 comes after every filter lookup. Step 6 (the first enabled
/// server) cannot rescue a shadowed B either, since an earlier enabled server exists.
///
/// Disabled servers are never chosen and shadow nothing (they get a note of their own). The
/// mass-mailing-server is exempt: `--mass` chooses it whatever its filter (step 1), which is
/// the usual reason for a bulk server to sit behind the main one.
fn check_shadowing(config: &Config, findings: &mut Vec<Finding>) {
    // Key → the first enabled server holding it, filled in routing order.
    let mut first_holder: HashMap<String, &Server> = HashMap::new();
    for server in config.enabled() {
        let keys = store::filter_keys(&server.from_filter);
        let mut shadowers: Vec<&Server> = Vec::new();
        let mut all_held = true;
        for key in &keys {
            match first_holder.get(key) {
                Some(holder) => {
                    if !shadowers.iter().any(|s| s.id == holder.id) {
                        shadowers.push(holder);
                    }
                }
                None => all_held = false,
            }
        }
        if all_held && !shadowers.is_empty() && !config.is_mass_server(server) {
            let names: Vec<&str> = shadowers.iter().map(|s| s.name.as_str()).collect();
            let mut objects = vec![server_obj(&server.name)];
            objects.extend(names.iter().map(|n| server_obj(n)));
            let what = if server.from_filter.is_empty() {
                "it has no from-filter, and an earlier server has none either".to_string()
            } else {
                format!(
                    "every part of its from-filter ({}) is already in the filter of an earlier server",
                    server.from_filter
                )
            };
            let best = shadowers.iter().map(|s| s.priority).min().unwrap_or(0);
            findings.push(finding(
                "shadowed-server",
                Severity::Warning,
                objects,
                format!(
                    "server '{}' can never be chosen: {what} ({}), which routing always takes first",
                    server.name,
                    names.join(", ")
                ),
                format!(
                    "give it precedence with `mailroute server set {} --priority {}`, or narrow the earlier filter, or remove it with `mailroute server remove {}`",
                    server.name,
                    best.saturating_sub(1),
                    server.name
                ),
            ));
        }
        for key in keys {
            first_holder.entry(key).or_insert(server);
        }
    }
}

/// Two enabled servers with the same priority and a filter key in common: which one routing
/// takes for that key is decided only by their names.
fn check_same_priority(config: &Config, findings: &mut Vec<Finding>) {
    let enabled: Vec<&Server> = config.enabled().collect();
    for (i, first) in enabled.iter().enumerate() {
        let first_keys = store::filter_keys(&first.from_filter);
        for second in &enabled[i + 1..] {
            if second.priority != first.priority {
                continue;
            }
            let shared: Vec<String> = store::filter_keys(&second.from_filter)
                .into_iter()
                .filter(|k| first_keys.contains(k))
                .map(|k| describe_key(&k))
                .collect();
            if shared.is_empty() {
                continue;
            }
            findings.push(finding(
                "same-priority-overlap",
                Severity::Warning,
                vec![server_obj(&first.name), server_obj(&second.name)],
                format!(
                    "servers '{}' and '{}' both have priority {} and both accept {}: routing takes '{}' only because its name sorts first",
                    first.name,
                    second.name,
                    first.priority,
                    shared.join(", "),
                    first.name
                ),
                format!(
                    "make the order explicit: `mailroute server set {} --priority {}`",
                    second.name,
                    second.priority.saturating_add(1)
                ),
            ));
        }
    }
}

fn describe_key(key: &str) -> String {
    if let Some(address) = key.strip_prefix("a:") {
        address.to_string()
    } else if let Some(domain) = key.strip_prefix("d:") {
        domain.to_string()
    } else {
        "every sender (no from-filter)".to_string()
    }
}

/// The filters mail can leave through: every enabled server's, or the fallback's when no server
/// is enabled (an unparsable fallback-from-filter counts as empty, as it was validated when set).
fn accepting_filters(config: &Config) -> Vec<(Option<&Server>, FromFilter)> {
    let enabled: Vec<_> = config
        .enabled()
        .map(|s| (Some(s), s.from_filter.clone()))
        .collect();
    if !enabled.is_empty() {
        return enabled;
    }
    let filter = config
        .settings
        .fallback_from_filter
        .as_deref()
        .map_or_else(|| Ok(FromFilter::empty()), FromFilter::parse)
        .unwrap_or_default();
    vec![(None, filter)]
}

/// Alias domains whose notification or bounce address no enabled server accepts.
fn check_domain_addresses(config: &Config, findings: &mut Vec<Finding>) {
    let filters = accepting_filters(config);
    let accepted = |address: &str| filters.iter().any(|(_, f)| f.matches(Some(address)));
    // Where to add the domain: the first enabled (filtered) server, else the fallback's filter.
    let fix_for = |address: &str| -> String {
        let part = crate::address::domain_of(address).to_string();
        match filters.first() {
            Some((Some(server), filter)) => {
                let new = if filter.is_empty() {
                    part.clone()
                } else {
                    format!("{}, {part}", filter)
                };
                format!(
                    "add {part} to a server's from-filter, e.g. `mailroute server set {} --from-filter {}`",
                    server.name,
                    sh(&new)
                )
            }
            _ => format!(
                "add {part} to the fallback's filter: `mailroute settings set fallback-from-filter {}`",
                sh(&part)
            ),
        }
    };
    let through = if filters.first().is_some_and(|(s, _)| s.is_none()) {
        "the fallback server's from-filter (no server is enabled)"
    } else {
        "no enabled server's from-filter"
    };
    for domain in &config.domains {
        if let Some(notification) = domain.notification_address() {
            let normalized = crate::address::normalize(&notification).unwrap_or(notification);
            if !accepted(&normalized) {
                findings.push(finding(
                    "notification-not-accepted",
                    Severity::Warning,
                    vec![domain_obj(domain)],
                    format!(
                        "the notification address {normalized} of domain {} passes {through}: mail sent as it goes out through a server not meant for it, with a \"no filter matches\" warning, and may be rewritten, marked as spam or refused",
                        domain.name
                    ),
                    fix_for(&normalized),
                ));
            }
        }
        if let Some(bounce) = domain.bounce_address() {
            let normalized = crate::address::normalize(&bounce).unwrap_or(bounce);
            if !accepted(&normalized) {
                findings.push(finding(
                    "bounce-not-accepted",
                    Severity::Warning,
                    vec![domain_obj(domain)],
                    format!(
                        "the bounce address {normalized} of domain {} passes {through}: the envelope sender falls back to the sending address, so bounces do not come back to {normalized}",
                        domain.name
                    ),
                    fix_for(&normalized),
                ));
            }
        }
    }
}

/// The mass-mailing-server must exist and be enabled: `--mass` forces it (routing.md §4 step 1).
fn check_mass_mailing(config: &Config, findings: &mut Vec<Finding>) {
    let Some(name) = config.settings.mass_mailing_server.as_deref() else {
        return;
    };
    let setting = "setting mass-mailing-server".to_string();
    match config
        .servers
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case(name))
    {
        None => findings.push(finding(
            "mass-mailing-server-missing",
            Severity::Error,
            vec![setting, server_obj(name)],
            format!(
                "the setting mass-mailing-server names server '{name}', which does not exist: every --mass message fails"
            ),
            "name an existing server with `mailroute settings set mass-mailing-server NAME`, or `mailroute settings unset mass-mailing-server`".to_string(),
        )),
        Some(server) if !server.enabled => findings.push(finding(
            "mass-mailing-server-disabled",
            Severity::Error,
            vec![setting, server_obj(&server.name)],
            format!(
                "the mass-mailing-server '{}' is disabled: every --mass message fails (forcing a disabled server is a configuration error)",
                server.name
            ),
            format!(
                "`mailroute server enable {}`, or `mailroute settings unset mass-mailing-server`",
                server.name
            ),
        )),
        Some(_) => {}
    }
}

/// Checks of one server at a time: ports, authentication, secrets, certificates.
fn check_servers(config: &Config, findings: &mut Vec<Finding>) {
    for server in &config.servers {
        let name = &server.name;
        let objects = || vec![server_obj(name)];
        // The password sits in the store whether the server is enabled or not.
        if matches!(server.password, PasswordSource::Stored(_)) {
            findings.push(finding(
                "stored-password",
                Severity::Warning,
                objects(),
                format!(
                    "the password of server '{name}' is stored in the database: anyone who can read the store file can read it"
                ),
                format!(
                    "read it when needed instead: `mailroute server set {name} --password-env VAR` or `--password-cmd 'pass show smtp/{name}'`"
                ),
            ));
        }
        if !server.enabled {
            findings.push(finding(
                "disabled-server",
                Severity::Info,
                objects(),
                format!("server '{name}' is disabled: routing never chooses it"),
                format!(
                    "`mailroute server enable {name}` to use it, or `mailroute server remove {name}`"
                ),
            ));
            // What follows matters only for a server that is used.
            continue;
        }
        match (server.port, server.security) {
            (465, security) if security != Security::Tls => findings.push(finding(
                "port-security-mismatch",
                Severity::Error,
                objects(),
                format!(
                    "server '{name}' uses port 465 with security {security}: port 465 expects implicit TLS from the first byte, so the connection hangs or fails"
                ),
                format!("`mailroute server set {name} --security tls`"),
            )),
            (587, Security::Tls) => findings.push(finding(
                "port-security-mismatch",
                Severity::Error,
                objects(),
                format!(
                    "server '{name}' uses port 587 with implicit TLS: port 587 expects plain SMTP upgraded with STARTTLS, so the TLS handshake fails"
                ),
                format!("`mailroute server set {name} --security starttls`"),
            )),
            _ => {}
        }
        if server.port == 25 && server.user.is_some() {
            findings.push(finding(
                "auth-on-port-25",
                Severity::Warning,
                objects(),
                format!(
                    "server '{name}' authenticates on port 25, which many providers and networks block for submission"
                ),
                format!(
                    "use the submission port: `mailroute server set {name} --port 587 --security starttls` (or --port 465 --security tls)"
                ),
            ));
        }
        if server.insecure {
            findings.push(finding(
                "insecure-tls",
                Severity::Warning,
                objects(),
                format!(
                    "certificate verification is off for server '{name}': anyone on the path can read the mail and the password"
                ),
                format!(
                    "`mailroute server set {name} --verify` (with --ca-file PEM for a private certificate authority)"
                ),
            ));
        }
    }
}

/// No alias domain and no email-from: routing has no notification address (routing.md §3), so a
/// message without a From, and every From rewrite, fail.
fn check_notification(config: &Config, findings: &mut Vec<Finding>) {
    if config.domains.is_empty() && config.settings.email_from.is_none() {
        findings.push(finding(
            "no-notification-address",
            Severity::Error,
            vec!["setting email-from".to_string()],
            "there is no alias domain and no email-from setting, so there is no notification address: sending without --from fails, and senders no server accepts cannot be rewritten".to_string(),
            "`mailroute domain add example.com` (its default-from), or `mailroute settings set email-from notifications@example.com`".to_string(),
        ));
    }
}

fn check_companies(config: &Config, findings: &mut Vec<Finding>) {
    for company in &config.companies {
        if company.alias_domain_id.is_some() {
            continue;
        }
        let fix = match config.domains.first() {
            Some(domain) => format!(
                "`mailroute company set {} --domain {}`",
                sh(&company.name),
                sh(&domain.name)
            ),
            None => format!(
                "`mailroute domain add DOMAIN` (companies without one get it), or `mailroute company set {} --domain DOMAIN`",
                sh(&company.name)
            ),
        };
        findings.push(finding(
            "company-without-domain",
            Severity::Warning,
            vec![format!("company {}", company.name)],
            format!(
                "company '{}' has no alias domain: its mail uses the first alias domain or email-from, and replies go to no catchall of its own",
                company.name
            ),
            fix,
        ));
    }
}

/// Failed connections of `--connect`, one error finding each.
fn connection_findings(results: &[ServerResult]) -> Vec<Finding> {
    results
        .iter()
        .filter(|r| !r.ok)
        .map(|r| {
            let name = r.server.clone().unwrap_or_else(|| "fallback".into());
            let (stage, message) = r
                .error
                .as_ref()
                .map_or(("?", String::new()), |e| (e.stage, e.message.clone()));
            finding(
                "connection-failed",
                Severity::Error,
                vec![server_obj(&name)],
                format!(
                    "test-connection of server '{name}' ({}) failed at {stage}: {message}",
                    r.url
                ),
                format!(
                    "see `mailroute test-connection {name} --transcript`, then correct it with `mailroute server set {name} ...` or disable it"
                ),
            )
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub errors: usize,
    pub warnings: usize,
    pub info: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connections: Option<Vec<ServerResult>>,
}

impl Report {
    fn new(findings: Vec<Finding>, connections: Option<Vec<ServerResult>>) -> Report {
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        Report {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            info: count(Severity::Info),
            findings,
            connections,
        }
    }

    fn exit_code(&self, strict: bool) -> ExitCode {
        if self.errors > 0 {
            ExitCode::Config
        } else if strict && self.warnings > 0 {
            // Exit status 1, the code `ExitCode` names after a declined prompt.
            ExitCode::Cancelled
        } else {
            ExitCode::Success
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

impl Human for Report {
    fn human(&self, out: &mut dyn Write, paint: &Paint) -> io::Result<()> {
        if let Some(connections) = &self.connections {
            if !connections.is_empty() {
                let mut t = table(["SERVER", "RESULT", "MS", "FAILED AT"], paint);
                for r in connections {
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
                writeln!(out)?;
            }
        }
        for f in &self.findings {
            let label = match f.severity {
                Severity::Error => paint.bad("error"),
                Severity::Warning => paint.warn("warning"),
                Severity::Info => paint.dim("info"),
            };
            writeln!(out, "{label} [{}] {}", f.code, f.message)?;
            writeln!(out, "  {} {}", paint.bold("fix:"), f.fix)?;
        }
        if self.errors == 0 && self.warnings == 0 {
            if self.info == 0 {
                writeln!(out, "No problems found.")?;
            } else {
                writeln!(out, "No problems found ({}).", plural(self.info, "note"))?;
            }
        } else {
            if !self.findings.is_empty() {
                writeln!(out)?;
            }
            writeln!(
                out,
                "{}, {}, {}.",
                plural(self.errors, "error"),
                plural(self.warnings, "warning"),
                plural(self.info, "note")
            )?;
        }
        Ok(())
    }
}

pub fn run(args: DoctorArgs, ctx: &Ctx) -> Result<ExitCode> {
    let store = ctx.open_store()?;
    let conn = store.conn();
    let config = Config {
        domains: store::domains(conn)?,
        companies: store::companies(conn)?,
        servers: store::servers(conn)?,
        settings: store::settings(conn)?,
    };
    drop(store);
    let mut findings = check(&config);
    let connections = if args.connect {
        let enabled: Vec<Server> = config.enabled().cloned().collect();
        let test_args = TestConnectionArgs {
            names: Vec::new(),
            all: true,
            from: None,
            to: None,
            data: false,
            transcript: false,
            timeout: None,
        };
        let results =
            test_connection::test_servers(&enabled, &test_args, &config.domains, &config.settings);
        findings.extend(connection_findings(&results));
        findings.sort_by_key(|f| f.severity);
        Some(results)
    } else {
        None
    };
    let report = Report::new(findings, connections);
    ctx.printer.report(&report)?;
    Ok(report.exit_code(args.strict))
}
