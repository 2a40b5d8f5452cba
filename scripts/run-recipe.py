#!/usr/bin/env python3
"""Run the shell steps of a CI recipe (docs/recipes/github-actions.yml or gitlab-ci.yml) in a
site's folder, as `.ci/run` does: each job's steps in order (GitLab's jobs in the order of
`stages`), each with `bash -e`, `uses:` steps skipped and `--send` replaced by `--dry-run`.
GitHub expressions (`${{ … }}`) and `if:` conditions cannot run here: a variable whose value is
an expression is left out, and `--set NAME=VALUE` gives it (or any other) a value.

    scripts/run-recipe.py RECIPE SITE_DIR [--set NAME=VALUE]...
"""
import os
import re
import subprocess
import sys

import yaml

GITLAB_KEYWORDS = {
    "stages", "variables", "default", "workflow", "include", "image", "services", "cache",
    "before_script", "after_script",
}


def plain_env(values):
    """The variables of a recipe that hold plain values (not GitHub expressions)."""
    out = {}
    for name, value in (values or {}).items():
        text = str(value).lower() if isinstance(value, bool) else str(value)
        if "${{" not in text:
            out[name] = text
    return out


def github_steps(doc):
    env = plain_env(doc.get("env"))
    for job_name, job in doc["jobs"].items():
        job_env = {**env, **plain_env(job.get("env"))}
        for step in job["steps"]:
            if "uses" in step:
                continue
            if "run" not in step:
                sys.exit(f"{job_name}: a step with neither run: nor uses:: {step}")
            name = step.get("name", step["run"].splitlines()[0])
            yield f"{job_name}: {name}", {**job_env, **plain_env(step.get("env"))}, step["run"]


def gitlab_steps(doc):
    env = plain_env(doc.get("variables"))
    default = doc.get("default") or {}
    stages = doc.get("stages", ["build", "test", "deploy"])
    jobs = [
        (name, job) for name, job in doc.items()
        if name not in GITLAB_KEYWORDS and not name.startswith(".") and isinstance(job, dict)
    ]
    jobs.sort(key=lambda j: stages.index(j[1].get("stage", "test")))
    for name, job in jobs:
        lines = job.get("before_script", default.get("before_script", [])) + job["script"]
        yield name, {**env, **plain_env(job.get("variables"))}, "\n".join(lines)


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    recipe, site = args[0], args[1]
    overrides = {}
    rest = args[2:]
    while rest:
        if rest[0] != "--set" or len(rest) < 2 or "=" not in rest[1]:
            sys.exit(__doc__)
        name, value = rest[1].split("=", 1)
        overrides[name] = value
        rest = rest[2:]
    with open(recipe, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    steps = list(github_steps(doc) if "jobs" in doc else gitlab_steps(doc))
    if not steps:
        sys.exit(f"{recipe}: no shell steps")
    for name, env, script in steps:
        script = re.sub(r"--send\b", "--dry-run", script)
        print(f"--- {recipe}: {name}", flush=True)
        full_env = {**os.environ, **env, **overrides}
        done = subprocess.run(["bash", "-e", "-c", script], cwd=site, env=full_env)
        if done.returncode != 0:
            sys.exit(f"{recipe}: step `{name}` failed with exit code {done.returncode}")
    print(f"{recipe}: {len(steps)} shell step(s) ran", flush=True)


if __name__ == "__main__":
    main()
