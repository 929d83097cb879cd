#!/bin/sh
# System packages the product and its tests use from Debian: Chromium (browser tests,
# screenshots), Pango (WeasyPrint PDFs), poppler-utils and qpdf (tests read and check PDFs).
# Install what is missing when we may (root with apt); otherwise those tests skip, saying why.
CHROMIUM="${KANALVAKT_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ] && command -v pdftotext >/dev/null 2>&1 && command -v qpdf >/dev/null 2>&1 && ldconfig -p | grep -q libpangoft2; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium, poppler-utils, qpdf and pango for the tests…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core poppler-utils qpdf libpango-1.0-0 libpangoft2-1.0-0 >/dev/null) \
        || echo "Could not install chromium; browser tests will be skipped."
else
    echo "No browser at $CHROMIUM and no way to install one; browser tests will be skipped."
fi
exit 0
