/**
 * BooTerm: terminals (tmux sessions on the server) and SSH hosts.
 *
 * REST, all under `/api/term` (the server proxies it to booterm; the same auth as every route):
 * - `GET    /api/term/terminals`              -> `TerminalList`
 * - `POST   /api/term/terminals`              `CreateTerminalBody` -> 201 `Terminal`
 * - `PATCH  /api/term/terminals/:id`          `RenameTerminalBody` -> `Terminal`
 * - `POST   /api/term/terminals/:id/resize`   `ResizeTerminalBody` -> `Terminal`
 * - `DELETE /api/term/terminals/:id`          kills the session -> 204
 * - `GET    /api/term/ssh-hosts`              -> `SshHostList`
 * - `POST   /api/term/ssh-hosts`              `CreateSshHostBody` -> 201 `SshHost`
 * - `PATCH  /api/term/ssh-hosts/:id`          `UpdateSshHostBody` -> `SshHost`
 * - `DELETE /api/term/ssh-hosts/:id`          -> 204 (its terminals keep running)
 *
 * WebSocket, one per attached view: `GET /api/term/terminals/:id/ws?cols=C&rows=R`
 * (`TerminalWsQuery`). Auth is the cookie, as everywhere; the Origin must be the page's.
 * Give the size the pane has NOW (fit before connecting): the tmux client is spawned at that
 * size, and a late resize is ignored by some programs. Re-send the size on every (re)connect.
 *
 * Server -> client:
 * - binary frames: terminal output, raw bytes. UTF-8 may be cut between two frames: feed each
 *   frame to `term.write(Uint8Array)` as is (xterm.js decodes across calls); never decode a
 *   frame on its own.
 * - text frames: JSON `TerminalServerFrame` (control).
 * On (re)attach the server first sends the scrollback (history above the screen, with colours),
 * then `terminal.replayed`, then live bytes, which start with tmux's repaint of the screen.
 * So: `term.reset()` before opening a socket; what arrives is the whole terminal.
 *
 * Client -> server:
 * - binary frames: input bytes (keys, paste, xterm.js `onBinary` for mouse reports);
 * - text frames: JSON `TerminalClientFrame`: `terminal.input` (the same, as a string, for
 *   xterm.js `onData`), `terminal.resize`, `terminal.ack`.
 *
 * Flow control (after VS Code's terminal): the server counts the bytes of the binary frames it
 * sent on this socket, replay included, and pauses the terminal's output above
 * `FLOW_HIGH_WATERMARK` unacknowledged bytes, resuming below `FLOW_LOW_WATERMARK`. The client
 * adds up the bytes of each frame once `term.write(data, callback)` calls back, and sends
 * `{type:'terminal.ack', bytes}` each time the sum passes `FLOW_ACK_BYTES` (then starts again
 * from 0). A client that never acks gets no more than ~`FLOW_HIGH_WATERMARK` bytes; tmux
 * redraws the screen instead of queueing, so nothing piles up on the server either.
 *
 * The socket closes with code 1000 after `terminal.exit` (the session ended), 4404 when the
 * terminal does not exist, 4400 on a bad frame.
 */
import { z } from 'zod';
import { Id, TITLE_MAX } from './chat.ts';

/** Pause the pty above this many unacknowledged output bytes. */
export const FLOW_HIGH_WATERMARK = 100_000;
/** Resume it below this many. */
export const FLOW_LOW_WATERMARK = 5_000;
/** The client acks every this many bytes written; must stay <= FLOW_LOW_WATERMARK. */
export const FLOW_ACK_BYTES = 5_000;

/** WebSocket close codes of the terminal socket (besides 1000, the session ended). */
export const TERMINAL_WS_NOT_FOUND = 4404;
export const TERMINAL_WS_BAD_FRAME = 4400;

const Cols = z.coerce.number().int().min(2).max(1000);
const Rows = z.coerce.number().int().min(1).max(500);

/** A terminal: one tmux session, alive until its shell (or ssh) exits or it is killed. */
export const Terminal = z.object({
  id: Id,
  title: z.string(),
  /** The project it was opened in; null: the home directory, or an SSH terminal. */
  projectId: Id.nullable(),
  /** The directory the shell started in (on this machine). */
  cwd: z.string(),
  /** The SSH host it connects to; null: a local shell. */
  sshHostId: Id.nullable(),
  createdAt: z.string(),
  /** The size last asked for (by create, resize or a socket). */
  cols: z.number().int(),
  rows: z.number().int(),
  /** False once the session has ended (shell exited, tmux server gone); the row stays to show it. */
  alive: z.boolean(),
});
export type Terminal = z.infer<typeof Terminal>;

export const TerminalList = z.object({ terminals: z.array(Terminal) });
export type TerminalList = z.infer<typeof TerminalList>;

