//! `mailroute import`: read and validate a file (or an Odoo configuration) completely, plan the
//! adds, changes and removals against the store, and apply the plan in one transaction.

use super::*;

/// Where a value came from, for messages: `server[2] "bulk"`.
fn entry(kind: &str, index: usize, name: &str) -> String {
    format!("{kind}[{}] {name:?}", index + 1)
}

fn in_entry(label: &str, error: Error) -> Error {
    Error::new(error.kind, format!("{label}: {}", error.message))
}

/// An alias domain as the file wants it, cleaned.
#[derive(Debug, Clone)]
struct WantedDomain {
    label: String,
    name: String,
    bounce: Option<String>,
    catchall: Option<String>,
    default_from: Option<String>,
    priority: i64,
}

#[derive(Debug, Clone)]
struct WantedCompany {
    label: String,
    name: String,
    /// The domain's name and, when given, its bounce alias (cleaned).
    domain: Option<(String, Option<Option<String>>)>,
}

#[derive(Debug, Clone)]
enum WantedPassword {
    /// Neither password_cmd nor password_env: none, or the stored one kept.
    Unmentioned,
    Given(PasswordSource),
}

#[derive(Debug, Clone)]
struct WantedServer {
    label: String,
    server: Server,
    password: WantedPassword,
}

/// Everything an import wants, validated; `settings` lists only the keys it touches.
#[derive(Debug, Default)]
struct Wanted {
    objects: bool,
    domains: Vec<WantedDomain>,
    companies: Vec<WantedCompany>,
    servers: Vec<WantedServer>,
    settings: Vec<(SettingKey, Option<String>)>,
}

fn cleaned(
    ctx: &Ctx,
    label: &str,
    field: &str,
    given: Option<&str>,
    default: &str,
    clean: fn(&str) -> Option<String>,
) -> Option<String> {
    let given = given.unwrap_or(default);
    let value = clean(given);
    if let Some(v) = &value {
        if v != given.trim() {
            ctx.printer
                .note(format!("{label}: {field} '{given}' is stored as '{v}'"));
        }
    } else if !given.trim().is_empty() {
        ctx.printer.note(format!(
            "{label}: {field} '{given}' cleans to nothing: no {field} alias"
        ));
    }
    value
}

