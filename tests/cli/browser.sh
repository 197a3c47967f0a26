#!/bin/sh
# The HTML reports rendered in headless Chromium (tests/browser/render.sh);
# skipped (77) where chromium is not installed.
exec sh "$(dirname "$0")/../browser/render.sh"
