#!/usr/bin/env python3
# test-man.py CLI GUI LOCALEDIR PAGE... — the man pages say what the programs
# say. For each page (gatescope-cli.1 or gatescope.1, English or zh_CN, by
# its directory):
#   - groff renders it without warnings (those about CJK glyphs the
#     terminal font device lacks aside: man shows them as they are);
#   - it has the sections every man page needs (NAME, SYNOPSIS, DESCRIPTION,
#     EXIT STATUS, ENVIRONMENT, FILES, SEE ALSO; EXAMPLES and the commands
#     for gatescope-cli), in its language;
#   - gatescope-cli's page has every command of `gatescope-cli help` and
#     every option of every command's help; gatescope's has every option of
#     `gatescope --help`; each in the page's language.
# Prints TAP; exits non-zero when a check fails.
import os
import re
import subprocess
import sys

cli, gui, localedir = sys.argv[1:4]
pages = sys.argv[4:]
SECTIONS = {
    "C": ["NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS", "ENVIRONMENT", "FILES", "SEE ALSO"],
    "zh_CN": ["名称", "概述", "描述", "退出状态", "环境变量", "文件", "另请参阅"],
}
CLI_SECTIONS = {"C": ["COMMANDS", "TASKS", "EXAMPLES"], "zh_CN": ["命令", "任务", "示例"]}
n = 0
failed = 0


def report(ok, what, detail=""):
    global n, failed
    n += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", n, what))
    if not ok:
        failed += 1
        for line in detail.strip().split("\n"):
            print("# " + line)


def run(argv, lang):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE")}
    env.update(LC_ALL="C.UTF-8")
    if lang != "C":
        env["LANGUAGE"] = lang
    return subprocess.run(argv, env=env, check=True, stdout=subprocess.PIPE).stdout.decode()


def options(help_text):
    return sorted(set(re.findall(r"^ {2}(?:-\w, )?(--[\w-]+)", help_text, re.M)))


def rendered(page):
    env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="200")
    r = subprocess.run(["groff", "-man", "-ww", "-Tutf8", "-K", "utf8", page], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    warnings = [w for w in r.stderr.decode().split("\n")
                if w and not re.search(r"can't find special character 'u[2-9][0-9A-F]{3}'", w)]
    # Plain text: no overstrikes, soft hyphens or breaks inside words.
    text = re.sub(r".\x08", "", r.stdout.decode()).replace("\u2010", "-").replace("\u2212", "-")
    return r.returncode, warnings, text


for page in pages:
    lang = "zh_CN" if os.path.basename(os.path.dirname(page)) == "zh_CN" else "C"
    name = os.path.basename(page)
    label = "%s (%s)" % (name, lang)
    rc, warnings, text = rendered(page)
    report(rc == 0 and not warnings, label + " renders without groff warnings", "\n".join(warnings))
    heads = set(l.strip() for l in text.split("\n") if l and not l.startswith(" "))
    wanted = SECTIONS[lang] + (CLI_SECTIONS[lang] if name == "gatescope-cli.1" else [])
    missing = [s for s in wanted if s not in heads]
    report(not missing, label + " has its sections", "missing: " + ", ".join(missing))
    flat = " ".join(text.split())
    if name == "gatescope-cli.1":
        main = run([cli, "help"], lang)
        commands = [m for m in re.findall(r"^ {2}(\w+) {2,}", main, re.M)]
        missing = [c for c in commands if not re.search(r"gatescope-cli %s\b" % c, flat) and c != "help"]
        report(commands and not missing, label + " has all %d commands" % len(commands), "missing: " + ", ".join(missing))
        missing = []
        count = 0
        for c in commands:
            if c == "help":
                continue
            opts = options(run([cli, "help", c], lang))
            count += len(opts)
            # The command's own subsection, up to the next one.
            m = re.search(r"\n {3}gatescope-cli %s\b(.*?)(?=\n {3}gatescope-cli |\n[^ \n])" % c, text, re.S)
            section = m.group(1) if m else ""
            missing += ["%s %s" % (c, o) for o in opts if not re.search(re.escape(o) + r"\b", section)]
        report(count > 0 and not missing, label + " has all %d options of the commands, each under its command" % count,
               "missing: " + ", ".join(missing))
        tasks = re.findall(r"^(\w+) ", run([cli, "tasks"], lang), re.M)
        missing = [t for t in tasks if not re.search(r"\b%s\b" % t, flat)]
        report(tasks and not missing, label + " has all %d tasks" % len(tasks), "missing: " + ", ".join(missing))
    else:
        opts = options(run([gui, "--help"], lang))
        missing = [o for o in opts if o not in flat]
        report(opts and not missing, label + " has all %d options of gatescope --help" % len(opts),
               "missing: " + ", ".join(missing))

print("1..%d" % n)
sys.exit(1 if failed else 0)
