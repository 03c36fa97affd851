function __sluice_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __sluice_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __sluice_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __sluice_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __sluice_parse_tokens -S
    set -l unparsed_tokens (__sluice_tokens -pc)
    switch $unparsed_tokens[1]
    case 'sluice'
        __sluice_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'demo'
            __sluice_parse_subcommand 0 'examples=' 'into=' 'log-level=' 'json' 'version' 'h/help'
        case 'reconcile'
            __sluice_parse_subcommand 0 'root=' 'log-level=' 'log-format=' 'shard=' 'json' 'source=+' 'workspace=' 'version' 'h/help'
        case 'pending'
            __sluice_parse_subcommand 0 'root=' 'log-level=' 'log-format=' 'json' 'o/output=' 'wide' 'shard=' 'version' 'h/help'
        case 'status'
            __sluice_parse_subcommand 0 'root=' 'log-level=' 'log-format=' 'json' 'o/output=' 'wide' 'shard=' 'version' 'h/help'
        case 'apply'
            __sluice_parse_subcommand -r 1 'root=' 'log-level=' 'log-format=' 'dry-run' 'force' 'json' 'o/output=' 'wide' 'shard=' 'version' 'h/help'
        case 'install'
            __sluice_parse_subcommand 2 'root=' 'log-level=' 'log-format=' 'source=' 'subpath=' 'track=' 'ref=' 'json' 'o/output=' 'wide' 'version' 'h/help'
        case 'rollback'
            __sluice_parse_subcommand 2 'root=' 'log-level=' 'log-format=' 'json' 'version' 'h/help'
        case 'approve'
            __sluice_parse_subcommand -r 1 'root=' 'log-level=' 'log-format=' 'plugin=' 'to=' 'workspace=' 'all' 'canary=' 'force' 'git' 'dry-run' 'json' 'o/output=' 'wide' 'version' 'h/help'
        case 'reject'
            __sluice_parse_subcommand -r 1 'root=' 'log-level=' 'log-format=' 'plugin=' 'to=' 'workspace=' 'all' 'canary=' 'force' 'git' 'dry-run' 'json' 'o/output=' 'wide' 'version' 'h/help'
        case 'hold'
            __sluice_parse_subcommand 2 'root=' 'log-level=' 'log-format=' 'json' 'version' 'h/help'
        case 'unhold'
            __sluice_parse_subcommand 2 'root=' 'log-level=' 'log-format=' 'json' 'version' 'h/help'
        case 'diff'
            __sluice_parse_subcommand -r 1 'root=' 'log-level=' 'log-format=' 'patch' 'json' 'version' 'h/help'
        case 'check'
            __sluice_parse_subcommand -r 1 'root=' 'log-level=' 'log-format=' 'format=' 'json' 'version' 'h/help'
        case 'init'
            __sluice_parse_subcommand 0 'root=' 'log-level=' 'log-format=' 'json' 'git' 'version' 'h/help'
        case 'serve'
            __sluice_parse_subcommand 0 'root=' 'log-level=' 'log-format=' 'listen=' 'interval=' 'idle-timeout=' 'max-connections=' 'shutdown-timeout=' 'no-apply' 'webhook-secret-file=' 'admin-token-file=' 'shard=' 'git' 'version' 'h/help'
        case 'sync'
            __sluice_parse_subcommand 0 'root=' 'log-level=' 'log-format=' 'no-apply' 'json' 'version' 'h/help'
        case 'help'
            __sluice_parse_subcommand -r 1 'version'
        end
    end
end

