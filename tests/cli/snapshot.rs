//! The partial snapshot a one-shot `route` loads must decide exactly as the whole configuration
//! does: same server, headers, envelope, trace and warnings, for every kind of request.

use mailroute::address::FromFilter;
use mailroute::model::{PasswordSource, Server, SettingKey};
use mailroute::routing::{decide, Request};
use mailroute::smtp_url::Security;
use mailroute::store::{self, NewDomain, Store};

use crate::support::Env;

fn server(i: usize, filter: String) -> Server {
    Server {
        id: 0,
        name: format!("srv{i:03}"),
        host: "127.0.0.1".into(),
        port: 25,
        security: Security::None,
        user: None,
        password: PasswordSource::None,
        from_filter: FromFilter::parse(&filter).unwrap(),
        priority: (i % 5) as i64,
        enabled: i % 7 != 3,
        ca_file: None,
        insecure: false,
        timeout_secs: None,
        allow_plaintext_auth: false,
        auth_mechanism: None,
        client_cert: None,
        client_key: None,
        limits: Default::default(),
    }
}

#[test]
fn partial_snapshot_decides_like_the_whole_configuration() {
    let env = Env::new();
    let mut store = Store::open(env.db()).unwrap();
    store
        .write(|tx| {
            for (i, name) in ["b.example", "a.example", "c.example", "a.example"]
                .iter()
                .enumerate()
            {
                store::add_domain(
                    tx,
                    &NewDomain {
                        name: name.to_string(),
                        bounce: Some(format!("bounce{i}")),
                        catchall: Some(format!("catchall{i}")),
                        default_from: Some(if i == 2 {
                            "info@brand.example".into()
                        } else {
                            "notifications".into()
                        }),
                        priority: (i % 2) as i64,
                    },
                )?;
            }
            store::add_company(tx, "Acme", Some(3))?;
            store::add_company(tx, "Beta", None)?;
            for i in 0..60 {
                let filter = match i % 6 {
                    0 => format!("{}.example", ["a", "b", "c", "x"][i % 4]),
                    1 => format!("user{}@a.example", i % 5),
                    2 => "notifications@a.example, brand.example".to_string(),
                    3 => String::new(),
                    4 => format!("info@brand.example, d{i}.example"),
                    _ => format!("robot@{}.example", ["a", "z"][i % 2]),
                };
                store::add_server(tx, &server(i, filter))?;
            }
            store::set_setting(tx, SettingKey::EmailFrom, Some("robot@z.example"))?;
            store::set_setting(tx, SettingKey::MassMailingServer, Some("srv004"))?;
            Ok(())
        })
        .unwrap();
    let whole = store.snapshot().unwrap();
    let senders = [
        "user1@a.example",
        "\"Name\" <User2@A.example>",
        "someone@b.example",
        "x@nowhere.test",
        "robot@z.example",
        "info@brand.example",
        "a@x.org, b@y.org",
        "not an address",
    ];
    let contexts: [(Option<&str>, Option<&str>); 6] = [
        (None, None),
        (Some("Acme"), None),
        (Some("beta"), None),
        (Some("Nobody"), None),
        (None, Some("c.example")),
        (None, Some("a.example")),
    ];
    let forced = [None, Some("srv010"), Some("srv003"), Some("nope")];
    let mut compared = 0;
    for from in senders {
        for (company, domain) in contexts {
            for server in forced {
                for mass in [false, true] {
                    let request = Request {
                        from: Some(from),
                        company,
                        domain,
                        server,
                        mass,
                        reply_to: None,
                    };
                    let partial = store.snapshot_for(&request).unwrap();
                    let expected =
                        decide(&whole, &request).map(|d| serde_json::to_value(&d).unwrap());
                    let actual =
                        decide(&partial, &request).map(|d| serde_json::to_value(&d).unwrap());
                    assert_eq!(actual, expected, "{request:?}");
                    compared += 1;
                }
            }
        }
    }
    assert_eq!(compared, 8 * 6 * 4 * 2);
}
