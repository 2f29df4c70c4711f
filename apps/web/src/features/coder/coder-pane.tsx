import { useEffect, useId, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { CoderPaneState } from '@boocode/protocol';
import { Button, Switch } from '@boocode/ui';
import { FileDiff, Swords } from 'lucide-react';
import { Group, Panel } from 'react-resizable-panels';
import { SplitHandle } from '../../components/split-handle.tsx';
import { errorMessage } from '../../lib/api.ts';
import { toastError } from '../../lib/toast.ts';
import { wsClient } from '../../lib/ws-client.ts';
import { asChatEvent } from '../chat/fold-events.ts';
import { useProjects } from '../projects/project-api.ts';
import { ChatPaneView } from '../workspace/chat-pane.tsx';
import { ProvidersButton } from '../providers/providers-dialog.tsx';
import { PaneHeader, useWorkspaceControls } from '../workspace/pane-chrome.tsx';
import type { PaneProps } from '../workspace/pane-types.ts';
import { useProviders } from './agent-api.ts';
import { OWN_PROVIDER } from './agent-choice.ts';
import { ProviderPicker } from './agent-pickers.tsx';
import { AgentSide } from './agent-side.tsx';
import { ArenaView } from './arena-view.tsx';
import { PtySide } from './pty-side.tsx';
import { coderKey, createCoderChat, useCoderChat, useSetAutoApply } from './coder-api.ts';
import { ReviewPanel } from './review-panel.tsx';

/**
 * A coder pane: its own coder chat (the model with the write tools) beside the changes it
 * queued, shown as diffs to apply or reject, and the checkpoints to rewind to. With another
 * provider than our own loop, the left side is that agent's latest session instead.
 */
export function CoderPane({ state, update, setTitle }: PaneProps<CoderPaneState>) {
  const { chatId, projectId } = state;
  const projects = useProjects();
  const project = projects.data?.projects.find((p) => p.id === projectId);
  const title = `Coder · ${project?.name ?? 'project'}`;
  const ws = useWorkspaceControls();
  useEffect(() => setTitle(title), [setTitle, title]);
  useLiveQueue(chatId);
  const uid = useId(); // panel ids are element ids too: one set per pane
  const providers = useProviders();
  const provider = state.provider ?? OWN_PROVIDER;
  const info = providers.data?.providers.find((p) => p.id === provider);
  const [arena, setArena] = useState(false);
  const providerPicker = (
    <ProviderPicker
      providers={providers.data?.providers}
      value={provider}
      onChange={(p) => update({ ...state, provider: p })}
    />
  );

  const newChat = () => {
    createCoderChat(projectId).then(
      (chat) => update({ ...state, chatId: chat.id }),
      (err: unknown) => toastError(errorMessage(err)),
    );
  };

  return (
    <div className="flex h-full flex-col">
      <PaneHeader icon={FileDiff} title={title}>
        {project ? (
          <span
            className="text-muted-foreground hidden max-w-56 min-w-0 truncate font-mono text-xs lg:inline"
            title={project.path}
          >
            {project.path}
          </span>
        ) : null}
        <Button
          variant={arena ? 'secondary' : 'ghost'}
          size="sm"
          aria-pressed={arena}
          title="One prompt to several agents at once, compared side by side"
          onClick={() => setArena(!arena)}
        >
          <Swords />
          Arena
        </Button>
        <AutoApply chatId={chatId} />
        <ProvidersButton />
      </PaneHeader>
      {/* The Arena's columns want the room: it opens wide, the review beside it narrow. */}
      <Group key={arena ? 'arena' : 'run'} orientation="horizontal" className="min-h-0 flex-1">
        <Panel
          id={`coder-chat${uid}`}
          defaultSize={arena ? '72%' : '45%'}
          minSize="25%"
          className="flex flex-col"
        >
          {arena ? (
            <ArenaView chatId={chatId} providers={providers.data?.providers} />
          ) : provider === OWN_PROVIDER ? (
            <section aria-label="Coder chat" className="flex h-full min-w-0 flex-col">
              <ChatPaneView
                chatId={chatId}
                followsUrl={false}
                onOpenChat={(id) => ws.open({ kind: 'chat', chatId: id, followsUrl: false })}
                onNewChat={newChat}
                headerActions={providerPicker}
              />
            </section>
          ) : info?.driver === 'pty' ? (
            <PtySide
              chatId={chatId}
              provider={provider}
              info={info}
              providerPicker={providerPicker}
              ptyTerminal={state.ptyTerminal}
              onPtyTerminal={(ptyTerminal) => update({ ...state, ptyTerminal })}
            />
          ) : (
            <AgentSide
              chatId={chatId}
              provider={provider}
              providers={providers.data?.providers}
              providerPicker={providerPicker}
            />
          )}
        </Panel>
        <SplitHandle orientation="horizontal" />
        <Panel id={`coder-review${uid}`} minSize="25%" className="flex flex-col">
          <ReviewPanel chatId={chatId} />
        </Panel>
      </Group>
    </div>
  );
}

/** The per-pane "Auto-apply" switch: lets the agent apply its own changes and rewind. */
function AutoApply({ chatId }: { chatId: string }) {
  const chat = useCoderChat(chatId);
  const set = useSetAutoApply(chatId);
  const id = useId();
  const on = set.isPending ? (set.variables ?? false) : (chat.data?.chat.autoApply ?? false);
  return (
    <div
      className="flex shrink-0 items-center gap-1.5"
      title="Let the agent apply its changes and rewind on its own"
    >
      <Switch
        id={id}
        aria-label="Auto-apply"
        checked={on}
        disabled={!chat.data || set.isPending}
        onCheckedChange={(v) => set.mutate(v)}
      />
      <label htmlFor={id} className="text-muted-foreground cursor-pointer text-xs select-none">
        Auto-apply
      </label>
    </div>
  );
}

/** Refreshes the queue and checkpoints when a tool of the chat answers, and when a reply ends. */
function useLiveQueue(chatId: string) {
  const qc = useQueryClient();
  useEffect(
    () =>
      wsClient.onFrame((f) => {
        const ev = asChatEvent(f);
        if (!ev || ev.chatId !== chatId) return;
        const toolDone = ev.type === 'chat.part.added' && ev.part.type === 'tool_result';
        if (toolDone || ev.type === 'chat.message.finished') {
          void qc.invalidateQueries({ queryKey: coderKey(chatId) });
        }
      }),
    [qc, chatId],
  );
}
