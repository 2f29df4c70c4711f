import {
  deleteGraphFiles,
  graphFileStamps,
  touchGraphFile,
  writeGraphFile,
  type Sql,
} from '@boocode/db';
import type { GraphProgress, Project } from '@boocode/protocol';
import { ParsePool } from './parse-pool.ts';
import { scanProject, type ScannedFile } from './scan.ts';
import { DirWatcher } from './watcher.ts';

export interface IndexerOptions {
  sql: Sql;
  /** Each change of a project's progress (the server broadcasts it as `graph.progress`). */
  onProgress?: (p: GraphProgress) => void;
  onError?: (err: unknown, projectId: string) => void;
  /** The parser thread's entry; the sources' by default (the server's bundle gives its own). */
  workerUrl?: URL;
  /** A scan older than this is done again before a query (ms). */
  freshMs?: number;
  /** Watch indexed folders for changes (on by default). */
  watch?: boolean;
  rgPath?: string;
}

interface ProjectState {
  project: Project;
  progress: GraphProgress;
  scannedAt: number;
  /** A change seen since the last scan began (watcher), or never scanned. */
  dirty: boolean;
  running: Promise<void> | null;
  watcher: DirWatcher | null;
}

/** Parses in flight at once: the thread parses one at a time, the rest are reads and writes. */
const IN_FLIGHT = 4;
/** Progress frames at most this often while a project is indexed (ms). */
const PROGRESS_EVERY_MS = 250;

/**
 * Keeps the code graph of each project it is given up to date: a scan lists the files, only
 * those whose size or mtime moved are read, only those whose content hash changed are parsed
 * again (in the parser thread), files gone are removed. A scan runs when a project is added,
 * when its watcher sees a change, and before a query when the last one is older than `freshMs`.
 */
export class GraphIndexer {
  readonly #o: Required<Omit<IndexerOptions, 'workerUrl' | 'rgPath' | 'onError'>> & IndexerOptions;
  readonly #pool: ParsePool;
  readonly #projects = new Map<string, ProjectState>();
  #closed = false;

  constructor(opts: IndexerOptions) {
    this.#o = { onProgress: () => {}, freshMs: 3000, watch: true, ...opts };
    this.#pool = new ParsePool(opts.workerUrl);
  }

  /** Where a project's index is; null for a project never given. */
  progress(projectId: string): GraphProgress | null {
    return this.#projects.get(projectId)?.progress ?? null;
  }

  /** Starts keeping a project (a scan now, in the background). */
  track(project: Project): Promise<void> {
    let st = this.#projects.get(project.id);
    if (!st) {
      st = {
        project,
        // Indexing from the first moment: the scan starts now, and a status read before it
        // ends must not pass for an empty index that is done (nothing would read it again).
        progress: {
          projectId: project.id,
          state: 'indexing',
          filesDone: 0,
          filesTotal: 0,
          scannedAt: null,
          error: null,
        },
        scannedAt: 0,
        dirty: true,
        running: null,
        watcher: null,
      };
      this.#projects.set(project.id, st);
    }
    return this.#refresh(st);
  }

  /** Stops keeping a project (deleted: its rows went with it). */
  forget(projectId: string): void {
    this.#projects.get(projectId)?.watcher?.close();
    this.#projects.delete(projectId);
  }

  /**
   * Makes a project's index current enough for a query: a scan when a change was seen or the
   * last scan is older than `freshMs`; waits for a scan that is running.
   */
  async ensureFresh(project: Project): Promise<void> {
    const st = this.#projects.get(project.id);
    if (!st) return this.track(project);
    if (st.running) await st.running;
    if (st.dirty || Date.now() - st.scannedAt > this.#o.freshMs) await this.#refresh(st);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const st of this.#projects.values()) st.watcher?.close();
    await Promise.allSettled([...this.#projects.values()].map((s) => s.running));
    await this.#pool.close();
  }

  /** One scan at a time per project; a change during it asks for another after. */
  #refresh(st: ProjectState): Promise<void> {
    if (st.running) return st.running;
    st.running = (async () => {
      try {
        do {
          if (this.#closed || this.#projects.get(st.project.id) !== st) return;
          st.dirty = false;
          st.scannedAt = Date.now();
          await this.#scan(st);
        } while (st.dirty);
      } catch (err) {
        this.#o.onError?.(err, st.project.id);
        this.#set(st, { state: 'error', error: err instanceof Error ? err.message : String(err) });
      } finally {
        st.running = null;
      }
    })();
    return st.running;
  }

  async #scan(st: ProjectState): Promise<void> {
    const { sql } = this.#o;
    const projectId = st.project.id;
    const [{ files }, stamps] = await Promise.all([
      scanProject(st.project.path, { rgPath: this.#o.rgPath }),
      graphFileStamps(sql, projectId),
    ]);
    const known = new Map(stamps.map((s) => [s.path, s]));
    const seen = new Set(files.map((f) => f.path));
    const gone = stamps.filter((s) => !seen.has(s.path)).map((s) => s.path);
    const changed = files.filter((f) => {
      const k = known.get(f.path);
      return !k || k.size !== f.size || k.mtimeMs !== f.mtimeMs;
    });
    if (this.#o.watch && !st.watcher && !this.#closed)
      st.watcher = new DirWatcher(st.project.path, () => {
        st.dirty = true;
        void this.#refresh(st);
      });
    st.watcher?.update(files.map((f) => f.path));
    const at = new Date().toISOString();
    if (changed.length === 0 && gone.length === 0) {
      if (st.progress.scannedAt === null || st.progress.state !== 'idle')
        this.#set(st, { state: 'idle', scannedAt: at, error: null });
      else st.progress = { ...st.progress, scannedAt: at };
      return;
    }
    this.#set(st, { state: 'indexing', filesDone: 0, filesTotal: changed.length, error: null });
    await deleteGraphFiles(sql, projectId, gone);
    let done = 0;
    let told = Date.now();
    const queue = [...changed];
    const work = async () => {
      for (let f = queue.shift(); f; f = queue.shift()) {
        await this.#indexFile(projectId, f, known.get(f.path)?.contentHash ?? null);
        done++;
        if (Date.now() - told >= PROGRESS_EVERY_MS) {
          told = Date.now();
          this.#set(st, { filesDone: done });
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, work));
    // A change seen meanwhile is scanned next: idle only once nothing is waiting.
    this.#set(st, {
      state: st.dirty ? 'indexing' : 'idle',
      filesDone: done,
      scannedAt: new Date().toISOString(),
    });
  }

  async #indexFile(projectId: string, f: ScannedFile, knownHash: string | null): Promise<void> {
    const { sql } = this.#o;
    const reply = await this.#pool.parse({ abs: f.abs, language: f.language, knownHash });
    const stamp = { path: f.path, size: f.size, mtimeMs: f.mtimeMs };
    switch (reply.kind) {
      case 'unchanged':
        return touchGraphFile(sql, projectId, stamp);
      case 'parsed':
        return writeGraphFile(
          sql,
          projectId,
          { ...stamp, contentHash: reply.hash, language: f.language },
          reply.rows,
        );
      case 'skipped':
        return deleteGraphFiles(sql, projectId, [f.path]);
      case 'failed':
        // One file that cannot be read or parsed costs its own entry, not the project's index.
        this.#o.onError?.(new Error(`${f.path}: ${reply.message}`), projectId);
        return deleteGraphFiles(sql, projectId, [f.path]);
    }
  }

  #set(st: ProjectState, patch: Partial<GraphProgress>): void {
    st.progress = { ...st.progress, ...patch };
    this.#o.onProgress(st.progress);
  }
}
