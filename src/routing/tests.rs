//! Unit tests of the routing core: every rule of routing.md §3–§5, table-driven where the
//! rows are alike, and the worked examples of §7.

use super::*;
use crate::address::FromFilter;
use crate::error::ErrorKind;
use crate::model::{AliasDomain, Company, Settings};

fn domain(
    id: i64,
    name: &str,
    bounce: &str,
    catchall: &str,
    default_from: &str,
    priority: i64,
) -> AliasDomain {
    let some = |v: &str| (!v.is_empty()).then(|| v.to_string());
    AliasDomain {
        id,
        name: name.into(),
        bounce: some(bounce),
        catchall: some(catchall),
        default_from: some(default_from),
        priority,
    }
}

fn server(name: &str, priority: i64, filter: &str) -> RouteServer {
    RouteServer {
        name: name.into(),
        priority,
        enabled: true,
        from_filter: FromFilter::parse(filter).expect("valid filter in test"),
        unreachable: None,
    }
}

fn disabled(mut s: RouteServer) -> RouteServer {
    s.enabled = false;
    s
}

/// The configuration of routing.md §7.
fn worked_example(servers: &[&str]) -> Snapshot {
    let all = [
        server("dom", 0, "test.mycompany.com"),
        server("user", 1, "specific_user@test.mycompany.com"),
        server("notif", 2, "notifications.test@test.mycompany.com"),
        server("any", 3, ""),
    ];
    Snapshot::new(
        vec![domain(
            1,
            "test.mycompany.com",
            "bounce.test",
            "catchall.test",
            "notifications.test",
            10,
        )],
        vec![],
        all.into_iter()
            .filter(|s| servers.contains(&s.name.as_str()))
            .collect(),
        &Settings::default(),
    )
    .unwrap()
}

fn route<'a>(snapshot: &'a Snapshot, from: &'a str) -> Decision<'a> {
    decide(
        snapshot,
        &Request {
            from: Some(from),
            ..Request::default()
        },
    )
    .unwrap()
}

fn error(snapshot: &Snapshot, request: Request<'_>) -> Error {
    decide(snapshot, &request).expect_err("routing should fail")
}

const N: &str = "notifications.test@test.mycompany.com";
const B: &str = "bounce.test@test.mycompany.com";

