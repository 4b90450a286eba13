//! Interactive set-up: `server add` and `domain add` with required values missing ask for them,
//! on a terminal only. Without a terminal nothing prompts, and the missing values are a usage
//! error that names the flags. The prompts fill in the same arguments the flags would, so the
//! add itself goes through exactly the same validation and store code.

use dialoguer::{Confirm, Input, Select};

use super::Ctx;
use crate::alias;
use crate::cli::{DomainAddArgs, SecurityArg, ServerAddArgs};
use crate::error::{Error, Result};
use crate::smtp_url::Security;

fn prompt_error(e: dialoguer::Error) -> Error {
    Error::internal(format!("cannot read the answer: {e}"))
}

/// Whether `server add` lacks what it needs, and so would ask.
pub fn server_needs_prompts(args: &ServerAddArgs) -> bool {
    args.name.is_none() || (args.values.url.is_none() && args.values.host.is_none())
}

/// Asks for the missing values of `server add`, then for confirmation of the summary.
pub fn complete_server(args: &mut ServerAddArgs, ctx: &Ctx) -> Result<()> {
    if !ctx.interactive() {
        let mut missing = Vec::new();
        if args.name.is_none() {
            missing.push("NAME");
        }
        if args.values.url.is_none() && args.values.host.is_none() {
            missing.push("--url URL or --host HOST");
        }
        return Err(Error::usage(format!(
            "server add needs {} (stdin is not a terminal, so mailroute does not ask)",
            missing.join(" and ")
        )));
    }
    eprintln!("Adding an outgoing SMTP server. Ctrl-C cancels; nothing is saved before the last question.");
    if args.name.is_none() {
        let name: String = Input::new()
            .with_prompt("Name (e.g. main, bulk)")
            .validate_with(|n: &String| -> std::result::Result<(), String> {
                let ok = !n.is_empty()
                    && n.len() <= 64
                    && n.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
                if ok {
                    Ok(())
                } else {
                    Err("use 1 to 64 letters, digits, '.', '_' or '-'".into())
                }
            })
            .interact_text()
            .map_err(prompt_error)?;
        args.name = Some(name);
    }
    let values = &mut args.values;
    if values.url.is_none() && values.host.is_none() {
        let host: String = Input::new()
            .with_prompt("Host name or IP address")
            .validate_with(|h: &String| -> std::result::Result<(), &str> {
                if h.trim().is_empty() || h.contains(char::is_whitespace) {
                    Err("give a host name or an IP address")
                } else {
                    Ok(())
                }
            })
            .interact_text()
            .map_err(prompt_error)?;
        values.host = Some(host.trim().to_string());
        let modes = [
            (
                SecurityArg::Starttls,
                "STARTTLS (port 587): the usual choice",
            ),
            (SecurityArg::Tls, "implicit TLS (port 465)"),
            (
                SecurityArg::None,
                "none: plain text (port 25), only on a trusted network",
            ),
        ];
        let chosen = Select::new()
            .with_prompt("Connection security")
            .items(modes.iter().map(|(_, label)| *label).collect::<Vec<_>>())
            .default(0)
            .interact()
            .map_err(prompt_error)?;
        let security = modes[chosen].0;
        values.security = Some(security);
        let default_port = match security {
            SecurityArg::None => Security::None,
            SecurityArg::Starttls => Security::Starttls,
            SecurityArg::Tls => Security::Tls,
        }
        .default_port();
        let port: u16 = Input::new()
            .with_prompt("Port")
            .default(default_port)
            .interact_text()
            .map_err(prompt_error)?;
        values.port = Some(port);
    }
    let has_password = values.password_stdin
        || values.password_cmd.is_some()
        || values.password_env.is_some()
        || values.typed_password.is_some();
    if values.user.is_none() && !has_password && !values.no_auth {
        let user: String = Input::new()
            .with_prompt("User name (empty: no authentication)")
            .allow_empty(true)
            .interact_text()
            .map_err(prompt_error)?;
        if !user.trim().is_empty() {
            values.user = Some(user.trim().to_string());
            let sources = [
                "type it now (kept in the store, mode 0600)",
                "a command that prints it (e.g. pass show smtp)",
                "an environment variable",
            ];
            match Select::new()
                .with_prompt("Where does the password come from?")
                .items(sources)
                .default(1)
                .interact()
                .map_err(prompt_error)?
            {
                0 => {
                    let password = dialoguer::Password::new()
                        .with_prompt("Password")
                        .interact()
                        .map_err(prompt_error)?;
                    if password.is_empty() {
                        return Err(Error::bad_input("the password is empty"));
                    }
                    values.typed_password = Some(crate::model::Secret::new(password));
                }
                1 => {
                    let cmd: String = Input::new()
                        .with_prompt("Command")
                        .interact_text()
                        .map_err(prompt_error)?;
                    values.password_cmd = Some(cmd);
                }
                _ => {
                    let var: String = Input::new()
                        .with_prompt("Variable")
                        .interact_text()
                        .map_err(prompt_error)?;
                    values.password_env = Some(var);
                }
            }
        }
    }
    if values.from_filter.is_none() {
        let filter: String = Input::new()
            .with_prompt(
                "From-filter: domains or addresses it may send as, comma-separated (empty: any)",
            )
            .allow_empty(true)
            .interact_text()
            .map_err(prompt_error)?;
        values.from_filter = Some(filter);
    }
    let summary = format!(
        "server {}: {}{}{}, user {}, from-filter {}",
        args.name.as_deref().unwrap_or(""),
        values
            .host
            .as_deref()
            .or(values.url.as_deref())
            .unwrap_or(""),
        values.port.map(|p| format!(":{p}")).unwrap_or_default(),
        values
            .security
            .map(|s| format!(" ({s:?})").to_lowercase())
            .unwrap_or_default(),
        values.user.as_deref().unwrap_or("none"),
        match values.from_filter.as_deref() {
            Some("") | None => "none (any sender)",
            Some(f) => f,
        },
    );
    eprintln!("{summary}");
    confirm("Add this server?")
}

