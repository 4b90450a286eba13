
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'mailroute' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'mailroute'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'mailroute' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('domain', 'domain', [CompletionResultType]::ParameterValue, 'Alias domains: bounce, catchall and default-From addresses per domain')
            [CompletionResult]::new('company', 'company', [CompletionResultType]::ParameterValue, 'Companies and the alias domain each one uses')
            [CompletionResult]::new('server', 'server', [CompletionResultType]::ParameterValue, 'Outgoing SMTP servers, their priorities and From-filters')
            [CompletionResult]::new('settings', 'settings', [CompletionResultType]::ParameterValue, 'Global settings: email-from, fallback-server, fallback-from-filter, mass-mailing-server')
            [CompletionResult]::new('route', 'route', [CompletionResultType]::ParameterValue, 'Show which server, From, envelope and Reply-To a sender gets, and why')
            [CompletionResult]::new('local-parts', 'local-parts', [CompletionResultType]::ParameterValue, 'List the local parts this configuration sends from, per domain, to whitelist or redirect')
            [CompletionResult]::new('test-connection', 'test-connection', [CompletionResultType]::ParameterValue, 'Test SMTP servers stage by stage, as swaks does; no message is ever delivered')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send a message exactly as `route` decides: server, From, envelope, Reply-To')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the whole configuration for mistakes a tool can see before a message bounces')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the whole configuration as TOML or JSON (secrets never), or as an msmtprc')
            [CompletionResult]::new('queue', 'queue', [CompletionResultType]::ParameterValue, 'The outbox: queue messages, send them in bulk, see what failed and retry it')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Apply a configuration file (merge, or --replace), or an Odoo server configuration')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mailroute;domain' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an alias domain')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change an alias domain (alias changes ask for confirmation and are kept in a history)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List alias domains in routing order')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one alias domain, its addresses, companies and alias history')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an alias domain that no company uses')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mailroute;domain;add' {
            [CompletionResult]::new('--bounce', '--bounce', [CompletionResultType]::ParameterName, 'Bounce alias (local part) [default on add: bounce]; '''' for none')
            [CompletionResult]::new('--catchall', '--catchall', [CompletionResultType]::ParameterName, 'Catchall alias (local part), used for Reply-To [default on add: catchall]; '''' for none')
            [CompletionResult]::new('--default-from', '--default-from', [CompletionResultType]::ParameterName, 'Default From: a local part, or a full address to send everything as it [default on add: notifications]')
            [CompletionResult]::new('--priority', '--priority', [CompletionResultType]::ParameterName, 'Priority: lower comes first [default on add: 10]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;domain;set' {
            [CompletionResult]::new('--bounce', '--bounce', [CompletionResultType]::ParameterName, 'Bounce alias (local part) [default on add: bounce]; '''' for none')
            [CompletionResult]::new('--catchall', '--catchall', [CompletionResultType]::ParameterName, 'Catchall alias (local part), used for Reply-To [default on add: catchall]; '''' for none')
            [CompletionResult]::new('--default-from', '--default-from', [CompletionResultType]::ParameterName, 'Default From: a local part, or a full address to send everything as it [default on add: notifications]')
            [CompletionResult]::new('--priority', '--priority', [CompletionResultType]::ParameterName, 'Priority: lower comes first [default on add: 10]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;domain;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;domain;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;domain;remove' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;domain;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an alias domain')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change an alias domain (alias changes ask for confirmation and are kept in a history)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List alias domains in routing order')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one alias domain, its addresses, companies and alias history')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an alias domain that no company uses')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mailroute;domain;help;add' {
            break
        }
        'mailroute;domain;help;set' {
            break
        }
        'mailroute;domain;help;list' {
            break
        }
        'mailroute;domain;help;show' {
            break
        }
        'mailroute;domain;help;remove' {
            break
        }
        'mailroute;domain;help;help' {
            break
        }
        'mailroute;company' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a company (it gets the first alias domain unless --domain says otherwise)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a company''s alias domain')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List companies and their alias domains')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a company')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mailroute;company;add' {
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'Its alias domain: a name, or #ID')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;company;set' {
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'Its alias domain: a name, or #ID')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--no-domain', '--no-domain', [CompletionResultType]::ParameterName, 'Leave the company without an alias domain')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;company;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;company;remove' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;company;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a company (it gets the first alias domain unless --domain says otherwise)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a company''s alias domain')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List companies and their alias domains')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a company')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mailroute;company;help;add' {
            break
        }
        'mailroute;company;help;set' {
            break
        }
        'mailroute;company;help;list' {
            break
        }
        'mailroute;company;help;remove' {
            break
        }
        'mailroute;company;help;help' {
            break
        }
        'mailroute;server' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an outgoing SMTP server')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change an outgoing SMTP server')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a server')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable a server (it is then never chosen)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List servers in routing order')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one server (secrets are never shown)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a server')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mailroute;server;add' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'smtp://[user@]host[:port] (plain; ?tls=required for STARTTLS) or smtps://[user@]host[:port] (implicit TLS)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host name or IP address')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port [default: from the security mode: none 25, starttls 587, tls 465]')
            [CompletionResult]::new('--security', '--security', [CompletionResultType]::ParameterName, 'Connection security')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User name for authentication')
            [CompletionResult]::new('--password-cmd', '--password-cmd', [CompletionResultType]::ParameterName, 'A command that prints the password, run when it is needed')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'An environment variable holding the password, read when it is needed')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'AUTH mechanism [default: PLAIN, else LOGIN, as the server offers]; xoauth2 takes the token from the password source')
            [CompletionResult]::new('--from-filter', '--from-filter', [CompletionResultType]::ParameterName, 'Comma-separated addresses and domains this server may send from; '''' for any')
            [CompletionResult]::new('--priority', '--priority', [CompletionResultType]::ParameterName, 'Priority: lower comes first [default on add: 10]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificates (PEM file) trusted for this server, besides the system roots')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'A TLS client certificate (PEM) to present, for servers that authenticate by certificate')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'The private key (PEM) of --client-cert; it stays in its file')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Outbox: connections to this server at once [default: 4]')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Outbox: attempts before a temporary failure is final [default: 5]')
            [CompletionResult]::new('--per-minute', '--per-minute', [CompletionResultType]::ParameterName, 'Outbox: messages per minute at most (0: no limit); over it, messages wait')
            [CompletionResult]::new('--per-day', '--per-day', [CompletionResultType]::ParameterName, 'Outbox: messages per day at most (0: no limit); over it, messages wait')
            [CompletionResult]::new('--failover', '--failover', [CompletionResultType]::ParameterName, 'Outbox: when this server is down, use the next server routing accepts for the sender')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for the server at each step [default: 30]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of stdin (it is stored in the database)')
            [CompletionResult]::new('--no-auth', '--no-auth', [CompletionResultType]::ParameterName, 'Remove the user and password')
            [CompletionResult]::new('--allow-plaintext-auth', '--allow-plaintext-auth', [CompletionResultType]::ParameterName, 'Allow AUTH over an unencrypted connection (a trusted network only)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate (warned about on every use)')
            [CompletionResult]::new('--no-client-cert', '--no-client-cert', [CompletionResultType]::ParameterName, 'Stop presenting a client certificate')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Verify the server''s TLS certificate again (undoes --insecure)')
            [CompletionResult]::new('--disabled', '--disabled', [CompletionResultType]::ParameterName, 'Add it disabled')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;server;set' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'smtp://[user@]host[:port] (plain; ?tls=required for STARTTLS) or smtps://[user@]host[:port] (implicit TLS)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Host name or IP address')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port [default: from the security mode: none 25, starttls 587, tls 465]')
            [CompletionResult]::new('--security', '--security', [CompletionResultType]::ParameterName, 'Connection security')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User name for authentication')
            [CompletionResult]::new('--password-cmd', '--password-cmd', [CompletionResultType]::ParameterName, 'A command that prints the password, run when it is needed')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'An environment variable holding the password, read when it is needed')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'AUTH mechanism [default: PLAIN, else LOGIN, as the server offers]; xoauth2 takes the token from the password source')
            [CompletionResult]::new('--from-filter', '--from-filter', [CompletionResultType]::ParameterName, 'Comma-separated addresses and domains this server may send from; '''' for any')
            [CompletionResult]::new('--priority', '--priority', [CompletionResultType]::ParameterName, 'Priority: lower comes first [default on add: 10]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra CA certificates (PEM file) trusted for this server, besides the system roots')
            [CompletionResult]::new('--client-cert', '--client-cert', [CompletionResultType]::ParameterName, 'A TLS client certificate (PEM) to present, for servers that authenticate by certificate')
            [CompletionResult]::new('--client-key', '--client-key', [CompletionResultType]::ParameterName, 'The private key (PEM) of --client-cert; it stays in its file')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Outbox: connections to this server at once [default: 4]')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Outbox: attempts before a temporary failure is final [default: 5]')
            [CompletionResult]::new('--per-minute', '--per-minute', [CompletionResultType]::ParameterName, 'Outbox: messages per minute at most (0: no limit); over it, messages wait')
            [CompletionResult]::new('--per-day', '--per-day', [CompletionResultType]::ParameterName, 'Outbox: messages per day at most (0: no limit); over it, messages wait')
            [CompletionResult]::new('--failover', '--failover', [CompletionResultType]::ParameterName, 'Outbox: when this server is down, use the next server routing accepts for the sender')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for the server at each step [default: 30]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of stdin (it is stored in the database)')
            [CompletionResult]::new('--no-auth', '--no-auth', [CompletionResultType]::ParameterName, 'Remove the user and password')
            [CompletionResult]::new('--allow-plaintext-auth', '--allow-plaintext-auth', [CompletionResultType]::ParameterName, 'Allow AUTH over an unencrypted connection (a trusted network only)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate (warned about on every use)')
            [CompletionResult]::new('--no-client-cert', '--no-client-cert', [CompletionResultType]::ParameterName, 'Stop presenting a client certificate')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Verify the server''s TLS certificate again (undoes --insecure)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;server;enable' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;server;disable' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;server;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;server;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;server;remove' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;server;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an outgoing SMTP server')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change an outgoing SMTP server')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a server')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable a server (it is then never chosen)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List servers in routing order')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one server (secrets are never shown)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a server')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mailroute;server;help;add' {
            break
        }
        'mailroute;server;help;set' {
            break
        }
        'mailroute;server;help;enable' {
            break
        }
        'mailroute;server;help;disable' {
            break
        }
        'mailroute;server;help;list' {
            break
        }
        'mailroute;server;help;show' {
            break
        }
        'mailroute;server;help;remove' {
            break
        }
        'mailroute;server;help;help' {
            break
        }
        'mailroute;settings' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show every setting, with its default when unset')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a setting')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Unset a setting (back to its default)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mailroute;settings;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;settings;set' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;settings;unset' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;settings;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show every setting, with its default when unset')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a setting')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Unset a setting (back to its default)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mailroute;settings;help;show' {
            break
        }
        'mailroute;settings;help;set' {
            break
        }
        'mailroute;settings;help;unset' {
            break
        }
        'mailroute;settings;help;help' {
            break
        }
        'mailroute;route' {
            [CompletionResult]::new('--company', '--company', [CompletionResultType]::ParameterName, 'Route as this company (its alias domain applies)')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'Route with this alias domain (a name, or #ID)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Force this server, whatever its from-filter')
            [CompletionResult]::new('--reply-to', '--reply-to', [CompletionResultType]::ParameterName, 'The Reply-To header to use')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--stdin', '--stdin', [CompletionResultType]::ParameterName, 'Read one sender a line on stdin and print one decision a line')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'With --stdin --json: give each trace step its sentence (`detail`), as `route FROM` does; slower')
            [CompletionResult]::new('--mass', '--mass', [CompletionResultType]::ParameterName, 'A mass mailing: use the mass-mailing-server when it is set')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;local-parts' {
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'Only this domain')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;test-connection' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Sender for MAIL FROM [default: from the server''s from-filter, see routing.md §6]')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Recipient for RCPT TO [default: the sender]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each server at each step [default: the server''s, else 30]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Test every enabled server')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Also send DATA and expect 354, then hang up without sending a message')
            [CompletionResult]::new('--transcript', '--transcript', [CompletionResultType]::ParameterName, 'Print the whole SMTP conversation (AUTH is always redacted)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;send' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Recipients (repeat the flag, or give several)')
            [CompletionResult]::new('--cc', '--cc', [CompletionResultType]::ParameterName, 'Copy recipients')
            [CompletionResult]::new('--bcc', '--bcc', [CompletionResultType]::ParameterName, 'Blind copy recipients (never in the headers)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The sender [default: the notification address]')
            [CompletionResult]::new('--subject', '--subject', [CompletionResultType]::ParameterName, 'subject')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'The text body [default: read from stdin when it is not a terminal]')
            [CompletionResult]::new('--body-file', '--body-file', [CompletionResultType]::ParameterName, 'Read the text body from a file')
            [CompletionResult]::new('--html-file', '--html-file', [CompletionResultType]::ParameterName, 'An HTML body (sent as multipart/alternative with the text)')
            [CompletionResult]::new('--attach', '--attach', [CompletionResultType]::ParameterName, 'Attach files')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for the server at each step [default: the server''s, else 30]')
            [CompletionResult]::new('--company', '--company', [CompletionResultType]::ParameterName, 'Route as this company (its alias domain applies)')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'Route with this alias domain (a name, or #ID)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Force this server, whatever its from-filter')
            [CompletionResult]::new('--reply-to', '--reply-to', [CompletionResultType]::ParameterName, 'The Reply-To header to use')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Read a complete message on stdin (recipients from To/Cc/Bcc unless --to is given)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the decision, the envelope and the message instead of sending')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Put the message in the outbox instead of sending it now (`mailroute queue run` sends it)')
            [CompletionResult]::new('--mass', '--mass', [CompletionResultType]::ParameterName, 'A mass mailing: use the mass-mailing-server when it is set')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;doctor' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--connect', '--connect', [CompletionResultType]::ParameterName, 'Also run test-connection on every enabled server')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 1 when there are warnings (errors always exit 78)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;export' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The format [default: toml]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--msmtprc', '--msmtprc', [CompletionResultType]::ParameterName, 'Write an msmtp configuration instead: one account per server, with from patterns')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;queue' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add messages from a JSONL file (one JSON object per line), all or none')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Send everything due, reusing one connection per group of messages')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List messages in the outbox')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one message: its routing, attempts and last reply')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'Queue messages again now (failed, deferred, unknown or cancelled ones)')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel messages that are not sent yet')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Delete sent messages older than a duration')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mailroute;queue;add' {
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'The JSONL file (''-'' for stdin)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--skip-invalid', '--skip-invalid', [CompletionResultType]::ParameterName, 'Enqueue the valid lines and report the others (default: nothing is enqueued if one is invalid)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;queue;run' {
            [CompletionResult]::new('--per-connection', '--per-connection', [CompletionResultType]::ParameterName, 'Messages sent over one connection before it is renewed')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--resend-unknown', '--resend-unknown', [CompletionResultType]::ParameterName, 'Also resend messages whose delivery is unknown (a run was killed during their DATA); they keep their Message-ID')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;queue;list' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Only messages in this state')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;queue;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;queue;retry' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;queue;cancel' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;queue;purge' {
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, '90s, 15m, 12h, 30d')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--sent', '--sent', [CompletionResultType]::ParameterName, 'Sent messages (the only kind purged)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;queue;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add messages from a JSONL file (one JSON object per line), all or none')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Send everything due, reusing one connection per group of messages')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List messages in the outbox')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one message: its routing, attempts and last reply')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'Queue messages again now (failed, deferred, unknown or cancelled ones)')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel messages that are not sent yet')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Delete sent messages older than a duration')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mailroute;queue;help;add' {
            break
        }
        'mailroute;queue;help;run' {
            break
        }
        'mailroute;queue;help;list' {
            break
        }
        'mailroute;queue;help;show' {
            break
        }
        'mailroute;queue;help;retry' {
            break
        }
        'mailroute;queue;help;cancel' {
            break
        }
        'mailroute;queue;help;purge' {
            break
        }
        'mailroute;queue;help;help' {
            break
        }
        'mailroute;import' {
            [CompletionResult]::new('--odoo-conf', '--odoo-conf', [CompletionResultType]::ParameterName, 'An Odoo server configuration file: its smtp_* options, email_from and from_filter become the fallback server and settings')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The format of FILE [default: from its extension, else toml]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The SQLite store [default: $XDG_DATA_HOME/mailroute/mailroute.db]')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Remove what the file does not have (default: merge, adding and changing only)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be added, changed and removed, and change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine output on stdout: one JSON document (NDJSON for streams); errors as JSON on stderr')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (needed for them when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mailroute;help' {
            [CompletionResult]::new('domain', 'domain', [CompletionResultType]::ParameterValue, 'Alias domains: bounce, catchall and default-From addresses per domain')
            [CompletionResult]::new('company', 'company', [CompletionResultType]::ParameterValue, 'Companies and the alias domain each one uses')
            [CompletionResult]::new('server', 'server', [CompletionResultType]::ParameterValue, 'Outgoing SMTP servers, their priorities and From-filters')
            [CompletionResult]::new('settings', 'settings', [CompletionResultType]::ParameterValue, 'Global settings: email-from, fallback-server, fallback-from-filter, mass-mailing-server')
            [CompletionResult]::new('route', 'route', [CompletionResultType]::ParameterValue, 'Show which server, From, envelope and Reply-To a sender gets, and why')
            [CompletionResult]::new('local-parts', 'local-parts', [CompletionResultType]::ParameterValue, 'List the local parts this configuration sends from, per domain, to whitelist or redirect')
            [CompletionResult]::new('test-connection', 'test-connection', [CompletionResultType]::ParameterValue, 'Test SMTP servers stage by stage, as swaks does; no message is ever delivered')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send a message exactly as `route` decides: server, From, envelope, Reply-To')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the whole configuration for mistakes a tool can see before a message bounces')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the whole configuration as TOML or JSON (secrets never), or as an msmtprc')
            [CompletionResult]::new('queue', 'queue', [CompletionResultType]::ParameterValue, 'The outbox: queue messages, send them in bulk, see what failed and retry it')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Apply a configuration file (merge, or --replace), or an Odoo server configuration')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mailroute;help;domain' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an alias domain')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change an alias domain (alias changes ask for confirmation and are kept in a history)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List alias domains in routing order')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one alias domain, its addresses, companies and alias history')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an alias domain that no company uses')
            break
        }
        'mailroute;help;domain;add' {
            break
        }
        'mailroute;help;domain;set' {
            break
        }
        'mailroute;help;domain;list' {
            break
        }
        'mailroute;help;domain;show' {
            break
        }
        'mailroute;help;domain;remove' {
            break
        }
        'mailroute;help;company' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a company (it gets the first alias domain unless --domain says otherwise)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change a company''s alias domain')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List companies and their alias domains')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a company')
            break
        }
        'mailroute;help;company;add' {
            break
        }
        'mailroute;help;company;set' {
            break
        }
        'mailroute;help;company;list' {
            break
        }
        'mailroute;help;company;remove' {
            break
        }
        'mailroute;help;server' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an outgoing SMTP server')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change an outgoing SMTP server')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a server')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable a server (it is then never chosen)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List servers in routing order')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one server (secrets are never shown)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a server')
            break
        }
        'mailroute;help;server;add' {
            break
        }
        'mailroute;help;server;set' {
            break
        }
        'mailroute;help;server;enable' {
            break
        }
        'mailroute;help;server;disable' {
            break
        }
        'mailroute;help;server;list' {
            break
        }
        'mailroute;help;server;show' {
            break
        }
        'mailroute;help;server;remove' {
            break
        }
        'mailroute;help;settings' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show every setting, with its default when unset')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a setting')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Unset a setting (back to its default)')
            break
        }
        'mailroute;help;settings;show' {
            break
        }
        'mailroute;help;settings;set' {
            break
        }
        'mailroute;help;settings;unset' {
            break
        }
        'mailroute;help;route' {
            break
        }
        'mailroute;help;local-parts' {
            break
        }
        'mailroute;help;test-connection' {
            break
        }
        'mailroute;help;send' {
            break
        }
        'mailroute;help;doctor' {
            break
        }
        'mailroute;help;export' {
            break
        }
        'mailroute;help;queue' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add messages from a JSONL file (one JSON object per line), all or none')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Send everything due, reusing one connection per group of messages')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List messages in the outbox')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one message: its routing, attempts and last reply')
            [CompletionResult]::new('retry', 'retry', [CompletionResultType]::ParameterValue, 'Queue messages again now (failed, deferred, unknown or cancelled ones)')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel messages that are not sent yet')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Delete sent messages older than a duration')
            break
        }
        'mailroute;help;queue;add' {
            break
        }
        'mailroute;help;queue;run' {
            break
        }
        'mailroute;help;queue;list' {
            break
        }
        'mailroute;help;queue;show' {
            break
        }
        'mailroute;help;queue;retry' {
            break
        }
        'mailroute;help;queue;cancel' {
            break
        }
        'mailroute;help;queue;purge' {
            break
        }
        'mailroute;help;import' {
            break
        }
        'mailroute;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
