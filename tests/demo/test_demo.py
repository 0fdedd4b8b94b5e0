"""`kaoping demo` builds the whole 2017 year and writes outputs a bureau can open; again is harmless."""

import json

from docx import Document
from openpyxl import load_workbook

from kaoping.cli import main
from kaoping.inbox.models import Message


def test_the_demo_year_end_to_end_and_again(db, tmp_path, capsys):
    out = tmp_path / "demo-output"
    assert main(["demo", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2017 年度结果：优胜 3 个（赫山区、资阳区、桃江县）" in printed
    assert "不合格 1 个（安化县）" in printed
    assert "ziyang-tb" in printed and "dangzu" in printed
    inbox = list(Message.objects.filter(recipient__username="ziyang-tb").values_list("title", flat=True))
    assert sorted(inbox) == [
        "2017 年度考评已开启自评",
        "2017 年度考评结果公示中",
        "2017 年度考评结果已通报",
        "2018 年度考评已开启自评",
        "条目 2.6 的申诉已答复：改为 1.00 分",
    ]
    # The year went through 公示中 with two objections: one 改分 (资阳区 2.6 0.50 → 1.00), one 维持.
    assert main(["objections", "--year", "2017", "--json"]) == 0
    objections = json.loads(capsys.readouterr().out)
    assert [
        (o["unit_name"], o["item_id"], o["decision"], o["score_before"], o["score_after"]) for o in objections
    ] == [
        ("资阳区", "2.6", "改分", "0.50", "1.00"),
        ("赫山区", "4.1", "维持", "1.00", "1.00"),
    ]
    assert objections[0]["files"] == ["节假日巡查记录.pdf"] and objections[1]["files"] == []

    results = json.loads((out / "results-2017.json").read_text(encoding="utf-8"))
    assert results["complete"] is True
    ziyang = next(u for u in results["units"] if u["name"] == "资阳区")
    assert ziyang["items"]["2.6"]["score"] == 1.0 and ziyang["total"] == 95.48  # 94.98 before the 改分
    assert {u["grade"] for u in results["units"]} == {"优胜", "达标", "不合格"}
    vetoed = [u for u in results["units"] if u["vetoes"]]
    assert [(u["name"], u["vetoes"], u["grade"]) for u in vetoed] == [("沅江市", ["问责"], "达标")]
    summoned = [u["name"] for u in results["units"] if u["items"]["5.7"]["score"] == 0]
    assert summoned == ["南县"]

    ranking = load_workbook(out / "ranking-2017.xlsx")
    assert ranking.sheetnames[0] == "考评排名" and "安化县" in ranking.sheetnames
    notice = "\n".join(p.text for p in Document(out / "notice-2017.docx").paragraphs)
    assert "益国土资发〔2017〕22号" in notice and "安化县" in notice

    assert main(["demo", "-o", str(out)]) == 0
    assert "2017 年度考评已是“已通报”，保持不变" in capsys.readouterr().out
    again = json.loads((out / "results-2017.json").read_text(encoding="utf-8"))
    assert again == results
    assert Message.objects.filter(recipient__username="ziyang-tb").count() == 5
