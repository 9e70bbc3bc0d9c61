"""Spreadsheet exports of applications: CSV (streamed) and XLSX, both formula-safe."""
