"""The digest of what pyproject.toml asks for, written into requirements.lock by scripts/lock
and compared by scripts/setup, so a lock made for other dependencies is refused, not installed.

Run with any Python 3.11+ (standard library only): python3 scripts/lockstamp.py
"""

import hashlib
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def requested() -> dict:
    """The dependency lists of pyproject.toml, and nothing else of it."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        data = tomllib.load(handle)
    project = data.get("project", {})
    return {
        "requires-python": project.get("requires-python", ""),
        "dependencies": sorted(project.get("dependencies", [])),
        "optional-dependencies": {
            name: sorted(items)
            for name, items in sorted(project.get("optional-dependencies", {}).items())
        },
        "build-system": sorted(data.get("build-system", {}).get("requires", [])),
    }


def stamp() -> str:
    text = json.dumps(requested(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def stamp_in_lock(lock: Path) -> str | None:
    for line in lock.read_text(encoding="utf-8").splitlines():
        if line.startswith("# pyproject-sha256: "):
            return line.split(":", 1)[1].strip()
    return None


def pins(lines) -> dict[str, str]:
    """name -> version from `name==version` lines (the lock, or `pip freeze`)."""
    found = {}
    for line in lines:
        if "==" in line and not line.startswith(("#", " ")):
            name, version = line.split("==", 1)
            found[name.strip().lower().replace("_", "-")] = version.split()[0].strip(" \\")
    return found


def diff(installed: dict[str, str], locked: dict[str, str]) -> list[str]:
    return [
        f"  {name}: {locked.get(name, '(not locked)')} -> {installed.get(name, '(absent)')}"
        for name in sorted(set(installed) | set(locked))
        if installed.get(name) != locked.get(name) and name not in ("pip", "setuptools")
    ]


if __name__ == "__main__":
    if sys.argv[1:] == ["--diff"]:  # pip freeze on standard input
        locked = pins((ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines())
        print("\n".join(diff(pins(sys.stdin), locked)) or "  (none)")
    elif sys.argv[1:] == ["--build-requires"]:
        print("\n".join(requested()["build-system"]))
    elif sys.argv[1:] == ["--check"]:
        lock = ROOT / "requirements.lock"
        if not lock.is_file():
            sys.exit("requirements.lock is missing; run scripts/lock to make it")
        if stamp_in_lock(lock) != stamp():
            sys.exit(
                "requirements.lock was made for other dependencies than pyproject.toml "
                "lists now; run scripts/lock to refresh it, test, and commit both files"
            )
    else:
        print(stamp())
