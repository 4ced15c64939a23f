// `agent-tray completion bash|zsh|fish|powershell`: a completion script for the shell. Each script
// only hands the words typed so far to `agent-tray __complete` (complete-words.ts) and shows what it
// prints, so commands, options and agent names are completed the same way in every shell, and a
// new command needs no change here.
import { UsageError, runClientCommand } from './client.js';
import type { Line } from './commands.js';

export const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;
export type Shell = (typeof SHELLS)[number];

export const COMPLETION_USAGE = `agent-tray completion ${SHELLS.join('|')}`;

const BASH = `# agent-tray completion for bash. Load it with: source <(agent-tray completion bash)
_agent_tray() {
  local cur=\${COMP_WORDS[COMP_CWORD]}
  local IFS=$'\\n'
  local lines line
  lines=$("\${COMP_WORDS[0]}" __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return 0
  COMPREPLY=()
  for line in $lines; do
    case $line in
      :files) compopt -o filenames 2>/dev/null; COMPREPLY+=($(compgen -f -- "$cur")) ;;
      :dirs) compopt -o filenames 2>/dev/null; COMPREPLY+=($(compgen -d -- "$cur")) ;;
      *) COMPREPLY+=("$line") ;;
    esac
  done
  return 0
}
complete -F _agent_tray agent-tray
`;

const ZSH = `#compdef agent-tray
# agent-tray completion for zsh. Load it with: source <(agent-tray completion zsh)
# (after compinit), or save it as _agent_tray in a folder of your $fpath.
_agent_tray() {
  local -a lines candidates
  local line value description
  lines=("\${(@f)$("\${words[1]}" __complete --describe -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  for line in $lines; do
    case $line in
      :files) _files; return ;;
      :dirs) _files -/; return ;;
      '') ;;
      *)
        value=\${line%%$'\\t'*}
        value=\${value//:/\\\\:}
        if [[ $line == *$'\\t'* ]]; then
          description=\${line#*$'\\t'}
          candidates+=("$value:$description")
        else
          candidates+=("$value")
        fi
        ;;
    esac
  done
  (( \${#candidates} )) && _describe -t values 'agent-tray' candidates
}
if [[ "\${funcstack[1]}" == _agent_tray ]]; then
  _agent_tray "$@"
else
  compdef _agent_tray agent-tray
fi
`;

const FISH = `# agent-tray completion for fish. Load it with: agent-tray completion fish | source
# or save it as ~/.config/fish/completions/agent-tray.fish
function __agent_tray_complete
    set -l tokens (commandline -opc)
    set -l program $tokens[1]
    set -e tokens[1]
    set -l current (commandline -ct)
    for line in ($program __complete --describe -- $tokens $current 2>/dev/null)
        switch $line
            case ':files'
                __fish_complete_path $current
            case ':dirs'
                __fish_complete_directories $current
            case '*'
                echo $line
        end
    end
end
complete -c agent-tray -f -a '(__agent_tray_complete)'
`;

const POWERSHELL = `# agent-tray completion for PowerShell. Load it with:
#   agent-tray completion powershell | Out-String | Invoke-Expression
# or add that line to your $PROFILE.
Register-ArgumentCompleter -Native -CommandName 'agent-tray', 'agent-tray.cmd' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | Where-Object { $_.Extent.StartOffset -lt $cursorPosition } | ForEach-Object { if ($_ -is [System.Management.Automation.Language.StringConstantExpressionAst]) { $_.Value } else { $_.ToString() } })
    $program = $words[0]
    $rest = @(if ($words.Count -gt 1) { $words[1..($words.Count - 1)] })
    # an empty argument does not survive every PowerShell's call of a program: --next stands for it
    $next = @(if ($wordToComplete -eq '') { '--next' })
    $lines = & $program __complete --describe @next -- @rest 2>$null
    foreach ($line in $lines) {
        if ($line -eq ':files' -or $line -eq ':dirs') { return } # nothing returned: PowerShell completes paths
        $value, $description = $line -split "\`t", 2
        if (-not $description) { $description = $value }
        [System.Management.Automation.CompletionResult]::new($value, $value, 'ParameterValue', $description)
    }
}
`;

/** The completion script for `shell`. */
export function completionScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH, powershell: POWERSHELL }[shell];
}

/** Prints the script; 2 for a shell it does not know. */
export function completionCommand(argv: string[], out: Line, err: Line): Promise<number> {
  return runClientCommand(err, async () => {
    const [shell, ...extra] = argv;
    if (!shell || extra.length || !(SHELLS as readonly string[]).includes(shell)) {
      throw new UsageError(`${shell ? `no completion for "${argv.join(' ')}"` : 'which shell?'}; the shells are ${SHELLS.join(', ')}\nUsage: ${COMPLETION_USAGE}`);
    }
    out(completionScript(shell as Shell).trimEnd());
    return 0;
  });
}
