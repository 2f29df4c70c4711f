import { z } from 'zod';
import { ProviderId } from './agent.ts';
import { Id } from './chat.ts';

/** A pane's or split's id inside one layout (the browser makes them). */
export const PaneId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a pane id is 1-64 of A-Z a-z 0-9 _ -');
export type PaneId = z.infer<typeof PaneId>;

/**
 * The chat a terminal or coder pane owns, shown beside it when `open`; `chatId` is null until
 * the first message creates it.
 */
export const PaneChat = z.object({ chatId: Id.nullable(), open: z.boolean() });
export type PaneChat = z.infer<typeof PaneChat>;

/**
 * A chat pane. The one with `followsUrl` shows the chat in the address bar (/c/<id>) and its
 * `chatId` is ignored; every other chat pane holds its own (null: a new chat not sent yet).
 */
export const ChatPaneState = z.object({
  kind: z.literal('chat'),
  chatId: Id.nullable(),
  followsUrl: z.boolean(),
});
export type ChatPaneState = z.infer<typeof ChatPaneState>;

/** A terminal pane: the BooTerm session it shows, and its own chat. */
export const TerminalPaneState = z.object({
  kind: z.literal('terminal'),
  terminalId: Id,
  chat: PaneChat.optional(),
});
export type TerminalPaneState = z.infer<typeof TerminalPaneState>;

/**
 * What a pane shows, by kind. A new kind adds its object here (a `kind` literal and its state),
 * then registers in apps/web/src/features/workspace/pane-registry.tsx.
 */
/**
 * A coder pane: its own coder chat on a project, beside the changes it queued for review.
 * `provider` is the agent it drives (absent: `boocode`, our own loop).
 */
export const CoderPaneState = z.object({
  kind: z.literal('coder'),
  chatId: Id,
  projectId: Id,
  provider: ProviderId.optional(),
  /** The terminal of the pane's `pty` agent session, shown again after a reload. */
  ptyTerminal: z.object({ sessionId: Id, terminalId: Id }).optional(),
});
export type CoderPaneState = z.infer<typeof CoderPaneState>;

/**
 * A code pane: a file of a project in the viewer, beside its outline and the code graph's
 * answers. `path` is relative to the project (null: no file chosen yet), `line` 1-based.
 */
export const CodePaneState = z.object({
  kind: z.literal('code'),
  projectId: Id,
  path: z.string().min(1).max(4096).nullable(),
  line: z.number().int().positive().optional(),
});
export type CodePaneState = z.infer<typeof CodePaneState>;

export const PaneState = z.discriminatedUnion('kind', [
  ChatPaneState,
  TerminalPaneState,
  CoderPaneState,
  CodePaneState,
]);
export type PaneState = z.infer<typeof PaneState>;
export type PaneKind = PaneState['kind'];

export const Orientation = z.enum(['horizontal', 'vertical']);
export type Orientation = z.infer<typeof Orientation>;

// Type aliases, not interfaces: postgres.js's sql.json takes them as JSON values.
export type PaneNode = {
  type: 'pane';
  id: string;
  pane: PaneState;
};

/**
 * Children side by side (`horizontal`) or stacked (`vertical`); `sizes` are percentages of the
 * split, one per child, summing to 100.
 */
export type SplitNode = {
  type: 'split';
  id: string;
  orientation: Orientation;
  children: LayoutNode[];
  sizes: number[];
};

export type LayoutNode = PaneNode | SplitNode;

export const MAX_PANES = 24;
export const MAX_DEPTH = 8;

export const PaneNode: z.ZodType<PaneNode> = z.object({
  type: z.literal('pane'),
  id: PaneId,
  pane: PaneState,
});

export const SplitNode: z.ZodType<SplitNode> = z
  .object({
    type: z.literal('split'),
    id: PaneId,
    orientation: Orientation,
    get children(): z.ZodArray<z.ZodType<LayoutNode>> {
      return z.array(LayoutNode).min(2).max(MAX_PANES);
    },
    sizes: z.array(z.number().min(0).max(100)),
  })
  .refine((s) => s.sizes.length === s.children.length, {
    message: 'a split needs one size per child',
    path: ['sizes'],
  })
  .refine((s) => Math.abs(s.sizes.reduce((a, b) => a + b, 0) - 100) <= 0.5, {
    message: 'the sizes of a split must add up to 100',
    path: ['sizes'],
  });

export const LayoutNode: z.ZodType<LayoutNode> = z.lazy(() =>
  z.union([PaneNode, SplitNode]),
) as z.ZodType<LayoutNode>;

/** Every pane of a layout, in reading order (left to right, top to bottom). */
export function panesOf(node: LayoutNode | null): PaneNode[] {
  if (!node) return [];
  if (node.type === 'pane') return [node];
  return node.children.flatMap(panesOf);
}

function depthOf(node: LayoutNode): number {
  return node.type === 'pane' ? 1 : 1 + Math.max(...node.children.map(depthOf));
}

function idsOf(node: LayoutNode): string[] {
  return node.type === 'pane' ? [node.id] : [node.id, ...node.children.flatMap(idsOf)];
}

/**
 * The panes on screen: a tree of splits (null when every pane is closed), and the pane shown
 * alone, if one is maximised.
 */
export const Workspace = z
  .object({
    layout: LayoutNode.nullable(),
    maximized: PaneId.nullable(),
  })
  .superRefine((w, ctx) => {
    if (!w.layout) {
      if (w.maximized) ctx.addIssue({ code: 'custom', message: 'no pane to maximise' });
      return;
    }
    if (depthOf(w.layout) > MAX_DEPTH) {
      ctx.addIssue({ code: 'custom', message: `splits nest at most ${MAX_DEPTH} deep` });
    }
    const panes = panesOf(w.layout);
    if (panes.length > MAX_PANES) {
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_PANES} panes` });
    }
    const ids = idsOf(w.layout);
    if (new Set(ids).size !== ids.length) {
      ctx.addIssue({ code: 'custom', message: 'pane and split ids must be unique' });
    }
    const following = panes.filter((p) => p.pane.kind === 'chat' && p.pane.followsUrl);
    if (following.length > 1) {
      ctx.addIssue({ code: 'custom', message: 'only one chat pane can follow the address' });
    }
    if (w.maximized && !panes.some((p) => p.id === w.maximized)) {
      ctx.addIssue({ code: 'custom', message: 'the maximised pane is not in the layout' });
    }
  });
export type Workspace = z.infer<typeof Workspace>;

/** GET /api/workspace: the stored workspace (the default one until the first save). */
export const WorkspaceState = z.object({
  workspace: Workspace,
  /** When it was last saved; null for the default. */
  updatedAt: z.string().nullable(),
});
export type WorkspaceState = z.infer<typeof WorkspaceState>;

/** What a fresh install shows: one chat pane following the address bar. */
export function defaultWorkspace(): Workspace {
  return {
    layout: { type: 'pane', id: 'main', pane: { kind: 'chat', chatId: null, followsUrl: true } },
    maximized: null,
  };
}
