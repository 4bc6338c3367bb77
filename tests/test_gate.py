"""The CI gate: every output format, baselines, changed files, the pre-commit hook, saved reports."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from redactaudit.cli import app

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
SECRETS = ["陈立新", "13912345678", "450103198505051239", "chen@example.com", "6222 0210 0112 3456 789", "田阳"]
LEAKY = (f"关于XX县的通报\n值班员{SECRETS[0]}，手机{SECRETS[1]}，身份证号{SECRETS[2]}，邮箱{SECRETS[3]}，"
         f"卡号{SECRETS[4]}。\n{SECRETS[5]}县纪委通报。\n")


def run(*args: str, cwd: Path | None = None):
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(app, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.mark.parametrize("fmt", ["terminal", "json", "sarif", "github", "markdown", "html"])
def test_a_known_value_never_appears_in_any_format(tmp_path, fmt):
    (tmp_path / "leaky.txt").write_text(LEAKY, encoding="utf-8")
    out = tmp_path / "report"
    res = run("scan", str(tmp_path / "leaky.txt"), "--format", fmt, "--output", str(out))
    assert res.exit_code == 1
    written = out.read_text(encoding="utf-8") + res.stdout + res.stderr
    for secret in SECRETS:
        assert secret not in written, (fmt, secret)
    shown = run("scan", str(tmp_path / "leaky.txt"), "--format", fmt, "--show-values").stdout
    assert SECRETS[1] in shown


def test_sarif_of_the_samples_validates(tmp_path):
    res = run("scan", "samples/docs", "--format", "sarif", cwd=ROOT)
    sarif = json.loads(res.stdout)
    jsonschema.validate(sarif, SCHEMA)
    run_ = sarif["runs"][0]
    assert run_["columnKind"] == "unicodeCodePoints"
    first = run_["results"][0]
    assert set(first["partialFingerprints"]) == {"redactaudit/content/v2"}
    assert all(r["help"]["text"] for r in run_["tool"]["driver"]["rules"])
    # Existing masks are no alert: left out, and the run says so.
    assert {r["properties"]["kind"] for r in run_["results"]} == {"leak", "inconsistency"}
    assert run_["properties"] == {"redactaudit/masks-left-out": 32}
    assert [r["level"] for r in run_["results"]] == ["error"] * 23 + ["warning"] * 4
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] for r in run_["results"]} == {
        "%SRCROOT%"}
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"


def test_sarif_columns_count_code_points(tmp_path):
    (tmp_path / "a.txt").write_text("𠀀汉字手机13912345678\n", encoding="utf-8")
    sarif = json.loads(run("scan", str(tmp_path / "a.txt"), "--format", "sarif").stdout)
    region = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startColumn"], region["endColumn"]) == (6, 17)


def test_github_annotations(tmp_path):
    (tmp_path / "a.txt").write_text("手机13912345678\n", encoding="utf-8")
    out = run("scan", str(tmp_path / "a.txt"), "--format", "github").stdout
    assert out.startswith(f"::error file={tmp_path / 'a.txt'},line=1,col=3,endLine=1,endColumn=14,"
                          "title=identifiers.cn-mobile (phone)::")


def test_baseline_round_trip(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(LEAKY, encoding="utf-8")
    (docs / "b.txt").write_text("刚才，**同志通报了情况，***同志作了部署。\n", encoding="utf-8")
    base = tmp_path / "base.json"
    assert run("baseline", "create", "docs", "-o", str(base), cwd=tmp_path).exit_code == 0
    first = base.read_bytes()
    assert run("scan", "docs", "--baseline", str(base), cwd=tmp_path).exit_code == 0
    # Recreated from unchanged inputs: byte-identical.
    assert run("baseline", "create", "docs", "-o", str(base), cwd=tmp_path).exit_code == 0
    assert base.read_bytes() == first
    for secret in SECRETS:
        assert secret not in first.decode("utf-8")
    # A new leak in one file, an edit elsewhere in another: exactly the new finding counts.
    (docs / "a.txt").write_text("新增一行说明。\n" + LEAKY + "补充：手机13700001111。\n", encoding="utf-8")
    (docs / "b.txt").write_text("会议开始。\n刚才，**同志通报了情况，***同志作了部署。\n", encoding="utf-8")
    res = run("scan", "docs", "--baseline", str(base), "--format", "json", cwd=tmp_path)
    assert res.exit_code == 1
    report = json.loads(res.stdout)
    assert [(f["path"], f["rule"], f["line"]) for f in report["findings"]] == [
        ("docs/a.txt", "identifiers.cn-mobile", 5)]
    assert report["summary"]["stale_baseline_entries"] == []
    # Remove a leak: its entry is stale; update drops it.
    (docs / "a.txt").write_text(LEAKY.replace(SECRETS[3], "某某邮箱"), encoding="utf-8")
    report = json.loads(run("scan", "docs", "--baseline", str(base), "-f", "json", cwd=tmp_path).stdout)
    assert [s.split()[1] for s in report["summary"]["stale_baseline_entries"]] == ["identifiers.email"]
    assert run("baseline", "update", "docs", "-b", str(base), cwd=tmp_path).exit_code == 0
    report = json.loads(run("scan", "docs", "--baseline", str(base), "-f", "json", cwd=tmp_path).stdout)
    assert report["summary"]["stale_baseline_entries"] == [] and report["findings"] == []


def test_broken_or_foreign_baseline_is_exit_2(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(LEAKY, encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert run("scan", str(tmp_path / "a.txt"), "--baseline", str(bad)).exit_code == 2
    base = tmp_path / "base.json"
    run("baseline", "create", str(tmp_path / "a.txt"), "-o", str(base))
    monkeypatch.setenv("REDACTAUDIT_KEY", "another secret")
    res = run("scan", str(tmp_path / "a.txt"), "--baseline", str(base))
    assert res.exit_code == 2 and "another REDACTAUDIT_KEY" in res.stderr


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})


def test_changed_since_and_staged(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo)
    (repo / "old.txt").write_text(LEAKY, encoding="utf-8")
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "old", cwd=repo)
    (repo / "new.txt").write_text("手机13700001111。\n", encoding="utf-8")
    (repo / "clean.txt").write_text("今天天气很好。\n", encoding="utf-8")
    git("add", "new.txt", "clean.txt", cwd=repo)
    report = json.loads(run("scan", ".", "--staged", "-f", "json", cwd=repo).stdout)
    assert sorted(Path(d["path"]).name for d in report["documents"]) == ["clean.txt", "new.txt"]
    git("commit", "-q", "-m", "new", cwd=repo)
    report = json.loads(run("scan", ".", "--changed-since", "HEAD~1", "-f", "json", cwd=repo).stdout)
    assert sorted(Path(d["path"]).name for d in report["documents"]) == ["clean.txt", "new.txt"]
    assert run("scan", ".", "--changed-since", "no-such-rev", cwd=repo).exit_code == 2


def test_changed_since_scans_new_files_not_yet_committed_but_not_ignored_ones(tmp_path):
    """A document added in the working tree and not committed (a CI step that writes one, a
    pre-commit run before `git add`) is a change too: left out, it was never scanned (fail open).
    What .gitignore keeps out of git is no change."""
    repo = tmp_path / "repo"
    (repo / "notes").mkdir(parents=True)
    git("init", "-q", "-b", "main", cwd=repo)
    (repo / ".gitignore").write_text("*.log\nbuild/\n", encoding="utf-8")
    (repo / "old.txt").write_text("今天天气很好。\n", encoding="utf-8")
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "base", cwd=repo)
    (repo / "notes" / "new.md").write_text("# 通知\n联系人：郦文涛，手机13705182946。\n", encoding="utf-8")
    (repo / "run.log").write_text("手机13705182946。\n", encoding="utf-8")
    (repo / "build").mkdir()
    (repo / "build" / "out.txt").write_text("手机13705182946。\n", encoding="utf-8")
    res = run("scan", ".", "--changed-since", "HEAD", "-f", "json", cwd=repo)
    assert res.exit_code == 1
    report = json.loads(res.stdout)
    assert [d["path"] for d in report["documents"]] == ["notes/new.md"]
    assert [(f["path"], f["rule"], f["line"], f["column"]) for f in report["findings"]] == [
        ("notes/new.md", "names-zh.role-name", 2, 5), ("notes/new.md", "identifiers.cn-mobile", 2, 11)]
    report = json.loads(run("scan", "notes", "--changed-since", "HEAD", "-f", "json", cwd=repo).stdout)
    assert [d["path"] for d in report["documents"]] == ["notes/new.md"]
    res = run("scan", "old.txt", "--changed-since", "HEAD", cwd=repo)
    assert (res.exit_code, res.stderr) == (0, "redactaudit: no changed files to scan\n")


def repo_with(tmp_path: Path, name: str) -> Path:
    """A repository whose one commit holds `name`, a file with nothing to report."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo)
    (repo / name).write_text("今天天气很好。\n", encoding="utf-8")
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "base", cwd=repo)
    return repo


