"""Run eark-validator 1.1.3 on one package, offline, and print its report as JSON.

Runs in eark-validator's own environment (it pins lxml==5.1.0), not the project's:
    <venv>/bin/python tests/exports/eark_validate.py PACKAGE_DIR
On import the validator downloads four CSIP vocabularies from earkcsip.dilcis.eu and
crashes without a network; it ships the same files, so urlopen is served those copies.
It exits 0 even for an invalid package: read the JSON.
"""

import sys
import urllib.request
from importlib.resources import files

_real_urlopen = urllib.request.urlopen


def _offline_urlopen(url, *args, **kwargs):
    name = str(url).rsplit("/", 1)[-1]
    if str(url).startswith("https://earkcsip.dilcis.eu/schema/"):
        return files("eark_validator.ipxml.resources.vocabs").joinpath(name).open("rb")
    raise OSError(f"eark_validate.py: no network access for {url}")


urllib.request.urlopen = _offline_urlopen


def main(path: str) -> int:
    from pathlib import Path

    from eark_validator import packages
    from eark_validator.specifications.specification import SpecificationVersion

    report = packages.PackageValidator(Path(path), SpecificationVersion.V2_1_0).validation_report
    print(report.model_dump_json())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
