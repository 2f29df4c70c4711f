import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// Apart from the backend: the registry checks the CLI at every snapshot, and coder loads the SDK
// itself (1.5 MB of JavaScript) only when a Claude session or probe runs on it.

/**
 * The SDK's native CLI (its optional platform package, `claude`), for the registry's tier-1
 * check and the launch's command; null when this platform's package is not installed.
 */
export function findClaudeSdkBinary(): string | null {
  try {
    const sdk = createRequire(import.meta.url).resolve('@anthropic-ai/claude-agent-sdk');
    const fromSdk = createRequire(sdk);
    const libc = process.platform === 'linux' && isMusl() ? '-musl' : '';
    const pkg = `@anthropic-ai/claude-agent-sdk-${process.platform}-${process.arch}${libc}`;
    const bin = path.join(path.dirname(fromSdk.resolve(`${pkg}/package.json`)), 'claude');
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function isMusl(): boolean {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } };
  return !report?.header?.glibcVersionRuntime;
}