fn validate_file(file: ConfigFile, replace: bool, ctx: &Ctx) -> Result<Wanted> {
    if file.version != FORMAT_VERSION {
        return Err(Error::bad_input(format!(
            "version = {} is not a format this mailroute reads (it reads version {FORMAT_VERSION}); export again with this mailroute, or upgrade it",
            file.version
        )));
    }
    let mut wanted = Wanted {
        objects: true,
        ..Wanted::default()
    };
    for (i, d) in file.domains.iter().enumerate() {
        let label = entry("domain", i, &d.name);
        alias::validate_domain_name(&d.name)
            .map_err(|e| Error::bad_input(format!("{label}: {e}")))?;
        let domain = WantedDomain {
            name: d.name.clone(),
            bounce: cleaned(
                ctx,
                &label,
                "bounce",
                d.bounce.as_deref(),
                "bounce",
                alias::clean_alias,
            ),
            catchall: cleaned(
                ctx,
                &label,
                "catchall",
                d.catchall.as_deref(),
                "catchall",
                alias::clean_alias,
            ),
            default_from: cleaned(
                ctx,
                &label,
                "default_from",
                d.default_from.as_deref(),
                "notifications",
                alias::clean_default_from,
            ),
            priority: d.priority.unwrap_or(10),
            label,
        };
        for other in wanted
            .domains
            .iter()
            .filter(|o| o.name.eq_ignore_ascii_case(&domain.name))
        {
            let shared = if other.bounce == domain.bounce {
                Some("bounce")
            } else if other.catchall == domain.catchall {
                Some("catchall")
            } else {
                None
            };
            if let Some(alias) = shared {
                return Err(Error::conflict(format!(
                    "{}: {} has the same {alias} alias; two domains may share a name only if their bounce aliases differ and their catchall aliases differ",
                    domain.label, other.label
                )));
            }
        }
        wanted.domains.push(domain);
    }
    let mut company_names = HashSet::new();
    for (i, c) in file.companies.iter().enumerate() {
        let label = entry("company", i, &c.name);
        let name =
            crate::commands::company::validate_name(&c.name).map_err(|e| in_entry(&label, e))?;
        if !company_names.insert(name.to_lowercase()) {
            return Err(Error::conflict(format!(
                "{label}: another company in the file has this name"
            )));
        }
        let domain = match (&c.domain, &c.domain_bounce) {
            (None, Some(_)) => {
                return Err(Error::bad_input(format!(
                    "{label}: domain_bounce needs domain: give the alias domain's name too"
                )))
            }
            (None, None) => None,
            (Some(name), bounce) => Some((
                name.trim().to_string(),
                bounce.as_deref().map(alias::clean_alias),
            )),
        };
        wanted.companies.push(WantedCompany {
            label,
            name: name.to_string(),
            domain,
        });
    }
    let mut server_names = HashSet::new();
    for (i, s) in file.servers.iter().enumerate() {
        let label = entry("server", i, &s.name);
        let server = validate_server(s, ctx).map_err(|e| in_entry(&label, e))?;
        if !server_names.insert(server.server.name.to_lowercase()) {
            return Err(Error::conflict(format!(
                "{label}: another server in the file has this name"
            )));
        }
        wanted.servers.push(WantedServer { label, ..server });
    }
    for key in SettingKey::ALL {
        match file.settings.get(key) {
            Some(value) => wanted
                .settings
                .push((key, Some(value.clone()).filter(|v| !v.trim().is_empty()))),
            None if replace => wanted.settings.push((key, None)),
            None => {}
        }
    }
    Ok(wanted)
}

