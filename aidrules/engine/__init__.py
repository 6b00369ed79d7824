"""Assessing applications on durable_rules. Only :mod:`aidrules.engine.durable` imports it."""

from aidrules.engine.assess import Assessor
from aidrules.engine.results import AidResult, Assessment, CriterionResult, Referral, RuleTrace

__all__ = ["AidResult", "Assessment", "Assessor", "CriterionResult", "Referral", "RuleTrace"]