def test_changed_since_leaves_out_new_files_in_environment_folders(tmp_path):
    # A CI job that makes its virtualenv in the checkout (python -m venv .venv) without ignoring it:
    # its thousands of files are untracked and not ignored, and were all scanned, as no walk does.
    repo = repo_with(tmp_path, "old.txt")
    for folder in (".venv/lib", "node_modules/pkg", "docs/__pycache__"):
        (repo / folder).mkdir(parents=True)
        (repo / folder / "x.txt").write_text("手机13705182946。\n", encoding="utf-8")
    (repo / "docs" / "new.txt").write_text("手机13705182946。\n", encoding="utf-8")
    res = run("scan", ".", "--changed-since", "HEAD", "-f", "json", cwd=repo)
    assert res.exit_code == 1
    assert [d["path"] for d in json.loads(res.stdout)["documents"]] == ["docs/new.txt"]


def test_changed_since_lists_new_links_as_a_walk_does_and_never_follows_them(tmp_path):
    # Links a change adds (to a file outside the repository, to a folder, to nothing) went unlisted:
    # a walk lists each as skipped, and a committed link is the same as an untracked one.
    outside = tmp_path / "outside"
    (outside / "d").mkdir(parents=True)
    (outside / "f.txt").write_text(LEAKY, encoding="utf-8")
    (outside / "d" / "g.txt").write_text(LEAKY, encoding="utf-8")
    repo = repo_with(tmp_path, "old.txt")
    (repo / "lf.txt").symlink_to(outside / "f.txt")
    (repo / "ld").symlink_to(outside / "d")
    (repo / "dangling.txt").symlink_to(repo / "nowhere.txt")
    (repo / "new.txt").write_text("草稿。\n", encoding="utf-8")
    for _ in range(2):
        res = run("scan", ".", "--changed-since", "HEAD", "-f", "json", cwd=repo)
        report = json.loads(res.stdout)
        assert res.exit_code == 0 and [d["path"] for d in report["documents"]] == ["new.txt"]
        assert report["skipped"] == [{"path": "dangling.txt", "reason": "symbolic link; not followed"},
                                     {"path": "ld", "reason": "symbolic link to a folder; not followed"},
                                     {"path": "lf.txt", "reason": "symbolic link; not followed"}]
        git("add", ".", cwd=repo)


