"""Written notices rendered from an assessment's own explanation (jinja2 templates).

The applicant's notice (审核确认结果告知书) says, per aid type, the outcome, the amount,
the reasons with the values compared and the legal basis, and what is missing; the
public notice (公示) lists households with names and identity numbers masked. A county
changes the wording by giving a directory of its own templates of the same names."""

from aidrules.notices.chromium import html_to_pdf, screenshot
from aidrules.notices.render import (
    decision_notice,
    issuer_of,
    mask_name,
    month_report,
    month_report_rows,
    public_list,
    public_notice,
    referral_form,
    task_sheet,
)

__all__ = ["decision_notice", "html_to_pdf", "issuer_of", "mask_name", "month_report",
           "month_report_rows", "public_list", "public_notice", "referral_form", "screenshot",
           "task_sheet"]
