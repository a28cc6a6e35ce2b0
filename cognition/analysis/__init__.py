"""Measuring a run: the paper's diffusion and relationship figures and a believability check.

`analyze(save_dir, topics)` reads a save (its minds' memories and the run log, never a live
simulation) and returns an `AnalysisReport`; `write_report` turns it into Markdown, JSON and PNG
plots. No pygame; usable from Python and from `simulacra analyze`.
"""

from cognition.analysis.report import AnalysisReport, analyze, write_report

__all__ = ["AnalysisReport", "analyze", "write_report"]
