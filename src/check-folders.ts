import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CoreConfig } from './config.js';
import { modelFolderProblem } from './embedding/model-source.js';
import { ConfigError, describeError, errorCode } from './errors.js';

/**
 * Start-up checks of the folders the settings name, so that a wrong path stops the CLIs and the bot at
 * once with one line per problem (printed whatever LOG_LEVEL says) instead of failing later, or never:
 * the model folder exists, CORPUS_DIR is a readable folder, INDEX_DIR can be created and written.
 */
export async function checkFolders(
  config: Pick<CoreConfig, 'corpusDir' | 'indexDir' | 'embeddingModel'>,
  cwd = process.cwd(),
): Promise<void> {
  const problems: string[] = [];
  const model = modelFolderProblem(config.embeddingModel, cwd);
  if (model) problems.push(`EMBEDDING_MODEL: ${model}`);
  const corpus = await corpusProblem(config.corpusDir);
  if (corpus) problems.push(`CORPUS_DIR: ${corpus}`);
  const index = await writableProblem(config.indexDir);
  if (index) problems.push(`INDEX_DIR: ${index}`);
  if (problems.length) throw new ConfigError(problems);
}

async function corpusProblem(dir: string): Promise<string | null> {
  try {
    if (!(await stat(dir)).isDirectory()) return `not a folder: ${dir}`;
    await readdir(dir);
    return null;
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT')
      return `no such folder: ${dir} (create it and put the articles in it, or point CORPUS_DIR at the archive)`;
    return `cannot read ${dir} (${describe(code)})`;
  }
}

/** Creates the folder if needed and writes (then removes) a probe file in it. */
async function writableProblem(dir: string): Promise<string | null> {
  try {
    await makeFolder(dir);
  } catch (error) {
    return `cannot create the folder ${dir} (${describe(codeOf(error))}); choose a folder Clipdesk can create and write`;
  }
  const probe = path.join(dir, `.write-probe-${process.pid}`);
  try {
    await writeFile(probe, '');
    return null;
  } catch (error) {
    return `cannot write in ${dir} (${describe(codeOf(error))}); choose a folder Clipdesk can write`;
  } finally {
    await rm(probe, { force: true }).catch(() => {});
  }
}

/**
 * `mkdir -p` one level at a time. Node's own recursive mkdir never returns on a path it cannot create
 * under /proc (it retries the parent forever), so the missing levels are created one by one here.
 */
async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    try {
      if ((await stat(current)).isDirectory()) break;
      throw Object.assign(new Error(`${current} is a file`), { code: 'ENOTDIR' });
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') throw error;
    }
    if (path.dirname(current) === current) break;
    missing.unshift(current);
  }
  for (const folder of missing) {
    await mkdir(folder).catch((error: unknown) => {
      if (codeOf(error) !== 'EEXIST') throw error;
    });
  }
  if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error(dir), { code: 'ENOTDIR' });
}

function codeOf(error: unknown): string {
  return errorCode(error) ?? describeError(error);
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'that place does not allow new folders',
  ENOTDIR: 'part of the path is a file',
  ENOSPC: 'no space left on the device',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links',
};

function describe(code: string): string {
  return REASONS[code] ? `${REASONS[code]}, ${code}` : code;
}
