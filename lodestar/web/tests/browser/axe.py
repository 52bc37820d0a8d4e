"""axe-core, the accessibility rules engine, for the browser tests.

Not kept in the repository: the pinned release is fetched once from the npm registry with
`npm pack` (which checks the package's integrity) and its axe.min.js kept in
var/test-cache/ (or $LODESTAR_TEST_CACHE). Without npm, or when the registry cannot be
reached, the accessibility tests are skipped and say why.
"""

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

AXE_VERSION = "4.10.3"
CACHE = Path(
    os.environ.get("LODESTAR_TEST_CACHE")
    or Path(__file__).resolve().parents[4] / "var" / "test-cache"
)


def axe_source() -> tuple[str | None, str]:
    """(axe.min.js, "") when it is at hand, else (None, why not)."""
    kept = CACHE / f"axe-core-{AXE_VERSION}.min.js"
    if kept.exists():
        return kept.read_text(encoding="utf-8"), ""
    npm = shutil.which("npm")
    if npm is None:
        return None, f"npm is not on this machine: it fetches axe-core {AXE_VERSION}"
    with tempfile.TemporaryDirectory() as folder:
        packed = subprocess.run(
            [npm, "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", folder, "--silent"],
            capture_output=True,
            text=True,
            timeout=180,
            cwd=folder,
        )
        tarballs = list(Path(folder).glob("axe-core-*.tgz"))
        if packed.returncode != 0 or not tarballs:
            return None, f"npm could not fetch axe-core {AXE_VERSION}: {packed.stderr[-300:]}"
        with tarfile.open(tarballs[0]) as archive:
            source = archive.extractfile("package/axe.min.js").read().decode("utf-8")
    CACHE.mkdir(parents=True, exist_ok=True)
    kept.write_text(source, encoding="utf-8")
    return source, ""


# Runs axe on the page as it is; answers the serious and critical violations only.
SERIOUS_VIOLATIONS = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                   where: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
}"""