/// The checks `server add` makes on its flags, applied to a file's entry.
fn validate_server(s: &ServerEntry, ctx: &Ctx) -> Result<WantedServer> {
    crate::commands::server::validate_name(&s.name)?;
    let host = s.host.trim();
    if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c == '/') {
        return Err(Error::bad_input(format!(
            "invalid host {:?}: give a host name or an IP address",
            s.host
        )));
    }
    let security = match &s.security {
        Some(text) => {
            Security::parse(text).map_err(|e| Error::bad_input(format!("security: {e}")))?
        }
        None => Security::None,
    };
    let port = s.port.unwrap_or_else(|| security.default_port());
    if port == 0 {
        return Err(Error::bad_input("port 0 is not a usable port"));
    }
    let user = s.user.clone().filter(|u| !u.is_empty());
    let password = match (&s.password_cmd, &s.password_env) {
        (Some(_), Some(_)) => {
            return Err(Error::bad_input(
                "give password_cmd or password_env, not both",
            ))
        }
        (Some(cmd), None) if cmd.trim().is_empty() => {
            return Err(Error::bad_input(
                "password_cmd is empty: give the command that prints the password",
            ))
        }
        (Some(cmd), None) => WantedPassword::Given(PasswordSource::Command(cmd.clone())),
        (None, Some(var)) => {
            crate::commands::server::validate_env_name(var)?;
            WantedPassword::Given(PasswordSource::Env(var.clone()))
        }
        (None, None) => WantedPassword::Unmentioned,
    };
    if user.is_none() && matches!(password, WantedPassword::Given(_)) {
        return Err(Error::bad_input(
            "a password source needs a user: add user = \"...\"",
        ));
    }
    let from_filter = FromFilter::parse(s.from_filter.as_deref().unwrap_or(""))
        .map_err(|e| Error::bad_input(format!("from_filter: {e}")))?;
    let auth_mechanism = match s.auth_mechanism.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(m) if ["PLAIN", "LOGIN", "XOAUTH2"].contains(&m.to_uppercase().as_str()) => {
            Some(m.to_uppercase())
        }
        Some(m) => {
            return Err(Error::bad_input(format!(
                "unknown auth_mechanism {m:?}: choose PLAIN, LOGIN or XOAUTH2"
            )))
        }
    };
    if let Some(t) = s.timeout {
        if !(1..=3600).contains(&t) {
            return Err(Error::bad_input(format!(
                "timeout {t} is out of range: give 1 to 3600 seconds"
            )));
        }
    }
    let path = |p: &Option<String>| p.clone().filter(|p| !p.is_empty());
    let (client_cert, client_key) = (path(&s.client_cert), path(&s.client_key));
    if client_cert.is_some() != client_key.is_some() {
        return Err(Error::bad_input(
            "client_cert and client_key go together: give both or neither",
        ));
    }
    let ca_file = path(&s.ca_file);
    for (field, file) in [
        ("ca_file", &ca_file),
        ("client_cert", &client_cert),
        ("client_key", &client_key),
    ] {
        if let Some(file) = file {
            if std::fs::File::open(file).is_err() {
                ctx.printer.warn(format!(
                    "server '{}': {field} {file} is not readable here; connections to it fail until it is",
                    s.name
                ));
            }
        }
    }
    Ok(WantedServer {
        label: String::new(),
        server: Server {
            id: 0,
            name: s.name.clone(),
            host: host.to_lowercase(),
            port,
            security,
            user,
            password: PasswordSource::None,
            from_filter,
            priority: s.priority.unwrap_or(10),
            enabled: s.enabled.unwrap_or(true),
            ca_file,
            insecure: s.insecure.unwrap_or(false),
            timeout_secs: s.timeout,
            allow_plaintext_auth: s.allow_plaintext_auth.unwrap_or(false),
            auth_mechanism,
            client_cert,
            client_key,
            limits: crate::model::SendingLimits {
                max_connections: s.max_connections.unwrap_or(4).max(1),
                max_attempts: s.max_attempts.unwrap_or(5).max(1),
                per_minute: s.per_minute,
                per_day: s.per_day,
                failover: s.failover.unwrap_or(false),
            },
        },
        password,
    })
}

/// Checks a setting's value the way `settings set` does, and returns what to store.
/// `servers` are the server names there will be after the import.
fn validate_setting(key: SettingKey, value: &str, servers: &[String]) -> Result<String> {
    crate::commands::settings::validate(key, value, servers)
        .map_err(|e| in_entry(&format!("settings {}", key.as_str()), e))
}

// ---------------------------------------------------------------------------------------------
// Import: the plan

/// One field that changes, as the plan shows it: never a secret.
#[derive(Debug, Clone, Serialize)]
struct FieldChange {
    field: &'static str,
    old: Value,
    new: Value,
}

#[derive(Debug, Clone, Serialize)]
struct PlanItem {
    kind: &'static str,
    name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    changes: Vec<FieldChange>,
}

/// What an import adds, changes and removes: printed by `--dry-run`, and after applying.
#[derive(Debug, Default, Serialize)]
struct PlanView {
    dry_run: bool,
    add: Vec<PlanItem>,
    change: Vec<PlanItem>,
    remove: Vec<PlanItem>,
}

