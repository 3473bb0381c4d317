"""The version of propscope (what analyses, reports and the API say made them)."""

__version__ = "0.1.0"
