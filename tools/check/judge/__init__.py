#!/usr/bin/env python3
"""The judge: decides every check from what it reads and what it is told,
and never runs a line of the learner's code. It imports what runs inside
(tools.check.inside.answer, for the channel's framing) but nothing of
the runners: a process is started for it, never by it.

- files: the learner's folder read (regular files alone, no link
  followed, bounded) into a copy of the judge's own, and the checks of a
  task file read as text;
- judging: one task judged from the answerer's answers beside our own
  module, on weights, inputs and seeds drawn for each run;
- channel: the answerer as the judge sees it: questions sent, answers
  taken back as plain, bounded, checked data;
- building, variational, training: the checks of what autoencoder()
  builds, of the VAE, of the short training run, beside ours;
- diagnoses: what a crash, a stopped run or a wrong value most likely
  means, in the learner's words, with their file and line;
- report: findings merged one per cause, as text or JSON;
- score: what each check is worth (a teacher's weights file), and what
  a folder's findings earn;
- junit, gradescope: a folder's findings and score as JUnit XML and as
  Gradescope's results.json."""
