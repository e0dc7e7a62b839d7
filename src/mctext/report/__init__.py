"""The self-contained HTML report (``report.html``)."""

from mctext.report.report import ReportMeta, generated_on, render_report, write_report

__all__ = ["ReportMeta", "generated_on", "render_report", "write_report"]
