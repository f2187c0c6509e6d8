"""Reference data shipped inside the package (TOML and CSV files with their sources).

Nothing here is fetched from the network: every file is read with `importlib.resources`.
"""
