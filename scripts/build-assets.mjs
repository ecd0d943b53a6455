#!/usr/bin/env node
// Copies exactly the front-end files Bro serves from node_modules into
// crates/web/assets/vendor/ (gitignored). No dependencies beyond node itself.
//
// Layout (served under /static/vendor/…):
//   dkfds/css/dkfds.min.css        standard "dkfds" theme (not virkdk/borgerdk)
//   dkfds/js/dkfds.min.js          DKFDS components; call DKFDS.init() from our own JS
//   dkfds/img/all-svg-icons.svg    icon sprite: <svg><use href="/static/vendor/dkfds/img/all-svg-icons.svg#NAME"/></svg>
//   dkfds/img/…, dkfds/fonts/…     every file the CSS references with url(...), same relative paths
//   htmx/htmx.min.js
//   htmx-ext-sse/sse.min.js
//   */LICENSE*                     licences of what we redistribute
//   manifest.json                  package versions + sha256/size of every file (cache busting, SRI)
//
// Source-map comments are stripped so browsers do not request missing *.map files.

import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nodeModules = path.join(root, "node_modules");
const outDir = path.join(root, "crates", "web", "assets", "vendor");

function fail(message) {
  console.error(`build-assets: ${message}`);
  process.exit(1);
}

function pkgDir(name) {
  const dir = path.join(nodeModules, ...name.split("/"));
  if (!fs.existsSync(path.join(dir, "package.json"))) {
    fail(`package ${name} is not installed; run 'npm ci' first`);
  }
  return dir;
}

function pkgVersion(name) {
  return JSON.parse(fs.readFileSync(path.join(pkgDir(name), "package.json"), "utf8")).version;
}

const copied = []; // { rel, bytes }

function writeOut(rel, data) {
  const dest = path.join(outDir, rel);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, data);
  copied.push({ rel: rel.split(path.sep).join("/"), data });
}

function copyFile(src, rel) {
  if (!fs.existsSync(src)) fail(`missing source file ${path.relative(root, src)}`);
  writeOut(rel, fs.readFileSync(src));
}

// Copy a text asset, dropping its trailing sourceMappingURL comment.
function copyStripped(src, rel) {
  if (!fs.existsSync(src)) fail(`missing source file ${path.relative(root, src)}`);
  const text = fs
    .readFileSync(src, "utf8")
    .replace(/\n?\/\*# sourceMappingURL=[^*]*\*\/\s*$/, "\n")
    .replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, "\n");
  writeOut(rel, text);
  return text;
}

// Every relative url(...) in a stylesheet, resolved against the stylesheet's directory.
function cssUrls(cssText) {
  const urls = new Set();
  const re = /url\(\s*(['"]?)([^'")]+)\1\s*\)/g;
  let m;
  while ((m = re.exec(cssText)) !== null) {
    const raw = m[2].trim();
    if (/^(data:|https?:|\/\/|#)/i.test(raw) || raw.startsWith("/")) continue;
    urls.add(raw.replace(/[?#].*$/, ""));
  }
  return [...urls].sort();
}

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });

// ---- DKFDS ---------------------------------------------------------------
const dkfds = path.join(pkgDir("dkfds"), "dist");
const cssRel = path.join("css", "dkfds.min.css");
const css = copyStripped(path.join(dkfds, cssRel), path.join("dkfds", cssRel));
copyStripped(path.join(dkfds, "js", "dkfds.min.js"), path.join("dkfds", "js", "dkfds.min.js"));
copyFile(path.join(dkfds, "img", "all-svg-icons.svg"), path.join("dkfds", "img", "all-svg-icons.svg"));

const cssDir = path.dirname(path.join(dkfds, cssRel));
const refs = cssUrls(css);
if (refs.length === 0) fail("found no url(...) references in dkfds.min.css; has the package layout changed?");
for (const ref of refs) {
  const src = path.resolve(cssDir, ref);
  const rel = path.relative(dkfds, src);
  if (rel.startsWith("..") || path.isAbsolute(rel)) fail(`dkfds.min.css references ${ref}, outside dist/`);
  copyFile(src, path.join("dkfds", rel));
}
copyFile(path.join(pkgDir("dkfds"), "LICENSE.md"), path.join("dkfds", "LICENSE.md"));
copyFile(
  path.join(dkfds, "fonts", "IBMPlexSans", "complete", "woff2", "license.txt"),
  path.join("dkfds", "fonts", "IBMPlexSans", "LICENSE.txt"),
);

// ---- htmx + SSE extension ------------------------------------------------
copyStripped(path.join(pkgDir("htmx.org"), "dist", "htmx.min.js"), path.join("htmx", "htmx.min.js"));
copyFile(path.join(pkgDir("htmx.org"), "LICENSE"), path.join("htmx", "LICENSE"));
copyStripped(path.join(pkgDir("htmx-ext-sse"), "dist", "sse.min.js"), path.join("htmx-ext-sse", "sse.min.js"));
copyFile(path.join(pkgDir("htmx-ext-sse"), "LICENSE"), path.join("htmx-ext-sse", "LICENSE"));

// ---- manifest ------------------------------------------------------------
const versions = Object.fromEntries(["dkfds", "htmx.org", "htmx-ext-sse"].map((n) => [n, pkgVersion(n)]));
const files = Object.fromEntries(
  copied
    .slice()
    .sort((a, b) => a.rel.localeCompare(b.rel))
    .map(({ rel, data }) => [
      rel,
      { bytes: Buffer.byteLength(data), sha256: createHash("sha256").update(data).digest("base64") },
    ]),
);
fs.writeFileSync(path.join(outDir, "manifest.json"), JSON.stringify({ versions, files }, null, 2) + "\n");

// ---- summary -------------------------------------------------------------
const total = copied.reduce((n, f) => n + Buffer.byteLength(f.data), 0);
const byTop = {};
for (const f of copied) {
  const top = f.rel.split("/").slice(0, 2).join("/");
  byTop[top] ??= { n: 0, bytes: 0 };
  byTop[top].n += 1;
  byTop[top].bytes += Buffer.byteLength(f.data);
}
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
console.log(`build-assets: ${Object.entries(versions).map(([n, v]) => `${n}@${v}`).join(", ")}`);
for (const [dir, { n, bytes }] of Object.entries(byTop).sort()) {
  console.log(`  ${dir.padEnd(28)} ${String(n).padStart(4)} files ${kib(bytes).padStart(11)}`);
}
console.log(
  `build-assets: ${copied.length} files, ${kib(total)} -> ${path.relative(root, outDir)}/ ` +
    `(${refs.length} url() references in dkfds.min.css, all resolved)`,
);
