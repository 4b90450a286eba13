# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_mailroute_global_optspecs
    string join \n db= json y/yes h/help V/version
end

function __fish_mailroute_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_mailroute_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_mailroute_using_subcommand
    set -l cmd (__fish_mailroute_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c mailroute -n "__fish_mailroute_needs_command" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_needs_command" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_needs_command" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_needs_command" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_needs_command" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_needs_command" -f -a "domain" -d 'Alias domains: bounce, catchall and default-From addresses per domain'
complete -c mailroute -n "__fish_mailroute_needs_command" -f -a "company" -d 'Companies and the alias domain each one uses'
complete -c mailroute -n "__fish_mailroute_needs_command" -f -a "server" -d 'Outgoing SMTP servers, their priorities and From-filters'
complete -c mailroute -n "__fish_mailroute_needs_command" -f -a "settings" -d 'Global settings: email-from, fallback-server, fallback-from-filter, mass-mailing-server'
complete -c mailroute -n "__fish_mailroute_needs_command" -f -a "route" -d 'Show which server, From, envelope and Reply-To a sender gets, and why'
complete -c mailroute -n "__fish_mailroute_needs_command" -f -a "local-parts" -d 'List the local parts this configuration sends from, per domain, to whitelist or redirect'
complete -c mailroute -n "__fish_mailroute_needs_command" -f -a "test-connection" -d 'Test SMTP servers stage by stage, as swaks does; no message is ever delivered'
complete -c mailroute -n "__fish_mailroute_needs_command" -f -a "send" -d 'Send a message exactly as `route` decides: server, From, envelope, Reply-To'
complete -c mailroute -n "__fish_mailroute_needs_command" -f -a "doctor" -d 'Check the whole configuration for mistakes a tool can see before a message bounces'
complete -c mailroute -n "__fish_mailroute_needs_command" -f -a "export" -d 'Write the whole configuration as TOML or JSON (secrets never), or as an msmtprc'
complete -c mailroute -n "__fish_mailroute_needs_command" -f -a "queue" -d 'The outbox: queue messages, send them in bulk, see what failed and retry it'
complete -c mailroute -n "__fish_mailroute_needs_command" -f -a "import" -d 'Apply a configuration file (merge, or --replace), or an Odoo server configuration'
complete -c mailroute -n "__fish_mailroute_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and not __fish_seen_subcommand_from add set list show remove help" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and not __fish_seen_subcommand_from add set list show remove help" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and not __fish_seen_subcommand_from add set list show remove help" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and not __fish_seen_subcommand_from add set list show remove help" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and not __fish_seen_subcommand_from add set list show remove help" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and not __fish_seen_subcommand_from add set list show remove help" -f -a "add" -d 'Add an alias domain'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and not __fish_seen_subcommand_from add set list show remove help" -f -a "set" -d 'Change an alias domain (alias changes ask for confirmation and are kept in a history)'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and not __fish_seen_subcommand_from add set list show remove help" -f -a "list" -d 'List alias domains in routing order'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and not __fish_seen_subcommand_from add set list show remove help" -f -a "show" -d 'Show one alias domain, its addresses, companies and alias history'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and not __fish_seen_subcommand_from add set list show remove help" -f -a "remove" -d 'Remove an alias domain that no company uses'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and not __fish_seen_subcommand_from add set list show remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from add" -l bounce -d 'Bounce alias (local part) [default on add: bounce]; \'\' for none' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from add" -l catchall -d 'Catchall alias (local part), used for Reply-To [default on add: catchall]; \'\' for none' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from add" -l default-from -d 'Default From: a local part, or a full address to send everything as it [default on add: notifications]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from add" -l priority -d 'Priority: lower comes first [default on add: 10]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from add" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from add" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from add" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from set" -l bounce -d 'Bounce alias (local part) [default on add: bounce]; \'\' for none' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from set" -l catchall -d 'Catchall alias (local part), used for Reply-To [default on add: catchall]; \'\' for none' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from set" -l default-from -d 'Default From: a local part, or a full address to send everything as it [default on add: notifications]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from set" -l priority -d 'Priority: lower comes first [default on add: 10]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from set" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from set" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from set" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from list" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from list" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from show" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from show" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from remove" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from remove" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add an alias domain'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change an alias domain (alias changes ask for confirmation and are kept in a history)'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "list" -d 'List alias domains in routing order'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one alias domain, its addresses, companies and alias history'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove an alias domain that no company uses'
complete -c mailroute -n "__fish_mailroute_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and not __fish_seen_subcommand_from add set list remove help" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and not __fish_seen_subcommand_from add set list remove help" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and not __fish_seen_subcommand_from add set list remove help" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and not __fish_seen_subcommand_from add set list remove help" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and not __fish_seen_subcommand_from add set list remove help" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and not __fish_seen_subcommand_from add set list remove help" -f -a "add" -d 'Add a company (it gets the first alias domain unless --domain says otherwise)'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and not __fish_seen_subcommand_from add set list remove help" -f -a "set" -d 'Change a company\'s alias domain'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and not __fish_seen_subcommand_from add set list remove help" -f -a "list" -d 'List companies and their alias domains'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and not __fish_seen_subcommand_from add set list remove help" -f -a "remove" -d 'Remove a company'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and not __fish_seen_subcommand_from add set list remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from add" -l domain -d 'Its alias domain: a name, or #ID' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from add" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from add" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from add" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from set" -l domain -d 'Its alias domain: a name, or #ID' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from set" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from set" -l no-domain -d 'Leave the company without an alias domain'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from set" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from set" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from list" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from list" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from remove" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from remove" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a company (it gets the first alias domain unless --domain says otherwise)'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change a company\'s alias domain'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from help" -f -a "list" -d 'List companies and their alias domains'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a company'
complete -c mailroute -n "__fish_mailroute_using_subcommand company; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and not __fish_seen_subcommand_from add set enable disable list show remove help" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and not __fish_seen_subcommand_from add set enable disable list show remove help" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and not __fish_seen_subcommand_from add set enable disable list show remove help" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and not __fish_seen_subcommand_from add set enable disable list show remove help" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and not __fish_seen_subcommand_from add set enable disable list show remove help" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and not __fish_seen_subcommand_from add set enable disable list show remove help" -f -a "add" -d 'Add an outgoing SMTP server'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and not __fish_seen_subcommand_from add set enable disable list show remove help" -f -a "set" -d 'Change an outgoing SMTP server'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and not __fish_seen_subcommand_from add set enable disable list show remove help" -f -a "enable" -d 'Enable a server'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and not __fish_seen_subcommand_from add set enable disable list show remove help" -f -a "disable" -d 'Disable a server (it is then never chosen)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and not __fish_seen_subcommand_from add set enable disable list show remove help" -f -a "list" -d 'List servers in routing order'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and not __fish_seen_subcommand_from add set enable disable list show remove help" -f -a "show" -d 'Show one server (secrets are never shown)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and not __fish_seen_subcommand_from add set enable disable list show remove help" -f -a "remove" -d 'Remove a server'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and not __fish_seen_subcommand_from add set enable disable list show remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l url -d 'smtp://[user@]host[:port] (plain; ?tls=required for STARTTLS) or smtps://[user@]host[:port] (implicit TLS)' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l host -d 'Host name or IP address' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l port -d 'Port [default: from the security mode: none 25, starttls 587, tls 465]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l security -d 'Connection security' -r -f -a "none\t'Plain SMTP (port 25)'
starttls\t'STARTTLS, required once configured (port 587)'
tls\t'Implicit TLS (port 465)'"
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l user -d 'User name for authentication' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l password-cmd -d 'A command that prints the password, run when it is needed' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l password-env -d 'An environment variable holding the password, read when it is needed' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l auth -d 'AUTH mechanism [default: PLAIN, else LOGIN, as the server offers]; xoauth2 takes the token from the password source' -r -f -a "plain\t''
login\t''
xoauth2\t''"
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l from-filter -d 'Comma-separated addresses and domains this server may send from; \'\' for any' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l priority -d 'Priority: lower comes first [default on add: 10]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l ca-file -d 'Extra CA certificates (PEM file) trusted for this server, besides the system roots' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l client-cert -d 'A TLS client certificate (PEM) to present, for servers that authenticate by certificate' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l client-key -d 'The private key (PEM) of --client-cert; it stays in its file' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l max-connections -d 'Outbox: connections to this server at once [default: 4]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l max-attempts -d 'Outbox: attempts before a temporary failure is final [default: 5]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l per-minute -d 'Outbox: messages per minute at most (0: no limit); over it, messages wait' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l per-day -d 'Outbox: messages per day at most (0: no limit); over it, messages wait' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l failover -d 'Outbox: when this server is down, use the next server routing accepts for the sender' -r -f -a "true\t''
false\t''"
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l timeout -d 'Seconds to wait for the server at each step [default: 30]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l password-stdin -d 'Read the password from the first line of stdin (it is stored in the database)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l no-auth -d 'Remove the user and password'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l allow-plaintext-auth -d 'Allow AUTH over an unencrypted connection (a trusted network only)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l insecure -d 'Do not verify the server\'s TLS certificate (warned about on every use)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l no-client-cert -d 'Stop presenting a client certificate'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l verify -d 'Verify the server\'s TLS certificate again (undoes --insecure)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l disabled -d 'Add it disabled'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l url -d 'smtp://[user@]host[:port] (plain; ?tls=required for STARTTLS) or smtps://[user@]host[:port] (implicit TLS)' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l host -d 'Host name or IP address' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l port -d 'Port [default: from the security mode: none 25, starttls 587, tls 465]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l security -d 'Connection security' -r -f -a "none\t'Plain SMTP (port 25)'
starttls\t'STARTTLS, required once configured (port 587)'
tls\t'Implicit TLS (port 465)'"
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l user -d 'User name for authentication' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l password-cmd -d 'A command that prints the password, run when it is needed' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l password-env -d 'An environment variable holding the password, read when it is needed' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l auth -d 'AUTH mechanism [default: PLAIN, else LOGIN, as the server offers]; xoauth2 takes the token from the password source' -r -f -a "plain\t''
login\t''
xoauth2\t''"
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l from-filter -d 'Comma-separated addresses and domains this server may send from; \'\' for any' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l priority -d 'Priority: lower comes first [default on add: 10]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l ca-file -d 'Extra CA certificates (PEM file) trusted for this server, besides the system roots' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l client-cert -d 'A TLS client certificate (PEM) to present, for servers that authenticate by certificate' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l client-key -d 'The private key (PEM) of --client-cert; it stays in its file' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l max-connections -d 'Outbox: connections to this server at once [default: 4]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l max-attempts -d 'Outbox: attempts before a temporary failure is final [default: 5]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l per-minute -d 'Outbox: messages per minute at most (0: no limit); over it, messages wait' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l per-day -d 'Outbox: messages per day at most (0: no limit); over it, messages wait' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l failover -d 'Outbox: when this server is down, use the next server routing accepts for the sender' -r -f -a "true\t''
false\t''"
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l timeout -d 'Seconds to wait for the server at each step [default: 30]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l password-stdin -d 'Read the password from the first line of stdin (it is stored in the database)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l no-auth -d 'Remove the user and password'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l allow-plaintext-auth -d 'Allow AUTH over an unencrypted connection (a trusted network only)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l insecure -d 'Do not verify the server\'s TLS certificate (warned about on every use)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l no-client-cert -d 'Stop presenting a client certificate'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l verify -d 'Verify the server\'s TLS certificate again (undoes --insecure)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from enable" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from enable" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from enable" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from enable" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from disable" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from disable" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from disable" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from disable" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from list" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from list" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from show" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from show" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from remove" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from remove" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add an outgoing SMTP server'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change an outgoing SMTP server'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Enable a server'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Disable a server (it is then never chosen)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "list" -d 'List servers in routing order'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one server (secrets are never shown)'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a server'
complete -c mailroute -n "__fish_mailroute_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and not __fish_seen_subcommand_from show set unset help" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and not __fish_seen_subcommand_from show set unset help" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and not __fish_seen_subcommand_from show set unset help" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and not __fish_seen_subcommand_from show set unset help" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and not __fish_seen_subcommand_from show set unset help" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and not __fish_seen_subcommand_from show set unset help" -f -a "show" -d 'Show every setting, with its default when unset'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and not __fish_seen_subcommand_from show set unset help" -f -a "set" -d 'Set a setting'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and not __fish_seen_subcommand_from show set unset help" -f -a "unset" -d 'Unset a setting (back to its default)'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and not __fish_seen_subcommand_from show set unset help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and __fish_seen_subcommand_from show" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and __fish_seen_subcommand_from show" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and __fish_seen_subcommand_from set" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and __fish_seen_subcommand_from set" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and __fish_seen_subcommand_from set" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and __fish_seen_subcommand_from unset" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and __fish_seen_subcommand_from unset" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and __fish_seen_subcommand_from unset" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and __fish_seen_subcommand_from unset" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and __fish_seen_subcommand_from unset" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show every setting, with its default when unset'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set a setting'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and __fish_seen_subcommand_from help" -f -a "unset" -d 'Unset a setting (back to its default)'
complete -c mailroute -n "__fish_mailroute_using_subcommand settings; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mailroute -n "__fish_mailroute_using_subcommand route" -l company -d 'Route as this company (its alias domain applies)' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand route" -l domain -d 'Route with this alias domain (a name, or #ID)' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand route" -l server -d 'Force this server, whatever its from-filter' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand route" -l reply-to -d 'The Reply-To header to use' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand route" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand route" -l stdin -d 'Read one sender a line on stdin and print one decision a line'
complete -c mailroute -n "__fish_mailroute_using_subcommand route" -l explain -d 'With --stdin --json: give each trace step its sentence (`detail`), as `route FROM` does; slower'
complete -c mailroute -n "__fish_mailroute_using_subcommand route" -l mass -d 'A mass mailing: use the mass-mailing-server when it is set'
complete -c mailroute -n "__fish_mailroute_using_subcommand route" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand route" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand route" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand route" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand local-parts" -l domain -d 'Only this domain' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand local-parts" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand local-parts" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand local-parts" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand local-parts" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand local-parts" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand test-connection" -l from -d 'Sender for MAIL FROM [default: from the server\'s from-filter, see routing.md §6]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand test-connection" -l to -d 'Recipient for RCPT TO [default: the sender]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand test-connection" -l timeout -d 'Seconds to wait for each server at each step [default: the server\'s, else 30]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand test-connection" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand test-connection" -l all -d 'Test every enabled server'
complete -c mailroute -n "__fish_mailroute_using_subcommand test-connection" -l data -d 'Also send DATA and expect 354, then hang up without sending a message'
complete -c mailroute -n "__fish_mailroute_using_subcommand test-connection" -l transcript -d 'Print the whole SMTP conversation (AUTH is always redacted)'
complete -c mailroute -n "__fish_mailroute_using_subcommand test-connection" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand test-connection" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand test-connection" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand test-connection" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l to -d 'Recipients (repeat the flag, or give several)' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l cc -d 'Copy recipients' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l bcc -d 'Blind copy recipients (never in the headers)' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l from -d 'The sender [default: the notification address]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l subject -r
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l body -d 'The text body [default: read from stdin when it is not a terminal]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l body-file -d 'Read the text body from a file' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l html-file -d 'An HTML body (sent as multipart/alternative with the text)' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l attach -d 'Attach files' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l timeout -d 'Seconds to wait for the server at each step [default: the server\'s, else 30]' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l company -d 'Route as this company (its alias domain applies)' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l domain -d 'Route with this alias domain (a name, or #ID)' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l server -d 'Force this server, whatever its from-filter' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l reply-to -d 'The Reply-To header to use' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l raw -d 'Read a complete message on stdin (recipients from To/Cc/Bcc unless --to is given)'
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l dry-run -d 'Print the decision, the envelope and the message instead of sending'
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l queue -d 'Put the message in the outbox instead of sending it now (`mailroute queue run` sends it)'
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l mass -d 'A mass mailing: use the mass-mailing-server when it is set'
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand send" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand doctor" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand doctor" -l connect -d 'Also run test-connection on every enabled server'
complete -c mailroute -n "__fish_mailroute_using_subcommand doctor" -l strict -d 'Exit 1 when there are warnings (errors always exit 78)'
complete -c mailroute -n "__fish_mailroute_using_subcommand doctor" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand doctor" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand export" -l format -d 'The format [default: toml]' -r -f -a "toml\t''
json\t''"
complete -c mailroute -n "__fish_mailroute_using_subcommand export" -s o -l output -d 'Write to this file instead of stdout' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand export" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand export" -l msmtprc -d 'Write an msmtp configuration instead: one account per server, with from patterns'
complete -c mailroute -n "__fish_mailroute_using_subcommand export" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand export" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand export" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand export" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and not __fish_seen_subcommand_from add run list show retry cancel purge help" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and not __fish_seen_subcommand_from add run list show retry cancel purge help" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and not __fish_seen_subcommand_from add run list show retry cancel purge help" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and not __fish_seen_subcommand_from add run list show retry cancel purge help" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and not __fish_seen_subcommand_from add run list show retry cancel purge help" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and not __fish_seen_subcommand_from add run list show retry cancel purge help" -f -a "add" -d 'Add messages from a JSONL file (one JSON object per line), all or none'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and not __fish_seen_subcommand_from add run list show retry cancel purge help" -f -a "run" -d 'Send everything due, reusing one connection per group of messages'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and not __fish_seen_subcommand_from add run list show retry cancel purge help" -f -a "list" -d 'List messages in the outbox'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and not __fish_seen_subcommand_from add run list show retry cancel purge help" -f -a "show" -d 'Show one message: its routing, attempts and last reply'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and not __fish_seen_subcommand_from add run list show retry cancel purge help" -f -a "retry" -d 'Queue messages again now (failed, deferred, unknown or cancelled ones)'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and not __fish_seen_subcommand_from add run list show retry cancel purge help" -f -a "cancel" -d 'Cancel messages that are not sent yet'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and not __fish_seen_subcommand_from add run list show retry cancel purge help" -f -a "purge" -d 'Delete sent messages older than a duration'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and not __fish_seen_subcommand_from add run list show retry cancel purge help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from add" -l file -d 'The JSONL file (\'-\' for stdin)' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from add" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from add" -l skip-invalid -d 'Enqueue the valid lines and report the others (default: nothing is enqueued if one is invalid)'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from add" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from add" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from run" -l per-connection -d 'Messages sent over one connection before it is renewed' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from run" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from run" -l resend-unknown -d 'Also resend messages whose delivery is unknown (a run was killed during their DATA); they keep their Message-ID'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from run" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from run" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from list" -l state -d 'Only messages in this state' -r -f -a "queued\t''
sending\t''
sent\t''
deferred\t''
failed\t''
cancelled\t''
unknown\t''"
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from list" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from list" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from show" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from show" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from retry" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from retry" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from retry" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from retry" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from retry" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from cancel" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from cancel" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from cancel" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from cancel" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from cancel" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from purge" -l older-than -d '90s, 15m, 12h, 30d' -r
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from purge" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from purge" -l sent -d 'Sent messages (the only kind purged)'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from purge" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from purge" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from purge" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from purge" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add messages from a JSONL file (one JSON object per line), all or none'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from help" -f -a "run" -d 'Send everything due, reusing one connection per group of messages'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from help" -f -a "list" -d 'List messages in the outbox'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one message: its routing, attempts and last reply'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from help" -f -a "retry" -d 'Queue messages again now (failed, deferred, unknown or cancelled ones)'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from help" -f -a "cancel" -d 'Cancel messages that are not sent yet'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from help" -f -a "purge" -d 'Delete sent messages older than a duration'
complete -c mailroute -n "__fish_mailroute_using_subcommand queue; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mailroute -n "__fish_mailroute_using_subcommand import" -l odoo-conf -d 'An Odoo server configuration file: its smtp_* options, email_from and from_filter become the fallback server and settings' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand import" -l format -d 'The format of FILE [default: from its extension, else toml]' -r -f -a "toml\t''
json\t''"
complete -c mailroute -n "__fish_mailroute_using_subcommand import" -l db -d 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]' -r -F
complete -c mailroute -n "__fish_mailroute_using_subcommand import" -l replace -d 'Remove what the file does not have (default: merge, adding and changing only)'
complete -c mailroute -n "__fish_mailroute_using_subcommand import" -l dry-run -d 'Print what would be added, changed and removed, and change nothing'
complete -c mailroute -n "__fish_mailroute_using_subcommand import" -l json -d 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
complete -c mailroute -n "__fish_mailroute_using_subcommand import" -s y -l yes -d 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
complete -c mailroute -n "__fish_mailroute_using_subcommand import" -s h -l help -d 'Print help'
complete -c mailroute -n "__fish_mailroute_using_subcommand import" -s V -l version -d 'Print version'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and not __fish_seen_subcommand_from domain company server settings route local-parts test-connection send doctor export queue import help" -f -a "domain" -d 'Alias domains: bounce, catchall and default-From addresses per domain'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and not __fish_seen_subcommand_from domain company server settings route local-parts test-connection send doctor export queue import help" -f -a "company" -d 'Companies and the alias domain each one uses'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and not __fish_seen_subcommand_from domain company server settings route local-parts test-connection send doctor export queue import help" -f -a "server" -d 'Outgoing SMTP servers, their priorities and From-filters'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and not __fish_seen_subcommand_from domain company server settings route local-parts test-connection send doctor export queue import help" -f -a "settings" -d 'Global settings: email-from, fallback-server, fallback-from-filter, mass-mailing-server'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and not __fish_seen_subcommand_from domain company server settings route local-parts test-connection send doctor export queue import help" -f -a "route" -d 'Show which server, From, envelope and Reply-To a sender gets, and why'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and not __fish_seen_subcommand_from domain company server settings route local-parts test-connection send doctor export queue import help" -f -a "local-parts" -d 'List the local parts this configuration sends from, per domain, to whitelist or redirect'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and not __fish_seen_subcommand_from domain company server settings route local-parts test-connection send doctor export queue import help" -f -a "test-connection" -d 'Test SMTP servers stage by stage, as swaks does; no message is ever delivered'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and not __fish_seen_subcommand_from domain company server settings route local-parts test-connection send doctor export queue import help" -f -a "send" -d 'Send a message exactly as `route` decides: server, From, envelope, Reply-To'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and not __fish_seen_subcommand_from domain company server settings route local-parts test-connection send doctor export queue import help" -f -a "doctor" -d 'Check the whole configuration for mistakes a tool can see before a message bounces'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and not __fish_seen_subcommand_from domain company server settings route local-parts test-connection send doctor export queue import help" -f -a "export" -d 'Write the whole configuration as TOML or JSON (secrets never), or as an msmtprc'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and not __fish_seen_subcommand_from domain company server settings route local-parts test-connection send doctor export queue import help" -f -a "queue" -d 'The outbox: queue messages, send them in bulk, see what failed and retry it'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and not __fish_seen_subcommand_from domain company server settings route local-parts test-connection send doctor export queue import help" -f -a "import" -d 'Apply a configuration file (merge, or --replace), or an Odoo server configuration'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and not __fish_seen_subcommand_from domain company server settings route local-parts test-connection send doctor export queue import help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "add" -d 'Add an alias domain'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "set" -d 'Change an alias domain (alias changes ask for confirmation and are kept in a history)'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "list" -d 'List alias domains in routing order'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "show" -d 'Show one alias domain, its addresses, companies and alias history'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "remove" -d 'Remove an alias domain that no company uses'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from company" -f -a "add" -d 'Add a company (it gets the first alias domain unless --domain says otherwise)'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from company" -f -a "set" -d 'Change a company\'s alias domain'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from company" -f -a "list" -d 'List companies and their alias domains'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from company" -f -a "remove" -d 'Remove a company'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "add" -d 'Add an outgoing SMTP server'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "set" -d 'Change an outgoing SMTP server'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "enable" -d 'Enable a server'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "disable" -d 'Disable a server (it is then never chosen)'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "list" -d 'List servers in routing order'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "show" -d 'Show one server (secrets are never shown)'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "remove" -d 'Remove a server'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from settings" -f -a "show" -d 'Show every setting, with its default when unset'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from settings" -f -a "set" -d 'Set a setting'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from settings" -f -a "unset" -d 'Unset a setting (back to its default)'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from queue" -f -a "add" -d 'Add messages from a JSONL file (one JSON object per line), all or none'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from queue" -f -a "run" -d 'Send everything due, reusing one connection per group of messages'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from queue" -f -a "list" -d 'List messages in the outbox'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from queue" -f -a "show" -d 'Show one message: its routing, attempts and last reply'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from queue" -f -a "retry" -d 'Queue messages again now (failed, deferred, unknown or cancelled ones)'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from queue" -f -a "cancel" -d 'Cancel messages that are not sent yet'
complete -c mailroute -n "__fish_mailroute_using_subcommand help; and __fish_seen_subcommand_from queue" -f -a "purge" -d 'Delete sent messages older than a duration'
