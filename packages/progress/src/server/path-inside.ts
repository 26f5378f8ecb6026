// Every path built from an id or a name (a job's output folder, a requested file) goes through
// here, so no id, name or request can reach a file outside the folder meant for it.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { HeadwayError } from '../model/errors.ts';

/**
 * `root` joined with `parts`, resolved, when the result lies strictly inside `root`; otherwise a
 * 400 HeadwayError (`..` that climbs out, an absolute part, or a path that is `root` itself).
 * Symbolic links are not followed: folders under `root` are Headway's own.
 */
export function pathInside(root: string, ...parts: string[]): string {
  const base = resolve(root);
  const path = resolve(base, ...parts);
  const rel = relative(base, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) || parts.some((p) => p.includes('\0'))) {
    throw new HeadwayError(400, 'BAD_REQUEST', `The path ${JSON.stringify(join(...parts))} leaves the folder it must stay in`);
  }
  return path;
}
