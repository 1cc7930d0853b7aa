// Builds the prompt data the extension and CLI ship, from ../shared/data (see its README):
//   media/data/danbooru-tags.tsv.br  Danbooru tags by search key, their categories and post counts
//                                    (the quality tags of extra-quality-tags.csv get -1), then the
//                                    alias keys and their tags (see `format` in provenance.json);
//                                    sorted, brotli finds the shared prefixes (~1.2 MB where the
//                                    CSV gzipped is 1.47 MB).
//   media/data/clip-merges.txt.br    the first 48 894 merges of CLIP's BPE vocabulary: the only
//                                    ones CLIP's tokenizer reads (49 408 = 256 bytes × 2 + merges
//                                    + 2 markers); the rest of the file is unused.
//   media/data/provenance.json       where each file came from, with the source files' SHA-256.
// The licences travel in THIRD_PARTY_NOTICES.md (shipped in the .vsix).
// Usage: node scripts/build-tags.mjs [DATA_DIR]   (default ../shared/data)
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { brotliCompressSync, constants, gunzipSync } from 'node:zlib';

const dataDir = path.resolve(process.argv[2] ?? '../shared/data');
const outDir = path.resolve('media/data');
mkdirSync(outDir, { recursive: true });

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const brotli = (text) => {
  const bytes = Buffer.from(text, 'utf8');
  return brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
};

