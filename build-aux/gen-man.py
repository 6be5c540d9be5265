#!/usr/bin/env python3
# gen-man.py — writes a man page from its template (doc/*.1.in) and from
# what the built programs say about themselves, so that the page cannot
# drift from them:
#
#   @VERSION@       the project's version
#   @CLI_COMMANDS@  `gatescope-cli help`'s command list, then every command's
#                   own help (`gatescope-cli help COMMAND`), options as .TP
#   @CLI_TASKS@     `gatescope-cli tasks`: every task and its parameters
#   @GUI_OPTIONS@   the application options of `gatescope --help`
#   @GUI_KEYS@      the keyboard shortcuts of the window's shortcuts window
#                   (assets/ui/help-overlay.ui), translated through the
#                   built catalogue
#
# The programs run in LANG's translation (LANGUAGE=LANG; run from the build
# tree, they read the build's catalogues, app/gs-locale.c), under C.UTF-8 so
# that no installed locale is needed. --localedir is the build's catalogue
# directory, for the window's shortcuts.
#
# usage: gen-man.py --template T --output O --lang C|zh_CN --version V
#                   --localedir DIR [--cli PATH] [--gui PATH] [--shortcuts UI
#                   --accels app/gs-application.c]

import argparse
import gettext
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET


def run(argv, lang, localedir):
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("LC_") or k in ("LANG", "LANGUAGE", "DISPLAY", "WAYLAND_DISPLAY"):
            del env[k]
    env["LC_ALL"] = "C.UTF-8"
    if lang != "C":
        env["LANGUAGE"] = lang
    env["OPENBLAS_NUM_THREADS"] = "1"
    out = subprocess.run(argv, env=env, check=True, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, timeout=60)
    return out.stdout.decode("utf-8")


def esc(text):
    """Escapes text for roff: backslashes, and a leading dot or quote."""
    text = text.replace("\\", "\\e")
    text = text.replace("-", "\\-") if text.lstrip().startswith("-") else text
    if text.startswith(".") or text.startswith("'"):
        text = "\\&" + text
    return text


def esc_term(term):
    """An option or list term in bold, its hyphens as minus signs."""
    return "\\fB" + term.replace("\\", "\\e").replace("-", "\\-") + "\\fR"


# An option line: "  --name ARG    description", "  -h, --help  description"
OPTION = re.compile(r"^ {2}(-\w, )?--[\w-]+(\S*)( [^ ].*?)?(?: {2,}(.*))?$")
# A list entry: "  name    description" (commands, suites, experiments)
ENTRY = re.compile(r"^ {2}(\S+) {2,}(\S.*)$")
CONT = re.compile(r"^ {4,}(\S.*)$")


def help_to_roff(text, heading_level="SS"):
    """Converts one help text into roff: the usage line as a heading,
    paragraphs, and option or list lines as tagged paragraphs."""
    lines = text.rstrip("\n").split("\n")
    out = []
    usage = lines[0]
    # "Usage: gatescope-cli train [OPTIONS]" in any language: what follows
    # the first colon (ASCII or full-width).
    m = re.match(r"^[^:：]*[:：]\s*(.*)$", usage)
    if m and m.group(1):
        out.append(".%s \"%s\"" % (heading_level, esc(m.group(1)).replace('"', '\\(dq')))
        lines = lines[1:]
    in_entry = False
    para_open = False
    for line in lines:
        if not line.strip():
            in_entry = False
            para_open = False
            continue
        om = OPTION.match(line)
        em = ENTRY.match(line) if not om else None
        cm = CONT.match(line)
        if om:
            desc = om.group(4) or ""
            term = line[2:].split("  ")[0].strip() if desc else line.strip()
            out.append(".TP")
            out.append(esc_term(term))
            if desc:
                out.append(esc(desc))
            in_entry = True
        elif cm and in_entry:
            out.append(esc(cm.group(1)))
        elif em:
            out.append(".TP")
            out.append(esc_term(em.group(1)))
            out.append(esc(em.group(2)))
            in_entry = True
        else:
            if in_entry or not para_open:
                out.append(".PP")
                para_open = True
            in_entry = False
            out.append(esc(line.strip()))
    return "\n".join(out)


def cli_commands(cli, lang, localedir):
    main_help = run([cli, "help"], lang, localedir)
    # The command names: the first word of the indented lines of the main
    # help's first list (the names are the same in every language).
    names = []
    for line in main_help.split("\n"):
        m = ENTRY.match(line)
        if m and not m.group(1).startswith("-"):
            names.append(m.group(1))
    if not names:
        sys.exit("gen-man.py: no commands in '%s help'" % cli)
    parts = [help_to_roff(main_help, heading_level="SS").split("\n", 1)[1]]
    for name in names:
        if name == "help":
            continue
        parts.append(help_to_roff(run([cli, "help", name], lang, localedir)))
    return "\n".join(parts)