fn confirm(question: &str) -> Result<()> {
    let yes = Confirm::new()
        .with_prompt(question)
        .default(true)
        .interact()
        .map_err(prompt_error)?;
    if yes {
        Ok(())
    } else {
        Err(Error::new(
            crate::error::ErrorKind::Cancelled,
            "cancelled: nothing was changed",
        ))
    }
}

/// Asks whether to do something after the add; `false` without a terminal.
pub fn offer(ctx: &Ctx, question: &str) -> bool {
    ctx.interactive()
        && Confirm::new()
            .with_prompt(question)
            .default(true)
            .interact()
            .unwrap_or(false)
}

/// Asks for the missing name of `domain add` and its aliases, then for confirmation.
pub fn complete_domain(args: &mut DomainAddArgs, ctx: &Ctx) -> Result<()> {
    if !ctx.interactive() {
        return Err(Error::usage(
            "domain add needs NAME, e.g. `mailroute domain add example.com` (stdin is not a terminal, so mailroute does not ask)",
        ));
    }
    let name: String = Input::new()
        .with_prompt("Domain name (e.g. example.com)")
        .validate_with(|n: &String| alias::validate_domain_name(n).map_err(|e| e.to_string()))
        .interact_text()
        .map_err(prompt_error)?;
    let ask = |label: &str, current: &mut Option<String>, default: &str| -> Result<()> {
        if current.is_none() {
            let value: String = Input::new()
                .with_prompt(format!("{label} (local part; empty for none)"))
                .default(default.to_string())
                .allow_empty(true)
                .interact_text()
                .map_err(prompt_error)?;
            *current = Some(value);
        }
        Ok(())
    };
    let values = &mut args.values;
    ask("Bounce alias", &mut values.bounce, "bounce")?;
    ask(
        "Catchall alias (Reply-To)",
        &mut values.catchall,
        "catchall",
    )?;
    ask(
        "Default From (a local part, or a full address to send everything as it)",
        &mut values.default_from,
        "notifications",
    )?;
    eprintln!(
        "domain {name}: bounce {}, catchall {}, default From {}",
        values.bounce.as_deref().unwrap_or(""),
        values.catchall.as_deref().unwrap_or(""),
        values.default_from.as_deref().unwrap_or("")
    );
    args.name = Some(name);
    confirm("Add this domain?")
}
