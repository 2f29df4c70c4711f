import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { PathGuard } from './path-guard.ts';
import { errnoCode, toolError, type ToolError } from './tool-result.ts';

/** Default cap on the text one `read_file` call returns. */
export const READ_FILE_MAX_BYTES = 256 * 1024;
// How much of the start of a file is scanned for a NUL byte to call it binary (as git does).
const BINARY_SNIFF_BYTES = 8 * 1024;
const CHUNK_BYTES = 64 * 1024;

export type ReadFileArgs = {
  path: string;
  root?: string;
  /** First line to return, 1-based; defaults to 1. */
  startLine?: number;
  /** Last line to return, inclusive; defaults to the end of the file. */
  endLine?: number;
  /** Prefix each line with its number and a tab (the default); false gives the raw text. */
  lineNumbers?: boolean;
};

export type ReadFileOptions = { maxBytes?: number };

export type ReadFileResult =
  | {
      ok: true;
      path: string;
      content: string;
      /** The first and last line returned (0 and 0 for an empty file). */
      startLine: number;
      endLine: number;
      /** Lines in the file, when the read reached its end. */
      totalLines?: number;
      truncated: boolean;
      /** Set when truncated: says where to continue. */
      note?: string;
    }
  | ToolError;

/**
 * `read_file`: a text file's lines, 1-based and inclusive, numbered by default. Output stops at
 * `maxBytes` (default 256 KiB) with a note saying where to continue; binary files are refused.
 */
export async function readFile(
  guard: PathGuard,
  args: ReadFileArgs,
  opts: ReadFileOptions = {},
): Promise<ReadFileResult> {
  const maxBytes = opts.maxBytes ?? READ_FILE_MAX_BYTES;
  const start = args.startLine ?? 1;
  const end = args.endLine ?? Infinity;
  if (!Number.isInteger(start) || start < 1) {
    return toolError('bad_args', 'startLine must be a whole number, 1 or more.');
  }
  if (end !== Infinity && (!Number.isInteger(end) || end < start)) {
    return toolError('bad_args', `endLine must be a whole number no smaller than startLine.`);
  }

  const resolved = await guard.resolve(args.path, { root: args.root });
  if (!resolved.ok) return resolved;
  let fh: FileHandle;
  try {
    // O_NOFOLLOW: if the checked leaf was swapped for a symlink since resolve, refuse it.
    // O_NONBLOCK: opening a FIFO must not hang waiting for a writer.
    fh = await open(resolved.abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    return openError(errnoCode(err), resolved.rel);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) {
      return toolError('not_a_file', `"${resolved.rel}" is a directory; use list_dir.`);
    }
    // A FIFO or device would block or never end; only regular files are read.
    if (!st.isFile()) return toolError('not_a_file', `"${resolved.rel}" is not a regular file.`);
    const sniff = Buffer.alloc(BINARY_SNIFF_BYTES);
    const { bytesRead } = await fh.read(sniff, 0, sniff.length, 0);
    if (sniff.subarray(0, bytesRead).includes(0)) {
      return toolError(
        'binary_file',
        `"${resolved.rel}" looks binary (it has NUL bytes); not shown.`,
      );
    }
    const numbered = args.lineNumbers ?? true;
    const read = await readLines(fh, start, end, maxBytes, numbered);
    if (read.totalLines !== undefined && start > Math.max(read.totalLines, 1)) {
      return toolError(
        'bad_args',
        `startLine ${start} is past the end of "${resolved.rel}", which has ${read.totalLines} lines.`,
      );
    }
    const content = read.lines
      .map((line, i) => (numbered ? `${start + i}\t${line}` : line))
      .join('\n');
    const last = read.lines.length === 0 ? 0 : start + read.lines.length - 1;
    return {
      ok: true,
      path: resolved.rel,
      content,
      startLine: read.lines.length === 0 ? 0 : start,
      endLine: last,
      ...(read.totalLines !== undefined && { totalLines: read.totalLines }),
      truncated: read.truncated,
      ...(read.truncated && {
        note: `Output capped at ${maxBytes} bytes; ${read.cutLine ? `line ${last} was cut short; ` : ''}continue with startLine=${read.cutLine ? last : last + 1}.`,
      }),
    };
  } catch (err) {
    return openError(errnoCode(err), resolved.rel);
  } finally {
    await fh.close();
  }
}