def test_changed_since_diffs_from_the_merge_base_not_the_base_branch_tip(tmp_path):
    # A pull request's branch forked from main; main then moved on and edited a file the branch never
    # touched. Diffing against main's tip brought main's own change into the scan.
    repo = repo_with(tmp_path, "shared.txt")
    git("checkout", "-q", "-b", "feature", cwd=repo)
    (repo / "mine.txt").write_text("手机13700001111。\n", encoding="utf-8")
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "feature", cwd=repo)
    git("checkout", "-q", "main", cwd=repo)
    (repo / "shared.txt").write_text(LEAKY, encoding="utf-8")
    git("commit", "-q", "-am", "main moves on", cwd=repo)
    git("checkout", "-q", "feature", cwd=repo)
    (repo / "draft.txt").write_text("草稿。\n", encoding="utf-8")  # not committed yet: in the working tree
    report = json.loads(run("scan", ".", "--changed-since", "main", "-f", "json", cwd=repo).stdout)
    assert [d["path"] for d in report["documents"]] == ["draft.txt", "mine.txt"]
    git("add", "draft.txt", cwd=repo)
    report = json.loads(run("scan", ".", "--changed-since", "main", "-f", "json", cwd=repo).stdout)
    assert [d["path"] for d in report["documents"]] == ["draft.txt", "mine.txt"]
    res = run("scan", ".", "--changed-since", "no-such-rev", cwd=repo)
    assert res.exit_code == 2 and res.stderr.startswith("redactaudit: error: git: ")


@pytest.mark.skipif(shutil.which("pre-commit") is None and not (Path(sys.executable).parent / "pre-commit").exists(),
                    reason="pre-commit is not installed (pip install -e '.[test]')")
