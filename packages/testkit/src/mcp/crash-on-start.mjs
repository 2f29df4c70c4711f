#!/usr/bin/env node
// An MCP server that dies as it starts, as one with a bad config does: it says why on
// stderr and exits. With MCP_TEST_LOG set, each start appends a line there, so a test
// can count the restarts.
import { appendFileSync } from 'node:fs';

if (process.env.MCP_TEST_LOG) appendFileSync(process.env.MCP_TEST_LOG, `start ${process.pid}\n`);
process.stderr.write('crash-on-start: cannot open /nonexistent/data.db: no such file\n');
process.exit(3);
