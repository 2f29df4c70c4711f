import path from 'node:path';

/** Longest input accepted, in characters; Linux refuses paths over PATH_MAX (4096 bytes) anyway. */
export const MAX_PATH_LENGTH = 4096;
/** Longest single path segment accepted, in UTF-8 bytes (Linux NAME_MAX). */
export const MAX_SEGMENT_BYTES = 255;

export type ParsedInput =
  | { ok: true; kind: 'relative' | 'absolute'; normalized: string }
  | { ok: false; code: 'bad_path' | 'outside_root'; message: string };

// Percent sequences that decode to a separator, a dot, NUL or another percent sign (double
// encoding), plus overlong UTF-8 lead bytes and IIS-style %uXXXX: nothing here ever decodes a
// path, but a name that *would* turn into traversal if some later layer did is refused outright.
const ENCODED_TRICK = /%(?:2e|2f|5c|00|25|c0|c1|u[0-9a-f]{4})/i;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHAR = /[\u0001-\u001f\u007f]/;
const DRIVE_LETTER = /^[A-Za-z]:(?:$|[\\/])/;
const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * Checks a path string from a model before any file system call and normalizes it lexically.
 * `..` is folded here (like `path.resolve`, not like the kernel after a symlink); the caller still
 * checks the real location afterwards, so this only decides which file is meant.
 */
export function parseInput(input: unknown): ParsedInput {
  if (typeof input !== 'string') return bad('The path must be a string.');
  if (input.includes('\0')) {
    return bad('The path contains a NUL byte, which no file name can hold.');
  }
  if (input.length > MAX_PATH_LENGTH) {
    return bad(`The path is ${input.length} characters long; the limit is ${MAX_PATH_LENGTH}.`);
  }
  if (CONTROL_CHAR.test(input)) {
    return bad('The path contains a control character (newline, tab, escape...); remove it.');
  }
  if (input.includes('\\')) {
    return bad(
      'The path contains a backslash. Paths use forward slashes ("src/index.ts"); Windows-style and UNC paths are not supported.',
    );
  }
  if (DRIVE_LETTER.test(input)) {
    return bad('Windows drive letters ("C:") are not supported; use a path relative to the root.');
  }
  if (URL_SCHEME.test(input)) {
    return bad('URLs are not paths; give a path relative to the root, such as "src/index.ts".');
  }
  const encoded = ENCODED_TRICK.exec(input);
  if (encoded) {
    return bad(
      `The path contains the percent-encoded sequence "${encoded[0]}". Paths are taken literally and never URL-decoded; write the plain characters instead.`,
    );
  }
  if (input.startsWith('~')) {
    return bad('"~" is not expanded; give a path relative to the root, such as "src/index.ts".');
  }
  for (const segment of input.split('/')) {
    if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) {
      return bad(
        `A path segment is longer than ${MAX_SEGMENT_BYTES} bytes ("${segment.slice(0, 40)}..."); no file name can be that long.`,
      );
    }
  }

  const absolute = input.startsWith('/');
  // An empty input means the root itself, which is what a model omitting the path wants.
  let normalized = path.posix.normalize(input === '' ? '.' : input);
  if (normalized.length > 1 && normalized.endsWith('/')) normalized = normalized.slice(0, -1);
  if (!absolute && (normalized === '..' || normalized.startsWith('../'))) {
    return {
      ok: false,
      code: 'outside_root',
      message: `"${input}" climbs above the root with ".."; use a path inside the root.`,
    };
  }
  return { ok: true, kind: absolute ? 'absolute' : 'relative', normalized };
}

function bad(message: string): ParsedInput {
  return { ok: false, code: 'bad_path', message };
}