def test_pre_commit_hook_blocks_a_leak_and_lets_a_clean_commit_through(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("the hook is installed from this checkout's git history")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", ".pre-commit-hooks.yaml", "pyproject.toml",
                            "redactaudit", "patterns"], cwd=ROOT, capture_output=True, text=True).stdout
    if dirty.strip():
        pytest.skip("the hook's files have uncommitted changes; pre-commit installs the committed tree")
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    repo = tmp_path / "docs"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo)
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [
        {"repo": str(ROOT), "rev": head, "hooks": [{"id": "redactaudit"}]}]}), encoding="utf-8")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run([pre_commit, "install"], cwd=repo, check=True, capture_output=True, env=env)
    (repo / "notice.txt").write_text("今天的会议很成功。\n", encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=env)
    clean = subprocess.run(["git", "commit", "-m", "clean"], cwd=repo, capture_output=True, text=True, env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (repo / "leak.txt").write_text("联系人：刘建华，手机13912345678。\n", encoding="utf-8")
    subprocess.run(["git", "add", "leak.txt"], cwd=repo, check=True, env=env)
    blocked = subprocess.run(["git", "commit", "-m", "leak"], cwd=repo, capture_output=True, text=True, env=env)
    assert blocked.returncode != 0
    assert "13912345678" not in blocked.stdout + blocked.stderr


def test_readme_workflow_runs_on_the_samples(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```yaml\n# .github/workflows/redactaudit.yml\n", 1)[1].split("```", 1)[0]
    workflow = yaml.safe_load(block)
    assert workflow[True] == {"pull_request": None, "push": {"branches": ["main"]}}  # YAML reads `on` as true
    steps = workflow["jobs"]["redactaudit"]["steps"]
    assert {"fetch-depth": 0} == [s for s in steps if s.get("uses", "").startswith("actions/checkout")][0]["with"]
    scan = [s["run"] for s in steps if "run" in s and "redactaudit scan" in s["run"]][0]
    assert "--format sarif" in scan and "--changed-since" in scan
    res = run("scan", "samples/docs", "--format", "sarif", "--output", str(tmp_path / "r.sarif"), "--fail-on", "never",
              cwd=ROOT)
    assert res.exit_code == 0
    jsonschema.validate(json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8")), SCHEMA)


def test_readme_workflow_step_scans_what_the_pull_request_changed(tmp_path):
    """The workflow's scan step, run as GitHub would in a pull request whose base branch moved on
    after the fork: only the pull request's own file is in the SARIF."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```yaml\n# .github/workflows/redactaudit.yml\n", 1)[1].split("```", 1)[0]
    steps = yaml.safe_load(block)["jobs"]["redactaudit"]["steps"]
    script = [s["run"] for s in steps if "run" in s and "redactaudit scan" in s["run"]][0]
    upstream, clone = tmp_path / "upstream", tmp_path / "clone"
    (upstream / "docs").mkdir(parents=True)
    git("init", "-q", "-b", "main", cwd=upstream)
    (upstream / "docs" / "old.txt").write_text("今天天气很好。\n", encoding="utf-8")
    git("add", ".", cwd=upstream)
    git("commit", "-q", "-m", "base", cwd=upstream)
    git("clone", "-q", str(upstream), str(clone), cwd=tmp_path)
    git("checkout", "-q", "-b", "feature", cwd=clone)
    assert run("baseline", "create", "docs/", "-o", ".redactaudit-baseline.json", cwd=clone).exit_code == 0
    (clone / "docs" / "new.txt").write_text("联系人：刘建华，手机13912345678。\n", encoding="utf-8")
    git("add", ".", cwd=clone)
    git("commit", "-q", "-m", "feature", cwd=clone)
    (upstream / "docs" / "old.txt").write_text(LEAKY, encoding="utf-8")
    git("commit", "-q", "-am", "main moves on", cwd=upstream)
    git("fetch", "-q", "origin", cwd=clone)
    for name, value in (("github.event_name", "pull_request"), ("github.base_ref", "main")):
        script = script.replace("${{ " + name + " }}", value)
    bindir = Path(sys.executable).parent
    subprocess.run(["bash", "-e", "-c", script], cwd=clone, capture_output=True,
                   env={**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"})
    sarif = json.loads((clone / "redactaudit.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(sarif, SCHEMA)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"docs/new.txt"}


def test_saved_reports_are_current(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_reports.py"), str(tmp_path)], check=True,
                   capture_output=True, env={k: v for k, v in os.environ.items() if k != "REDACTAUDIT_KEY"})
    stale = [p.name for p in sorted(tmp_path.iterdir())
             if p.read_bytes() != (ROOT / "reports" / p.name).read_bytes()]
    assert stale == [], f"reports/ is stale: run python tools/make_reports.py ({stale})"


@pytest.mark.parametrize("value, expected", [
    ("张 三", "张三"), ("138****5678", "138****5678"), ("A_b-C", "abc"), ("Ｘｘ县", "xx县"),
    ("a.b@c.com", "a.b@c.com"), ("１２３", "123"), ("40%", "40%"),
])
def test_a_fingerprint_ignores_spacing_width_and_case(value, expected):
    from redactaudit.identity import fingerprint, normalise_value

    assert normalise_value(value) == expected
    assert fingerprint("r", "p", value, b"k") == fingerprint("r", "p", expected, b"k")


def test_fingerprints_are_hmac_sha256_of_rule_path_and_value():
    # Baselines written by earlier versions must keep matching: the identity is fixed.
    import hashlib
    import hmac

    from redactaudit.identity import fingerprint

    expected = hmac.new(b"k", "r\x1fp\x1f138****5678".encode(), hashlib.sha256).hexdigest()[:16]
    assert fingerprint("r", "p", "138****5678", b"k") == expected
