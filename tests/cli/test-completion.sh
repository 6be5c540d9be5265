#!/bin/bash
# test-completion.sh COMPLETION CLI — the bash completion of gatescope-cli,
# sourced into this bash and called as bash calls it (COMP_LINE, COMP_POINT,
# COMP_WORDS, COMP_CWORD, with bash's word breaks at ':' and '='):
#   - a table of cases: commands, options, cells, optimizers, suites,
#     charts, the GRU reset's values, task names, a task's parameters and a
#     choice's values, cells in a list, experiments, files;
#   - against the program's own help: every command of `help` and every
#     option of every command's help is offered (nothing drifts).
set -u
completion=$1
cli=$2
n=0
failed=0

# shellcheck source=/dev/null
source "$completion" || { echo "not ok 1 - sourcing $completion"; exit 1; }
complete -p gatescope-cli >/dev/null || { echo "not ok 1 - no completion registered"; exit 1; }

# complete_line LINE: COMPREPLY for the cursor at the end of LINE, in bash's
# own words (split at blanks and at the word breaks ':' and '=').
complete_line () {
  COMP_LINE=$1
  COMP_POINT=${#1}
  local s=${1//:/ : } ; s=${s//=/ = }
  read -r -a COMP_WORDS <<< "$s"
  [[ $1 == *[[:blank:]] ]] && COMP_WORDS+=("")
  # a ':' or '=' glued to the word at the cursor is part of it, as bash has it
  COMP_WORDS[0]=$cli
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _gatescope_cli
}

check () {  # check LINE EXPECTED — the sorted replies, space-separated
  local got
  complete_line "$1"
  got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//')
  n=$((n + 1))
  if [ "$got" = "$2" ]; then
    echo "ok $n - '$1' → $2"
  else
    echo "not ok $n - '$1'"
    echo "#   expected: $2"
    echo "#   got:      $got"
    failed=$((failed + 1))
  fi
}

COMP_WORDBREAKS=${COMP_WORDBREAKS:-$' \t\n"'"'"'><=;|&(:'}

check "gatescope-cli tr"                          "train"
check "gatescope-cli help sa"                     "sample"
check "gatescope-cli train --cell "               "gru lstm rnn_relu rnn_tanh"
check "gatescope-cli bench --cell l"              "lstm"
check "gatescope-cli train --optimizer "          "adagrad adam rmsprop sgd"
check "gatescope-cli bench --suite "              "all charlm hello step"
check "gatescope-cli compare --chart "            "accuracy flow loss overview"
check "gatescope-cli train --gru-reset "          "after before"
check "gatescope-cli train --task cha"            "charlm"
check "gatescope-cli train --task charlm:"        "corpus= file= length= valid="
check "gatescope-cli train --task charlm:co"      "corpus="
check "gatescope-cli train --task charlm:corpus=" "en zh"
check "gatescope-cli train --task classify:lang=z" "zh"
check "gatescope-cli compare --task copy:length=3,l" "3,lag= 3,length="
check "gatescope-cli compare --cells lstm,g"      "lstm,gru"
check "gatescope-cli experiment "                 "adding odyssey sentiment temporal_order"
check "gatescope-cli train --lr "                 ""
check "gatescope-cli train --save $(dirname "$completion")/gatescope-c" "$(dirname "$completion")/gatescope-cli"
check "gatescope-cli sample --te"                 "--temperature"

# Against the help: every command, every option of every command.
commands=$("$cli" help | sed -n 's/^  \([a-z][a-z_]*\)  .*/\1/p')
complete_line "gatescope-cli "
missing=""
for c in $commands; do
  printf '%s\n' "${COMPREPLY[@]}" | grep -qx -- "$c" || missing="$missing $c"
done
n=$((n + 1))
if [ -n "$commands" ] && [ -z "$missing" ]; then
  echo "ok $n - every command of 'help' is offered ($(echo $commands | wc -w))"
else
  echo "not ok $n - commands not offered:$missing"
  failed=$((failed + 1))
fi
missing=""
count=0
for c in $commands; do
  [ "$c" = help ] && continue
  complete_line "gatescope-cli $c --"
  for o in $("$cli" help "$c" | sed -n 's/^  \(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p'); do
    count=$((count + 1))
    printf '%s\n' "${COMPREPLY[@]}" | grep -qx -- "$o" || missing="$missing $c$o"
  done
done
n=$((n + 1))
if [ "$count" -gt 0 ] && [ -z "$missing" ]; then
  echo "ok $n - every option of every command's help is offered ($count)"
else
  echo "not ok $n - options not offered:$missing"
  failed=$((failed + 1))
fi
# Every task of `tasks`.
tasks=$("$cli" tasks | sed -n 's/^\([a-z][a-z_0-9]*\) .*/\1/p' | sort | tr '\n' ' ' | sed 's/ $//')
check "gatescope-cli train --task " "$tasks"

echo "1..$n"
[ "$failed" -eq 0 ]