fn show(value: &Value) -> String {
    match value {
        Value::Null => "(none)".into(),
        Value::String(s) if s.is_empty() => "\"\"".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Human for PlanView {
    fn human(&self, out: &mut dyn Write, paint: &Paint) -> io::Result<()> {
        for item in &self.add {
            let value = match item.changes.first() {
                Some(c) => format!(" = {}", show(&c.new)),
                None => String::new(),
            };
            writeln!(
                out,
                "{} {} {}{value}",
                paint.good("+"),
                item.kind,
                item.name
            )?;
        }
        for item in &self.change {
            let changes: Vec<String> = item
                .changes
                .iter()
                .map(|c| format!("{} {} -> {}", c.field, show(&c.old), show(&c.new)))
                .collect();
            writeln!(
                out,
                "{} {} {}: {}",
                paint.warn("~"),
                item.kind,
                item.name,
                changes.join(", ")
            )?;
        }
        for item in &self.remove {
            writeln!(out, "{} {} {}", paint.bad("-"), item.kind, item.name)?;
        }
        let counts = format!(
            "{} to add, {} to change, {} to remove",
            self.add.len(),
            self.change.len(),
            self.remove.len()
        );
        if self.add.is_empty() && self.change.is_empty() && self.remove.is_empty() {
            writeln!(out, "Nothing to change: the store already matches.")
        } else if self.dry_run {
            writeln!(out, "Dry run: {counts}; nothing was written.")
        } else {
            writeln!(
                out,
                "Imported: {}",
                counts
                    .replace("to add", "added")
                    .replace("to change", "changed")
                    .replace("to remove", "removed")
            )
        }
    }
}

/// Where a company's domain points after the import: an index into `Plan::domains_after`.
#[derive(Debug, Clone)]
struct DomainAfter {
    name: String,
    bounce: Option<String>,
    /// The store's id when it exists already.
    id: Option<i64>,
}

#[derive(Debug, Default)]
struct Plan {
    view: PlanView,
    domain_removals: Vec<AliasDomain>,
    domain_updates: Vec<(String, i64, DomainChanges)>,
    domain_adds: Vec<(String, NewDomain)>,
    company_removals: Vec<Company>,
    /// Every company of the file: label, name, the store's record if any, its domain after.
    companies: Vec<(String, String, Option<Company>, Option<DomainAfter>)>,
    server_updates: Vec<(String, Server)>,
    server_adds: Vec<(String, Server)>,
    server_removals: Vec<Server>,
    settings: Vec<(SettingKey, Option<String>)>,
    /// Alias changes or removals: the user confirms them.
    needs_confirmation: Vec<String>,
}

fn opt_value(value: &Option<String>) -> Value {
    value.clone().map_or(Value::Null, Value::String)
}

fn domain_label(name: &str, bounce: &Option<String>, shared: bool) -> String {
    if shared {
        format!("{name} (bounce {})", bounce.as_deref().unwrap_or("none"))
    } else {
        name.to_string()
    }
}

fn make_plan(conn: &Connection, wanted: &Wanted, replace: bool) -> Result<Plan> {
    let mut plan = Plan::default();
    if wanted.objects {
        plan_domains_and_companies(conn, wanted, replace, &mut plan)?;
        plan_servers(conn, wanted, replace, &mut plan)?;
    }
    // Settings, checked against the servers there will be.
    let current = store::settings(conn)?;
    let mut server_names: Vec<String> = store::server_names(conn)?
        .into_iter()
        .filter(|n| {
            !plan
                .server_removals
                .iter()
                .any(|s| s.name.eq_ignore_ascii_case(n))
        })
        .collect();
    server_names.extend(plan.server_adds.iter().map(|(_, s)| s.name.clone()));
    for (key, value) in &wanted.settings {
        let new = match value {
            Some(v) => Some(validate_setting(*key, v, &server_names)?),
            None => None,
        };
        let old = current.get(*key).map(str::to_string);
        if old == new {
            continue;
        }
        let name = key.as_str().to_string();
        let item = |changes| PlanItem {
            kind: "setting",
            name: name.clone(),
            changes,
        };
        match (&old, &new) {
            (None, Some(v)) => plan.view.add.push(item(vec![FieldChange {
                field: "value",
                old: Value::Null,
                new: Value::String(v.clone()),
            }])),
            (Some(_), None) => plan.view.remove.push(item(vec![])),
            _ => plan.view.change.push(item(vec![FieldChange {
                field: "value",
                old: opt_value(&old),
                new: opt_value(&new),
            }])),
        }
        plan.settings.push((*key, new));
    }
    if replace {
        for item in &plan.view.remove {
            plan.needs_confirmation
                .push(format!("remove {} {}", item.kind, item.name));
        }
    }
    Ok(plan)
}

fn plan_domains_and_companies(
    conn: &Connection,
    wanted: &Wanted,
    replace: bool,
    plan: &mut Plan,
) -> Result<()> {
    let stored = store::domains(conn)?;
    let shared_in = |name: &str| {
        stored
            .iter()
            .filter(|d| d.name.eq_ignore_ascii_case(name))
            .count()
            > 1
            || wanted
                .domains
                .iter()
                .filter(|d| d.name.eq_ignore_ascii_case(name))
                .count()
                > 1
    };
    let mut matched: HashSet<i64> = HashSet::new();
    let mut after: Vec<DomainAfter> = Vec::new();
    for want in &wanted.domains {
        let same_name: Vec<&AliasDomain> = stored
            .iter()
            .filter(|d| d.name.eq_ignore_ascii_case(&want.name) && !matched.contains(&d.id))
            .collect();
        let file_count = wanted
            .domains
            .iter()
            .filter(|d| d.name.eq_ignore_ascii_case(&want.name))
            .count();
        let found = if file_count == 1 && same_name.len() == 1 {
            Some(same_name[0])
        } else {
            same_name.into_iter().find(|d| d.bounce == want.bounce)
        };
        let label = domain_label(&want.name, &want.bounce, shared_in(&want.name));
        match found {
            Some(current) => {
                matched.insert(current.id);
                let mut changes = DomainChanges::default();
                let mut fields = Vec::new();
                let mut alias = |field: &'static str,
                                 slot: &mut Option<Option<String>>,
                                 old: &Option<String>,
                                 new: &Option<String>| {
                    if old != new {
                        *slot = Some(new.clone());
                        fields.push(FieldChange {
                            field,
                            old: opt_value(old),
                            new: opt_value(new),
                        });
                    }
                };
                alias("bounce", &mut changes.bounce, &current.bounce, &want.bounce);
                alias(
                    "catchall",
                    &mut changes.catchall,
                    &current.catchall,
                    &want.catchall,
                );
                alias(
                    "default_from",
                    &mut changes.default_from,
                    &current.default_from,
                    &want.default_from,
                );
                let alias_changed = !fields.is_empty();
                if current.priority != want.priority {
                    changes.priority = Some(want.priority);
                    fields.push(FieldChange {
                        field: "priority",
                        old: current.priority.into(),
                        new: want.priority.into(),
                    });
                }
                if alias_changed {
                    plan.needs_confirmation.push(format!(
                        "change the aliases of domain {label} (replies and bounces still sent to the old addresses are lost unless the mail server redirects them; the old ones are kept in the history)"
                    ));
                }
                if !fields.is_empty() {
                    plan.view.change.push(PlanItem {
                        kind: "domain",
                        name: label,
                        changes: fields,
                    });
                    plan.domain_updates
                        .push((want.label.clone(), current.id, changes));
                }
                after.push(DomainAfter {
                    name: current.name.clone(),
                    bounce: want.bounce.clone(),
                    id: Some(current.id),
                });
            }
            None => {
                plan.view.add.push(PlanItem {
                    kind: "domain",
                    name: label,
                    changes: vec![],
                });
                plan.domain_adds.push((
                    want.label.clone(),
                    NewDomain {
                        name: want.name.clone(),
                        bounce: want.bounce.clone(),
                        catchall: want.catchall.clone(),
                        default_from: want.default_from.clone(),
                        priority: want.priority,
                    },
                ));
                after.push(DomainAfter {
                    name: want.name.clone(),
                    bounce: want.bounce.clone(),
                    id: None,
                });
            }
        }
    }
    for d in stored.iter().filter(|d| !matched.contains(&d.id)) {
        if replace {
            plan.view.remove.push(PlanItem {
                kind: "domain",
                name: domain_label(&d.name, &d.bounce, shared_in(&d.name)),
                changes: vec![],
            });
            plan.domain_removals.push(d.clone());
        } else {
            after.push(DomainAfter {
                name: d.name.clone(),
                bounce: d.bounce.clone(),
                id: Some(d.id),
            });
        }
    }

    let stored_companies = store::companies(conn)?;
    let describe_stored = |id: Option<i64>| -> Value {
        match stored.iter().find(|d| Some(d.id) == id) {
            Some(d) => Value::String(domain_label(&d.name, &d.bounce, shared_in(&d.name))),
            None => Value::Null,
        }
    };
    for want in &wanted.companies {
        let domain = match &want.domain {
            None => None,
            Some((name, bounce)) => {
                let candidates: Vec<&DomainAfter> = after
                    .iter()
                    .filter(|d| d.name.eq_ignore_ascii_case(name))
                    .filter(|d| bounce.as_ref().is_none_or(|b| &d.bounce == b))
                    .collect();
                match candidates.as_slice() {
                    [one] => Some((*one).clone()),
                    [] => {
                        let mut names: Vec<String> = after.iter().map(|d| d.name.clone()).collect();
                        names.dedup();
                        return Err(in_entry(
                            &want.label,
                            Error::not_found("alias domain", name, "alias domains", &names),
                        ));
                    }
                    _ => {
                        return Err(Error::bad_input(format!(
                            "{}: several alias domains are named {name}: add domain_bounce = \"...\" to say which",
                            want.label
                        )))
                    }
                }
            }
        };
        let new_label = domain.as_ref().map_or(Value::Null, |d| {
            Value::String(domain_label(&d.name, &d.bounce, shared_in(&d.name)))
        });
        let current = stored_companies
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(&want.name))
            .cloned();
        match &current {
            None => plan.view.add.push(PlanItem {
                kind: "company",
                name: want.name.clone(),
                changes: vec![],
            }),
            Some(c) => {
                let same = match &domain {
                    None => c.alias_domain_id.is_none(),
                    Some(d) => d.id.is_some() && d.id == c.alias_domain_id,
                };
                if !same {
                    plan.view.change.push(PlanItem {
                        kind: "company",
                        name: c.name.clone(),
                        changes: vec![FieldChange {
                            field: "domain",
                            old: describe_stored(c.alias_domain_id),
                            new: new_label,
                        }],
                    });
                }
            }
        }
        plan.companies
            .push((want.label.clone(), want.name.clone(), current, domain));
    }
    if replace {
        for c in stored_companies.iter().filter(|c| {
            !wanted
                .companies
                .iter()
                .any(|w| w.name.eq_ignore_ascii_case(&c.name))
        }) {
            plan.view.remove.push(PlanItem {
                kind: "company",
                name: c.name.clone(),
                changes: vec![],
            });
            plan.company_removals.push(c.clone());
        }
    }
    Ok(())
}

fn server_changes(old: &Server, new: &Server) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    let mut check = |field: &'static str, o: Value, n: Value| {
        if o != n {
            changes.push(FieldChange {
                field,
                old: o,
                new: n,
            });
        }
    };
    check("host", old.host.clone().into(), new.host.clone().into());
    check("port", old.port.into(), new.port.into());
    check(
        "security",
        old.security.as_str().into(),
        new.security.as_str().into(),
    );
    check("user", opt_value(&old.user), opt_value(&new.user));
    check(
        "password",
        old.password.describe().into(),
        new.password.describe().into(),
    );
    check(
        "from_filter",
        old.from_filter.as_str().into(),
        new.from_filter.as_str().into(),
    );
    check("priority", old.priority.into(), new.priority.into());
    check(
        "limits",
        serde_json::to_value(&old.limits).unwrap_or_default(),
        serde_json::to_value(&new.limits).unwrap_or_default(),
    );
    check("enabled", old.enabled.into(), new.enabled.into());
    check("ca_file", opt_value(&old.ca_file), opt_value(&new.ca_file));
    check("insecure", old.insecure.into(), new.insecure.into());
    check("timeout", old.timeout_secs.into(), new.timeout_secs.into());
    check(
        "allow_plaintext_auth",
        old.allow_plaintext_auth.into(),
        new.allow_plaintext_auth.into(),
    );
    check(
        "auth_mechanism",
        opt_value(&old.auth_mechanism),
        opt_value(&new.auth_mechanism),
    );
    check(
        "client_cert",
        opt_value(&old.client_cert),
        opt_value(&new.client_cert),
    );
    check(
        "client_key",
        opt_value(&old.client_key),
        opt_value(&new.client_key),
    );
    changes
}

