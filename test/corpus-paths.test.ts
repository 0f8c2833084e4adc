import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readCorpus } from '../src/corpus/read-corpus.js';
import { PROJECT_ROOT, TEST_ROOT } from './helpers/models.js';
import { tempDir } from './helpers/temp.js';

const OPTIONS = { maxFileBytes: 64 * 1024 };
const article = (title: string) => `${title}\n\nBody of ${title}.\n`;
const reasonsOf = (skipped: Array<{ source: string; reason: string }>) =>
  Object.fromEntries(skipped.map((s) => [s.source, s.reason]));

describe('links and paths in the corpus folder', () => {
  it('follows a linked folder or file whose target is inside the corpus, once, under the link name', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, '.store', '2024'), { recursive: true });
    await writeFile(path.join(dir, '.store', '2024', 'harbour.txt'), article('Harbour'));
    await symlink(path.join(dir, '.store', '2024'), path.join(dir, '2024')); // the only way in
    await mkdir(path.join(dir, 'archive', 'may'), { recursive: true });
    await writeFile(path.join(dir, 'archive', 'may', 'rail.txt'), article('Rail'));
    await symlink('archive/may', path.join(dir, 'current')); // relative, and a second way to archive/may
    await symlink('archive/may/rail.txt', path.join(dir, 'latest.txt'));
    await symlink(path.join(dir, '.store', '2024', 'harbour.txt'), path.join(dir, 'top.txt'));

    const { articles, skipped } = await readCorpus(dir, OPTIONS);
    assert.deepEqual(
      articles.map((a) => [a.source, a.title]),
      [
        ['2024/harbour.txt', 'Harbour'],
        ['archive/may/rail.txt', 'Rail'],
      ],
    );
    assert.deepEqual(reasonsOf(skipped), {
      current: 'same folder as archive/may: read once',
      'latest.txt': 'same file as archive/may/rail.txt: read once',
      'top.txt': 'same file as 2024/harbour.txt: read once',
    });
  });

  it('reads a CORPUS_DIR that is itself a link', async () => {
    const real = await tempDir();
    await writeFile(path.join(real, 'a.txt'), article('Alpha'));
    const parent = await tempDir();
    await symlink(real, path.join(parent, 'corpus'));
    const { articles, skipped } = await readCorpus(path.join(parent, 'corpus'), OPTIONS);
    assert.deepEqual(skipped, []);
    assert.deepEqual(
      articles.map((a) => a.source),
      ['a.txt'],
    );
  });

  it('refuses by name a link (file or folder) pointing outside the corpus folder', async () => {
    const dir = await tempDir();
    const outside = await tempDir();
    await writeFile(path.join(outside, 'secret.txt'), article('Secret'));
    await writeFile(path.join(dir, 'own.txt'), article('Own'));
    await symlink(path.join(outside, 'secret.txt'), path.join(dir, 'secret.txt'));
    await symlink(outside, path.join(dir, 'elsewhere'));
    await symlink('../', path.join(dir, 'up'));
    if (existsSync('/etc/passwd')) await symlink('/etc/passwd', path.join(dir, 'passwd.txt'));

    const { articles, skipped } = await readCorpus(dir, OPTIONS);
    assert.deepEqual(
      articles.map((a) => a.source),
      ['own.txt'],
    );
    const reasons = reasonsOf(skipped);
    assert.equal(
      reasons['secret.txt'],
      `link to ${path.join(outside, 'secret.txt')}, outside the corpus folder: refused`,
    );
    assert.equal(reasons.elsewhere, `link to ${outside}, outside the corpus folder: refused`);
    assert.equal(reasons.up, `link to ${path.dirname(dir)}, outside the corpus folder: refused`);
    if (existsSync('/etc/passwd'))
      assert.equal(reasons['passwd.txt'], 'link to /etc/passwd, outside the corpus folder: refused');
    assert.ok(!articles.some((a) => a.body.includes('Secret') || a.body.includes('root:')));
  });

  it('ends on link loops and reports them', { timeout: 20_000 }, async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'a', 'b'), { recursive: true });
    await writeFile(path.join(dir, 'a', 'b', 'deep.txt'), article('Deep'));
    await symlink('..', path.join(dir, 'a', 'b', 'parent')); // a/b/parent -> a
    await symlink('.', path.join(dir, 'here'));
    await symlink('self.txt', path.join(dir, 'self.txt'));
    await symlink('pong', path.join(dir, 'ping'));
    await symlink('ping', path.join(dir, 'pong'));

    const { articles, skipped } = await readCorpus(dir, OPTIONS);
    assert.deepEqual(
      articles.map((a) => a.source),
      ['a/b/deep.txt'],
    );
    assert.deepEqual(reasonsOf(skipped), {
      'a/b/parent': 'link loop (points back to a folder that contains it)',
      here: 'link loop (points back to a folder that contains it)',
      'self.txt': 'unreadable link (ELOOP)',
      ping: 'unreadable link (ELOOP)',
      pong: 'unreadable link (ELOOP)',
    });
  });

  it('reports and skips a folder whose path is too long (ENAMETOOLONG)', async (t) => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'short.txt'), article('Short'));
    // 24 levels of 200-character names: past PATH_MAX (4096). Made by a child that descends one level
    // at a time (relative paths), which a shell's cd cannot; removed by rm -rf, which Node's rm cannot.
    const name = 'n'.repeat(200);
    t.after(() => spawnSync('rm', ['-rf', path.join(dir, name)]));
    const made = spawnSync(
      process.execPath,
      [
        '-e',
        `const fs = require('node:fs'); process.chdir(process.argv[1]);
         for (let i = 0; i < 24; i++) { fs.mkdirSync(process.argv[2]); process.chdir(process.argv[2]); }
         fs.writeFileSync('deep.txt', 'Deep\\n\\nBody.\\n');`,
        dir,
        name,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(made.status, 0, made.stderr);

    const { articles, skipped } = await readCorpus(dir, OPTIONS);
    assert.deepEqual(
      articles.map((a) => a.source),
      ['short.txt'],
    );
    assert.equal(skipped.length, 1);
    assert.match(skipped[0]?.source ?? '', /^(n{200}\/)+n{200}$/);
    assert.equal(skipped[0]?.reason, 'unreadable folder (ENAMETOOLONG)');
  });

  it('reports and skips a folder it may not read', async () => {
    const dir = await tempDir();
    await chmod(dir, 0o755);
    await writeFile(path.join(dir, 'open.txt'), article('Open'));
    await mkdir(path.join(dir, 'closed'));
    await writeFile(path.join(dir, 'closed', 'inside.txt'), article('Inside'));
    await chmod(path.join(dir, 'closed'), 0o000);
    // root reads every folder whatever its mode, so as root the reader runs as nobody.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', path.join(TEST_ROOT, 'helpers', 'read-corpus-child.ts'), dir],
          { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH }, timeout: 60_000, ...asNobody },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      },
    );
    await chmod(path.join(dir, 'closed'), 0o755);
    assert.equal(result.code, 0, result.stderr);
    const { articles, skipped } = JSON.parse(result.stdout) as {
      articles: string[];
      skipped: Array<{ source: string; reason: string }>;
    };
    assert.deepEqual(articles, ['open.txt']);
    assert.deepEqual(skipped, [{ source: 'closed', reason: 'unreadable folder (EACCES)' }]);
  });
});
