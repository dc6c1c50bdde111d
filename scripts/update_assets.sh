#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm packages pinned in package.json.
# Only the files the pages use are copied (docs/decisions/0003-govuk-frontend-assets.md), and
# the font the PDFs are set in (docs/decisions/0013-documents-font.md).
set -euo pipefail
cd "$(dirname "$0")/.."
# fontTools comes with WeasyPrint, so the project's virtualenv has it.
python=.venv/bin/python
[ -x "$python" ] || python=python3
tmp=$(mktemp -d)
cp package.json "$tmp/" && (cd "$tmp" && npm install --silent --no-audit --no-fund)
nm="$tmp/node_modules"
static=learning_reviews/static
cp "$nm/govuk-frontend/dist/govuk/govuk-frontend.min.css" "$nm/govuk-frontend/dist/govuk/govuk-frontend.min.js" "$static/"
cp "$nm/govuk-frontend/dist/govuk/assets/fonts/"* "$static/fonts/"
cp "$nm/govuk-frontend/dist/govuk/assets/images/govuk-crest.svg" "$static/images/"
cp "$nm/@ministryofjustice/frontend/moj/moj-frontend.min.css" "$static/"
# The source maps are not vendored: drop the CSS's references to them, which collectstatic's
# manifest storage would otherwise refuse as missing files (docs/deployment.md).
sed -i '/^\/\*# sourceMappingURL=.*\*\/$/d' "$static/govuk-frontend.min.css" "$static/moj-frontend.min.css"
for f in $(grep -o 'url(/assets/images/[^)]*)' "$static/moj-frontend.min.css" | sed 's#url(/assets/images/##; s#)##' | sort -u); do
  cp "$nm/@ministryofjustice/frontend/moj/assets/images/$f" "$static/images/"
done
# Arimo, Latin subset, regular and bold, upright and italic. Fontsource ships it as woff2,
# which Fontconfig lists but Pango cannot open: it is unpacked to TrueType (losslessly, as
# WeasyPrint itself would) so that the tests' fonts.conf can point at the same files.
fonts=learning_reviews/documents/fonts
for face in 400-normal 400-italic 700-normal 700-italic; do
  "$python" -m fontTools.ttLib.woff2 decompress --quiet -o "$fonts/arimo-latin-$face.ttf" \
    "$nm/@fontsource/arimo/files/arimo-latin-$face.woff2"
done
cp "$nm/@fontsource/arimo/LICENSE" "$fonts/OFL.txt"
rm -rf "$tmp"
