"""共同性指標 from their inputs, with the formula shown."""

from decimal import Decimal

import pytest

from civicplan.tracking.common import InputError, formula_for, result_text


@pytest.mark.parametrize("name, values, expected", [
    ("各單位當年度經常門業務費賸餘數百分比", {"budget": "1,000,000", "final": "982,000"}, "1.8%"),
    ("約聘僱員額成長率", {"this_year": "52", "last_year": "50"}, "4%"),
    ("約聘員額成長率", {"this_year": "48", "last_year": "50"}, "-4%"),
    ("單位公務人員完成年度學習時數之人數比率", {"completed": "73", "staff": "100"}, "73%"),
])
def test_common_indicators_are_computed_from_their_inputs(name, values, expected):
    formula = formula_for(name)
    assert formula is not None and "÷" in formula.shown
    assert result_text(formula.compute(values)) == expected


def test_inputs_are_checked_and_named():
    formula = formula_for("各單位當年度經常門業務費賸餘數百分比")
    with pytest.raises(InputError) as error:
        formula.compute({"budget": "abc", "final": "1"})
    assert error.value.field == "budget"
    with pytest.raises(InputError, match="分母為 0"):
        formula.compute({"budget": "0", "final": "0"})
    with pytest.raises(InputError) as error:
        formula_for("學習時數").compute({"completed": "-1", "staff": "5"})
    assert error.value.field == "completed"


def test_other_indicators_have_no_formula():
    assert formula_for("各區里基礎零星工程") is None
    assert formula_for("約聘僱員額成長率").compute({"this_year": 50, "last_year": 50}) == Decimal("0.0")