function __sluice_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __sluice_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __sluice_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __sluice_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__sluice_tokens -p)
    if test -z "$(__sluice_tokens -t)"
        set -l index (count (__sluice_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'sluice' -f
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice" version' -l 'version' -d 'Show the version.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice" -eq 1' -fa 'demo' -d 'Build the bundled example offline and run a reconcile pass on it.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice" -eq 1' -fa 'reconcile' -d 'Resolve every subscription upstream and queue drift into updates/pending/.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice" -eq 1' -fa 'pending' -d 'List pending updates grouped by plugin and target.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice" -eq 1' -fa 'status' -d 'Show each workspace\'s plugins: track, installed, upstream target and state.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice" -eq 1' -fa 'apply' -d 'Install the approved updates in updates/approved/, exactly as approved.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice" -eq 1' -fa 'install' -d 'Install a plugin now (an explicit operator command) and record its subscription.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice" -eq 1' -fa 'rollback' -d 'Swap the most recently retained tree of a plugin back in (an explicit operator command).'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice" -eq 1' -fa 'approve' -d 'Move pending updates into updates/approved/ by selector (canary, then fan out).'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice" -eq 1' -fa 'reject' -d 'Move pending updates into updates/rejected/ by selector.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice" -eq 1' -fa 'hold' -d 'Freeze a plugin: set \'hold: true\' on its entry in plugins.yaml (comments kept).'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice" -eq 1' -fa 'unhold' -d 'Lift a hold: set \'hold: false\' on the plugin\'s entry in plugins.yaml (comments kept).'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice" -eq 1' -fa 'diff' -d 'Show what an update would change: paths, hot or restart and why, and the patch.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice" -eq 1' -fa 'check' -d 'Validate plugins.yaml and sluice.yaml files without touching anything.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice" -eq 1' -fa 'init' -d 'Lay out a new root: a commented sluice.yaml, the updates/ folders and a .gitignore.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice" -eq 1' -fa 'serve' -d 'Run as a service: reconcile on a schedule and on webhooks, apply approvals, serve metrics and the admin API.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice" -eq 1' -fa 'sync' -d 'On a root that is a git working copy: pull, reconcile, apply, then commit and push the queue.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice demo" examples' -l 'examples' -d 'The bundled examples folder (default: found, see above).' -rfa '(__sluice_complete_directories)'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice demo" into' -l 'into' -d 'Where to lay out the demo (replaced if it is an earlier demo).' -rfa '(__sluice_complete_directories)'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice demo" log-level' -l 'log-level' -d 'Lowest log level written to standard error.' -rfka 'trace debug info notice warning error'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice demo" json' -l 'json' -d 'Print the demo\'s reconcile report as JSON, with the demo root and upstream folders.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice demo" version' -l 'version' -d 'Show the version.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice demo" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reconcile" root' -l 'root' -d 'The root folder holding workspaces and the queue.' -rfa '(__sluice_complete_directories)'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reconcile" log-level' -l 'log-level' -d 'Lowest log level written to standard error (trace, debug, info, notice, warning, error).' -rfka 'trace debug info notice warning error'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reconcile" log-format' -l 'log-format' -d 'Log line format: logfmt or json.' -rfka 'logfmt json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reconcile" shard' -l 'shard' -d 'Reconcile only this share of the workspaces (K/N).' -rfka ''
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reconcile" json' -l 'json' -d 'Print the report as JSON (schema in spec/formats.md).'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reconcile"' -l 'source' -d 'Only subscriptions to this source (a git URL exactly as in plugins.yaml); repeat for several.' -rfka '(__sluice_custom_completion ---completion reconcile -- --source (count (__sluice_tokens -pc)) (__sluice_tokens -tC))'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reconcile" workspace' -l 'workspace' -d 'Only workspaces whose path matches this shell pattern (fnmatch, as for approve).' -rfka '(__sluice_custom_completion ---completion reconcile -- --workspace (count (__sluice_tokens -pc)) (__sluice_tokens -tC))'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reconcile" version' -l 'version' -d 'Show the version.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reconcile" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice pending" root' -l 'root' -d 'The root folder holding workspaces and the queue.' -rfa '(__sluice_complete_directories)'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice pending" log-level' -l 'log-level' -d 'Lowest log level written to standard error (trace, debug, info, notice, warning, error).' -rfka 'trace debug info notice warning error'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice pending" log-format' -l 'log-format' -d 'Log line format: logfmt or json.' -rfka 'logfmt json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice pending" json' -l 'json' -d 'Print JSON (schema in spec/formats.md).'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice pending" o output' -s 'o' -l 'output' -d 'Output: text (fitted to the terminal width, long cells cut with …), wide (every cell in full) or json.' -rfka 'text wide json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice pending" wide' -l 'wide' -d 'Print every cell in full, however wide (the same as -o wide).'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice pending" shard' -l 'shard' -d 'List only the updates of this share of the workspaces (K/N), as \'reconcile --shard\' takes it.' -rfka ''
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice pending" version' -l 'version' -d 'Show the version.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice pending" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice status" root' -l 'root' -d 'The root folder holding workspaces and the queue.' -rfa '(__sluice_complete_directories)'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice status" log-level' -l 'log-level' -d 'Lowest log level written to standard error (trace, debug, info, notice, warning, error).' -rfka 'trace debug info notice warning error'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice status" log-format' -l 'log-format' -d 'Log line format: logfmt or json.' -rfka 'logfmt json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice status" json' -l 'json' -d 'Print JSON (schema in spec/formats.md).'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice status" o output' -s 'o' -l 'output' -d 'Output: text (fitted to the terminal width, long cells cut with …), wide (every cell in full) or json.' -rfka 'text wide json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice status" wide' -l 'wide' -d 'Print every cell in full, however wide (the same as -o wide).'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice status" shard' -l 'shard' -d 'Show only this share of the workspaces (K/N), as \'reconcile --shard\' takes it.' -rfka ''
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice status" version' -l 'version' -d 'Show the version.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice apply" root' -l 'root' -d 'The root folder holding workspaces and the queue.' -rfa '(__sluice_complete_directories)'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice apply" log-level' -l 'log-level' -d 'Lowest log level written to standard error (trace, debug, info, notice, warning, error).' -rfka 'trace debug info notice warning error'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice apply" log-format' -l 'log-format' -d 'Log line format: logfmt or json.' -rfka 'logfmt json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice apply" dry-run' -l 'dry-run' -d 'Say what would happen; change nothing in plugins/ or the queue.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice apply" force' -l 'force' -d 'Install over a plugin folder that was modified locally; the edited tree is retained. With ids, also takes an update back from updates/failed/ (or pending/) while its basis holds.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice apply" json' -l 'json' -d 'Print the report as JSON.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice apply" o output' -s 'o' -l 'output' -d 'Output: text (fitted to the terminal width, long cells cut with …), wide (every cell in full) or json.' -rfka 'text wide json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice apply" wide' -l 'wide' -d 'Print every cell in full, however wide (the same as -o wide).'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice apply" shard' -l 'shard' -d 'Apply only the updates of this share of the workspaces (K/N).' -rfka ''
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice apply" -ge 1' -fka '(__sluice_custom_completion ---completion apply -- positional@0 (count (__sluice_tokens -pc)) (__sluice_tokens -tC))'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice apply" version' -l 'version' -d 'Show the version.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice apply" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice install" root' -l 'root' -d 'The root folder holding workspaces and the queue.' -rfa '(__sluice_complete_directories)'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice install" log-level' -l 'log-level' -d 'Lowest log level written to standard error (trace, debug, info, notice, warning, error).' -rfka 'trace debug info notice warning error'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice install" log-format' -l 'log-format' -d 'Log line format: logfmt or json.' -rfka 'logfmt json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice install" -eq 1' -fka '(__sluice_custom_completion ---completion install -- positional@0 (count (__sluice_tokens -pc)) (__sluice_tokens -tC))'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice install" -eq 2' -fka '(__sluice_custom_completion ---completion install -- positional@1 (count (__sluice_tokens -pc)) (__sluice_tokens -tC))'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice install" source' -l 'source' -d 'The plugin\'s git URL.' -rfka '(__sluice_custom_completion ---completion install -- --source (count (__sluice_tokens -pc)) (__sluice_tokens -tC))'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice install" subpath' -l 'subpath' -d 'A folder inside the repository that holds the plugin.' -rfka ''
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice install" track' -l 'track' -d 'What to follow from now on: tag:latest, tag:^1.2, branch:main, sha:<hex>, or none (install once, never update).' -rfka 'none tag:latest branch:main'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice install" ref' -l 'ref' -d 'Tag, branch or SHA to install now (default: the track\'s target).' -rfka ''
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice install" json' -l 'json' -d 'Print the report as JSON.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice install" o output' -s 'o' -l 'output' -d 'Output: text (fitted to the terminal width, long cells cut with …), wide (every cell in full) or json.' -rfka 'text wide json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice install" wide' -l 'wide' -d 'Print every cell in full, however wide (the same as -o wide).'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice install" version' -l 'version' -d 'Show the version.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice install" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice rollback" root' -l 'root' -d 'The root folder holding workspaces and the queue.' -rfa '(__sluice_complete_directories)'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice rollback" log-level' -l 'log-level' -d 'Lowest log level written to standard error (trace, debug, info, notice, warning, error).' -rfka 'trace debug info notice warning error'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice rollback" log-format' -l 'log-format' -d 'Log line format: logfmt or json.' -rfka 'logfmt json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice rollback" -eq 1' -fka '(__sluice_custom_completion ---completion rollback -- positional@0 (count (__sluice_tokens -pc)) (__sluice_tokens -tC))'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice rollback" -eq 2' -fka '(__sluice_custom_completion ---completion rollback -- positional@1 (count (__sluice_tokens -pc)) (__sluice_tokens -tC))'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice rollback" json' -l 'json' -d 'Print the rollback record as JSON.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice rollback" version' -l 'version' -d 'Show the version.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice rollback" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice approve" root' -l 'root' -d 'The root folder holding workspaces and the queue.' -rfa '(__sluice_complete_directories)'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice approve" log-level' -l 'log-level' -d 'Lowest log level written to standard error (trace, debug, info, notice, warning, error).' -rfka 'trace debug info notice warning error'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice approve" log-format' -l 'log-format' -d 'Log line format: logfmt or json.' -rfka 'logfmt json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice approve" -ge 1' -fka '(__sluice_custom_completion ---completion approve -- positional@0 (count (__sluice_tokens -pc)) (__sluice_tokens -tC))'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice approve" plugin' -l 'plugin' -d 'Only updates of this plugin.' -rfka '(__sluice_custom_completion ---completion approve -- --plugin (count (__sluice_tokens -pc)) (__sluice_tokens -tC))'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice approve" to' -l 'to' -d 'Only updates to this target: a tag or branch name, or a SHA prefix.' -rfka ''
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice approve" workspace' -l 'workspace' -d 'Only workspaces whose path matches this shell pattern.' -rfka '(__sluice_custom_completion ---completion approve -- --workspace (count (__sluice_tokens -pc)) (__sluice_tokens -tC))'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice approve" all' -l 'all' -d 'Every pending update (still narrowed by the other selectors).'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice approve" canary' -l 'canary' -d 'Only the first N workspaces (by path) of each plugin-and-target group.' -rfka ''
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice approve" force' -l 'force' -d 'Approve past the canary gate: fan out although the target\'s canary is not applied, failed or still soaking (approve only).'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice approve" git' -l 'git' -d 'Also stage the moves in the git checkout that holds the root.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice approve" dry-run' -l 'dry-run' -d 'Say what would move; move nothing.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice approve" json' -l 'json' -d 'Print what moved as JSON.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice approve" o output' -s 'o' -l 'output' -d 'Output: text (fitted to the terminal width, long cells cut with …), wide (every cell in full) or json.' -rfka 'text wide json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice approve" wide' -l 'wide' -d 'Print every cell in full, however wide (the same as -o wide).'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice approve" version' -l 'version' -d 'Show the version.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice approve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reject" root' -l 'root' -d 'The root folder holding workspaces and the queue.' -rfa '(__sluice_complete_directories)'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reject" log-level' -l 'log-level' -d 'Lowest log level written to standard error (trace, debug, info, notice, warning, error).' -rfka 'trace debug info notice warning error'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reject" log-format' -l 'log-format' -d 'Log line format: logfmt or json.' -rfka 'logfmt json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice reject" -ge 1' -fka '(__sluice_custom_completion ---completion reject -- positional@0 (count (__sluice_tokens -pc)) (__sluice_tokens -tC))'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reject" plugin' -l 'plugin' -d 'Only updates of this plugin.' -rfka '(__sluice_custom_completion ---completion reject -- --plugin (count (__sluice_tokens -pc)) (__sluice_tokens -tC))'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reject" to' -l 'to' -d 'Only updates to this target: a tag or branch name, or a SHA prefix.' -rfka ''
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reject" workspace' -l 'workspace' -d 'Only workspaces whose path matches this shell pattern.' -rfka '(__sluice_custom_completion ---completion reject -- --workspace (count (__sluice_tokens -pc)) (__sluice_tokens -tC))'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reject" all' -l 'all' -d 'Every pending update (still narrowed by the other selectors).'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reject" canary' -l 'canary' -d 'Only the first N workspaces (by path) of each plugin-and-target group.' -rfka ''
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reject" force' -l 'force' -d 'Approve past the canary gate: fan out although the target\'s canary is not applied, failed or still soaking (approve only).'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reject" git' -l 'git' -d 'Also stage the moves in the git checkout that holds the root.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reject" dry-run' -l 'dry-run' -d 'Say what would move; move nothing.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reject" json' -l 'json' -d 'Print what moved as JSON.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reject" o output' -s 'o' -l 'output' -d 'Output: text (fitted to the terminal width, long cells cut with …), wide (every cell in full) or json.' -rfka 'text wide json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reject" wide' -l 'wide' -d 'Print every cell in full, however wide (the same as -o wide).'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reject" version' -l 'version' -d 'Show the version.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice reject" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice hold" root' -l 'root' -d 'The root folder holding workspaces and the queue.' -rfa '(__sluice_complete_directories)'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice hold" log-level' -l 'log-level' -d 'Lowest log level written to standard error (trace, debug, info, notice, warning, error).' -rfka 'trace debug info notice warning error'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice hold" log-format' -l 'log-format' -d 'Log line format: logfmt or json.' -rfka 'logfmt json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice hold" -eq 1' -fka '(__sluice_custom_completion ---completion hold -- positional@0 (count (__sluice_tokens -pc)) (__sluice_tokens -tC))'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice hold" -eq 2' -fka '(__sluice_custom_completion ---completion hold -- positional@1 (count (__sluice_tokens -pc)) (__sluice_tokens -tC))'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice hold" json' -l 'json' -d 'Print the result as JSON.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice hold" version' -l 'version' -d 'Show the version.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice hold" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice unhold" root' -l 'root' -d 'The root folder holding workspaces and the queue.' -rfa '(__sluice_complete_directories)'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice unhold" log-level' -l 'log-level' -d 'Lowest log level written to standard error (trace, debug, info, notice, warning, error).' -rfka 'trace debug info notice warning error'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice unhold" log-format' -l 'log-format' -d 'Log line format: logfmt or json.' -rfka 'logfmt json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice unhold" -eq 1' -fka '(__sluice_custom_completion ---completion unhold -- positional@0 (count (__sluice_tokens -pc)) (__sluice_tokens -tC))'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice unhold" -eq 2' -fka '(__sluice_custom_completion ---completion unhold -- positional@1 (count (__sluice_tokens -pc)) (__sluice_tokens -tC))'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice unhold" json' -l 'json' -d 'Print the result as JSON.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice unhold" version' -l 'version' -d 'Show the version.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice unhold" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice diff" root' -l 'root' -d 'The root folder holding workspaces and the queue.' -rfa '(__sluice_complete_directories)'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice diff" log-level' -l 'log-level' -d 'Lowest log level written to standard error (trace, debug, info, notice, warning, error).' -rfka 'trace debug info notice warning error'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice diff" log-format' -l 'log-format' -d 'Log line format: logfmt or json.' -rfka 'logfmt json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice diff" -ge 1' -fka '(__sluice_custom_completion ---completion diff -- positional@0 (count (__sluice_tokens -pc)) (__sluice_tokens -tC))'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice diff" patch' -l 'patch' -d 'Also print the full text diff.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice diff" json' -l 'json' -d 'Print JSON.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice diff" version' -l 'version' -d 'Show the version.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice diff" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice check" root' -l 'root' -d 'The root folder holding workspaces and the queue.' -rfa '(__sluice_complete_directories)'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice check" log-level' -l 'log-level' -d 'Lowest log level written to standard error (trace, debug, info, notice, warning, error).' -rfka 'trace debug info notice warning error'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice check" log-format' -l 'log-format' -d 'Log line format: logfmt or json.' -rfka 'logfmt json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice check" format' -l 'format' -d 'Output format: text, github or json.' -rfka 'text github json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice check" json' -l 'json' -d 'Print the result as JSON (the same as --format json).'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_positional "sluice check" -ge 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'yaml\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice check" version' -l 'version' -d 'Show the version.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice init" root' -l 'root' -d 'The root folder holding workspaces and the queue.' -rfa '(__sluice_complete_directories)'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice init" log-level' -l 'log-level' -d 'Lowest log level written to standard error (trace, debug, info, notice, warning, error).' -rfka 'trace debug info notice warning error'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice init" log-format' -l 'log-format' -d 'Log line format: logfmt or json.' -rfka 'logfmt json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice init" json' -l 'json' -d 'Print what was created as JSON.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice init" git' -l 'git' -d 'The root is a git working copy whose queue Sluice commits (sluice sync, serve --git): also keep plugins/ and claims out of git.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice init" version' -l 'version' -d 'Show the version.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice init" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice serve" root' -l 'root' -d 'The root folder holding workspaces and the queue.' -rfa '(__sluice_complete_directories)'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice serve" log-level' -l 'log-level' -d 'Lowest log level written to standard error (trace, debug, info, notice, warning, error).' -rfka 'trace debug info notice warning error'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice serve" log-format' -l 'log-format' -d 'Log line format: logfmt or json.' -rfka 'logfmt json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice serve" listen' -l 'listen' -d 'Address to listen on; port 0 picks a free port, written to <state>/serve.port.' -rfka ''
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice serve" interval' -l 'interval' -d 'Seconds between scheduled passes (before jitter).' -rfka ''
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice serve" idle-timeout' -l 'idle-timeout' -d 'Seconds a connection may stay silent, also mid-request, before it is closed.' -rfka ''
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice serve" max-connections' -l 'max-connections' -d 'Most connections open at once; more are closed as soon as they are accepted.' -rfka ''
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice serve" shutdown-timeout' -l 'shutdown-timeout' -d 'Seconds a stop waits for open requests before it drops them (an apply in progress still finishes).' -rfka ''
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice serve" no-apply' -l 'no-apply' -d 'Do not apply approved files; leave that to \'sluice apply\'.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice serve" webhook-secret-file' -l 'webhook-secret-file' -d 'File holding the webhook secret (else SLUICE_WEBHOOK_SECRET).' -rfka ''
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice serve" admin-token-file' -l 'admin-token-file' -d 'File holding the admin API\'s bearer token (else SLUICE_ADMIN_TOKEN).' -rfka ''
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice serve" shard' -l 'shard' -d 'Serve only this share of the workspaces (K/N); with a StatefulSet, K is the pod ordinal + 1.' -rfka ''
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice serve" git' -l 'git' -d 'The root is a git working copy: pull its upstream branch before each pass (and on a push webhook for it), commit and push the queue after passes and applies (spec/gitops.md).'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice serve" version' -l 'version' -d 'Show the version.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice sync" root' -l 'root' -d 'The root folder holding workspaces and the queue.' -rfa '(__sluice_complete_directories)'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice sync" log-level' -l 'log-level' -d 'Lowest log level written to standard error (trace, debug, info, notice, warning, error).' -rfka 'trace debug info notice warning error'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice sync" log-format' -l 'log-format' -d 'Log line format: logfmt or json.' -rfka 'logfmt json'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice sync" no-apply' -l 'no-apply' -d 'Pull, reconcile and push only; apply nothing.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice sync" json' -l 'json' -d 'Print the report as JSON.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice sync" version' -l 'version' -d 'Show the version.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice sync" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'sluice' -n '__sluice_should_offer_completions_for_flags_or_options "sluice help" version' -l 'version' -d 'Show the version.'
