"""The window's panes: one module per tab."""
