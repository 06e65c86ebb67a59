#!/usr/bin/env python3
"""Writes the installed /etc/fairdex/fairdex.yaml from etc/fairdex.yaml:
the same file with the development paths replaced by the system ones.
usage: install_config.py IN OUT STATEDIR SOCKET SAMPLE_URL"""
import re
import sys

src, dst, state, sock, sample = sys.argv[1:6]
text = open(src, encoding="utf-8").read()
for key, value in (("state_dir", state), ("socket", sock), ("    url", sample)):
    text, n = re.subn(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.M)
    if n != 1:
        sys.exit(f"install_config.py: no '{key.strip()}:' line in {src}")
text = text.replace("# Relative paths (and relative file: URLs) are resolved against the\n"
                    "# directory of this file, so `scripts/run` works from any checkout.\n",
                    "# Relative paths (and relative file: URLs) are resolved against the\n"
                    "# directory of this file.\n")
open(dst, "w", encoding="utf-8").write(text)
