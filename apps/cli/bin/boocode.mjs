#!/usr/bin/env node
// The `boocode` command: the TypeScript sources run through tsx, as every service of the repo does.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