def cli_tasks(cli, lang, localedir):
    text = run([cli, "tasks"], lang, localedir)
    out = []
    for block in text.strip("\n").split("\n\n"):
        lines = block.split("\n")
        head = lines[0].split()
        out.append(".TP")
        out.append(esc_term(head[0]) + " (" + esc(" ".join(head[1:])) + ")")
        params = []
        for line in lines[1:]:
            m = re.match(r"^ {2}(\w+) {2,}(\S.*)$", line)
            if m:
                params += [".TP", esc_term(m.group(1)), esc(m.group(2))]
            else:
                out.append(esc(line.strip()))
        if params:
            out += [".RS"] + params + [".RE"]
    return "\n".join(out)


def gui_options(gui, lang, localedir):
    text = run([gui, "--help"], lang, localedir)
    # The last block: the application's own options (the others are
    # GLib's help options, listed in the template).
    block = text.strip("\n").split("\n\n")[-1].split("\n")
    out = []
    for line in block[1:]:
        m = re.match(r"^ {2}(\S+) {2,}(\S.*)$", line)
        if not m:
            sys.exit("gen-man.py: unexpected line in 'gatescope --help': %r" % line)
        out.append(".TP")
        out.append(esc_term(m.group(1)))
        out.append(esc(m.group(2)))
    if not out:
        sys.exit("gen-man.py: no application options in 'gatescope --help'")
    return "\n".join(out)


def app_accels(source):
    """The accelerators the application sets for actions
    (gtk_application_set_accels_for_action in gs-application.c), and GTK's
    own for the shortcuts window."""
    text = open(source, encoding="utf-8").read()
    arrays = dict(re.findall(r'static const char \*(\w+)\[\] = \{ "([^"]+)"', text))
    accels = {"win.show-help-overlay": "<Control>question"}
    for action, array in re.findall(r'set_accels_for_action \([^,]+, "([\w.-]+)", (\w+)\)', text):
        accels[action] = arrays[array]
    return accels


def key_names(accel):
    names = {"question": "?", "Return": "Enter", "space": "Space", "Right": "→", "Left": "←"}
    out = []
    for a in accel.split():
        mods = re.findall(r"<(\w+)>", a)
        key = re.sub(r"<\w+>", "", a)
        key = names.get(key, key.upper() if len(key) == 1 and mods else key)
        out.append("+".join([{"Control": "Ctrl"}.get(m, m) for m in mods] + [key]))
    return ", ".join(out)


def gui_keys(ui, accels_source, lang, localedir):
    accels = app_accels(accels_source)
    if lang == "C":
        tr = gettext.NullTranslations()
    else:
        tr = gettext.translation("gatescope", localedir=localedir, languages=[lang])
    root = ET.parse(ui).getroot()
    out = []
    for group in root.iter("object"):
        if group.get("class") != "GtkShortcutsGroup":
            continue
        title = group.find("property[@name='title']")
        out.append(".SS \"%s\"" % esc(tr.pgettext(title.get("context"), title.text)))
        for sc in group.iter("object"):
            if sc.get("class") != "GtkShortcutsShortcut":
                continue
            t = sc.find("property[@name='title']")
            accel = sc.find("property[@name='accelerator']")
            if accel is None:
                action = sc.find("property[@name='action-name']").text
                if action not in accels:
                    sys.exit("gen-man.py: no accelerator for %s" % action)
                keys = key_names(accels[action])
            else:
                keys = key_names(accel.text)
            out.append(".TP")
            out.append(esc_term(keys))
            out.append(esc(tr.pgettext(t.get("context"), t.text)))
    return "\n".join(out)


CJK = re.compile(r"([\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f])(?=[^\n])")


def cjk_breaks(page):
    """Chinese has no spaces to break lines at, and groff 1.22 breaks only at
    spaces: an optional break point (\\:) after every CJK character of the
    text lines lets it fill the lines as man's width asks."""
    out = []
    for line in page.split("\n"):
        if not line.startswith(".") and not line.startswith("'"):
            line = CJK.sub(lambda m: m.group(1) + "\\:", line)
        out.append(line)
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--template", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--lang", default="C")
    ap.add_argument("--version", required=True)
    ap.add_argument("--localedir", required=True)
    ap.add_argument("--cli")
    ap.add_argument("--gui")
    ap.add_argument("--shortcuts")
    ap.add_argument("--accels", help="the source that sets the application's accelerators")
    a = ap.parse_args()

    page = open(a.template, encoding="utf-8").read()
    subst = {
        "@VERSION@": lambda: a.version,
        "@CLI_COMMANDS@": lambda: cli_commands(a.cli, a.lang, a.localedir),
        "@CLI_TASKS@": lambda: cli_tasks(a.cli, a.lang, a.localedir),
        "@GUI_OPTIONS@": lambda: gui_options(a.gui, a.lang, a.localedir),
        "@GUI_KEYS@": lambda: gui_keys(a.shortcuts, a.accels, a.lang, a.localedir),
    }
    for key, value in subst.items():
        if key in page:
            page = page.replace(key, value())
    if a.lang != "C":
        page = cjk_breaks(page)
    left = re.findall(r"@[A-Z_]+@", page)
    if left:
        sys.exit("gen-man.py: %s: unknown %s" % (a.template, ", ".join(left)))
    with open(a.output, "w", encoding="utf-8") as f:
        f.write(page)


if __name__ == "__main__":
    main()