fn plan_servers(conn: &Connection, wanted: &Wanted, replace: bool, plan: &mut Plan) -> Result<()> {
    let stored = store::servers(conn)?;
    for want in &wanted.servers {
        let current = stored
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(&want.server.name));
        let mut server = want.server.clone();
        server.password = match (&want.password, current) {
            (WantedPassword::Given(p), _) => p.clone(),
            (WantedPassword::Unmentioned, Some(c))
                if matches!(c.password, PasswordSource::Stored(_)) =>
            {
                c.password.clone()
            }
            (WantedPassword::Unmentioned, _) => PasswordSource::None,
        };
        if server.user.is_none() && server.password != PasswordSource::None {
            return Err(Error::bad_input(format!(
                "{}: the server has a stored password but the file gives no user: add user = \"...\"",
                want.label
            )));
        }
        match current {
            None => {
                plan.view.add.push(PlanItem {
                    kind: "server",
                    name: server.name.clone(),
                    changes: vec![],
                });
                plan.server_adds.push((want.label.clone(), server));
            }
            Some(c) => {
                server.id = c.id;
                server.name = c.name.clone();
                let changes = server_changes(c, &server);
                if !changes.is_empty() {
                    plan.view.change.push(PlanItem {
                        kind: "server",
                        name: c.name.clone(),
                        changes,
                    });
                    plan.server_updates.push((want.label.clone(), server));
                }
            }
        }
    }
    if replace {
        for s in stored.iter().filter(|s| {
            !wanted
                .servers
                .iter()
                .any(|w| w.server.name.eq_ignore_ascii_case(&s.name))
        }) {
            plan.view.remove.push(PlanItem {
                kind: "server",
                name: s.name.clone(),
                changes: vec![],
            });
            plan.server_removals.push(s.clone());
        }
    }
    Ok(())
}

