"""`national/` holds national values only: a value assumed from another province's or city's
figure belongs to the jurisdiction that uses it (heilongjiang/, example/), never to national."""

from pathlib import Path

from aidrules.policy import PolicyTree

ROOT = Path(__file__).resolve().parents[2]
PLACES = ("广东", "深圳", "揭阳", "河南", "会昌", "江西", "甘肃", "贵州", "南京", "天津", "吉林",
          "重庆", "渝北", "桂林", "咸阳", "大庆", "哈尔滨", "Guangdong", "Shenzhen", "Henan",
          "Huichang", "Jiangxi", "Gansu", "Guizhou", "Nanjing", "Tianjin", "Jilin", "Chongqing",
          "Yubei", "Guilin", "Xianyang", "Daqing", "Harbin")


def test_no_national_value_is_assumed_from_another_place():
    tree = PolicyTree.load(ROOT / "policies")
    borrowed = [f"{v.file}:{v.line}: {v.name}" for v in tree.assumed()
                if v.jurisdiction == "national" and any(p in v.assumed for p in PLACES)]
    assert borrowed == [], "move these values to the jurisdiction whose figure they are"
