#!/usr/bin/env node
// An MCP server that never answers anything (not even `initialize`), and that has a child
// of its own, as servers that run a helper do. With MCP_TEST_LOG set, each start appends
// "start <pid> <child pid>" there, so a test can check that both are killed.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

const child = spawn('sleep', ['600'], { stdio: 'ignore' });
if (process.env.MCP_TEST_LOG) {
  appendFileSync(process.env.MCP_TEST_LOG, `start ${process.pid} ${child.pid}\n`);
}
process.stderr.write('never-answers: listening on stdin, answering nothing\n');
// Reads and drops everything; stays up when stdin ends, as a stuck server does.
process.stdin.on('data', () => {});
process.stdin.on('end', () => {});
setInterval(() => {}, 1 << 30);