/// Writes a plan, in an order where each step's checks hold: companies leave domains before
/// they go, domains exist before companies point at them, settings change before the server
/// mass-mailing-server names is removed. Returns the notes worth telling.
fn apply(conn: &Connection, plan: &Plan) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    for company in &plan.company_removals {
        store::remove_company(conn, company)?;
    }
    let removed: HashSet<i64> = plan.domain_removals.iter().map(|d| d.id).collect();
    for (label, _, current, _) in &plan.companies {
        if let Some(c) = current {
            if c.alias_domain_id.is_some_and(|id| removed.contains(&id)) {
                store::set_company_domain(conn, c, None).map_err(|e| in_entry(label, e))?;
            }
        }
    }
    for domain in &plan.domain_removals {
        store::remove_domain(conn, domain)
            .map_err(|e| in_entry(&format!("domain {}", domain.name), e))?;
    }
    for (label, id, changes) in &plan.domain_updates {
        store::update_domain(conn, *id, changes).map_err(|e| in_entry(label, e))?;
    }
    let file_companies: HashSet<String> = plan
        .companies
        .iter()
        .map(|(_, name, _, _)| name.to_lowercase())
        .collect();
    for (label, new) in &plan.domain_adds {
        let (_, assigned) = store::add_domain(conn, new).map_err(|e| in_entry(label, e))?;
        let others: Vec<String> = assigned
            .into_iter()
            .filter(|n| !file_companies.contains(&n.to_lowercase()))
            .collect();
        if !others.is_empty() {
            notes.push(format!(
                "the first alias domain is given to every company without one: {}",
                others.join(", ")
            ));
        }
    }
    let domains = store::domains(conn)?;
    for (label, name, current, domain) in &plan.companies {
        let domain_id = match domain {
            None => None,
            Some(d) => Some(
                d.id.or_else(|| {
                    domains
                        .iter()
                        .find(|x| x.name.eq_ignore_ascii_case(&d.name) && x.bounce == d.bounce)
                        .map(|x| x.id)
                })
                .ok_or_else(|| Error::internal(format!("{label}: its domain was not created")))?,
            ),
        };
        let company = match current {
            Some(c) => c.clone(),
            None => store::add_company(conn, name, domain_id).map_err(|e| in_entry(label, e))?,
        };
        store::set_company_domain(conn, &company, domain_id).map_err(|e| in_entry(label, e))?;
    }
    for (label, server) in &plan.server_updates {
        store::update_server(conn, server).map_err(|e| in_entry(label, e))?;
    }
    for (label, server) in &plan.server_adds {
        store::add_server(conn, server).map_err(|e| in_entry(label, e))?;
    }
    for (key, value) in &plan.settings {
        store::set_setting(conn, *key, value.as_deref())?;
    }
    for server in &plan.server_removals {
        store::remove_server(conn, server)
            .map_err(|e| in_entry(&format!("server {}", server.name), e))?;
    }
    Ok(notes)
}

