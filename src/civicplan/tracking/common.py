"""共同性指標 computed from their inputs, where the formula is known (the same three in every chapter).

Pure Python. The formula is shown beside the result, so that the agency and 研考 can check it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


class InputError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class CommonFormula:
    key: str
    words: tuple[str, ...]  # an indicator whose name contains one of these uses the formula
    inputs: tuple[tuple[str, str], ...]  # (name, label)
    shown: str  # the formula as the 衡量標準 prints it, in short

    def compute(self, values: dict) -> Decimal:
        numbers = {}
        for name, label in self.inputs:
            raw = str(values.get(name, "")).replace(",", "").strip()
            try:
                numbers[name] = Decimal(raw)
            except InvalidOperation:
                raise InputError(name, f"{label}：請填數字") from None
            if numbers[name] < 0:
                raise InputError(name, f"{label}：不可為負數")
        a, b = (numbers[name] for name, _label in self.inputs)
        base = {"budget-surplus": a, "contract-staff-growth": b, "learning-hours": b}[self.key]
        if base == 0:
            raise InputError(self.inputs[0 if self.key == "budget-surplus" else 1][0], "分母為 0，無法計算")
        result = {
            "budget-surplus": (a - b) / a,
            "contract-staff-growth": (a - b) / b,
            "learning-hours": a / b,
        }[self.key] * 100
        return result.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


FORMULAS = (
    CommonFormula(
        "budget-surplus", ("經常門業務費賸餘",),
        (("budget", "經常門業務費預算數（不含臨時人員薪資）"), ("final", "經常門業務費決算數（實支數＋保留數）")),
        "（預算數－決算數）÷預算數×100%",
    ),
    CommonFormula(
        "contract-staff-growth", ("約聘僱員額成長率", "約聘員額成長率"),
        (("this_year", "本年度約聘僱員額總數"), ("last_year", "上年度約聘僱員額總數")),
        "（本年度員額－上年度員額）÷上年度員額×100%",
    ),
    CommonFormula(
        "learning-hours", ("學習時數",),
        (("completed", "完成年度學習時數之人數"), ("staff", "現有公務人員人數")),
        "完成學習時數之人數÷現有公務人員人數×100%",
    ),
)


def formula_for(indicator_name: str) -> CommonFormula | None:
    for formula in FORMULAS:
        if any(word in indicator_name for word in formula.words):
            return formula
    return None


def result_text(value: Decimal) -> str:
    return f"{format(value.normalize(), 'f')}%"
