//! Content-hashed file names, so browsers may keep every file for good
//! (`serve::assets`), and `hash.txt`, from which Leptos writes the names into pages.
//!
//! A hash is the unpadded base64url MD5 of a file: 22 characters. The JS glue and the
//! split loader import each other and every chunk imports the loader, so those two are
//! named after the whole build (the hash of every file), which changes whenever any of
//! them does; the loader's placeholder name is as long as a hash, so the chunks are
//! renamed in place, and then each chunk and the main module are named after their own
//! content.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine;
use md5::{Digest, Md5};

use crate::config::Site;
use crate::wasm::{loader, MANIFEST, PLACEHOLDER};
use crate::{Context, Result};

pub fn apply(site: &Site) -> Result<()> {
    let pkg = &site.pkg_dir;
    let files = read_files(pkg)?;
    let build = hash_all(&files);

    // The chunks and the main module, with the loader's final name written in.
    let mut renamed = BTreeMap::new();
    for (name, bytes) in files.iter().filter(|(name, _)| name.ends_with(".wasm")) {
        let bytes = replace_bytes(bytes, PLACEHOLDER.as_bytes(), build.as_bytes());
        let new_name = hashed(name, &hash(&bytes));
        write(pkg, &new_name, &bytes)?;
        remove(pkg, name)?;
        renamed.insert(name.clone(), new_name);
    }

    let js = format!("{}.js", site.output_name);
    let js_named = hashed(&js, &build);
    let unnamed = loader(PLACEHOLDER);
    let loader_js = text(&files, &unnamed)?.replace(PLACEHOLDER, &build);
    let loader_js = rename_in(&loader_js, &renamed, |name| format!("./{name}"))
        .replace(&format!("./{js}"), &format!("./{js_named}"));
    write(pkg, &loader(&build), loader_js.as_bytes())?;
    remove(pkg, &unnamed)?;

    let glue = text(&files, &js)?.replace(PLACEHOLDER, &build);
    write(pkg, &js_named, glue.as_bytes())?;
    remove(pkg, &js)?;

    let manifest = rename_in(text(&files, MANIFEST)?, &renamed, |name| {
        format!("\"{}\"", name.trim_end_matches(".wasm"))
    });
    let manifest_hash = hash(manifest.as_bytes());
    write(pkg, &hashed(MANIFEST, &manifest_hash), manifest.as_bytes())?;
    remove(pkg, MANIFEST)?;

    let css = format!("{}.css", site.output_name);
    let css_hash = hash(text(&files, &css)?.as_bytes());
    std::fs::rename(pkg.join(&css), pkg.join(hashed(&css, &css_hash)))
        .context(|| format!("renaming {css}"))?;

    let wasm = format!("{}.wasm", site.output_name);
    let wasm_hash = renamed[&wasm].split('.').nth(1).unwrap_or_default().to_owned();
    let list = format!(
        "js: {build}\nwasm: {wasm_hash}\ncss: {css_hash}\nmanifest: {manifest_hash}\nsplit: {build}\n"
    );
    write(&site.site_root, "hash.txt", list.as_bytes())
}

/// The files directly in `pkg/` (not the glue's `snippets/`, which it imports by their
/// plain names), by name.
fn read_files(pkg: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(pkg).context(|| format!("{}", pkg.display()))? {
        let path: PathBuf = entry.context(|| format!("{}", pkg.display()))?.path();
        if path.is_file() {
            let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            let bytes = std::fs::read(&path).context(|| format!("{}", path.display()))?;
            files.insert(name, bytes);
        }
    }
    Ok(files)
}

fn hash(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Md5::digest(bytes))
}

/// One hash over every file (names and contents, in name order).
fn hash_all(files: &BTreeMap<String, Vec<u8>>) -> String {
    let mut md5 = Md5::new();
    for (name, bytes) in files {
        md5.update((name.len() as u64).to_le_bytes());
        md5.update(name.as_bytes());
        md5.update((bytes.len() as u64).to_le_bytes());
        md5.update(bytes);
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(md5.finalize())
}

/// `stem.ext` → `stem.<hash>.ext`; a name holding the placeholder takes the hash there.
fn hashed(name: &str, hash: &str) -> String {
    if name.contains(PLACEHOLDER) {
        return name.replace(PLACEHOLDER, hash);
    }
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    }
}

/// Replaces each old name, as `quote` writes it in the file, by the new one.
fn rename_in(
    text: &str,
    renamed: &BTreeMap<String, String>,
    quote: impl Fn(&str) -> String,
) -> String {
    renamed.iter().fold(text.to_owned(), |text, (old, new)| text.replace(&quote(old), &quote(new)))
}

fn replace_bytes(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    debug_assert_eq!(from.len(), to.len(), "renamed in place");
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i + from.len() <= out.len() {
        if &out[i..i + from.len()] == from {
            out[i..i + from.len()].copy_from_slice(to);
            i += from.len();
        } else {
            i += 1;
        }
    }
    out
}

fn text<'a>(files: &'a BTreeMap<String, Vec<u8>>, name: &str) -> Result<&'a str> {
    let bytes = files.get(name).ok_or_else(|| format!("the build wrote no {name}"))?;
    std::str::from_utf8(bytes).context(|| name.to_owned())
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).context(|| format!("{}", path.display()))
}

fn remove(dir: &Path, name: &str) -> Result<()> {
    let path = dir.join(name);
    std::fs::remove_file(&path).context(|| format!("removing {}", path.display()))
}