// ---------------------------------------------------------------------------------------------
// Import: the command

fn read_input(path: &Path) -> Result<String> {
    let mut text = String::new();
    let read = if path == Path::new("-") {
        io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_string(&mut text).map(|_| ()))
    };
    read.map_err(|e| Error::bad_input(format!("cannot read {}: {e}", path.display())))?;
    Ok(text)
}

pub fn import(args: ImportArgs, ctx: &Ctx) -> Result<()> {
    let (source, wanted) = match (&args.file, &args.odoo_conf) {
        (_, Some(path)) => {
            let text = read_input(path)?;
            let settings = odoo_settings(&text, args.replace, ctx)
                .map_err(|e| in_entry(&path.display().to_string(), e))?;
            let wanted = Wanted {
                objects: false,
                settings,
                ..Wanted::default()
            };
            (path.clone(), wanted)
        }
        (Some(path), None) => {
            let text = read_input(path)?;
            let file: ConfigFile = match format_of(args.format, Some(path), false) {
                FormatArg::Toml => toml::from_str(&text)
                    .map_err(|e| Error::bad_input(format!("{}: {e}", path.display())))?,
                FormatArg::Json => serde_json::from_str(&text)
                    .map_err(|e| Error::bad_input(format!("{}: {e}", path.display())))?,
            };
            (path.clone(), validate_file(file, args.replace, ctx)?)
        }
        (None, None) => {
            return Err(Error::usage(
                "import needs a FILE written by `mailroute export`, or --odoo-conf FILE",
            ))
        }
    };
    let mut store = ctx.open_store()?;
    let mut plan = make_plan(store.conn(), &wanted, args.replace)?;
    if args.dry_run {
        plan.view.dry_run = true;
        return ctx.printer.report(&plan.view);
    }
    if !plan.needs_confirmation.is_empty() {
        ctx.confirm(&format!(
            "Importing {} will {}. Go on?",
            source.display(),
            plan.needs_confirmation.join("; ")
        ))?;
    }
    let (plan, notes) = store.write(|tx| {
        // Planned again inside the transaction: what is written is what the store holds now.
        let plan = make_plan(tx, &wanted, args.replace)?;
        let notes = apply(tx, &plan)?;
        Ok((plan, notes))
    })?;
    for note in notes {
        ctx.printer.note(note);
    }
    for (_, server) in &plan.server_adds {
        if server.user.is_some() && server.password == PasswordSource::None {
            ctx.printer.warn(format!(
                "server '{0}' has a user but no password: if it needs one, give it with `mailroute server set {0} --password-stdin` (or --password-cmd / --password-env)",
                server.name
            ));
        }
    }
    ctx.printer.report(&plan.view)
}
