/* gs-cli.h — gatescope-cli: train and inspect models from a terminal.
 *
 * Everything but main() lives here so that the command line can be driven
 * from a test or another front end. The CLI links the engine only: no GLib,
 * no GTK.
 *
 *   gatescope-cli train    trains the seed task, one line per epoch
 *   gatescope-cli forward  runs a saved model on a token sequence (--json:
 *                          logits, loss, final states and gradients — the
 *                          contract the PyTorch parity checks read)
 *   gatescope-cli version  prints "gatescope-cli <version>"
 *
 * Exit status: GS_CLI_EXIT_OK, GS_CLI_EXIT_FAILURE when a run fails (a
 * diverged training, an unwritable output), GS_CLI_EXIT_USAGE for bad
 * arguments or unreadable input. Every error is one line on `err`:
 * "gatescope-cli: <what is wrong>".
 */
#pragma once

#include <stdio.h>

#define GS_CLI_EXIT_OK      0
#define GS_CLI_EXIT_FAILURE 1
#define GS_CLI_EXIT_USAGE   2

/* Runs one command line (argv[0] is the program name). Normal output goes
 * to `out`, messages to `err`. The caller binds the text domain and sets the
 * locale; numbers are read and written in the C locale whatever LC_NUMERIC
 * says. May permute argv (getopt_long). */
int gs_cli_run (int argc, char **argv, FILE *out, FILE *err);
