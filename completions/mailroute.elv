
use builtin;
use str;

set edit:completion:arg-completer[mailroute] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'mailroute'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'mailroute'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand domain 'Alias domains: bounce, catchall and default-From addresses per domain'
            cand company 'Companies and the alias domain each one uses'
            cand server 'Outgoing SMTP servers, their priorities and From-filters'
            cand settings 'Global settings: email-from, fallback-server, fallback-from-filter, mass-mailing-server'
            cand route 'Show which server, From, envelope and Reply-To a sender gets, and why'
            cand local-parts 'List the local parts this configuration sends from, per domain, to whitelist or redirect'
            cand test-connection 'Test SMTP servers stage by stage, as swaks does; no message is ever delivered'
            cand send 'Send a message exactly as `route` decides: server, From, envelope, Reply-To'
            cand doctor 'Check the whole configuration for mistakes a tool can see before a message bounces'
            cand export 'Write the whole configuration as TOML or JSON (secrets never), or as an msmtprc'
            cand queue 'The outbox: queue messages, send them in bulk, see what failed and retry it'
            cand import 'Apply a configuration file (merge, or --replace), or an Odoo server configuration'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mailroute;domain'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add an alias domain'
            cand set 'Change an alias domain (alias changes ask for confirmation and are kept in a history)'
            cand list 'List alias domains in routing order'
            cand show 'Show one alias domain, its addresses, companies and alias history'
            cand remove 'Remove an alias domain that no company uses'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mailroute;domain;add'= {
            cand --bounce 'Bounce alias (local part) [default on add: bounce]; '''' for none'
            cand --catchall 'Catchall alias (local part), used for Reply-To [default on add: catchall]; '''' for none'
            cand --default-from 'Default From: a local part, or a full address to send everything as it [default on add: notifications]'
            cand --priority 'Priority: lower comes first [default on add: 10]'
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;domain;set'= {
            cand --bounce 'Bounce alias (local part) [default on add: bounce]; '''' for none'
            cand --catchall 'Catchall alias (local part), used for Reply-To [default on add: catchall]; '''' for none'
            cand --default-from 'Default From: a local part, or a full address to send everything as it [default on add: notifications]'
            cand --priority 'Priority: lower comes first [default on add: 10]'
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;domain;list'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;domain;show'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;domain;remove'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;domain;help'= {
            cand add 'Add an alias domain'
            cand set 'Change an alias domain (alias changes ask for confirmation and are kept in a history)'
            cand list 'List alias domains in routing order'
            cand show 'Show one alias domain, its addresses, companies and alias history'
            cand remove 'Remove an alias domain that no company uses'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mailroute;domain;help;add'= {
        }
        &'mailroute;domain;help;set'= {
        }
        &'mailroute;domain;help;list'= {
        }
        &'mailroute;domain;help;show'= {
        }
        &'mailroute;domain;help;remove'= {
        }
        &'mailroute;domain;help;help'= {
        }
        &'mailroute;company'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add a company (it gets the first alias domain unless --domain says otherwise)'
            cand set 'Change a company''s alias domain'
            cand list 'List companies and their alias domains'
            cand remove 'Remove a company'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mailroute;company;add'= {
            cand --domain 'Its alias domain: a name, or #ID'
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;company;set'= {
            cand --domain 'Its alias domain: a name, or #ID'
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --no-domain 'Leave the company without an alias domain'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;company;list'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;company;remove'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;company;help'= {
            cand add 'Add a company (it gets the first alias domain unless --domain says otherwise)'
            cand set 'Change a company''s alias domain'
            cand list 'List companies and their alias domains'
            cand remove 'Remove a company'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mailroute;company;help;add'= {
        }
        &'mailroute;company;help;set'= {
        }
        &'mailroute;company;help;list'= {
        }
        &'mailroute;company;help;remove'= {
        }
        &'mailroute;company;help;help'= {
        }
        &'mailroute;server'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add an outgoing SMTP server'
            cand set 'Change an outgoing SMTP server'
            cand enable 'Enable a server'
            cand disable 'Disable a server (it is then never chosen)'
            cand list 'List servers in routing order'
            cand show 'Show one server (secrets are never shown)'
            cand remove 'Remove a server'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mailroute;server;add'= {
            cand --url 'smtp://[user@]host[:port] (plain; ?tls=required for STARTTLS) or smtps://[user@]host[:port] (implicit TLS)'
            cand --host 'Host name or IP address'
            cand --port 'Port [default: from the security mode: none 25, starttls 587, tls 465]'
            cand --security 'Connection security'
            cand --user 'User name for authentication'
            cand --password-cmd 'A command that prints the password, run when it is needed'
            cand --password-env 'An environment variable holding the password, read when it is needed'
            cand --auth 'AUTH mechanism [default: PLAIN, else LOGIN, as the server offers]; xoauth2 takes the token from the password source'
            cand --from-filter 'Comma-separated addresses and domains this server may send from; '''' for any'
            cand --priority 'Priority: lower comes first [default on add: 10]'
            cand --ca-file 'Extra CA certificates (PEM file) trusted for this server, besides the system roots'
            cand --client-cert 'A TLS client certificate (PEM) to present, for servers that authenticate by certificate'
            cand --client-key 'The private key (PEM) of --client-cert; it stays in its file'
            cand --max-connections 'Outbox: connections to this server at once [default: 4]'
            cand --max-attempts 'Outbox: attempts before a temporary failure is final [default: 5]'
            cand --per-minute 'Outbox: messages per minute at most (0: no limit); over it, messages wait'
            cand --per-day 'Outbox: messages per day at most (0: no limit); over it, messages wait'
            cand --failover 'Outbox: when this server is down, use the next server routing accepts for the sender'
            cand --timeout 'Seconds to wait for the server at each step [default: 30]'
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --password-stdin 'Read the password from the first line of stdin (it is stored in the database)'
            cand --no-auth 'Remove the user and password'
            cand --allow-plaintext-auth 'Allow AUTH over an unencrypted connection (a trusted network only)'
            cand --insecure 'Do not verify the server''s TLS certificate (warned about on every use)'
            cand --no-client-cert 'Stop presenting a client certificate'
            cand --verify 'Verify the server''s TLS certificate again (undoes --insecure)'
            cand --disabled 'Add it disabled'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;server;set'= {
            cand --url 'smtp://[user@]host[:port] (plain; ?tls=required for STARTTLS) or smtps://[user@]host[:port] (implicit TLS)'
            cand --host 'Host name or IP address'
            cand --port 'Port [default: from the security mode: none 25, starttls 587, tls 465]'
            cand --security 'Connection security'
            cand --user 'User name for authentication'
            cand --password-cmd 'A command that prints the password, run when it is needed'
            cand --password-env 'An environment variable holding the password, read when it is needed'
            cand --auth 'AUTH mechanism [default: PLAIN, else LOGIN, as the server offers]; xoauth2 takes the token from the password source'
            cand --from-filter 'Comma-separated addresses and domains this server may send from; '''' for any'
            cand --priority 'Priority: lower comes first [default on add: 10]'
            cand --ca-file 'Extra CA certificates (PEM file) trusted for this server, besides the system roots'
            cand --client-cert 'A TLS client certificate (PEM) to present, for servers that authenticate by certificate'
            cand --client-key 'The private key (PEM) of --client-cert; it stays in its file'
            cand --max-connections 'Outbox: connections to this server at once [default: 4]'
            cand --max-attempts 'Outbox: attempts before a temporary failure is final [default: 5]'
            cand --per-minute 'Outbox: messages per minute at most (0: no limit); over it, messages wait'
            cand --per-day 'Outbox: messages per day at most (0: no limit); over it, messages wait'
            cand --failover 'Outbox: when this server is down, use the next server routing accepts for the sender'
            cand --timeout 'Seconds to wait for the server at each step [default: 30]'
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --password-stdin 'Read the password from the first line of stdin (it is stored in the database)'
            cand --no-auth 'Remove the user and password'
            cand --allow-plaintext-auth 'Allow AUTH over an unencrypted connection (a trusted network only)'
            cand --insecure 'Do not verify the server''s TLS certificate (warned about on every use)'
            cand --no-client-cert 'Stop presenting a client certificate'
            cand --verify 'Verify the server''s TLS certificate again (undoes --insecure)'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;server;enable'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;server;disable'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;server;list'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;server;show'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;server;remove'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;server;help'= {
            cand add 'Add an outgoing SMTP server'
            cand set 'Change an outgoing SMTP server'
            cand enable 'Enable a server'
            cand disable 'Disable a server (it is then never chosen)'
            cand list 'List servers in routing order'
            cand show 'Show one server (secrets are never shown)'
            cand remove 'Remove a server'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mailroute;server;help;add'= {
        }
        &'mailroute;server;help;set'= {
        }
        &'mailroute;server;help;enable'= {
        }
        &'mailroute;server;help;disable'= {
        }
        &'mailroute;server;help;list'= {
        }
        &'mailroute;server;help;show'= {
        }
        &'mailroute;server;help;remove'= {
        }
        &'mailroute;server;help;help'= {
        }
        &'mailroute;settings'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Show every setting, with its default when unset'
            cand set 'Set a setting'
            cand unset 'Unset a setting (back to its default)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mailroute;settings;show'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;settings;set'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;settings;unset'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;settings;help'= {
            cand show 'Show every setting, with its default when unset'
            cand set 'Set a setting'
            cand unset 'Unset a setting (back to its default)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mailroute;settings;help;show'= {
        }
        &'mailroute;settings;help;set'= {
        }
        &'mailroute;settings;help;unset'= {
        }
        &'mailroute;settings;help;help'= {
        }
        &'mailroute;route'= {
            cand --company 'Route as this company (its alias domain applies)'
            cand --domain 'Route with this alias domain (a name, or #ID)'
            cand --server 'Force this server, whatever its from-filter'
            cand --reply-to 'The Reply-To header to use'
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --stdin 'Read one sender a line on stdin and print one decision a line'
            cand --explain 'With --stdin --json: give each trace step its sentence (`detail`), as `route FROM` does; slower'
            cand --mass 'A mass mailing: use the mass-mailing-server when it is set'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;local-parts'= {
            cand --domain 'Only this domain'
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;test-connection'= {
            cand --from 'Sender for MAIL FROM [default: from the server''s from-filter, see routing.md §6]'
            cand --to 'Recipient for RCPT TO [default: the sender]'
            cand --timeout 'Seconds to wait for each server at each step [default: the server''s, else 30]'
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --all 'Test every enabled server'
            cand --data 'Also send DATA and expect 354, then hang up without sending a message'
            cand --transcript 'Print the whole SMTP conversation (AUTH is always redacted)'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;send'= {
            cand --to 'Recipients (repeat the flag, or give several)'
            cand --cc 'Copy recipients'
            cand --bcc 'Blind copy recipients (never in the headers)'
            cand --from 'The sender [default: the notification address]'
            cand --subject 'subject'
            cand --body 'The text body [default: read from stdin when it is not a terminal]'
            cand --body-file 'Read the text body from a file'
            cand --html-file 'An HTML body (sent as multipart/alternative with the text)'
            cand --attach 'Attach files'
            cand --timeout 'Seconds to wait for the server at each step [default: the server''s, else 30]'
            cand --company 'Route as this company (its alias domain applies)'
            cand --domain 'Route with this alias domain (a name, or #ID)'
            cand --server 'Force this server, whatever its from-filter'
            cand --reply-to 'The Reply-To header to use'
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --raw 'Read a complete message on stdin (recipients from To/Cc/Bcc unless --to is given)'
            cand --dry-run 'Print the decision, the envelope and the message instead of sending'
            cand --queue 'Put the message in the outbox instead of sending it now (`mailroute queue run` sends it)'
            cand --mass 'A mass mailing: use the mass-mailing-server when it is set'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;doctor'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --connect 'Also run test-connection on every enabled server'
            cand --strict 'Exit 1 when there are warnings (errors always exit 78)'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;export'= {
            cand --format 'The format [default: toml]'
            cand -o 'Write to this file instead of stdout'
            cand --output 'Write to this file instead of stdout'
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --msmtprc 'Write an msmtp configuration instead: one account per server, with from patterns'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;queue'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add messages from a JSONL file (one JSON object per line), all or none'
            cand run 'Send everything due, reusing one connection per group of messages'
            cand list 'List messages in the outbox'
            cand show 'Show one message: its routing, attempts and last reply'
            cand retry 'Queue messages again now (failed, deferred, unknown or cancelled ones)'
            cand cancel 'Cancel messages that are not sent yet'
            cand purge 'Delete sent messages older than a duration'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mailroute;queue;add'= {
            cand --file 'The JSONL file (''-'' for stdin)'
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --skip-invalid 'Enqueue the valid lines and report the others (default: nothing is enqueued if one is invalid)'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;queue;run'= {
            cand --per-connection 'Messages sent over one connection before it is renewed'
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --resend-unknown 'Also resend messages whose delivery is unknown (a run was killed during their DATA); they keep their Message-ID'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;queue;list'= {
            cand --state 'Only messages in this state'
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;queue;show'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;queue;retry'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;queue;cancel'= {
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;queue;purge'= {
            cand --older-than '90s, 15m, 12h, 30d'
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --sent 'Sent messages (the only kind purged)'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;queue;help'= {
            cand add 'Add messages from a JSONL file (one JSON object per line), all or none'
            cand run 'Send everything due, reusing one connection per group of messages'
            cand list 'List messages in the outbox'
            cand show 'Show one message: its routing, attempts and last reply'
            cand retry 'Queue messages again now (failed, deferred, unknown or cancelled ones)'
            cand cancel 'Cancel messages that are not sent yet'
            cand purge 'Delete sent messages older than a duration'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mailroute;queue;help;add'= {
        }
        &'mailroute;queue;help;run'= {
        }
        &'mailroute;queue;help;list'= {
        }
        &'mailroute;queue;help;show'= {
        }
        &'mailroute;queue;help;retry'= {
        }
        &'mailroute;queue;help;cancel'= {
        }
        &'mailroute;queue;help;purge'= {
        }
        &'mailroute;queue;help;help'= {
        }
        &'mailroute;import'= {
            cand --odoo-conf 'An Odoo server configuration file: its smtp_* options, email_from and from_filter become the fallback server and settings'
            cand --format 'The format of FILE [default: from its extension, else toml]'
            cand --db 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]'
            cand --replace 'Remove what the file does not have (default: merge, adding and changing only)'
            cand --dry-run 'Print what would be added, changed and removed, and change nothing'
            cand --json 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr'
            cand -y 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand --yes 'Answer yes to confirmations (needed for them when stdin is not a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mailroute;help'= {
            cand domain 'Alias domains: bounce, catchall and default-From addresses per domain'
            cand company 'Companies and the alias domain each one uses'
            cand server 'Outgoing SMTP servers, their priorities and From-filters'
            cand settings 'Global settings: email-from, fallback-server, fallback-from-filter, mass-mailing-server'
            cand route 'Show which server, From, envelope and Reply-To a sender gets, and why'
            cand local-parts 'List the local parts this configuration sends from, per domain, to whitelist or redirect'
            cand test-connection 'Test SMTP servers stage by stage, as swaks does; no message is ever delivered'
            cand send 'Send a message exactly as `route` decides: server, From, envelope, Reply-To'
            cand doctor 'Check the whole configuration for mistakes a tool can see before a message bounces'
            cand export 'Write the whole configuration as TOML or JSON (secrets never), or as an msmtprc'
            cand queue 'The outbox: queue messages, send them in bulk, see what failed and retry it'
            cand import 'Apply a configuration file (merge, or --replace), or an Odoo server configuration'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mailroute;help;domain'= {
            cand add 'Add an alias domain'
            cand set 'Change an alias domain (alias changes ask for confirmation and are kept in a history)'
            cand list 'List alias domains in routing order'
            cand show 'Show one alias domain, its addresses, companies and alias history'
            cand remove 'Remove an alias domain that no company uses'
        }
        &'mailroute;help;domain;add'= {
        }
        &'mailroute;help;domain;set'= {
        }
        &'mailroute;help;domain;list'= {
        }
        &'mailroute;help;domain;show'= {
        }
        &'mailroute;help;domain;remove'= {
        }
        &'mailroute;help;company'= {
            cand add 'Add a company (it gets the first alias domain unless --domain says otherwise)'
            cand set 'Change a company''s alias domain'
            cand list 'List companies and their alias domains'
            cand remove 'Remove a company'
        }
        &'mailroute;help;company;add'= {
        }
        &'mailroute;help;company;set'= {
        }
        &'mailroute;help;company;list'= {
        }
        &'mailroute;help;company;remove'= {
        }
        &'mailroute;help;server'= {
            cand add 'Add an outgoing SMTP server'
            cand set 'Change an outgoing SMTP server'
            cand enable 'Enable a server'
            cand disable 'Disable a server (it is then never chosen)'
            cand list 'List servers in routing order'
            cand show 'Show one server (secrets are never shown)'
            cand remove 'Remove a server'
        }
        &'mailroute;help;server;add'= {
        }
        &'mailroute;help;server;set'= {
        }
        &'mailroute;help;server;enable'= {
        }
        &'mailroute;help;server;disable'= {
        }
        &'mailroute;help;server;list'= {
        }
        &'mailroute;help;server;show'= {
        }
        &'mailroute;help;server;remove'= {
        }
        &'mailroute;help;settings'= {
            cand show 'Show every setting, with its default when unset'
            cand set 'Set a setting'
            cand unset 'Unset a setting (back to its default)'
        }
        &'mailroute;help;settings;show'= {
        }
        &'mailroute;help;settings;set'= {
        }
        &'mailroute;help;settings;unset'= {
        }
        &'mailroute;help;route'= {
        }
        &'mailroute;help;local-parts'= {
        }
        &'mailroute;help;test-connection'= {
        }
        &'mailroute;help;send'= {
        }
        &'mailroute;help;doctor'= {
        }
        &'mailroute;help;export'= {
        }
        &'mailroute;help;queue'= {
            cand add 'Add messages from a JSONL file (one JSON object per line), all or none'
            cand run 'Send everything due, reusing one connection per group of messages'
            cand list 'List messages in the outbox'
            cand show 'Show one message: its routing, attempts and last reply'
            cand retry 'Queue messages again now (failed, deferred, unknown or cancelled ones)'
            cand cancel 'Cancel messages that are not sent yet'
            cand purge 'Delete sent messages older than a duration'
        }
        &'mailroute;help;queue;add'= {
        }
        &'mailroute;help;queue;run'= {
        }
        &'mailroute;help;queue;list'= {
        }
        &'mailroute;help;queue;show'= {
        }
        &'mailroute;help;queue;retry'= {
        }
        &'mailroute;help;queue;cancel'= {
        }
        &'mailroute;help;queue;purge'= {
        }
        &'mailroute;help;import'= {
        }
        &'mailroute;help;help'= {
        }
    ]
    $completions[$command]
}
