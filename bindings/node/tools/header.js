'use strict';
// Reads include/eiam.h (cbindgen's output) into the declarations the binding
// loads from header.json: constants, enums, opaque types, structs, callback
// types and functions, with C types as the header spells them minus the
// `struct`/`enum` keywords. Anything it does not recognise is an error, so a
// new kind of declaration cannot be skipped silently.
//
//   node tools/header.js    rewrites header.json from ../../include/eiam.h
//
// test/header.test.js fails while header.json is not what this makes.

const fs = require('node:fs');
const path = require('node:path');

const HEADER = path.join(__dirname, '..', '..', '..', 'include', 'eiam.h');
const OUTPUT = path.join(__dirname, '..', 'header.json');
const REGENERATE = 'node bindings/node/tools/header.js';

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';

function fail(message) {
  throw new Error(`include/eiam.h: ${message}`);
}

/** `const struct eiam_client *` -> `const eiam_client *` */
function normalizeType(t) {
  return t
    .replace(/\b(struct|enum)\s+/g, '')
    .replace(/\s*\*\s*/g, ' *')
    .replace(/\*\s+\*/g, '**')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `const char *app_id` -> ['const char *', 'app_id'] */
function parseDeclarator(text, where) {
  const m = new RegExp(`^(.*?)(${IDENT})$`).exec(text.trim());
  if (!m || !m[1].trim()) fail(`cannot read "${text.trim()}" in ${where}`);
  if (/[[\]()]/.test(text)) fail(`arrays and function pointers are not supported in ${where}: "${text.trim()}"`);
  return [normalizeType(m[1]), m[2]];
}

function parseParams(text, where) {
  const t = text.trim();
  if (t === 'void' || t === '') return [];
  return t.split(',').map((p) => parseDeclarator(p, where));
}

/** The header's text as declarations; see the file comment. */
function parseHeader(source) {
  let text = source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
  const out = { constants: {}, enums: {}, opaque: [], structs: {}, callbacks: {}, functions: {} };

  // Preprocessor lines: keep the integer #defines (and those naming an
  // earlier one), drop the C++ guard
  // (`extern "C" {` ... `}`) and everything else.
  const kept = [];
  let skipping = 0;
  for (const line of text.split('\n')) {
    const l = line.trim();
    if (skipping) {
      if (/^#\s*(if|ifdef|ifndef)\b/.test(l)) skipping++;
      else if (/^#\s*endif\b/.test(l)) skipping--;
      continue;
    }
    if (/^#\s*ifdef\s+__cplusplus\b/.test(l)) {
      skipping = 1;
      continue;
    }
    const def = new RegExp(`^#\\s*define\\s+(${IDENT})\\s+(-?\\d+|${IDENT})$`).exec(l);
    if (def && /^-?\d/.test(def[2])) {
      out.constants[def[1]] = Number(def[2]);
      continue;
    }
    // A constant defined as another (`#define EIAM_DEFAULT_PAGE_SIZE EIAM_MAX_PAGE_SIZE`).
    if (def && def[2] in out.constants) {
      out.constants[def[1]] = out.constants[def[2]];
      continue;
    }
    if (l.startsWith('#')) continue;
    kept.push(line);
  }
  text = kept.join('\n');

  // Top-level declarations end with a ';' outside braces.
  const decls = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ';' && depth === 0) {
      decls.push(text.slice(start, i).replace(/\s+/g, ' ').trim());
      start = i + 1;
    }
  }
  if (text.slice(start).trim()) fail(`text after the last declaration: "${text.slice(start).trim().slice(0, 80)}"`);

  for (const d of decls) {
    let m;
    if ((m = new RegExp(`^typedef enum (${IDENT}) \\{(.*)\\} (${IDENT})$`).exec(d))) {
      const values = {};
      for (const item of m[2].split(',').map((s) => s.trim()).filter(Boolean)) {
        const v = new RegExp(`^(${IDENT}) = (-?\\d+)$`).exec(item);
        if (!v) fail(`enum ${m[1]}: every value needs an explicit number, not "${item}"`);
        values[v[1]] = Number(v[2]);
      }
      out.enums[m[3]] = values;
    } else if ((m = new RegExp(`^typedef struct (${IDENT}) (${IDENT})$`).exec(d))) {
      out.opaque.push(m[2]);
    } else if ((m = new RegExp(`^typedef struct (${IDENT}) \\{(.*)\\} (${IDENT})$`).exec(d))) {
      const fields = m[2].split(';').map((s) => s.trim()).filter(Boolean);
      out.structs[m[3]] = Object.fromEntries(
        fields.map((f) => parseDeclarator(f, `struct ${m[1]}`)).map(([type, name]) => [name, type]),
      );
    } else if ((m = new RegExp(`^typedef (.+?) ?\\(\\*(${IDENT})\\)\\((.*)\\)$`).exec(d))) {
      out.callbacks[m[2]] = { result: normalizeType(m[1]), params: parseParams(m[3], m[2]) };
    } else if ((m = new RegExp(`^(.+?) ?(${IDENT})\\((.*)\\)$`).exec(d)) && !d.startsWith('typedef')) {
      out.functions[m[2]] = { result: normalizeType(m[1]), params: parseParams(m[3], m[2]) };
    } else {
      fail(`unrecognised declaration "${d.slice(0, 120)}"`);
    }
  }
  return out;
}

/** header.json's text for the header's text: one line per declaration. */
function render(source) {
  const decl = { generated: `from include/eiam.h by ${REGENERATE}; do not edit`, ...parseHeader(source) };
  const sections = Object.entries(decl).map(([key, value]) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`;
    }
    const lines = Object.entries(value).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    return `  ${JSON.stringify(key)}: {\n${lines.join(',\n')}\n  }`;
  });
  return `{\n${sections.join(',\n')}\n}\n`;
}

if (require.main === module) fs.writeFileSync(OUTPUT, render(fs.readFileSync(HEADER, 'utf8')));

module.exports = { parseHeader, render, HEADER, OUTPUT, REGENERATE };
