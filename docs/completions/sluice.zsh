#compdef sluice

__sluice_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__sluice_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __sluice_complete "${completions[@]:0:-1}"
    fi
}

__sluice_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_sluice() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'demo:Build the bundled example offline and run a reconcile pass on it.'
            'reconcile:Resolve every subscription upstream and queue drift into updates/pending/.'
            'pending:List pending updates grouped by plugin and target.'
            'status:Show each workspace'\''s plugins: track, installed, upstream target and state.'
            'apply:Install the approved updates in updates/approved/, exactly as approved.'
            'install:Install a plugin now (an explicit operator command) and record its subscription.'
            'rollback:Swap the most recently retained tree of a plugin back in (an explicit operator command).'
            'approve:Move pending updates into updates/approved/ by selector (canary, then fan out).'
            'reject:Move pending updates into updates/rejected/ by selector.'
            'hold:Freeze a plugin: set '\''hold: true'\'' on its entry in plugins.yaml (comments kept).'
            'unhold:Lift a hold: set '\''hold: false'\'' on the plugin'\''s entry in plugins.yaml (comments kept).'
            'diff:Show what an update would change: paths, hot or restart and why, and the patch.'
            'check:Validate plugins.yaml and sluice.yaml files without touching anything.'
            'init:Lay out a new root: a commented sluice.yaml, the updates/ folders and a .gitignore.'
            'serve:Run as a service: reconcile on a schedule and on webhooks, apply approvals, serve metrics and the admin API.'
            'sync:On a root that is a git working copy: pull, reconcile, apply, then commit and push the queue.'
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        demo|reconcile|pending|status|apply|install|rollback|approve|reject|hold|unhold|diff|check|init|serve|sync|help)
            "_sluice_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_sluice_demo() {
    local -i ret=1
    local -ar ___log_level=('trace' 'debug' 'info' 'notice' 'warning' 'error')
    local -ar arg_specs=(
        '--examples[The bundled examples folder (default\: found, see above).]:path:_files -/'
        '--into[Where to lay out the demo (replaced if it is an earlier demo).]:path:_files -/'
        '--log-level[Lowest log level written to standard error.]:level:{__sluice_complete "${___log_level[@]}"}'
        '--json[Print the demo'\''s reconcile report as JSON, with the demo root and upstream folders.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_reconcile() {
    local -i ret=1
    local -ar ___log_level=('trace' 'debug' 'info' 'notice' 'warning' 'error')
    local -ar ___log_format=('logfmt' 'json')
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:_files -/'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:{__sluice_complete "${___log_level[@]}"}'
        '--log-format[Log line format\: logfmt or json.]:format:{__sluice_complete "${___log_format[@]}"}'
        '--shard[Reconcile only this share of the workspaces (K/N).]:K/N:'
        '--json[Print the report as JSON (schema in spec/formats.md).]'
        '*--source[Only subscriptions to this source (a git URL exactly as in plugins.yaml); repeat for several.]:url:{__sluice_custom_complete ---completion reconcile -- --source "${current_word_index}" "$(__sluice_cursor_index_in_current_word)"}'
        '--workspace[Only workspaces whose path matches this shell pattern (fnmatch, as for approve).]:glob:{__sluice_custom_complete ---completion reconcile -- --workspace "${current_word_index}" "$(__sluice_cursor_index_in_current_word)"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_pending() {
    local -i ret=1
    local -ar ___log_level=('trace' 'debug' 'info' 'notice' 'warning' 'error')
    local -ar ___log_format=('logfmt' 'json')
    local -ar ___output=('text' 'wide' 'json')
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:_files -/'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:{__sluice_complete "${___log_level[@]}"}'
        '--log-format[Log line format\: logfmt or json.]:format:{__sluice_complete "${___log_format[@]}"}'
        '--json[Print JSON (schema in spec/formats.md).]'
        '(-o --output)'{-o,--output}'[Output\: text (fitted to the terminal width, long cells cut with …), wide (every cell in full) or json.]:format:{__sluice_complete "${___output[@]}"}'
        '--wide[Print every cell in full, however wide (the same as -o wide).]'
        '--shard[List only the updates of this share of the workspaces (K/N), as '\''reconcile --shard'\'' takes it.]:K/N:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_status() {
    local -i ret=1
    local -ar ___log_level=('trace' 'debug' 'info' 'notice' 'warning' 'error')
    local -ar ___log_format=('logfmt' 'json')
    local -ar ___output=('text' 'wide' 'json')
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:_files -/'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:{__sluice_complete "${___log_level[@]}"}'
        '--log-format[Log line format\: logfmt or json.]:format:{__sluice_complete "${___log_format[@]}"}'
        '--json[Print JSON (schema in spec/formats.md).]'
        '(-o --output)'{-o,--output}'[Output\: text (fitted to the terminal width, long cells cut with …), wide (every cell in full) or json.]:format:{__sluice_complete "${___output[@]}"}'
        '--wide[Print every cell in full, however wide (the same as -o wide).]'
        '--shard[Show only this share of the workspaces (K/N), as '\''reconcile --shard'\'' takes it.]:K/N:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_apply() {
    local -i ret=1
    local -ar ___log_level=('trace' 'debug' 'info' 'notice' 'warning' 'error')
    local -ar ___log_format=('logfmt' 'json')
    local -ar ___output=('text' 'wide' 'json')
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:_files -/'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:{__sluice_complete "${___log_level[@]}"}'
        '--log-format[Log line format\: logfmt or json.]:format:{__sluice_complete "${___log_format[@]}"}'
        '--dry-run[Say what would happen; change nothing in plugins/ or the queue.]'
        '--force[Install over a plugin folder that was modified locally; the edited tree is retained. With ids, also takes an update back from updates/failed/ (or pending/) while its basis holds.]'
        '--json[Print the report as JSON.]'
        '(-o --output)'{-o,--output}'[Output\: text (fitted to the terminal width, long cells cut with …), wide (every cell in full) or json.]:format:{__sluice_complete "${___output[@]}"}'
        '--wide[Print every cell in full, however wide (the same as -o wide).]'
        '--shard[Apply only the updates of this share of the workspaces (K/N).]:K/N:'
        '*:file:{__sluice_custom_complete ---completion apply -- positional@0 "${current_word_index}" "$(__sluice_cursor_index_in_current_word)"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_install() {
    local -i ret=1
    local -ar ___log_level=('trace' 'debug' 'info' 'notice' 'warning' 'error')
    local -ar ___log_format=('logfmt' 'json')
    local -ar ___track=('none' 'tag:latest' 'branch:main')
    local -ar ___output=('text' 'wide' 'json')
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:_files -/'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:{__sluice_complete "${___log_level[@]}"}'
        '--log-format[Log line format\: logfmt or json.]:format:{__sluice_complete "${___log_format[@]}"}'
        ':workspace:{__sluice_custom_complete ---completion install -- positional@0 "${current_word_index}" "$(__sluice_cursor_index_in_current_word)"}'
        ':plugin:{__sluice_custom_complete ---completion install -- positional@1 "${current_word_index}" "$(__sluice_cursor_index_in_current_word)"}'
        '--source[The plugin'\''s git URL.]:url:{__sluice_custom_complete ---completion install -- --source "${current_word_index}" "$(__sluice_cursor_index_in_current_word)"}'
        '--subpath[A folder inside the repository that holds the plugin.]:path:'
        '--track[What to follow from now on\: tag\:latest, tag\:^1.2, branch\:main, sha\:<hex>, or none (install once, never update).]:track:{__sluice_complete "${___track[@]}"}'
        '--ref[Tag, branch or SHA to install now (default\: the track'\''s target).]:ref:'
        '--json[Print the report as JSON.]'
        '(-o --output)'{-o,--output}'[Output\: text (fitted to the terminal width, long cells cut with …), wide (every cell in full) or json.]:format:{__sluice_complete "${___output[@]}"}'
        '--wide[Print every cell in full, however wide (the same as -o wide).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_rollback() {
    local -i ret=1
    local -ar ___log_level=('trace' 'debug' 'info' 'notice' 'warning' 'error')
    local -ar ___log_format=('logfmt' 'json')
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:_files -/'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:{__sluice_complete "${___log_level[@]}"}'
        '--log-format[Log line format\: logfmt or json.]:format:{__sluice_complete "${___log_format[@]}"}'
        ':workspace:{__sluice_custom_complete ---completion rollback -- positional@0 "${current_word_index}" "$(__sluice_cursor_index_in_current_word)"}'
        ':plugin:{__sluice_custom_complete ---completion rollback -- positional@1 "${current_word_index}" "$(__sluice_cursor_index_in_current_word)"}'
        '--json[Print the rollback record as JSON.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_approve() {
    local -i ret=1
    local -ar ___log_level=('trace' 'debug' 'info' 'notice' 'warning' 'error')
    local -ar ___log_format=('logfmt' 'json')
    local -ar ___output=('text' 'wide' 'json')
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:_files -/'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:{__sluice_complete "${___log_level[@]}"}'
        '--log-format[Log line format\: logfmt or json.]:format:{__sluice_complete "${___log_format[@]}"}'
        '*:id:{__sluice_custom_complete ---completion approve -- positional@0 "${current_word_index}" "$(__sluice_cursor_index_in_current_word)"}'
        '--plugin[Only updates of this plugin.]:name:{__sluice_custom_complete ---completion approve -- --plugin "${current_word_index}" "$(__sluice_cursor_index_in_current_word)"}'
        '--to[Only updates to this target\: a tag or branch name, or a SHA prefix.]:ref:'
        '--workspace[Only workspaces whose path matches this shell pattern.]:glob:{__sluice_custom_complete ---completion approve -- --workspace "${current_word_index}" "$(__sluice_cursor_index_in_current_word)"}'
        '--all[Every pending update (still narrowed by the other selectors).]'
        '--canary[Only the first N workspaces (by path) of each plugin-and-target group.]:N:'
        '--force[Approve past the canary gate\: fan out although the target'\''s canary is not applied, failed or still soaking (approve only).]'
        '--git[Also stage the moves in the git checkout that holds the root.]'
        '--dry-run[Say what would move; move nothing.]'
        '--json[Print what moved as JSON.]'
        '(-o --output)'{-o,--output}'[Output\: text (fitted to the terminal width, long cells cut with …), wide (every cell in full) or json.]:format:{__sluice_complete "${___output[@]}"}'
        '--wide[Print every cell in full, however wide (the same as -o wide).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_reject() {
    local -i ret=1
    local -ar ___log_level=('trace' 'debug' 'info' 'notice' 'warning' 'error')
    local -ar ___log_format=('logfmt' 'json')
    local -ar ___output=('text' 'wide' 'json')
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:_files -/'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:{__sluice_complete "${___log_level[@]}"}'
        '--log-format[Log line format\: logfmt or json.]:format:{__sluice_complete "${___log_format[@]}"}'
        '*:id:{__sluice_custom_complete ---completion reject -- positional@0 "${current_word_index}" "$(__sluice_cursor_index_in_current_word)"}'
        '--plugin[Only updates of this plugin.]:name:{__sluice_custom_complete ---completion reject -- --plugin "${current_word_index}" "$(__sluice_cursor_index_in_current_word)"}'
        '--to[Only updates to this target\: a tag or branch name, or a SHA prefix.]:ref:'
        '--workspace[Only workspaces whose path matches this shell pattern.]:glob:{__sluice_custom_complete ---completion reject -- --workspace "${current_word_index}" "$(__sluice_cursor_index_in_current_word)"}'
        '--all[Every pending update (still narrowed by the other selectors).]'
        '--canary[Only the first N workspaces (by path) of each plugin-and-target group.]:N:'
        '--force[Approve past the canary gate\: fan out although the target'\''s canary is not applied, failed or still soaking (approve only).]'
        '--git[Also stage the moves in the git checkout that holds the root.]'
        '--dry-run[Say what would move; move nothing.]'
        '--json[Print what moved as JSON.]'
        '(-o --output)'{-o,--output}'[Output\: text (fitted to the terminal width, long cells cut with …), wide (every cell in full) or json.]:format:{__sluice_complete "${___output[@]}"}'
        '--wide[Print every cell in full, however wide (the same as -o wide).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_hold() {
    local -i ret=1
    local -ar ___log_level=('trace' 'debug' 'info' 'notice' 'warning' 'error')
    local -ar ___log_format=('logfmt' 'json')
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:_files -/'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:{__sluice_complete "${___log_level[@]}"}'
        '--log-format[Log line format\: logfmt or json.]:format:{__sluice_complete "${___log_format[@]}"}'
        ':workspace:{__sluice_custom_complete ---completion hold -- positional@0 "${current_word_index}" "$(__sluice_cursor_index_in_current_word)"}'
        ':plugin:{__sluice_custom_complete ---completion hold -- positional@1 "${current_word_index}" "$(__sluice_cursor_index_in_current_word)"}'
        '--json[Print the result as JSON.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_unhold() {
    local -i ret=1
    local -ar ___log_level=('trace' 'debug' 'info' 'notice' 'warning' 'error')
    local -ar ___log_format=('logfmt' 'json')
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:_files -/'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:{__sluice_complete "${___log_level[@]}"}'
        '--log-format[Log line format\: logfmt or json.]:format:{__sluice_complete "${___log_format[@]}"}'
        ':workspace:{__sluice_custom_complete ---completion unhold -- positional@0 "${current_word_index}" "$(__sluice_cursor_index_in_current_word)"}'
        ':plugin:{__sluice_custom_complete ---completion unhold -- positional@1 "${current_word_index}" "$(__sluice_cursor_index_in_current_word)"}'
        '--json[Print the result as JSON.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_diff() {
    local -i ret=1
    local -ar ___log_level=('trace' 'debug' 'info' 'notice' 'warning' 'error')
    local -ar ___log_format=('logfmt' 'json')
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:_files -/'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:{__sluice_complete "${___log_level[@]}"}'
        '--log-format[Log line format\: logfmt or json.]:format:{__sluice_complete "${___log_format[@]}"}'
        '*:id | workspace plugin:{__sluice_custom_complete ---completion diff -- positional@0 "${current_word_index}" "$(__sluice_cursor_index_in_current_word)"}'
        '--patch[Also print the full text diff.]'
        '--json[Print JSON.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_check() {
    local -i ret=1
    local -ar ___log_level=('trace' 'debug' 'info' 'notice' 'warning' 'error')
    local -ar ___log_format=('logfmt' 'json')
    local -ar ___format=('text' 'github' 'json')
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:_files -/'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:{__sluice_complete "${___log_level[@]}"}'
        '--log-format[Log line format\: logfmt or json.]:format:{__sluice_complete "${___log_format[@]}"}'
        '--format[Output format\: text, github or json.]:format:{__sluice_complete "${___format[@]}"}'
        '--json[Print the result as JSON (the same as --format json).]'
        '*:path:_files -g '\''*.yaml'\'''
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_init() {
    local -i ret=1
    local -ar ___log_level=('trace' 'debug' 'info' 'notice' 'warning' 'error')
    local -ar ___log_format=('logfmt' 'json')
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:_files -/'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:{__sluice_complete "${___log_level[@]}"}'
        '--log-format[Log line format\: logfmt or json.]:format:{__sluice_complete "${___log_format[@]}"}'
        '--json[Print what was created as JSON.]'
        '--git[The root is a git working copy whose queue Sluice commits (sluice sync, serve --git)\: also keep plugins/ and claims out of git.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_serve() {
    local -i ret=1
    local -ar ___log_level=('trace' 'debug' 'info' 'notice' 'warning' 'error')
    local -ar ___log_format=('logfmt' 'json')
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:_files -/'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:{__sluice_complete "${___log_level[@]}"}'
        '--log-format[Log line format\: logfmt or json.]:format:{__sluice_complete "${___log_format[@]}"}'
        '--listen[Address to listen on; port 0 picks a free port, written to <state>/serve.port.]:host\:port:'
        '--interval[Seconds between scheduled passes (before jitter).]:seconds:'
        '--idle-timeout[Seconds a connection may stay silent, also mid-request, before it is closed.]:seconds:'
        '--max-connections[Most connections open at once; more are closed as soon as they are accepted.]:count:'
        '--shutdown-timeout[Seconds a stop waits for open requests before it drops them (an apply in progress still finishes).]:seconds:'
        '--no-apply[Do not apply approved files; leave that to '\''sluice apply'\''.]'
        '--webhook-secret-file[File holding the webhook secret (else SLUICE_WEBHOOK_SECRET).]:path:'
        '--admin-token-file[File holding the admin API'\''s bearer token (else SLUICE_ADMIN_TOKEN).]:path:'
        '--shard[Serve only this share of the workspaces (K/N); with a StatefulSet, K is the pod ordinal + 1.]:K/N:'
        '--git[The root is a git working copy\: pull its upstream branch before each pass (and on a push webhook for it), commit and push the queue after passes and applies (spec/gitops.md).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_sync() {
    local -i ret=1
    local -ar ___log_level=('trace' 'debug' 'info' 'notice' 'warning' 'error')
    local -ar ___log_format=('logfmt' 'json')
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:_files -/'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:{__sluice_complete "${___log_level[@]}"}'
        '--log-format[Log line format\: logfmt or json.]:format:{__sluice_complete "${___log_format[@]}"}'
        '--no-apply[Pull, reconcile and push only; apply nothing.]'
        '--json[Print the report as JSON.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _sluice ]]; then
    _sluice "${@}"
else
    compdef _sluice sluice
fi
