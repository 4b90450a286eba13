//! `mailroute domain add|set|list|show|remove`.

use std::io::{self, Write};

use serde::Serialize;

use super::{setup, Ctx};
use crate::alias;
use crate::cli::{DomainAddArgs, DomainCommand, DomainSetArgs, DomainValues};
use crate::error::{Error, Result};
use crate::model::{AliasDomain, Company};
use crate::output::{table, write_fields, write_table, Done, Human, Paint};
use crate::store::{self, AliasChange, AliasHistoryEntry, DomainChanges, NewDomain};

pub fn run(command: DomainCommand, ctx: &Ctx) -> Result<()> {
    match command {
        DomainCommand::Add(args) => add(args, ctx),
        DomainCommand::Set(args) => set(args, ctx),
        DomainCommand::List => list(ctx),
        DomainCommand::Show(r) => show(&r.name, ctx),
        DomainCommand::Remove(r) => remove(&r.name, ctx),
    }
}

/// An alias domain with what it derives, as `list`, `show`, `add` and `set` print it.
#[derive(Debug, Serialize)]
pub struct DomainView {
    pub id: i64,
    pub name: String,
    pub bounce: Option<String>,
    pub catchall: Option<String>,
    pub default_from: Option<String>,
    pub priority: i64,
    pub bounce_address: Option<String>,
    pub catchall_address: Option<String>,
    pub notification_address: Option<String>,
    pub unique_sender: bool,
    pub companies: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<AliasHistoryEntry>>,
}

impl DomainView {
    fn new(domain: &AliasDomain, companies: &[Company]) -> DomainView {
        DomainView {
            id: domain.id,
            name: domain.name.clone(),
            bounce: domain.bounce.clone(),
            catchall: domain.catchall.clone(),
            default_from: domain.default_from.clone(),
            priority: domain.priority,
            bounce_address: domain.bounce_address(),
            catchall_address: domain.catchall_address(),
            notification_address: domain.notification_address(),
            unique_sender: domain.is_unique_sender(),
            companies: companies
                .iter()
                .filter(|c| c.alias_domain_id == Some(domain.id))
                .map(|c| c.name.clone())
                .collect(),
            history: None,
        }
    }
}

fn or_none(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "(none)".into())
}

