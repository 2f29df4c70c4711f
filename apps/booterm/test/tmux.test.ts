import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tmux } from '../src/tmux.ts';
import { startBooterm, type Booterm } from './helpers.ts';

// No string of the user's (a project's path, an SSH host's fields) is ever read by tmux as a
// format or a command separator.
let b: Booterm;
let dir: string;
beforeAll(async () => {
  b = await startBooterm();
  dir = await mkdtemp(path.join(os.tmpdir(), 'booterm-tmux-'));
});
afterAll(async () => {
  await b.close();
  await rm(dir, { recursive: true, force: true });
});

function tmux(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('tmux', ['-L', b.socket, ...args], (err, out, stderr) =>
      err ? reject(new Error(stderr || err.message)) : resolve(out),
    ),
  );
}

describe('tmux arguments', () => {
  it('opens a terminal in a project whose path holds #(cmd) without running cmd', async () => {
    const marker = path.join(dir, 'ran');
    const projectPath = path.join(dir, `p#(touch ${marker})q`);
    await mkdir(projectPath, { recursive: true });
    const [p] = await b.db.sql<{ id: string }[]>`
      insert into projects (name, path) values ('formats', ${projectPath}) returning id`;
    const t = await b.create({ projectId: p!.id });
    const cwd = await tmux('display-message', '-p', '-t', `=${t.id}:`, '#{pane_current_path}');
    expect(cwd.trim()).toBe(projectPath);
    expect(existsSync(marker)).toBe(false);
  });

  it("passes a program's arguments ending in ';' on as written", async () => {
    const out = path.join(dir, 'argv');
    const t = new Tmux(b.socket, b.home);
    const script = `printf '%s|' "$@" > ${out}.tmp && mv ${out}.tmp ${out}; sleep 60`;
    const args = ['a;', 'b\\;', ';', 'kill-server;'];
    await t.newSession('argv-test', {
      cwd: dir,
      cols: 80,
      rows: 24,
      command: ['/bin/sh', '-c', script, 'sh', ...args],
    });
    await expect.poll(() => existsSync(out)).toBe(true);
    expect(await readFile(out, 'utf8')).toBe(args.map((a) => `${a}|`).join(''));
    await t.killSession('argv-test');
  });
});
