"""Copies at any scale (issue 14): many copies of one text, one of them showing what the others
mask, still give that leak; exact duplicates are aligned once; a document lists a bounded number
of copies. The counts here pass the bounds the real runs pass (more than MAX_POSTING texts share
every shingle; more than MAX_PAIRWISE distinct texts in one cluster)."""

from __future__ import annotations

from pathlib import Path

from redactaudit.audit import ScanOptions, audit, load_ruleset
from redactaudit.config import Config
from redactaudit.consistency.clusters import MAX_POSTING, near_duplicates
from redactaudit.consistency.crossdoc import MAX_COPIES, MAX_PAIRWISE
from redactaudit.consistency.copies import normalize
from redactaudit.model import Severity

SPEECH = ("在全区乡村振兴工作推进会上的讲话\n同志们：\n今天召开会议，主要任务是总结去年工作。刚才，**同志通报了情况，"
          "***同志作了具体部署，我完全同意。过去一年，全区新建高标准农田**万亩，带动农户增收。"
          "下面，我讲三点意见。一是提高站位，二是压实责任，三是强化保障，确保各项任务落地见效。\n")
LEAKED = SPEECH.replace("***同志", "王立群同志")
COPIES = MAX_POSTING + 16  # past both bounds: more copies than a shingle may pair all of


def cross(report):
    return [f for f in report.findings if f.rule == "consistency.cross-document"]


def scanned(folder: Path):
    result = audit([str(folder)], _ruleset(), Config(), ScanOptions())
    return {Path(r.document.path).name: r for r in result.documents}


def _ruleset():
    return load_ruleset(Config())


def test_many_identical_copies_and_one_that_shows_what_they_mask(tmp_path):
    for i in range(COPIES):
        (tmp_path / f"copy_{i:03d}.txt").write_text(SPEECH, encoding="utf-8")
    (tmp_path / "leaked.txt").write_text(LEAKED, encoding="utf-8")
    reports = scanned(tmp_path)
    leak = cross(reports["leaked.txt"])
    start = LEAKED.index("王立群")
    assert [(f.start, f.end, f.severity) for f in leak] == [(start, start + 3, Severity.ERROR)]
    mask_at = SPEECH.index("***")
    # The masks of the first copies in the scan, at most eight of them.
    assert [(Path(r.path).name, r.start, r.end) for r in leak[0].related] == [
        (f"copy_{i:03d}.txt", mask_at, mask_at + 3) for i in range(8)]
    assert all(cross(reports[f"copy_{i:03d}.txt"]) == [] for i in range(COPIES))
    copies = reports["copy_000.txt"].consistency
    assert [Path(c["path"]).name for c in copies["copies"]] == [f"copy_{i:03d}.txt" for i in range(1, MAX_COPIES + 1)]
    assert copies["more_copies"] == COPIES - MAX_COPIES  # the other copies and leaked.txt, counted


def test_many_versions_of_a_text_and_one_that_shows_what_they_mask(tmp_path):
    # Each version differs (its own serial number): more distinct texts than are aligned pairwise.
    assert COPIES > MAX_PAIRWISE
    for i in range(COPIES):
        (tmp_path / f"v_{i:03d}.txt").write_text(f"编号：第{i}号\n{SPEECH}", encoding="utf-8")
    text = f"编号：第{COPIES}号\n{LEAKED}"
    (tmp_path / "leaked.txt").write_text(text, encoding="utf-8")
    reports = scanned(tmp_path)
    leak = cross(reports["leaked.txt"])
    start = text.index("王立群")
    assert [(f.start, f.end) for f in leak] == [(start, start + 3)]
    assert len(leak[0].related) == 8 and all(Path(r.path).name.startswith("v_") for r in leak[0].related)
    assert all(cross(reports[f"v_{i:03d}.txt"]) == [] for i in range(COPIES))


def test_exact_duplicates_each_get_the_finding_and_point_at_every_masking_copy(tmp_path):
    (tmp_path / "a.txt").write_text(SPEECH, encoding="utf-8")
    (tmp_path / "b.txt").write_text(SPEECH.replace("\n", "\r\n"), encoding="utf-8")  # the same text, CRLF
    (tmp_path / "c.txt").write_text(LEAKED, encoding="utf-8")
    (tmp_path / "d.txt").write_text(LEAKED.replace("，", ","), encoding="utf-8")  # half-width commas
    reports = scanned(tmp_path)
    for name, text in (("c.txt", LEAKED), ("d.txt", LEAKED.replace("，", ","))):
        (leak,) = cross(reports[name])
        assert (leak.start, leak.end) == (text.index("王立群"), text.index("王立群") + 3)
        crlf_mask = SPEECH.replace("\n", "\r\n").index("***")
        assert [(Path(r.path).name, r.start) for r in leak.related] == [
            ("a.txt", SPEECH.index("***")), ("b.txt", crlf_mask)]
    assert [(Path(c["path"]).name, c["containment"]) for c in reports["a.txt"].consistency["copies"]] == [
        ("b.txt", 1.0), ("c.txt", 0.952), ("d.txt", 0.952)]


def test_a_paragraph_many_unrelated_texts_share_does_not_make_them_copies():
    boiler = "本文件由办公室负责解释，自印发之日起施行，各单位要认真贯彻落实，确保各项工作取得实效。" * 2
    own = ["关于开展安全生产大检查的通知。各单位要高度重视，认真组织自查自纠，及时消除隐患。",
           "关于做好防汛抗旱工作的意见。要加强值班值守，落实巡查制度，遇有险情及时上报处置。",
           "关于加强基层党组织建设的决定。要选优配强班子，健全议事规则，推动组织生活规范化。"]
    texts = [own[i % 3] + f"第{i}期。" + "".join(chr(0x4E00 + (i * 37 + k) % 5000) for k in range(60)) + boiler
             for i in range(MAX_POSTING * 2)]
    assert near_duplicates(texts) == []


def test_no_alignment_is_asked_of_more_than_a_bounded_square(monkeypatch):
    # Regression: two "copies" whose every line differs (a roster, a ledger) made one stretch of the
    # whole text, and its alignment's memory grows with the product of the lengths: 240 KB each
    # took 7.5 GB, 1.6 MB each ended the scan (std::bad_alloc). Large stretches go in bands.
    import rapidfuzz.distance

    from redactaudit.consistency.copies import ALIGN_CELLS, char_blocks

    asked = []
    real = rapidfuzz.distance.Indel

    class Counting:
        @staticmethod
        def opcodes(a, b):
            asked.append(len(a) * len(b))
            return real.opcodes(a, b)

    monkeypatch.setattr(rapidfuzz.distance, "Indel", Counting)
    a = "".join(f"第{i}户，户主某某，人口{i % 7}人，面积{i % 13}亩。" for i in range(3000))
    b = "".join(f"第{i}户，户主某某，人口{(i + 1) % 7}人，面积{(i + 2) % 13}亩。" for i in range(3000))
    na, nb = normalize(a), normalize(b)
    blocks = char_blocks(na, nb)
    assert asked and max(asked) <= ALIGN_CELLS
    # The blocks still cover both texts, in order.
    assert blocks[0][1] == blocks[0][3] == 0 and blocks[-1][2] == len(na.text) and blocks[-1][4] == len(nb.text)
    assert all(x[2] == y[1] and x[4] == y[3] for x, y in zip(blocks, blocks[1:]))
