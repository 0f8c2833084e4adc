import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { describeError, errorCode, UserFacingError } from '../errors.js';
import type { SkippedSource } from './article.js';

/** A file to read: the path to open (links resolved) and its corpus-relative name (as linked). */
export interface CorpusFile {
  file: string;
  source: string;
}

export interface CorpusListing {
  /** Sorted by source. */
  files: CorpusFile[];
  /** Links and folders that are not followed, with the reason. */
  skipped: SkippedSource[];
}

/**
 * Every file under `dir`, recursively, names starting with `.` left out. A symbolic link (to a file or a
 * folder) is followed only when its target lies inside `dir`; a link pointing outside is refused by name,
 * so that a link to /etc/passwd is never ingested. A folder is read once however many links lead to it,
 * so link loops end. A folder that cannot be read (permissions, a path too long) is reported, not fatal.
 */
export async function walkCorpus(dir: string): Promise<CorpusListing> {
  let root: string;
  try {
    root = await realpath(dir);
    if (!(await stat(root)).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
  } catch (error) {
    throw new UserFacingError(
      `The corpus folder ${dir} cannot be read (${codeOf(error)}). Check CORPUS_DIR, or that the share is mounted.`,
    );
  }
  const listing: CorpusListing = { files: [], skipped: [] };
  const seenFolders = new Map<string, string>([[root, '.']]);
  const seenFiles = new Map<string, string>();
  // Links are followed after the plain tree is walked, so that a file or folder reached both directly and
  // through a link is listed under its own path.
  const links: Array<{ target: string; source: string; isFolder: boolean; ancestors: Set<string> }> = [];
  const inside = (target: string) => target === root || target.startsWith(root + path.sep);

  const visit = async (folder: string, prefix: string, ancestors: Set<string>): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      listing.skipped.push({ source: prefix || '.', reason: `unreadable folder (${codeOf(error)})` });
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const source = prefix ? `${prefix}/${entry.name}` : entry.name;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        seenFolders.set(full, source);
        await visit(full, source, new Set([...ancestors, full]));
      } else if (entry.isFile()) {
        seenFiles.set(full, source);
        listing.files.push({ file: full, source });
      } else if (entry.isSymbolicLink()) {
        let target: string;
        let isFolder: boolean;
        try {
          target = await realpath(full);
          isFolder = (await stat(target)).isDirectory();
        } catch (error) {
          const code = codeOf(error);
          const reason =
            code === 'ENOENT' ? 'broken link (its target does not exist)' : `unreadable link (${code})`;
          listing.skipped.push({ source, reason });
          continue;
        }
        if (inside(target)) links.push({ target, source, isFolder, ancestors });
        else
          listing.skipped.push({ source, reason: `link to ${target}, outside the corpus folder: refused` });
      } else {
        listing.skipped.push({ source, reason: 'not a regular file' });
      }
    }
  };

  await visit(root, '', new Set([root]));
  for (let i = 0; i < links.length; i++) {
    const { target, source, isFolder, ancestors } = links[i] as (typeof links)[number];
    const skip = (reason: string) => listing.skipped.push({ source, reason });
    const seen = (isFolder ? seenFolders : seenFiles).get(target);
    if (isFolder && ancestors.has(target)) skip('link loop (points back to a folder that contains it)');
    else if (seen !== undefined) skip(`same ${isFolder ? 'folder' : 'file'} as ${seen}: read once`);
    else if (!isFolder) {
      seenFiles.set(target, source);
      listing.files.push({ file: target, source });
    } else {
      seenFolders.set(target, source);
      await visit(target, source, new Set([...ancestors, target]));
    }
  }
  listing.files.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  return listing;
}

function codeOf(error: unknown): string {
  return errorCode(error) ?? describeError(error);
}
