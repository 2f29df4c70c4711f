import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError, type Project } from '@boocode/protocol';
import { upsertProject, type Queryable } from '@boocode/db';

/**
 * Registers a local git repository as a project, by its real path (what the path
 * guard will compare against). A path that is not a git work tree is refused.
 */
export async function registerProject(
  sql: Queryable,
  rawPath: string,
): Promise<{ project: Project; created: boolean }> {
  if (!path.isAbsolute(rawPath)) {
    throw new AppError('bad_request', `The project path must be absolute: ${rawPath}`);
  }
  let real: string;
  try {
    real = await realpath(rawPath);
  } catch {
    throw new AppError('bad_request', `No such folder: ${rawPath}`);
  }
  if (!(await stat(real)).isDirectory()) {
    throw new AppError('bad_request', `Not a folder: ${rawPath}`);
  }
  try {
    await stat(path.join(real, '.git'));
  } catch {
    throw new AppError('bad_request', `Not a git repository (no .git in ${rawPath})`);
  }
  return upsertProject(sql, { name: path.basename(real), path: real });
}