type LinesRead = { lines: string[]; totalLines?: number; truncated: boolean; cutLine: boolean };

// Reads chunk by chunk rather than with readline so a single huge line (minified code, a log
// without newlines) is never buffered whole: only lines in range are kept, up to the byte cap,
// which counts the line-number prefix and newline of every line returned.
async function readLines(
  fh: FileHandle,
  start: number,
  end: number,
  maxBytes: number,
  numbered: boolean,
): Promise<LinesRead> {
  const decoder = new StringDecoder('utf8');
  const buf = Buffer.alloc(CHUNK_BYTES);
  const lines: string[] = [];
  const inRange = (n: number): boolean => n >= start && n <= end;
  let lineNo = 1;
  let current = '';
  // Whether the line being read has any character yet: a file ending in "\n" has no extra line.
  let pending = false;
  let opened = false;
  let budget = maxBytes;
  let position = 0;
  const full = (cutLine: boolean): LinesRead => ({ lines, truncated: true, cutLine });
  // Charges a line's prefix and newline once; false when even that no longer fits.
  const open = (): boolean => {
    if (opened) return true;
    const cost = (numbered ? String(lineNo).length + 1 : 0) + 1;
    if (cost > budget) return false;
    budget -= cost;
    opened = true;
    return true;
  };

  for (;;) {
    const { bytesRead } = await fh.read(buf, 0, buf.length, position);
    const text = bytesRead === 0 ? decoder.end() : decoder.write(buf.subarray(0, bytesRead));
    position += bytesRead;
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      const piece = text.slice(from, nl === -1 ? text.length : nl);
      if (piece !== '') {
        pending = true;
        if (inRange(lineNo)) {
          if (!open()) return full(false);
          const bytes = Buffer.byteLength(piece, 'utf8');
          if (bytes > budget) {
            // Stop before a line that does not fit, unless it is the first: a single huge line
            // is cut rather than never shown.
            if (lines.length > 0) return full(false);
            lines.push(stripCr(current + cutUtf8(piece, budget)));
            return full(true);
          }
          current += piece;
          budget -= bytes;
        }
      }
      if (nl === -1) break;
      if (inRange(lineNo)) {
        if (!open()) return full(false);
        lines.push(stripCr(current));
      }
      if (lineNo >= end) return { lines, truncated: false, cutLine: false };
      current = '';
      pending = false;
      opened = false;
      lineNo += 1;
      from = nl + 1;
    }
    if (bytesRead === 0) break;
  }
  if (pending && inRange(lineNo)) lines.push(stripCr(current));
  return { lines, totalLines: pending ? lineNo : lineNo - 1, truncated: false, cutLine: false };
}

// Cuts to at most `bytes` UTF-8 bytes without leaving half a character behind.
function cutUtf8(text: string, bytes: number): string {
  return Buffer.from(text, 'utf8')
    .subarray(0, bytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function openError(code: string | undefined, rel: string): ToolError {
  switch (code) {
    case 'ENOENT':
      return toolError('not_found', `There is no file "${rel}".`);
    case 'EACCES':
    case 'EPERM':
      return toolError('denied', `Permission denied reading "${rel}".`);
    case 'ELOOP':
      return toolError('outside_root', `"${rel}" became a symlink after it was checked.`);
    case 'EISDIR':
      return toolError('not_a_file', `"${rel}" is a directory; use list_dir.`);
    default:
      return toolError('io_error', `Could not read "${rel}" (${code ?? 'unknown error'}).`);
  }
}