/**
 * Either a project (its directory), an SSH host, an agent session (its CLI in its worktree,
 * as coder wrote its launch), or none (the home directory).
 */
export const CreateTerminalBody = z
  .object({
    projectId: Id.optional(),
    sshHostId: Id.optional(),
    agentSessionId: Id.optional(),
    /** Default: the project's or host's name, else "Terminal". */
    title: z.string().trim().min(1).max(TITLE_MAX).optional(),
    cols: Cols.default(80),
    rows: Rows.default(24),
  })
  .refine((b) => [b.projectId, b.sshHostId, b.agentSessionId].filter(Boolean).length <= 1, {
    message: 'give a project, an SSH host or an agent session, not two',
  });
export type CreateTerminalBody = z.input<typeof CreateTerminalBody>;

export const RenameTerminalBody = z.object({ title: z.string().trim().min(1).max(TITLE_MAX) });
export type RenameTerminalBody = z.infer<typeof RenameTerminalBody>;

export const ResizeTerminalBody = z.object({ cols: Cols, rows: Rows });
export type ResizeTerminalBody = z.infer<typeof ResizeTerminalBody>;

export const TerminalParams = z.object({ terminalId: Id });
export const SshHostParams = z.object({ sshHostId: Id });

/** Query of the terminal WebSocket: the size the pane has when it connects. */
export const TerminalWsQuery = z.object({ cols: Cols.default(80), rows: Rows.default(24) });
export type TerminalWsQuery = z.infer<typeof TerminalWsQuery>;

/** JSON frames the browser sends on a terminal socket (input also goes as binary frames). */
export const TerminalClientFrame = z.discriminatedUnion('type', [
  /** Keys or paste as text (xterm.js `onData`). */
  z.object({ type: z.literal('terminal.input'), data: z.string().max(1024 * 1024) }),
  /** The pane's size changed (debounce ~50 ms; send the latest only). */
  z.object({ type: z.literal('terminal.resize'), cols: Cols, rows: Rows }),
  /** Output bytes written by xterm.js since the last ack. */
  z.object({ type: z.literal('terminal.ack'), bytes: z.number().int().positive() }),
]);
export type TerminalClientFrame = z.infer<typeof TerminalClientFrame>;

/** JSON control frames the server sends on a terminal socket (output goes as binary frames). */
export const TerminalServerFrame = z.discriminatedUnion('type', [
  /** The scrollback has been sent; what follows is live (starting with the screen's repaint). */
  z.object({ type: z.literal('terminal.replayed'), bytes: z.number().int().nonnegative() }),
  /**
   * The session ended (the shell or ssh exited, or it was killed); the socket closes next.
   * The last screen of a program that exited came just before, as output.
   */
  z.object({ type: z.literal('terminal.exit') }),
  /** Something the user should know (input dropped); the socket stays open. */
  z.object({ type: z.literal('terminal.notice'), message: z.string() }),
  /** Something went wrong on this socket; the socket closes next. */
  z.object({ type: z.literal('terminal.error'), message: z.string() }),
]);
export type TerminalServerFrame = z.infer<typeof TerminalServerFrame>;

/** An SSH host a terminal can be opened on (`ssh -p port -i identityFile user@host`). */
export const SshHost = z.object({
  id: Id,
  name: z.string(),
  host: z.string(),
  port: z.number().int(),
  user: z.string(),
  /** Absolute path of the private key on the server; null: ssh's defaults and agent. */
  identityFile: z.string().nullable(),
  createdAt: z.string(),
});
export type SshHost = z.infer<typeof SshHost>;

export const SshHostList = z.object({ hosts: z.array(SshHost) });
export type SshHostList = z.infer<typeof SshHostList>;

// A leading '-' would be read by ssh as an option.
const HostName = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9_.:[\]%-]+$/, 'a host name or address')
  .refine((s) => !s.startsWith('-'), 'must not start with -');
const UserName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/, 'a user name');
const IdentityFile = z
  .string()
  .trim()
  .min(1)
  .max(4096)
  // ssh itself expands a leading ~/ (as it does in its config).
  .refine(
    (s) => s.startsWith('/') || s.startsWith('~/'),
    'must be an absolute path, or one in your home (~/…)',
  );

export const CreateSshHostBody = z.object({
  name: z.string().trim().min(1).max(100),
  host: HostName,
  port: z.number().int().min(1).max(65535).default(22),
  user: UserName,
  identityFile: IdentityFile.nullable().optional(),
});
export type CreateSshHostBody = z.input<typeof CreateSshHostBody>;

export const UpdateSshHostBody = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  host: HostName.optional(),
  port: z.number().int().min(1).max(65535).optional(),
  user: UserName.optional(),
  identityFile: IdentityFile.nullable().optional(),
});
export type UpdateSshHostBody = z.infer<typeof UpdateSshHostBody>;
