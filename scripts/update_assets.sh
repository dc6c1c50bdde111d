#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm packages pinned in package.json.
# Only the files the pages use are copied (docs/decisions/0003-govuk-frontend-assets.md).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
cp package.json "$tmp/" && (cd "$tmp" && npm install --silent --no-audit --no-fund)
nm="$tmp/node_modules"
static=learning_reviews/static
cp "$nm/govuk-frontend/dist/govuk/govuk-frontend.min.css" "$nm/govuk-frontend/dist/govuk/govuk-frontend.min.js" "$static/"
cp "$nm/govuk-frontend/dist/govuk/assets/fonts/"* "$static/fonts/"
cp "$nm/govuk-frontend/dist/govuk/assets/images/govuk-crest.svg" "$static/images/"
cp "$nm/@ministryofjustice/frontend/moj/moj-frontend.min.css" "$static/"
for f in $(grep -o 'url(/assets/images/[^)]*)' "$static/moj-frontend.min.css" | sed 's#url(/assets/images/##; s#)##' | sort -u); do
  cp "$nm/@ministryofjustice/frontend/moj/assets/images/$f" "$static/images/"
done
rm -rf "$tmp"
