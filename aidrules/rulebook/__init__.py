"""Rule books: the rule files and policies, loaded whole and checked, and an application's facts."""

from aidrules.rulebook.book import (
                                    Aid,
                                    Basis,
                                    Brand,
                                    Criterion,
                                    DerivedFact,
                                    ExclusiveGroup,
                                    Rule,
                                    RuleBook,
)
from aidrules.rulebook.loader import check_rulebook, load_rulebook

__all__ = ["Aid", "Basis", "Brand", "Criterion", "DerivedFact", "ExclusiveGroup", "Rule",
           "RuleBook", "check_rulebook", "load_rulebook"]
