// Every relative link in README.md and docs/ leads somewhere: the file (or folder) exists, and a
// `#anchor` names a heading of the target page, with anchors made the way GitHub makes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** README.md and every .md file below docs/, as paths relative to the repository root. */
function markdownFiles(): string[] {
  const found = ['README.md'];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir))) {
      const rel = path.join(dir, entry);
      if (statSync(path.join(root, rel)).isDirectory()) walk(rel);
      else if (entry.endsWith('.md')) found.push(rel);
    }
  };
  if (existsSync(path.join(root, 'docs'))) walk('docs');
  return found;
}

/** The text with fenced code blocks, inline code spans and HTML comments blanked (links in them are examples, not links). */
function withoutCode(text: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  return text
    .replace(/<!--[\s\S]*?-->/g, blank)
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, blank)
    .replace(/(`+)[^`\n]+?\1/g, blank);
}

/** The heading texts of a markdown page (ATX headings outside code blocks). */
function headings(text: string): string[] {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of text.split('\n')) {
    const f = /^(```|~~~)/.exec(line);
    if (f) fence = fence === null ? (f[1] as string) : line.startsWith(fence) ? null : fence;
    else if (fence === null) {
      const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (h) out.push(h[1] as string);
    }
  }
  return out;
}

/** A heading's anchor as GitHub makes it: inline markup dropped, lower case, punctuation removed, spaces to hyphens. */
function githubSlug(heading: string): string {
  const plain = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/(^|[^\p{L}\p{N}])_+|_+(?=[^\p{L}\p{N}_]|$)/gu, '$1'); // _emphasis_ marks (snake_case stays; `*` and backticks go with the punctuation)
  return plain
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor of a page, duplicates numbered as GitHub does (`x`, `x-1`, `x-2`). */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const h of headings(text)) {
    const slug = githubSlug(h);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** The targets of inline links and images, `[text](target "title")`, and of reference definitions, `[id]: target`. */
function linkTargets(text: string): string[] {
  const clean = withoutCode(text);
  const targets: string[] = [];
  for (const m of clean.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1] as string);
  for (const m of clean.matchAll(/^\s{0,3}\[[^\]]+\]:\s+<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)) targets.push(m[1] as string);
  return targets;
}

/** What is wrong with one link of `file`, or null when it resolves. */
function problemOf(file: string, target: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return null; // https:, mailto: … are not checked here
  const [rawPath = '', anchor] = target.split('#', 2);
  const linkPath = decodeURIComponent(rawPath);
  const resolved = linkPath === '' ? file : path.normalize(path.join(path.dirname(file), linkPath));
  if (resolved.startsWith('..')) return `${target}: leaves the repository`;
  if (!existsSync(path.join(root, resolved))) return `${target}: ${resolved} does not exist`;
  if (anchor === undefined || anchor === '') return null;
  if (!resolved.endsWith('.md')) return null; // a line anchor of a source file (#L10) is GitHub's
  const anchors = anchorsOf(readFileSync(path.join(root, resolved), 'utf8'));
  return anchors.has(anchor.toLowerCase()) ? null : `${target}: ${resolved} has no heading with the anchor #${anchor}`;
}

test('GitHub anchors: punctuation dropped, spaces to hyphens, code and emphasis marks dropped', () => {
  assert.equal(githubSlug('REST API (`agent-tray serve`)'), 'rest-api-agent-tray-serve');
  assert.equal(githubSlug('Stop: ask, wait, insist, kill — of the whole tree'), 'stop-ask-wait-insist-kill--of-the-whole-tree');
  assert.equal(githubSlug('Targets: where Agent Tray stands, and why'), 'targets-where-agent-tray-stands-and-why');
  assert.equal(githubSlug('The `$schema` line'), 'the-schema-line');
  assert.equal(githubSlug('max_memory_restart and **limits**'), 'max_memory_restart-and-limits');
  assert.equal(githubSlug('[Links](x.md) in headings'), 'links-in-headings');
  const numbered = anchorsOf('# A\n## Tests\n```\n## Tests\n```\n## Tests\n### Tests\n');
  assert.deepEqual([...numbered], ['a', 'tests', 'tests-1', 'tests-2'], 'duplicates are numbered; headings in code blocks do not count');
});

test('link targets: inline links, images and reference definitions, not code', () => {
  const text = ['See [the API](docs/api.md#events) and ![shot](docs/images/a.png "title").', '`[not](a-link.md)`', '```', '[nor](this.md)', '```', '[ref]: docs/cli.md'].join('\n');
  assert.deepEqual(linkTargets(text), ['docs/api.md#events', 'docs/images/a.png', 'docs/cli.md']);
});

test('every relative link in README.md and docs/ resolves, anchors included', () => {
  const problems: string[] = [];
  let checked = 0;
  for (const file of markdownFiles()) {
    for (const target of linkTargets(readFileSync(path.join(root, file), 'utf8'))) {
      checked++;
      const problem = problemOf(file, target);
      if (problem) problems.push(`${file}: ${problem}`);
    }
  }
  assert.ok(checked > 0, 'some links were checked');
  assert.deepEqual(problems, []);
});