/** RFC 4180 fields of one CSV line (the files have no embedded newlines). */
function csvFields(line) {
  const out = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error(`unterminated quote in: ${line}`);
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(value);
      i++; // the comma
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

const CATEGORIES = new Set(['0', '1', '3', '4', '5']);
const clean = (s) => s.replace(/[\t\r\n]/g, ' ').trim();

function readTags(file, countOf) {
  const bytes = readFileSync(file);
  const rows = [];
  for (const line of bytes.toString('utf8').split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const [name, category, count, aliases = ''] = csvFields(line);
    if (!name || !CATEGORIES.has(category)) throw new Error(`${path.basename(file)}: unexpected row: ${line}`);
    rows.push({ name: clean(name), category, count: countOf(count), aliases: aliases.split(',').map(clean).filter(Boolean) });
  }
  return { rows, sha256: sha256(bytes) };
}

const tagsFile = path.join(dataDir, 'danbooru-tags', 'danbooru.csv');
const qualityFile = path.join(dataDir, 'danbooru-tags', 'extra-quality-tags.csv');
const danbooru = readTags(tagsFile, (c) => {
  if (!/^\d+$/.test(c)) throw new Error(`danbooru.csv: post count '${c}' is not a number`);
  return Number(c);
});
// The quality tags carry a label ("Quality tag") instead of a post count.
const quality = readTags(qualityFile, () => -1);

const byName = new Map();
for (const row of danbooru.rows) byName.set(row.name, row);
for (const row of quality.rows) if (!byName.has(row.name)) byName.set(row.name, row);
// The index searches keys (lower case, `_` as a space: src/core/tags/tag-index.ts tagSearchKey),
// so the tags are written in key order and the aliases as a second, sorted section: the loader
// only splits lines, it never sorts.
const keyOf = (name) => name.toLowerCase().replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
const byCode = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const seenKeys = new Set();
const tags = [];
for (const row of byName.values()) {
  const key = keyOf(row.name);
  if (key === '' || seenKeys.has(key)) continue;
  seenKeys.add(key);
  tags.push({ ...row, key });
}
tags.sort((a, b) => byCode(a.key, b.key));
const names = tags.map((t) => t.name);
// Aliases: keyed like names; a key that is some tag's name stays that tag's; an alias two tags
// claim goes to the one with more posts.
const aliasOwner = new Map();
tags.forEach((t, i) => {
  for (const alias of t.aliases) {
    const key = keyOf(alias);
    if (key === '' || seenKeys.has(key)) continue;
    const owner = aliasOwner.get(key);
    if (owner === undefined || tags[owner].count < t.count) aliasOwner.set(key, i);
  }
});
const aliasKeys = [...aliasOwner.keys()].sort(byCode);
// A header line, then five sections separated by blank lines, each decoded and indexed by the
// loader without sorting or rewriting: (1) the tag keys in order (the names with `_` as spaces:
// every Danbooru name is lower case, without spaces, so the name is the key with spaces back to
// `_`); (2) one category digit per tag; (3) the post counts; (4) the alias keys, sorted; (5) for
// each alias, the line of its tag in (1).
for (const t of tags) {
  if (t.name !== t.name.toLowerCase() || /\s/.test(t.name) || t.key.replace(/ /g, '_') !== t.name) throw new Error(`tag name ${t.name} does not map to its key one to one`);
}
const tsv = [
  `civitai-danbooru-tags 1 ${tags.length} ${aliasKeys.length}`,
  tags.map((t) => t.key).join('\n'),
  tags.map((t) => t.category).join(''),
  tags.map((t) => t.count).join('\n'),
  aliasKeys.join('\n'),
  aliasKeys.map((k) => aliasOwner.get(k)).join('\n'),
].join('\n\n') + '\n';
const tagsOut = brotli(tsv);
writeFileSync(path.join(outDir, 'danbooru-tags.tsv.br'), tagsOut);

const mergesFile = path.join(dataDir, 'clip-bpe', 'bpe_simple_vocab_16e6.txt.gz');
const mergesBytes = readFileSync(mergesFile);
const MERGES = 49152 - 256 - 2;
const lines = gunzipSync(mergesBytes).toString('utf8').split('\n');
const merges = lines.slice(1, MERGES + 1);
if (merges.length !== MERGES || merges.some((m) => m.split(' ').length !== 2)) throw new Error('clip merges: unexpected file shape');
const mergesOut = brotli(merges.join('\n') + '\n');
writeFileSync(path.join(outDir, 'clip-merges.txt.br'), mergesOut);

const provenance = {
  'danbooru-tags.tsv.br': {
    source: 'a1111-sd-webui-tagcomplete, tags/ folder, commit 4170882 (snapshot of January 2025), MIT licence, copyright Dominik Reh',
    inputs: { 'danbooru-tags/danbooru.csv': danbooru.sha256, 'danbooru-tags/extra-quality-tags.csv': quality.sha256 },
    tags: names.length,
    format: 'brotli; UTF-8; a header line "civitai-danbooru-tags 1 <tags> <aliases>" and five sections separated by a blank line: (1) tag search keys (name with _ as space), sorted; (2) one category digit per tag (0 general, 1 artist, 3 copyright, 4 character, 5 meta); (3) post counts, one per line (-1 for the extra quality tags); (4) alias search keys, sorted; (5) for each alias, the 0-based line of its tag in (1)',
    aliases: aliasKeys.length,
    bytes: tagsOut.length,
    sha256: sha256(tagsOut),
  },
  'clip-merges.txt.br': {
    source: 'open-clip-torch 3.3.0, open_clip/bpe_simple_vocab_16e6.txt.gz (OpenAI CLIP BPE vocabulary), MIT licence',
    inputs: { 'clip-bpe/bpe_simple_vocab_16e6.txt.gz': sha256(mergesBytes) },
    merges: MERGES,
    format: 'brotli; lines 2..48895 of the vocabulary file (the merges CLIP reads), one "a b" pair per line, in rank order',
    bytes: mergesOut.length,
    sha256: sha256(mergesOut),
  },
  builtBy: 'scripts/build-tags.mjs',
};
writeFileSync(path.join(outDir, 'provenance.json'), JSON.stringify(provenance, null, 2) + '\n');
console.log(`media/data: ${names.length} tags (${tagsOut.length} bytes), ${MERGES} merges (${mergesOut.length} bytes)`);
