#!/usr/bin/env python3
"""Times shell commands as whole processes, interleaved (A B C A B C …), so a
change in the machine's load hits every command alike. Prints JSON:
{name: {"median_s", "min_s", "max_s", "runs", "user_s"}}; user_s is the median
user+sys CPU of the command's children. A command that exits non-zero is
still timed (linters exit 1 on findings); one that cannot start fails the run.

  timing.py RUNS CWD NAME=COMMAND [NAME=COMMAND:RUNS …]

A trailing `@N` on a name gives that command its own number of runs (slow peers).
WARM, when set, is a command run untimed before every timed one: reading the files
back into the page cache, so no command pays for what the one before it evicted
(a minute of markdownlint-cli2 left `cat`, timed next, reading from the disk).
"""
import json, os, resource, statistics, subprocess, sys, time


def main():
    runs, cwd = int(sys.argv[1]), sys.argv[2]
    commands = []
    for arg in sys.argv[3:]:
        name, _, command = arg.partition("=")
        name, _, own_runs = name.partition("@")
        commands.append((name, command, int(own_runs) if own_runs else runs))
    samples = {name: [] for name, _, _ in commands}
    cpu = {name: [] for name, _, _ in commands}
    for name, command, _ in commands:  # one warm-up each: the page cache, not the disk
        subprocess.run(["bash", "-c", command], cwd=cwd)
    warm = os.environ.get("WARM")
    for round_ in range(max(r for _, _, r in commands)):
        for name, command, own_runs in commands:
            if round_ >= own_runs:
                continue
            if warm:
                subprocess.run(["bash", "-c", warm], cwd=cwd)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(["bash", "-c", command], cwd=cwd)
            samples[name].append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
            print(f"   {name}: {samples[name][-1]:.3f} s", file=sys.stderr)
    json.dump({name: {"median_s": statistics.median(s), "min_s": min(s), "max_s": max(s),
                      "runs": len(s), "cpu_s": statistics.median(cpu[name])}
               for name, s in samples.items()}, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
