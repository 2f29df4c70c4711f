import type { ReactNode } from 'react';
import type { ChatUsage } from '@boocode/protocol';
import { Button } from '@boocode/ui';
import { FoldVertical, PanelLeft } from 'lucide-react';
import { formatCost, formatTokens } from '../../lib/money.ts';
import { ProjectPicker } from '../projects/project-picker.tsx';
import { ReadAccess } from '../projects/read-access.tsx';
import { ChatMcpPopover } from '../mcp/chat-mcp-popover.tsx';
import { SkillsPopover } from '../skills/skills-popover.tsx';
import { ExportMenu } from './export-menu.tsx';
import { ModelPicker } from './model-picker.tsx';

interface Props {
  title: string;
  /** The open chat's id; null on the new-chat screen. */
  chatId: string | null;
  model: string | null;
  /** What the open chat has used in all; null on the new-chat screen. */
  usage: ChatUsage | null;
  onModelChange: (model: string) => void;
  projectId: string | null;
  onProjectChange: (projectId: string | null) => void;
  onProjectRemoved: (projectId: string) => void;
  sidebarOpen: boolean;
  /** Absent: no sidebar toggle (a pane that is not the first). */
  onToggleSidebar?: () => void;
  /** Buttons of the pane the chat is in, last in the header. */
  actions?: ReactNode;
  /** The project cannot change (a coder chat writes to the project its pane was opened on). */
  projectLocked?: boolean;
  /** The name of the agent the chat started with, if any. */
  agentName?: string | null;
  /** Summarises the older turns; null when there is nothing to compact (no chat, or a reply runs). */
  onCompact?: (() => void) | null;
}

export function ChatHeader({
  title,
  chatId,
  model,
  usage,
  onModelChange,
  projectId,
  onProjectChange,
  onProjectRemoved,
  sidebarOpen,
  onToggleSidebar,
  actions,
  agentName = null,
  projectLocked = false,
  onCompact = null,
}: Props) {
  return (
    // A container: in a narrow pane the controls go to a row of their own below the title.
    <header className="border-border @container shrink-0 border-b">
      <div className="flex min-h-12 flex-wrap items-center gap-x-2 gap-y-1 px-2 py-1.5 @2xl:px-3">
        {onToggleSidebar ? (
          <Button
            variant="ghost"
            size="icon"
            aria-label="Toggle sidebar"
            aria-expanded={sidebarOpen}
            aria-controls="sidebar"
            title="Toggle sidebar"
            onClick={onToggleSidebar}
          >
            <PanelLeft />
          </Button>
        ) : null}
        <h1 className="min-w-0 flex-1 truncate text-sm font-medium" title={title}>
          {title}
        </h1>
        {agentName ? (
          <span
            title="The agent this chat started with"
            className="bg-muted text-muted-foreground hidden shrink-0 rounded-full px-2 py-0.5 text-xs sm:inline"
          >
            {agentName}
          </span>
        ) : null}
        {usage ? <UsageTotals usage={usage} /> : null}
        <div className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1 @max-2xl:order-last @max-2xl:w-full">
          <div className="flex min-w-0 items-center gap-0.5">
            {projectLocked ? null : (
              <ProjectPicker
                value={projectId}
                onChange={onProjectChange}
                onRemoved={onProjectRemoved}
              />
            )}
            {chatId ? <ReadAccess chatId={chatId} projectId={projectId} /> : null}
            {chatId ? <ChatMcpPopover chatId={chatId} /> : null}
            <SkillsPopover chatId={chatId} projectId={projectId} />
            {chatId ? (
              <Button
                variant="ghost"
                size="icon"
                aria-label="Compact"
                title="Compact: summarise the older turns to free the context window"
                disabled={!onCompact}
                onClick={onCompact ?? undefined}
              >
                <FoldVertical />
              </Button>
            ) : null}
            {chatId ? <ExportMenu chatId={chatId} /> : null}
          </div>
          <ModelPicker value={model} onChange={onModelChange} />
        </div>
        {actions}
      </div>
    </header>
  );
}

/** The chat's totals, replaced replies included: compact, and left out where space is short. */
function UsageTotals({ usage }: { usage: ChatUsage }) {
  const tokens = usage.promptTokens + usage.completionTokens;
  if (tokens === 0 && usage.costMicros === 0) return null;
  const text =
    usage.costMicros > 0
      ? `${formatTokens(tokens)} tokens · ${formatCost(usage.costMicros)}`
      : `${formatTokens(tokens)} tokens`;
  return (
    <span
      aria-label="Chat usage"
      title={`${formatTokens(usage.promptTokens)} in · ${formatTokens(usage.completionTokens)} out`}
      className="text-muted-foreground hidden shrink-0 font-mono text-xs whitespace-nowrap tabular-nums min-[800px]:inline"
    >
      {text}
    </span>
  );
}
