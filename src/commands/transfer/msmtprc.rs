//! `mailroute export --msmtprc`: the same sending policy as an msmtp configuration.

use crate::address::FilterPart;
use crate::model::{PasswordSource, Server};
use crate::smtp_url::Security;

/// An msmtp configuration argument: msmtp takes the rest of the line as is, and strips one pair
/// of enclosing double quotes (no escapes), which are needed when it starts or ends with a blank.
fn msmtp_arg(value: &str) -> String {
    let value = value.replace(['\n', '\r'], " ");
    let needs_quotes = value.is_empty()
        || value.starts_with(char::is_whitespace)
        || value.ends_with(char::is_whitespace)
        || (value.len() >= 2 && value.starts_with('"') && value.ends_with('"'));
    if needs_quotes {
        format!("\"{value}\"")
    } else {
        value
    }
}

/// An msmtp configuration: one account per enabled server in routing order, named after it,
/// with `from` set to the first part of its from-filter (`*@domain` for a domain part); each
/// further part gets an account `NAME-2`, `NAME-3`... inheriting from it (`account X : NAME`).
/// `msmtp --read-envelope-from` (or `--from`) then picks the account of the first matching
/// server, as routing steps 2-3 do; `account default` is the first server. Passwords: a
/// command becomes `passwordeval`, an environment variable `passwordeval "printenv VAR"`, and
/// a stored password is left for the user to fill in (a comment says so).
pub fn msmtprc(servers: &[Server]) -> String {
    let mut out = String::new();
    out.push_str("# msmtp configuration written by `mailroute export --msmtprc`.\n");
    out.push_str("# One account per mailroute server, in routing order (priority, then name);\n");
    out.push_str(
        "# `msmtp --read-envelope-from` picks the first account whose `from` matches.\n\n",
    );
    out.push_str("defaults\ntls_trust_file system\n");
    let mut first = None;
    for server in servers {
        if !server.enabled {
            out.push_str(&format!(
                "\n# server '{}' is disabled in mailroute: no account\n",
                server.name
            ));
            continue;
        }
        first.get_or_insert(server.name.clone());
        out.push_str(&format!("\naccount {}\n", server.name));
        out.push_str(&format!("host {}\n", msmtp_arg(&server.host)));
        out.push_str(&format!("port {}\n", server.port));
        let (tls, starttls) = match server.security {
            Security::None => ("off", "off"),
            Security::Starttls => ("on", "on"),
            Security::Tls => ("on", "off"),
        };
        out.push_str(&format!("tls {tls}\ntls_starttls {starttls}\n"));
        if server.security != Security::None {
            if server.insecure {
                out.push_str("tls_certcheck off\n");
            }
            if let Some(ca) = &server.ca_file {
                out.push_str(&format!("tls_trust_file {}\n", msmtp_arg(ca)));
            }
            if let (Some(cert), Some(key)) = (&server.client_cert, &server.client_key) {
                out.push_str(&format!(
                    "tls_cert_file {}\ntls_key_file {}\n",
                    msmtp_arg(cert),
                    msmtp_arg(key)
                ));
            }
        }
        match &server.user {
            None => out.push_str("auth off\n"),
            Some(user) => {
                let method = server
                    .auth_mechanism
                    .as_deref()
                    .map_or("on".to_string(), str::to_lowercase);
                out.push_str(&format!("auth {method}\nuser {}\n", msmtp_arg(user)));
                match &server.password {
                    PasswordSource::Command(cmd) => {
                        out.push_str(&format!("passwordeval {}\n", msmtp_arg(cmd)));
                    }
                    PasswordSource::Env(var) => {
                        out.push_str(&format!(
                            "passwordeval {}\n",
                            msmtp_arg(&format!("printenv {var}"))
                        ));
                    }
                    PasswordSource::Stored(_) => out.push_str(
                        "# the password is stored in mailroute and never exported: add a passwordeval line\n",
                    ),
                    PasswordSource::None => {}
                }
            }
        }
        if let Some(timeout) = server.timeout_secs {
            out.push_str(&format!("timeout {timeout}\n"));
        }
        let patterns: Vec<String> = server
            .from_filter
            .parts()
            .iter()
            .map(|part| match part {
                FilterPart::Address(a) => a.clone(),
                FilterPart::Domain(d) => format!("*@{d}"),
            })
            .collect();
        match patterns.split_first() {
            None => out.push_str("# no from-filter: any sender (msmtp's --from is used as is)\n"),
            Some((first_pattern, rest)) => {
                out.push_str(&format!("from {}\n", msmtp_arg(first_pattern)));
                for (i, pattern) in rest.iter().enumerate() {
                    out.push_str(&format!(
                        "\naccount {}-{} : {}\nfrom {}\n",
                        server.name,
                        i + 2,
                        server.name,
                        msmtp_arg(pattern)
                    ));
                }
            }
        }
    }
    if let Some(name) = first {
        out.push_str(&format!("\naccount default : {name}\n"));
    }
    out
}
