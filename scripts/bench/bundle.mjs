// What each page's first visit downloads of the built front end, from the split
// manifest: the shared files (main module, its JS glue, the split loader) plus every
// file the manifest lists for the page (its own split file and the chunks it shares
// with other pages), summed as the brotli copies the server sends. The manifest itself
// is read by the server (preload links), never by the browser.
// Usage: node scripts/bench/bundle.mjs [SITE_PKG_DIR]
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? "target/site/pkg";
const files = readdirSync(dir);
const size = (name) => {
  const br = files.includes(`${name}.br`) ? `${name}.br` : name;
  return statSync(join(dir, br)).size;
};
const find = (re) => files.filter((f) => re.test(f) && !/\.(br|gz)$/.test(f));
const manifestName = find(/^__wasm_split_manifest\..*\.json$/)[0];
const manifest = JSON.parse(readFileSync(join(dir, manifestName), "utf8"));
const shared = [...find(/^console\..*\.(js|wasm)$/), ...find(/^__wasm_split\..*\.js$/)];
const sharedBytes = shared.reduce((s, f) => s + size(f), 0);
const kb = (b) => (b / 1024).toFixed(0).padStart(5);

console.log(`shared (${shared.length} files): ${kb(sharedBytes)} KB brotli`);
for (const f of shared) console.log(`  ${f}: ${kb(size(f))} KB`);
console.log("\nsplit                               files    list KB   page KB");
for (const [key, chunks] of Object.entries(manifest).sort()) {
  const name = key.replace(/_\d+$/, "").replace(/^_+/, "");
  const names = chunks.map((c) => `${c}.wasm`);
  const bytes = names.reduce((s, f) => s + size(f), 0);
  const page = name.endsWith("_code") ? " (on use)" : kb(sharedBytes + bytes);
  console.log(`${name.padEnd(34)} ${String(names.length).padStart(5)}  ${kb(bytes)}     ${page}`);
}
