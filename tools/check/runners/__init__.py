#!/usr/bin/env python3
"""What runs the checks: the sandbox every learner's process runs in, one
learner's folder, a class, a class on Dask, Gradescope's autograder, and
how long it all takes.
They start the processes (inside) and ask the judge; neither of those
imports them.

- sandbox: every child that runs a learner's code: as nobody, with no
  capability, in a bubblewrap sandbox that shows it only what it needs
  and lets it write only a bounded tmpfs, limited in time, memory,
  processes and output (a cgroup);
- seccomp: the system-call filter of that sandbox, from libseccomp;
- single: one learner's folder, task by task, and the spec's mains;
- classroom: a class at once, a JSON per learner, a table, a page, a
  CSV and the gradebook (grades.csv); refused where no sandbox can be
  made;
- cluster: the same class on a Dask cluster (a scheduler, workers);
- gradescope: make gradescope's autograder.zip, and its run on a
  submission (results.json);
- bench: how long it all takes (make check-bench)."""
