"""Walls of file permissions alone, for a worker that runs as root where the kernel refuses it namespaces (a
hosted autograder's container, whose seccomp profile refuses unshare without CAP_SYS_ADMIN): dropping to an
unprivileged user needs no namespace, only the root the container gives. Stdlib only (namespaces.py loads this
file by path, in the worker and in the probe).

drop(plan) makes the worker nobody (65534, no supplementary groups) in a group of its grading session's own
(plan["drop_to"]), for good, before any submission code runs. The grader makes what the worker needs readable to
that user (Python and numpy, if the machine has them readable by others; the submission, or a copy of it only
that group may read: sandbox_plan.py), and an installation keeps from others what it must not read (the
Gradescope bundle's setup.sh: the installed package, the rubric, the extra tests). Whether that held is not
assumed: the worker looks, as the user it is about to become, at every file and folder of plan["secrets"] (the
grader's package, reference, checks and history, and whatever the grader's command line names: a rubric, extra
tests, a batch's other submissions, the folder of results) and says "hidden" only when none can be read. Should
it not be able to read Python, numpy or the submission as that user, it stays root rather than break.
"""
import os

NOBODY = 65534
# How many files and folders of the secrets are looked at, at most (a batch's folder of submissions included).
MAX_ENTRIES = 20000


def _entries(secrets, keep):
    """The secrets and everything under them, but the folders keep (the submission's, the worker's own runtime:
    a batch's results folder holds it) and what they hold; links are neither followed nor counted (what one leads
    to is another file, a secret or not); at most MAX_ENTRIES."""
    found = []
    for secret in secrets:
        if not os.path.lexists(secret) or os.path.islink(secret) or any(_within(secret, k) for k in keep):
            continue
        found.append(secret)
        for directory, folders, files in os.walk(secret):
            folders[:] = [f for f in folders if os.path.join(directory, f) not in keep]
            found += [p for p in (os.path.join(directory, name) for name in folders + files) if not os.path.islink(p)]
            if len(found) >= MAX_ENTRIES:
                return found[:MAX_ENTRIES]
    return found


def _within(path, folder):
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _as_user(uid, gid, look):
    """look(), with this root process's effective ids those of uid and gid (and no supplementary groups) meanwhile."""
    groups, egid = os.getgroups(), os.getegid()
    os.setgroups([])
    os.setresgid(-1, gid, -1)
    os.setresuid(-1, uid, -1)
    try:
        return look()
    finally:
        os.setresuid(-1, 0, -1)
        os.setresgid(-1, egid, -1)
        os.setgroups(groups)


def _can(path, mode):
    return os.access(path, mode, effective_ids=True)


def drop(plan, refuse):
    """As root: become plan["drop_to"] for good, when that user can read what the worker needs; return
    (user status, whether none of plan["secrets"] can be read by it)."""
    if "user" in refuse or not plan.get("drop_to"):
        return "refused", False
    uid, gid = plan["drop_to"]
    needs = [p for p in plan["needs"] if os.path.exists(p)]
    secrets = _entries(plan["secrets"], plan["keep"])

    def look():
        usable = all(_can(p, os.R_OK | (os.X_OK if os.path.isdir(p) else 0)) for p in needs)
        return usable, not any(_can(p, os.R_OK) for p in secrets)

    usable, hidden = _as_user(uid, gid, look)
    if not usable:
        return "cannot_read", False
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    return "dropped", hidden
