"""Units printed after target values (件, 次, 場次, 人次, 式, %, 天, 公尺, 名 …) and which of them mean the same.

Any short word is accepted as a unit after Arabic digits (`3640件`, `11個子系統`, `5MW`); after Chinese
numerals only a known unit is (`一年二次` is a frequency, `一般民眾` is not a number).
"""

from __future__ import annotations

import re

from civicplan.targets.numerals import NUMERAL_CHARS

# The 58 units of the Keelung books (seeds-keelung.md §4.3), those of Chiayi (seeds-chiayi.md §4) and a few
# more that plan books use.
KNOWN_UNITS = frozenset("""
% 次 人次 件 場 場次 家次 人 個 案 式 家 處 冊 班 萬 筆 平方公尺 台 臺 梯 期 件次 則 噸 公噸 元 萬元 億元 校 種 條 戶
部 人數 點 組 套 天 日 輛 批 戶數 艘 盞 株 包 份 梯次 名 秒 格 家戶 個子系統 支 車次 場址 項次 團 檔 時 小時 分 分鐘
張 館 項 公里 公尺 里 MW 篇 本 所 區 座 棟 間 位 隊 對 輪 堂 門 站 群 季 月 年 週 周 回 趟 頁 筆數 件數 次數 人日
堂課 場域 處所 單位 機關 學校 社區 村里 里次 所次 校次 班次 團次 隊次 個案 案件 案次 幅 面 座次 公頃 公畝 平方公里
立方公尺 度 千瓦 瓩 kW kWh MWh 棵 尾 隻 頭 萬人 萬人次 百分點 個百分點 件數次 筆資料
""".split())

# Units that mean the same thing when a target and an actual are compared.
EQUIVALENT = {"臺": "台", "日": "天", "周": "週", "公噸": "噸", "小時": "時", "分鐘": "分", "人數": "人",
              "戶數": "戶", "筆數": "筆", "件數": "件", "次數": "次", "瓩": "千瓦", "kW": "千瓦"}

MAX_UNIT_LENGTH = 8
_UNIT = re.compile(r"°[CF]|[^\W\d_]{1,8}?(?<=[A-Za-z])[23]|[^\W\d_]{1,8}")


def is_unit(text: str) -> bool:
    """A word that can stand after a number: letters only (m2 and °C allowed), at most 8 characters, not
    starting with a Chinese numeral (it would read as part of the number; 百分點 is the exception)."""
    if text == "%":
        return True
    if not text or len(text) > MAX_UNIT_LENGTH or not _UNIT.fullmatch(text):
        return False
    return text[0] not in NUMERAL_CHARS or text.startswith("百分")


def same_unit(a: str, b: str) -> bool:
    """Comparable units: equal after EQUIVALENT, or one of them not given."""
    if not a or not b:
        return True
    return EQUIVALENT.get(a, a) == EQUIVALENT.get(b, b)
