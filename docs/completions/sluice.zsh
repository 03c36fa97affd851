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
            'diff:Show what an update would change: paths, hot or restart and why, and the patch.'
            'check:Validate plugins.yaml and sluice.yaml files without touching anything.'
            'init:Lay out a new root: a commented sluice.yaml, the updates/ folders and a .gitignore.'
            'serve:Run as a service: reconcile on a schedule and on webhooks, apply approvals, serve metrics and the admin API.'
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        demo|reconcile|pending|status|apply|install|rollback|approve|reject|diff|check|init|serve|help)
            "_sluice_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_sluice_demo() {
    local -i ret=1
    local -ar arg_specs=(
        '--examples[The bundled examples folder (default\: found, see above).]:path:'
        '--into[Where to lay out the demo (replaced if it is an earlier demo).]:path:'
        '--log-level[Lowest log level written to standard error.]:level:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_reconcile() {
    local -i ret=1
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:'
        '--log-format[Log line format\: logfmt or json.]:format:'
        '--shard[Reconcile only this share of the workspaces (K/N).]:K/N:'
        '--json[Print the report as JSON (schema in spec/formats.md).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_pending() {
    local -i ret=1
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:'
        '--log-format[Log line format\: logfmt or json.]:format:'
        '--json[Print JSON (schema in spec/formats.md).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_status() {
    local -i ret=1
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:'
        '--log-format[Log line format\: logfmt or json.]:format:'
        '--json[Print JSON (schema in spec/formats.md).]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_apply() {
    local -i ret=1
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:'
        '--log-format[Log line format\: logfmt or json.]:format:'
        '--dry-run[Say what would happen; change nothing in plugins/ or the queue.]'
        '--force[Install over a plugin folder that was modified locally; the edited tree is retained.]'
        '--json[Print the report as JSON.]'
        '--shard[Apply only the updates of this share of the workspaces (K/N).]:K/N:'
        '*:file:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_install() {
    local -i ret=1
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:'
        '--log-format[Log line format\: logfmt or json.]:format:'
        ':workspace:'
        ':plugin:'
        '--source[The plugin'\''s git URL.]:url:'
        '--subpath[A folder inside the repository that holds the plugin.]:path:'
        '--track[What to follow from now on (default none).]:track:'
        '--ref[Tag, branch or SHA to install now (default\: the track'\''s target).]:ref:'
        '--json[Print the report as JSON.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_rollback() {
    local -i ret=1
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:'
        '--log-format[Log line format\: logfmt or json.]:format:'
        ':workspace:'
        ':plugin:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_approve() {
    local -i ret=1
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:'
        '--log-format[Log line format\: logfmt or json.]:format:'
        '*:id:'
        '--plugin[Only updates of this plugin.]:name:'
        '--to[Only updates to this target\: a tag or branch name, or a SHA prefix.]:ref:'
        '--workspace[Only workspaces whose path matches this shell pattern.]:glob:'
        '--all[Every pending update (still narrowed by the other selectors).]'
        '--canary[Only the first N workspaces (by path) of each plugin-and-target group.]:N:'
        '--git[Also stage the moves in the git checkout that holds the root.]'
        '--dry-run[Say what would move; move nothing.]'
        '--json[Print what moved as JSON.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_reject() {
    local -i ret=1
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:'
        '--log-format[Log line format\: logfmt or json.]:format:'
        '*:id:'
        '--plugin[Only updates of this plugin.]:name:'
        '--to[Only updates to this target\: a tag or branch name, or a SHA prefix.]:ref:'
        '--workspace[Only workspaces whose path matches this shell pattern.]:glob:'
        '--all[Every pending update (still narrowed by the other selectors).]'
        '--canary[Only the first N workspaces (by path) of each plugin-and-target group.]:N:'
        '--git[Also stage the moves in the git checkout that holds the root.]'
        '--dry-run[Say what would move; move nothing.]'
        '--json[Print what moved as JSON.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_diff() {
    local -i ret=1
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:'
        '--log-format[Log line format\: logfmt or json.]:format:'
        '*:id | workspace plugin:'
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
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:'
        '--log-format[Log line format\: logfmt or json.]:format:'
        '--format[Output format\: text, github or json.]:format:'
        '--json[Print the result as JSON (the same as --format json).]'
        '*:path:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_init() {
    local -i ret=1
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:'
        '--log-format[Log line format\: logfmt or json.]:format:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_sluice_serve() {
    local -i ret=1
    local -ar arg_specs=(
        '--root[The root folder holding workspaces and the queue.]:path:'
        '--log-level[Lowest log level written to standard error (trace, debug, info, notice, warning, error).]:level:'
        '--log-format[Log line format\: logfmt or json.]:format:'
        '--listen[Address to listen on; port 0 picks a free port, written to <state>/serve.port.]:host\:port:'
        '--interval[Seconds between scheduled passes (before jitter).]:seconds:'
        '--idle-timeout[Seconds a connection may stay silent, also mid-request, before it is closed.]:seconds:'
        '--no-apply[Do not apply approved files; leave that to '\''sluice apply'\''.]'
        '--webhook-secret-file[File holding the webhook secret (else SLUICE_WEBHOOK_SECRET).]:path:'
        '--admin-token-file[File holding the admin API'\''s bearer token (else SLUICE_ADMIN_TOKEN).]:path:'
        '--shard[Serve only this share of the workspaces (K/N); with a StatefulSet, K is the pod ordinal + 1.]:K/N:'
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
