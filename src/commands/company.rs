//! `mailroute company add|set|list|remove`.

use std::io::{self, Write};

use serde::Serialize;

use super::Ctx;
use crate::cli::CompanyCommand;
use crate::error::{Error, Result};
use crate::model::{AliasDomain, Company};
use crate::output::{table, write_table, Done, Human, Paint};
use crate::store;

pub fn run(command: CompanyCommand, ctx: &Ctx) -> Result<()> {
    match command {
        CompanyCommand::Add { name, domain } => add(&name, domain.as_deref(), ctx),
        CompanyCommand::Set {
            name,
            domain,
            no_domain,
        } => set(&name, if no_domain { None } else { domain.as_deref() }, ctx),
        CompanyCommand::List => list(ctx),
        CompanyCommand::Remove { name } => remove(&name, ctx),
    }
}

#[derive(Debug, Serialize)]
pub struct CompanyView {
    pub id: i64,
    pub name: String,
    pub alias_domain: Option<String>,
    pub alias_domain_id: Option<i64>,
}

impl CompanyView {
    fn new(company: &Company, domains: &[AliasDomain]) -> CompanyView {
        let domain = domains
            .iter()
            .find(|d| Some(d.id) == company.alias_domain_id);
        CompanyView {
            id: company.id,
            name: company.name.clone(),
            alias_domain: domain.map(|d| d.name.clone()),
            alias_domain_id: company.alias_domain_id,
        }
    }
}

impl Human for CompanyView {
    fn human(&self, out: &mut dyn Write, _paint: &Paint) -> io::Result<()> {
        match &self.alias_domain {
            Some(domain) => writeln!(out, "Company '{}' uses alias domain {domain}.", self.name),
            None => writeln!(out, "Company '{}' has no alias domain.", self.name),
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(transparent)]
struct CompanyList(Vec<CompanyView>);

impl Human for CompanyList {
    fn human(&self, out: &mut dyn Write, paint: &Paint) -> io::Result<()> {
        if self.0.is_empty() {
            return writeln!(
                out,
                "No companies yet: add one with `mailroute company add NAME`."
            );
        }
        let mut t = table(["NAME", "ALIAS DOMAIN"], paint);
        for c in &self.0 {
            t.add_row(vec![
                c.name.clone(),
                match (&c.alias_domain, c.alias_domain_id) {
                    (Some(name), Some(id)) => format!("{name} (#{id})"),
                    _ => "(none)".into(),
                },
            ]);
        }
        write_table(out, t)
    }
}

pub(crate) fn validate_name(name: &str) -> Result<&str> {
    let trimmed = name.trim();
    if trimmed.is_empty() || trimmed.chars().any(char::is_control) {
        return Err(Error::bad_input(format!(
            "invalid company name {name:?}: give a non-empty name without control characters"
        )));
    }
    Ok(trimmed)
}

fn add(name: &str, domain: Option<&str>, ctx: &Ctx) -> Result<()> {
    let name = validate_name(name)?;
    let mut store = ctx.open_store()?;
    let company = store.write(|tx| {
        let domain_id = match domain {
            Some(reference) => Some(store::find_domain(tx, reference)?.id),
            None => None,
        };
        store::add_company(tx, name, domain_id)
    })?;
    let domains = store::domains(store.conn())?;
    ctx.printer.report(&CompanyView::new(&company, &domains))
}

fn set(name: &str, domain: Option<&str>, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open_store()?;
    let company = store.write(|tx| {
        let company = store::find_company(tx, name)?;
        let domain_id = match domain {
            Some(reference) => Some(store::find_domain(tx, reference)?.id),
            None => None,
        };
        store::set_company_domain(tx, &company, domain_id)?;
        store::find_company(tx, &company.name)
    })?;
    let domains = store::domains(store.conn())?;
    ctx.printer.report(&CompanyView::new(&company, &domains))
}

fn list(ctx: &Ctx) -> Result<()> {
    let store = ctx.open_store()?;
    let domains = store::domains(store.conn())?;
    let views = store::companies(store.conn())?
        .iter()
        .map(|c| CompanyView::new(c, &domains))
        .collect();
    ctx.printer.report(&CompanyList(views))
}

fn remove(name: &str, ctx: &Ctx) -> Result<()> {
    let mut store = ctx.open_store()?;
    let company = store::find_company(store.conn(), name)?;
    ctx.confirm(&format!("Remove company '{}'?", company.name))?;
    store.write(|tx| store::remove_company(tx, &company))?;
    ctx.printer.report(&Done {
        message: format!("Removed company '{}'.", company.name),
        object: serde_json::json!({ "removed": { "id": company.id, "name": company.name } }),
    })
}
