"""Monitoring and early warning (数据预警): department feeds in, warnings out.

Pure parts only: the records are plain attrs classes and iterators, which the case
ledger stores. See docs/monitoring.md."""

from aidrules.monitoring.feed import FeedImport, import_feed
from aidrules.monitoring.mapping import EVENT_KINDS, FeedMapping, MappingError, load_mapping
from aidrules.monitoring.records import Event, ImportReport, Reject
from aidrules.monitoring.register import (
                                          Discovered,
                                          Household,
                                          Match,
                                          NameMismatch,
                                          Person,
                                          Register,
                                          read_register,
)
from aidrules.monitoring.screening import (
                                          Clock,
                                          EarlyWarning,
                                          FixedClock,
                                          Monitor,
                                          Screening,
                                          SystemClock,
                                          VerificationTask,
)
from aidrules.monitoring.warnings import (
                                          WarningBook,
                                          WarningRule,
                                          WarningRuleError,
                                          load_warning_rules,
)

__all__ = ["EVENT_KINDS", "Clock", "Discovered", "EarlyWarning", "Event", "FeedImport",
           "FeedMapping", "FixedClock", "Household", "ImportReport", "MappingError", "Match",
           "Monitor", "NameMismatch", "Person", "Register", "Reject", "Screening", "SystemClock",
           "VerificationTask", "WarningBook", "WarningRule", "WarningRuleError", "import_feed",
           "load_mapping", "load_warning_rules", "read_register"]