#[test]
fn worked_examples_of_routing_md() {
    let full = ["dom", "user", "notif", "any"];
    // servers present, sender, chosen server, rule, From header, envelope
    type Row<'r> = (&'r [&'r str], &'r str, &'r str, Rule, &'r str, &'r str);
    let rows: &[Row] = &[
        (
            &full,
            "specific_user@test.mycompany.com",
            "user",
            Rule::Address,
            "specific_user@test.mycompany.com",
            "specific_user@test.mycompany.com",
        ),
        (
            &full,
            "\"Name\" <unknown_name@test.mycompany.com>",
            "dom",
            Rule::Domain,
            "\"Name\" <unknown_name@test.mycompany.com>",
            B,
        ),
        (
            &full,
            "\"Name\" <test@unknown_domain.com>",
            "notif",
            Rule::NotificationAddress,
            "\"Name\" <notifications.test@test.mycompany.com>",
            N,
        ),
        (
            &full,
            "test@unknown_domain.com",
            "notif",
            Rule::NotificationAddress,
            "\"test\" <notifications.test@test.mycompany.com>",
            N,
        ),
        (
            &["dom", "user", "any"],
            "test@unknown_domain.com",
            "dom",
            Rule::NotificationDomain,
            "\"test\" <notifications.test@test.mycompany.com>",
            B,
        ),
    ];
    for (servers, from, expected_server, rule, header, envelope) in rows {
        let snapshot = worked_example(servers);
        let d = route(&snapshot, from);
        assert_eq!(d.server, Some(*expected_server), "server for {from}");
        assert_eq!(d.rule, *rule, "rule for {from}");
        assert_eq!(d.header_from, *header, "From for {from}");
        assert_eq!(d.envelope_from, *envelope, "envelope for {from}");
        assert_eq!(d.rewritten, header != from, "rewritten for {from}");
        assert_eq!(d.reply_to, "catchall.test@test.mycompany.com");
    }
}

#[test]
fn worked_example_without_alias_domain_or_email_from_uses_the_unfiltered_server_as_is() {
    let snapshot = Snapshot::new(
        vec![],
        vec![],
        vec![server("dom", 0, "test.mycompany.com"), server("any", 3, "")],
        &Settings::default(),
    )
    .unwrap();
    let d = route(&snapshot, "test@unknown_domain.com");
    assert_eq!(d.server, Some("any"));
    assert_eq!(d.rule, Rule::Unfiltered);
    assert_eq!(d.header_from, "test@unknown_domain.com");
    assert_eq!(d.envelope_from, "test@unknown_domain.com");
    assert_eq!(d.reply_to, "test@unknown_domain.com");
    assert!(!d.rewritten);
}

#[test]
fn address_and_domain_filters_compare_normalised_and_exact() {
    let snapshot = Snapshot::new(
        vec![],
        vec![],
        vec![
            server("addr", 5, "name@domain.com"),
            server("mail", 6, "mail.EXAMPLE.com"),
            server("fallthrough", 7, ""),
        ],
        &Settings::default(),
    )
    .unwrap();
    let rows = [
        ("\"Name\" <NaMe@DoMaIn.CoM>", "addr"),
        ("admin@mail.example.com", "mail"),
        ("admin@MAIL.example.COM", "mail"),
        ("admin@mmail.example.com", "fallthrough"),
        ("admin@sub.mail.example.com", "fallthrough"),
        ("admin@mail.éxample.com", "fallthrough"),
        ("\"name@domain.com\" <other@else.org>", "fallthrough"),
    ];
    for (from, expected) in rows {
        assert_eq!(route(&snapshot, from).server, Some(expected), "for {from}");
    }
}

#[test]
fn address_filters_of_all_servers_are_tried_before_domain_filters() {
    let snapshot = Snapshot::new(
        vec![],
        vec![],
        vec![
            server("by-domain", 0, "example.com"),
            server("by-address", 50, "alice@example.com"),
        ],
        &Settings::default(),
    )
    .unwrap();
    assert_eq!(
        route(&snapshot, "alice@example.com").server,
        Some("by-address")
    );
    assert_eq!(
        route(&snapshot, "bob@example.com").server,
        Some("by-domain")
    );
}

#[test]
fn servers_are_ordered_by_priority_then_name_and_disabled_ones_are_skipped_in_the_trace() {
    let snapshot = Snapshot::new(
        vec![],
        vec![],
        vec![
            server("zeta", 1, "example.com"),
            server("alpha", 1, "example.com"),
            disabled(server("first", 0, "example.com")),
            server("late", 9, "example.com"),
        ],
        &Settings::default(),
    )
    .unwrap();
    let d = route(&snapshot, "a@example.com");
    assert_eq!(d.server, Some("alpha"));
    let domain_steps: Vec<_> = d
        .trace
        .iter()
        .filter(|s| s.step == StepName::Domain)
        .collect();
    assert_eq!(domain_steps[0].server, Some("first"));
    assert_eq!(domain_steps[0].outcome, Outcome::Skipped);
    assert_eq!(domain_steps[1].server, Some("alpha"));
    assert_eq!(
        domain_steps[1].detail,
        Detail::DomainFilter {
            key: "example.com".into(),
            shadowed: 2
        }
    );
}

#[test]
fn unfiltered_then_first_server_then_fallback() {
    let settings = Settings::default();
    // Only filtered servers for other domains: the first one, with a warning.
    let snapshot = Snapshot::new(
        vec![domain(
            1,
            "example.com",
            "bounce",
            "catchall",
            "notifications",
            10,
        )],
        vec![],
        vec![server("b", 2, "other.org"), server("a", 2, "third.org")],
        &settings,
    )
    .unwrap();
    let d = route(&snapshot, "x@nowhere.example");
    assert_eq!((d.server, d.rule), (Some("a"), Rule::First));
    assert_eq!(d.header_from, "\"x\" <notifications@example.com>");
    assert_eq!(d.warnings.len(), 1);
    assert!(d.warnings[0]
        .to_string()
        .contains("no server's from-filter matches"));
    // The envelope: the bounce address does not pass a.'s filter, so the sending address.
    assert_eq!(d.envelope_from, "notifications@example.com");

    // Every server disabled: the fallback server.
    let snapshot = Snapshot::new(
        vec![],
        vec![],
        vec![disabled(server("a", 1, ""))],
        &settings,
    )
    .unwrap();
    let d = route(&snapshot, "x@nowhere.example");
    assert_eq!((d.server, d.rule), (None, Rule::Fallback));
    assert_eq!(d.fallback_url, Some("smtp://localhost:25"));
    assert_eq!(d.header_from, "x@nowhere.example");
    assert!(d.warnings.is_empty());
}

#[test]
fn fallback_from_filter_decides_whom_the_message_is_sent_as() {
    let domains = vec![domain(
        1,
        "example.com",
        "bounce",
        "catchall",
        "notifications",
        10,
    )];
    let with_filter = |filter: &str| Settings {
        fallback_from_filter: Some(filter.into()),
        fallback_server: Some("smtp://relay.example.com:2525".into()),
        ..Settings::default()
    };
    let rows = [
        // filter, sender, header, envelope, warnings
        ("", "a@other.org", "a@other.org", "bounce@example.com", 0),
        ("other.org", "a@other.org", "a@other.org", "a@other.org", 0),
        (
            "example.com",
            "a@other.org",
            "\"a\" <notifications@example.com>",
            "bounce@example.com",
            0,
        ),
        (
            "third.org",
            "a@other.org",
            "\"a\" <notifications@example.com>",
            "notifications@example.com",
            1,
        ),
    ];
    for (filter, from, header, envelope, warnings) in rows {
        let snapshot =
            Snapshot::new(domains.clone(), vec![], vec![], &with_filter(filter)).unwrap();
        let d = route(&snapshot, from);
        assert_eq!(d.rule, Rule::Fallback);
        assert_eq!(d.fallback_url, Some("smtp://relay.example.com:2525"));
        assert_eq!(d.header_from, header, "filter {filter:?}");
        assert_eq!(d.envelope_from, envelope, "filter {filter:?}");
        assert_eq!(d.warnings.len(), warnings, "filter {filter:?}");
    }
}

#[test]
fn forced_server_keeps_the_from_and_warns_on_filter_mismatch() {
    let snapshot = worked_example(&["dom", "user", "notif", "any"]);
    let request = Request {
        from: Some("x@elsewhere.org"),
        server: Some("DOM"),
        ..Request::default()
    };
    let d = decide(&snapshot, &request).unwrap();
    assert_eq!((d.server, d.rule), (Some("dom"), Rule::Forced));
    assert_eq!(d.header_from, "x@elsewhere.org");
    assert!(!d.rewritten);
    assert_eq!(
        d.envelope_from, B,
        "the bounce address passes dom's domain filter"
    );
    assert_eq!(d.warnings.len(), 1);
    assert!(d.warnings[0].to_string().contains("may be marked as spam"));

    let unknown = error(
        &snapshot,
        Request {
            from: Some("x@y.org"),
            server: Some("smtp2"),
            ..Request::default()
        },
    );
    assert_eq!(unknown.kind, ErrorKind::NotFound);
    assert_eq!(
        unknown.message,
        "no server 'smtp2'; servers: dom, user, notif, any"
    );
}

#[test]
fn forcing_a_disabled_server_is_a_configuration_error() {
    let snapshot = Snapshot::new(
        vec![],
        vec![],
        vec![disabled(server("off", 0, ""))],
        &Settings::default(),
    )
    .unwrap();
    let e = error(
        &snapshot,
        Request {
            from: Some("a@b.org"),
            server: Some("off"),
            ..Request::default()
        },
    );
    assert_eq!(e.kind, ErrorKind::Config);
    assert!(
        e.message.contains("mailroute server enable off"),
        "{}",
        e.message
    );
}

#[test]
fn mass_mailing_uses_the_mass_mailing_server_when_set() {
    let servers = vec![
        server("main", 0, "example.com"),
        server("bulk", 5, "news.example.com"),
    ];
    let settings = Settings {
        mass_mailing_server: Some("bulk".into()),
        ..Settings::default()
    };
    let snapshot = Snapshot::new(vec![], vec![], servers.clone(), &settings).unwrap();
    let mass = Request {
        from: Some("a@example.com"),
        mass: true,
        ..Request::default()
    };
    let d = decide(&snapshot, &mass).unwrap();
    assert_eq!((d.server, d.rule), (Some("bulk"), Rule::Forced));
    assert_eq!(
        d.warnings.len(),
        1,
        "a@example.com does not match bulk's filter"
    );
    // --server wins over --mass.
    let d = decide(
        &snapshot,
        &Request {
            server: Some("main"),
            ..mass
        },
    )
    .unwrap();
    assert_eq!(d.server, Some("main"));
    // Not set: routing as usual, and the trace says why.
    let unset = Snapshot::new(vec![], vec![], servers, &Settings::default()).unwrap();
    let d = decide(&unset, &mass).unwrap();
    assert_eq!((d.server, d.rule), (Some("main"), Rule::Domain));
    assert!(d.trace.iter().any(|s| s.detail == Detail::MassNotSet));
}

#[test]
fn unique_sender_sends_everything_as_the_default_from_address() {
    let snapshot = Snapshot::new(
        vec![domain(
            1,
            "example.com",
            "bounce",
            "catchall",
            "info@brand.example",
            10,
        )],
        vec![],
        vec![
            server("by-domain", 0, "other.org"),
            server("brand", 1, "info@brand.example"),
        ],
        &Settings::default(),
    )
    .unwrap();
    let d = route(&snapshot, "\"Alice\" <alice@other.org>");
    assert_eq!((d.server, d.rule), (Some("brand"), Rule::Address));
    assert_eq!(d.header_from, "\"Alice\" <info@brand.example>");
    assert!(d.rewritten);
    assert_eq!(d.envelope_from, "info@brand.example");
    // Even a forced server gets the rewritten From in unique-sender mode.
    let forced = Request {
        from: Some("alice@other.org"),
        server: Some("by-domain"),
        ..Request::default()
    };
    let d = decide(&snapshot, &forced).unwrap();
    assert_eq!(d.header_from, "\"alice\" <info@brand.example>");
}

#[test]
fn from_header_rewrite_quotes_and_escapes_the_name() {
    let snapshot = worked_example(&["notif"]);
    let d = route(&snapshot, r#""Ann \"The\" Boss" <ann@elsewhere.org>"#);
    assert_eq!(d.header_from, format!(r#""Ann \"The\" Boss" <{N}>"#));
}

#[test]
fn sender_equal_to_the_notification_address_is_not_rewritten() {
    let snapshot = worked_example(&["notif"]);
    let d = route(&snapshot, "Notifications.Test@Test.MyCompany.com");
    assert_eq!(d.server, Some("notif"));
    assert!(!d.rewritten);
    assert_eq!(d.header_from, "Notifications.Test@Test.MyCompany.com");
}

#[test]
fn several_addresses_skip_the_sender_steps_with_a_warning() {
    let snapshot = worked_example(&["dom", "notif"]);
    let d = route(&snapshot, "a@test.mycompany.com, b@test.mycompany.com");
    assert_eq!(
        (d.server, d.rule),
        (Some("notif"), Rule::NotificationAddress)
    );
    assert_eq!(d.header_from, format!("\"a\" <{N}>"));
    assert!(d
        .warnings
        .iter()
        .any(|w| matches!(w, Warning::SeveralAddresses { count: 2 })));

    // No notification address and no bounce passing: no single envelope sender.
    let bare = Snapshot::new(
        vec![],
        vec![],
        vec![server("any", 0, "")],
        &Settings::default(),
    )
    .unwrap();
    let e = error(
        &bare,
        Request {
            from: Some("a@x.org, b@y.org"),
            ..Request::default()
        },
    );
    assert_eq!(e.kind, ErrorKind::BadInput);
}

#[test]
fn a_from_without_any_address_is_bad_input() {
    let snapshot = worked_example(&["any"]);
    for from in ["", "John Doe", "<>", "@", "a@"] {
        let e = error(
            &snapshot,
            Request {
                from: Some(from),
                ..Request::default()
            },
        );
        assert_eq!(e.kind, ErrorKind::BadInput, "for {from:?}");
    }
}

#[test]
fn no_from_sends_as_the_notification_address_or_fails_naming_the_setting() {
    let snapshot = worked_example(&["notif"]);
    let d = decide(&snapshot, &Request::default()).unwrap();
    assert_eq!(d.header_from, N);
    assert_eq!(d.server, Some("notif"));

    let empty = Snapshot::new(
        vec![],
        vec![],
        vec![server("any", 0, "")],
        &Settings::default(),
    )
    .unwrap();
    let e = error(&empty, Request::default());
    assert_eq!(e.kind, ErrorKind::Config);
    assert!(
        e.message.contains("settings set email-from"),
        "{}",
        e.message
    );
}

#[test]
fn email_from_setting_is_the_notification_and_bounce_address_without_alias_domain() {
    let settings = Settings {
        email_from: Some("Robot <robot@example.com>".into()),
        ..Settings::default()
    };
    let snapshot = Snapshot::new(
        vec![],
        vec![],
        vec![server("main", 0, "example.com")],
        &settings,
    )
    .unwrap();
    let d = route(&snapshot, "someone@else.org");
    assert_eq!((d.server, d.rule), (Some("main"), Rule::NotificationDomain));
    assert_eq!(d.header_from, "\"someone\" <robot@example.com>");
    assert_eq!(d.envelope_from, "robot@example.com");
    assert_eq!(
        d.reply_to, "someone@else.org",
        "no catchall: the original From"
    );
}

#[test]
fn envelope_uses_idna_domains_and_refuses_non_ascii_local_parts() {
    let snapshot = Snapshot::new(
        vec![],
        vec![],
        vec![server("any", 0, "éxample.com")],
        &Settings::default(),
    )
    .unwrap();
    let d = route(&snapshot, "User <User@Éxample.com>");
    assert_eq!(d.server, Some("any"));
    assert_eq!(d.envelope_from, "User@xn--xample-9ua.com");
    assert_eq!(d.header_from, "User <User@Éxample.com>");

    let e = error(
        &snapshot,
        Request {
            from: Some("jösé@éxample.com"),
            ..Request::default()
        },
    );
    assert_eq!(e.kind, ErrorKind::BadInput);
}

#[test]
fn reply_to_is_given_else_catchall_else_the_original_from() {
    let snapshot = Snapshot::new(
        vec![
            domain(1, "example.com", "bounce", "catchall", "notifications", 10),
            domain(2, "nocatch.example", "bounce", "", "notifications", 20),
        ],
        vec![Company {
            id: 1,
            name: "Acme \"Inc\"".into(),
            alias_domain_id: Some(1),
        }],
        vec![server("any", 0, "")],
        &Settings::default(),
    )
    .unwrap();
    let from = "a@other.org";
    let given = decide(
        &snapshot,
        &Request {
            from: Some(from),
            reply_to: Some(" help@example.com "),
            ..Request::default()
        },
    )
    .unwrap();
    assert_eq!(given.reply_to, "help@example.com");
    let plain = route(&snapshot, from);
    assert_eq!(plain.reply_to, "catchall@example.com");
    let company = decide(
        &snapshot,
        &Request {
            from: Some(from),
            company: Some("acme \"inc\""),
            ..Request::default()
        },
    )
    .unwrap();
    assert_eq!(company.reply_to, r#""Acme \"Inc\"" <catchall@example.com>"#);
    assert_eq!(company.company, Some("Acme \"Inc\""));
    let nocatch = decide(
        &snapshot,
        &Request {
            from: Some(from),
            domain: Some("nocatch.example"),
            ..Request::default()
        },
    )
    .unwrap();
    assert_eq!(nocatch.reply_to, from);
    let bad = error(
        &snapshot,
        Request {
            from: Some(from),
            reply_to: Some("nobody"),
            ..Request::default()
        },
    );
    assert_eq!(bad.kind, ErrorKind::BadInput);
}

#[test]
fn context_comes_from_domain_flag_then_company_then_first_domain() {
    let snapshot = Snapshot::new(
        vec![
            domain(1, "zz.example", "bounce", "catchall", "notifications", 10),
            domain(2, "aa.example", "bounce", "catchall", "notifications", 10),
            domain(3, "first.example", "bounce", "catchall", "notifications", 1),
            domain(4, "shared.example", "b1", "c1", "n", 30),
            domain(5, "shared.example", "b2", "c2", "n", 30),
        ],
        vec![
            Company {
                id: 1,
                name: "Zed".into(),
                alias_domain_id: Some(1),
            },
            Company {
                id: 2,
                name: "Homeless".into(),
                alias_domain_id: None,
            },
        ],
        vec![server("any", 0, "")],
        &Settings::default(),
    )
    .unwrap();
    let with = |request: Request<'static>| {
        decide(&snapshot, &request).map(|d| d.alias_domain.map(str::to_string))
    };
    let from = Some("a@b.org");
    assert_eq!(
        with(Request {
            from,
            ..Request::default()
        })
        .unwrap()
        .as_deref(),
        Some("first.example")
    );
    assert_eq!(
        with(Request {
            from,
            domain: Some("AA.example"),
            ..Request::default()
        })
        .unwrap()
        .as_deref(),
        Some("aa.example")
    );
    assert_eq!(
        with(Request {
            from,
            company: Some("zed"),
            ..Request::default()
        })
        .unwrap()
        .as_deref(),
        Some("zz.example")
    );
    assert_eq!(
        with(Request {
            from,
            company: Some("Homeless"),
            ..Request::default()
        })
        .unwrap()
        .as_deref(),
        Some("first.example")
    );
    assert_eq!(
        with(Request {
            from,
            domain: Some("#5"),
            ..Request::default()
        })
        .unwrap()
        .as_deref(),
        Some("shared.example")
    );
    let ambiguous = with(Request {
        from,
        domain: Some("shared.example"),
        ..Request::default()
    })
    .unwrap_err();
    assert!(
        ambiguous.message.contains("#4") && ambiguous.message.contains("#5"),
        "{}",
        ambiguous.message
    );
    let unknown = with(Request {
        from,
        company: Some("Nope"),
        ..Request::default()
    })
    .unwrap_err();
    assert_eq!(
        unknown.message,
        "no company 'Nope'; companies: Homeless, Zed"
    );
}

#[test]
fn decision_serialises_with_the_contract_keys() {
    let snapshot = worked_example(&["dom", "user", "notif", "any"]);
    let d = route(&snapshot, "test@unknown_domain.com");
    let json = serde_json::to_value(&d).unwrap();
    for key in [
        "server",
        "rule",
        "header_from",
        "envelope_from",
        "reply_to",
        "rewritten",
        "trace",
        "warnings",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert_eq!(json["rule"], "notification-address");
    let steps = json["trace"].as_array().unwrap();
    assert!(steps
        .iter()
        .all(|s| s["step"].is_string() && s["outcome"].is_string() && s["detail"].is_string()));
}

#[test]
fn an_unreachable_server_is_passed_over_and_the_trace_says_why() {
    let mut main = server("main", 0, "example.com");
    main.unreachable = Some("connection refused".into());
    let mut open_relay = server("relay", 0, "");
    open_relay.unreachable = Some("timed out".into());
    let snapshot = Snapshot::new(
        vec![],
        vec![],
        vec![
            main,
            server("backup", 5, "example.com"),
            open_relay,
            server("last", 9, ""),
        ],
        &Settings::default(),
    )
    .unwrap();
    let decision = route(&snapshot, "alice@example.com");
    assert_eq!(decision.server, Some("backup"));
    let skipped = &decision.trace[decision
        .trace
        .iter()
        .position(|s| s.server == Some("main"))
        .expect("main is in the trace")];
    assert_eq!(skipped.outcome, Outcome::Skipped);
    assert_eq!(
        skipped.detail,
        Detail::Unreachable {
            reason: "connection refused"
        }
    );
    assert!(skipped.detail.to_string().contains("connection refused"));

    // The same for servers without a filter; a disabled server stays "disabled".
    let decision = route(&snapshot, "bob@other.org");
    assert_eq!(decision.server, Some("last"));
    assert!(decision.trace.iter().any(|s| s.server == Some("relay")
        && s.detail
            == Detail::Unreachable {
                reason: "timed out"
            }));
}