impl Human for DomainView {
    fn human(&self, out: &mut dyn Write, paint: &Paint) -> io::Result<()> {
        let mut notification = or_none(&self.notification_address);
        if self.unique_sender {
            notification.push_str("  (unique sender: every message is sent as it)");
        }
        let mut fields = vec![
            ("domain", format!("{} (#{})", self.name, self.id)),
            ("priority", self.priority.to_string()),
            ("bounce", or_none(&self.bounce_address)),
            ("catchall", or_none(&self.catchall_address)),
            ("default from", notification),
        ];
        let companies = if self.companies.is_empty() {
            "(none)".to_string()
        } else {
            self.companies.join(", ")
        };
        fields.push(("companies", companies));
        write_fields(out, paint, &fields)?;
        if let Some(history) = self.history.as_ref().filter(|h| !h.is_empty()) {
            writeln!(
                out,
                "\n{}",
                paint.bold("old aliases (still need a redirect on the mail server):")
            )?;
            for entry in history {
                writeln!(
                    out,
                    "  {}@{}  {} until {}",
                    entry.old_value, self.name, entry.alias, entry.changed_at
                )?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, Serialize)]
#[serde(transparent)]
struct DomainList(Vec<DomainView>);

impl Human for DomainList {
    fn human(&self, out: &mut dyn Write, paint: &Paint) -> io::Result<()> {
        if self.0.is_empty() {
            return writeln!(
                out,
                "No alias domains yet: add one with `mailroute domain add NAME`."
            );
        }
        let mut t = table(
            [
                "ID",
                "NAME",
                "PRIORITY",
                "BOUNCE",
                "CATCHALL",
                "DEFAULT FROM",
                "COMPANIES",
            ],
            paint,
        );
        for d in &self.0 {
            t.add_row(vec![
                format!("#{}", d.id),
                d.name.clone(),
                d.priority.to_string(),
                or_none(&d.bounce),
                or_none(&d.catchall),
                or_none(&d.default_from),
                d.companies.join(", "),
            ]);
        }
        write_table(out, t)
    }
}

/// Cleans an alias value, and tells the user when cleaning changed what they typed.
fn cleaned(
    ctx: &Ctx,
    flag: &str,
    given: &str,
    clean: fn(&str) -> Option<String>,
) -> Option<String> {
    let value = clean(given);
    match &value {
        Some(v) if v != given.trim() => {
            ctx.printer
                .note(format!("--{flag} '{given}' is stored as '{v}'"));
        }
        None if !given.trim().is_empty() => {
            ctx.printer.note(format!(
                "--{flag} '{given}' cleans to nothing: no {flag} alias"
            ));
        }
        _ => {}
    }
    value
}

fn add(mut args: DomainAddArgs, ctx: &Ctx) -> Result<()> {
    if args.name.is_none() {
        setup::complete_domain(&mut args, ctx)?;
    }
    let name = args.name.clone().unwrap_or_default();
    alias::validate_domain_name(&name).map_err(|e| Error::bad_input(e.to_string()))?;
    let v = &args.values;
    let new = NewDomain {
        name,
        bounce: cleaned(
            ctx,
            "bounce",
            v.bounce.as_deref().unwrap_or("bounce"),
            alias::clean_alias,
        ),
        catchall: cleaned(
            ctx,
            "catchall",
            v.catchall.as_deref().unwrap_or("catchall"),
            alias::clean_alias,
        ),
        default_from: cleaned(
            ctx,
            "default-from",
            v.default_from.as_deref().unwrap_or("notifications"),
            alias::clean_default_from,
        ),
        priority: v.priority.unwrap_or(10),
    };
    let mut store = ctx.open_store()?;
    let (domain, assigned) = store.write(|tx| store::add_domain(tx, &new))?;
    if !assigned.is_empty() {
        ctx.printer.note(format!(
            "the first alias domain is given to every company without one: {}",
            assigned.join(", ")
        ));
    }
    let companies = store::companies(store.conn())?;
    ctx.printer.report(&DomainView::new(&domain, &companies))
}

fn changes_from(ctx: &Ctx, values: &DomainValues) -> DomainChanges {
    DomainChanges {
        bounce: values
            .bounce
            .as_deref()
            .map(|b| cleaned(ctx, "bounce", b, alias::clean_alias)),
        catchall: values
            .catchall
            .as_deref()
            .map(|c| cleaned(ctx, "catchall", c, alias::clean_alias)),
        default_from: values
            .default_from
            .as_deref()
            .map(|d| cleaned(ctx, "default-from", d, alias::clean_default_from)),
        priority: values.priority,
    }
}

fn describe_address(domain: &AliasDomain, alias: &str, value: &Option<String>) -> String {
    match value {
        None => "none".to_string(),
        Some(v) if alias == "default-from" && v.contains('@') => v.clone(),
        Some(v) => format!("{v}@{}", domain.name),
    }
}

fn set(args: DomainSetArgs, ctx: &Ctx) -> Result<()> {
    let values = &args.values;
    if values.bounce.is_none()
        && values.catchall.is_none()
        && values.default_from.is_none()
        && values.priority.is_none()
    {
        return Err(Error::usage(
            "nothing to change: give at least one of --bounce, --catchall, --default-from, --priority",
        ));
    }
    let mut store = ctx.open_store()?;
    let domain = store::find_domain(store.conn(), &args.name)?;
    let changes = changes_from(ctx, values);
    let alias_changes: Vec<AliasChange> = changes.alias_changes(&domain);
    if !alias_changes.is_empty() {
        let described: Vec<String> = alias_changes
            .iter()
            .map(|c| {
                format!(
                    "{} {} -> {}",
                    c.alias,
                    describe_address(&domain, c.alias, &c.old),
                    describe_address(&domain, c.alias, &c.new)
                )
            })
            .collect();
        ctx.confirm(&format!(
            "Change {} of {}? Replies and bounces still sent to the old address are lost unless the mail server redirects it.",
            described.join(", "),
            domain.name
        ))?;
    }
    let id = domain.id;
    let (updated, recorded) = store.write(|tx| store::update_domain(tx, id, &changes))?;
    for change in recorded.iter().filter(|c| c.old.is_some()) {
        ctx.printer.note(format!(
            "{} is kept in the history: redirect it on the mail server (`mailroute local-parts` lists it)",
            describe_address(&updated, change.alias, &change.old)
        ));
    }
    let companies = store::companies(store.conn())?;
    ctx.printer.report(&DomainView::new(&updated, &companies))
}

fn list(ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store()?;
    let companies = store::companies(store.conn())?;
    let views = store::domains(store.conn())?
        .iter()
        .map(|d| DomainView::new(d, &companies))
        .collect();
    ctx.printer.report(&DomainList(views))
}

fn show(reference: &str, ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store()?;
    let domain = store::find_domain(store.conn(), reference)?;
    let companies = store::companies(store.conn())?;
    let mut view = DomainView::new(&domain, &companies);
    view.history = Some(
        store::alias_history(store.conn())?
            .into_iter()
            .filter(|h| h.domain_id == domain.id)
            .collect(),
    );
    ctx.printer.report(&view)
}

fn remove(reference: &str, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open_store()?;
    let domain = store::find_domain(store.conn(), reference)?;
    store::check_domain_removable(store.conn(), &domain)?;
    ctx.confirm(&format!(
        "Remove alias domain {} (#{})? Its bounce, catchall and notification addresses stop being used.",
        domain.name, domain.id
    ))?;
    store.write(|tx| store::remove_domain(tx, &domain))?;
    ctx.printer.report(&Done {
        message: format!("Removed alias domain {} (#{}).", domain.name, domain.id),
        object: serde_json::json!({ "removed": { "id": domain.id, "name": domain.name } }),
    })
}
