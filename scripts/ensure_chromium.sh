#!/bin/sh
# The browser tests (Playwright + axe-core, screenshots) drive Debian's Chromium.
# Install it when missing and we may (root with apt); otherwise those tests skip, saying why.
CHROMIUM="${KANALVAKT_CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null) \
        || echo "Could not install chromium; browser tests will be skipped."
else
    echo "No browser at $CHROMIUM and no way to install one; browser tests will be skipped."
fi
exit 0
