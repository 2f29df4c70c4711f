import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

/** Folders watched at most per project; past it, changes are found by the scans before queries. */
export const MAX_WATCHED_DIRS = 2000;
const DEBOUNCE_MS = 150;

/**
 * Watches the folders that hold a project's indexed files (each with a plain `fs.watch`) and
 * their parents up to the root, so a new folder or file is seen too. Not `recursive: true`:
 * on Linux that walks and watches every folder, `node_modules` and `.git` included.
 */
export class DirWatcher {
  readonly #root: string;
  readonly #onChange: () => void;
  readonly #watchers = new Map<string, FSWatcher>();
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(root: string, onChange: () => void) {
    this.#root = root;
    this.#onChange = onChange;
  }

  /** Watches the folders of `files` (paths relative to the root), and no others. */
  update(files: string[]): void {
    if (this.#closed) return;
    const dirs = new Set<string>(['']);
    for (const f of files) {
      for (let d = path.posix.dirname(f); d !== '.' && !dirs.has(d); d = path.posix.dirname(d)) {
        dirs.add(d);
      }
      if (dirs.size >= MAX_WATCHED_DIRS) break;
    }
    for (const [d, w] of this.#watchers)
      if (!dirs.has(d)) {
        w.close();
        this.#watchers.delete(d);
      }
    for (const d of dirs) {
      if (this.#watchers.has(d)) continue;
      try {
        const w = watch(path.join(this.#root, d), { persistent: false }, () => this.#changed());
        w.on('error', () => {
          w.close();
          this.#watchers.delete(d);
        });
        this.#watchers.set(d, w);
      } catch {
        // Gone between the scan and now: the next scan sees it.
      }
    }
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    for (const w of this.#watchers.values()) w.close();
    this.#watchers.clear();
  }

  #changed(): void {
    if (this.#closed || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.#closed) this.#onChange();
    }, DEBOUNCE_MS);
    this.#timer.unref();
  }
}
